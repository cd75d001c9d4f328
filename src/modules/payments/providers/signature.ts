/**
 * Webhook signatures: `Yakuba-Signature: t=<unix seconds>,v1=<hex>` where the hex is
 * HMAC-SHA256 over `<t>.<raw body>` with the shared secret. The receiver recomputes it over
 * the bytes it received (never re-serialised JSON), compares in constant time, and refuses a
 * timestamp further than the tolerance from its clock (a replayed old delivery). Several
 * `v1=` values may stand side by side while a secret is rotated; one matching is enough.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Headers, WebhookRefusal } from './types.js';

export const SIGNATURE_HEADER = 'yakuba-signature';
/** Five minutes either way, as the common providers do. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: Buffer, t: number, body: Buffer | string) =>
  createHmac('sha256', secret).update(`${t}.`).update(body).digest();

/** The header value for a body sent at `now`. */
export function signatureHeader(secret: Buffer, body: Buffer | string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, t, body).toString('hex')}`;
}

function headerValue(headers: Headers, name: string): string | undefined {
  const v = headers[name] ?? headers[Object.keys(headers).find((k) => k.toLowerCase() === name) ?? ''];
  return Array.isArray(v) ? v[0] : v;
}

/** Whether the body carries a valid, fresh signature; the reason when it does not. */
export function checkSignature(
  secret: Buffer,
  rawBody: Buffer,
  headers: Headers,
  now: Date,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): { ok: true } | { ok: false; reason: WebhookRefusal } {
  const header = headerValue(headers, SIGNATURE_HEADER);
  if (!header) return { ok: false, reason: 'missing-signature' };
  let t: number | undefined;
  const given: Buffer[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2) as [string, string | undefined];
    if (k === 't' && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)) given.push(Buffer.from(v, 'hex'));
  }
  if (t === undefined || given.length === 0) return { ok: false, reason: 'missing-signature' };
  const expected = hmac(secret, t, rawBody);
  // Every candidate is compared (no early exit), each in constant time.
  let match = false;
  for (const g of given) match = timingSafeEqual(g, expected) || match;
  if (!match) return { ok: false, reason: 'bad-signature' };
  if (Math.abs(Math.floor(now.getTime() / 1000) - t) > toleranceSeconds) return { ok: false, reason: 'stale' };
  return { ok: true };
}
