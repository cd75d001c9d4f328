/**
 * Webhook signatures. Every delivery carries
 *
 *   yakuba-timestamp: <unix seconds when it was sent>
 *   yakuba-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * where `secret` is the subscription secret exactly as it was shown on creation (its UTF-8
 * bytes are the key). A receiver recomputes the HMAC over the raw body bytes it received
 * (before any JSON parsing), compares in constant time, and refuses timestamps outside a
 * tolerance window (default 5 minutes) so a captured request cannot be replayed later. The
 * header may list several `v1=` signatures separated by commas (e.g. during a secret
 * rotation); one match is enough. Receivers de-duplicate by the `yakuba-delivery` id:
 * delivery is at least once.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decryptField, deriveKey, encryptField } from '../../platform/crypto.js';

export const SIGNATURE_VERSION = 'v1';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new subscription secret: 32 random bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** The `yakuba-signature` header value for one body sent at `timestamp` (unix seconds). */
export function signPayload(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `${SIGNATURE_VERSION}=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'malformed' | 'stale-timestamp' | 'bad-signature' };

export interface VerifyInput {
  secret: string;
  /** The yakuba-timestamp header. */
  timestamp: string | number | undefined;
  /** The yakuba-signature header. */
  signature: string | undefined;
  rawBody: string | Buffer;
  toleranceSeconds?: number;
  /** Unix seconds; defaults to now. */
  now?: number;
}

/** For receivers (and tests): checks a delivery's signature and freshness. */
export function verifySignature(input: VerifyInput): SignatureCheck {
  const ts = typeof input.timestamp === 'number' ? input.timestamp : Number(input.timestamp);
  if (input.timestamp === undefined || input.timestamp === '' || !Number.isSafeInteger(ts) || !input.signature) {
    return { ok: false, reason: 'malformed' };
  }
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(signPayload(input.secret, ts, input.rawBody).slice(SIGNATURE_VERSION.length + 1), 'hex');
  const given = input.signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SIGNATURE_VERSION}=`))
    .map((part) => part.slice(SIGNATURE_VERSION.length + 1));
  if (given.length === 0) return { ok: false, reason: 'malformed' };
  let match = false;
  for (const hex of given) {
    const candidate = /^[0-9a-f]{64}$/i.test(hex) ? Buffer.from(hex, 'hex') : Buffer.alloc(expected.length);
    // Compare every candidate (no early exit) in constant time.
    match = timingSafeEqual(candidate, expected) || match;
  }
  return match ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

/**
 * Subscription secrets are kept encrypted (they are shared credentials): sealed when the
 * subscription is made, opened only to sign a delivery. Rows written before sealing
 * existed hold the plain secret and are read as such.
 */
export function sealSecret(rootSecret: string, secret: string): string {
  return encryptField(deriveKey(rootSecret, 'webhook-secret'), secret);
}

export function openSecret(rootSecret: string, stored: string): string {
  return stored.startsWith('v1.') ? decryptField(deriveKey(rootSecret, 'webhook-secret'), stored) : stored;
}
