/**
 * Keys and the few primitives yakuba needs: field encryption (AES-256-GCM), keyed hashes,
 * and signed, expiring tokens. Every key derives from the root secret with HKDF and a
 * label, so one secret serves many uses without reuse.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export type KeyLabel = 'cookie' | 'token' | 'csrf' | 'field' | 'field-hash' | 'cursor' | 'webhook-secret' | 'qr';

export function deriveKey(secret: string, label: KeyLabel): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'yakuba', `yakuba:${label}`, 32));
}

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
export const hmacHex = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest('hex');
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Encrypts one field value; the result is `v1.<iv|tag|ciphertext base64url>`. */
export function encryptField(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
}

export function decryptField(key: Buffer, sealed: string): string {
  if (!sealed.startsWith('v1.')) throw new Error('unknown field encryption version');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** A compact signed token: base64url(JSON payload with `exp` in seconds) + '.' + HMAC. */
export function signToken(key: Buffer, payload: Record<string, unknown>, ttlSeconds: number, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ ...payload, exp: Math.floor(now / 1000) + ttlSeconds })).toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

export type TokenCheck<T> = { ok: true; payload: T } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function verifyToken<T extends Record<string, unknown>>(key: Buffer, token: string, now = Date.now()): TokenCheck<T> {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', key).update(parts[0]).digest('base64url');
  if (!safeEqual(expected, parts[1])) return { ok: false, reason: 'bad-signature' };
  let payload: T & { exp?: unknown };
  try {
    payload = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload !== 'object' || payload === null || typeof payload.exp !== 'number') return { ok: false, reason: 'malformed' };
  if (payload.exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}
