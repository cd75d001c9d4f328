/**
 * The pre-entry token: what a resident's QR code carries to the counter. It names a random
 * pre-entry id and the last day it is valid, signed with the town's `qr` key — never personal
 * data. Short, and written only in characters of the QR alphanumeric set (A–Z, 0–9, `-`), so
 * the code stays small and a USB scanner that types it as keystrokes cannot garble it:
 *
 *   YK1-<id: 16 Crockford base32>-<valid through: YYYYMMDD>-<HMAC-SHA256, first 80 bits: 16 base32>
 *
 * e.g. `YK1-6T0F9R3K2VQ8M1XC-20260415-9JZ4H2T7QW0N5B8E` (46 characters). Crockford base32
 * (no I, L, O, U) lets staff type a code from paper when a scanner fails: `o` reads as 0 and
 * `i`/`l` as 1. Pure functions; the key comes from `deriveKey(secret, 'qr')`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'YK1';
const ID_BYTES = 10; // 80 bits
const MAC_BYTES = 10; // 80 bits
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32

export type TokenProblem = 'malformed' | 'forged' | 'expired';
export type TokenReading = { ok: true; id: string; expiresOn: string } | { ok: false; problem: TokenProblem; expiresOn?: string };

function encodeBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes Crockford base32 of exactly `length` bytes (O → 0, I/L → 1); undefined when it is not. */
function decodeBase32(text: string, length: number): Buffer | undefined {
  if (text.length !== Math.ceil((length * 8) / 5)) return undefined;
  const out = Buffer.alloc(length);
  let bits = 0;
  let value = 0;
  let i = 0;
  for (const ch of text.replace(/O/g, '0').replace(/[IL]/g, '1')) {
    const digit = ALPHABET.indexOf(ch);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[i++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  // The padding bits of the last character must be zero: one code, one spelling.
  return (value & ((1 << bits) - 1)) === 0 ? out : undefined;
}

/** A new random pre-entry id: 80 bits as 16 Crockford base32 characters (store it as text). */
export function newPreEntryId(): string {
  return encodeBase32(randomBytes(ID_BYTES));
}

/** Whether `id` is a pre-entry id as `newPreEntryId` writes it. */
export function isPreEntryId(id: string): boolean {
  const bytes = decodeBase32(id, ID_BYTES);
  return bytes !== undefined && encodeBase32(bytes) === id;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 2000 && y <= 2999 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function mac(key: Buffer, id: string, compactDate: string): Buffer {
  return createHmac('sha256', key).update(`yakuba:pre-entry:${VERSION}|${id}|${compactDate}`).digest().subarray(0, MAC_BYTES);
}

function assertKey(key: Buffer): void {
  if (key.length < 16) throw new RangeError('pre-entry token: the key must be at least 16 bytes (deriveKey(secret, "qr"))');
}

/** The token for pre-entry `id`, valid through `expiresOn` (YYYY-MM-DD, inclusive). */
export function issuePreEntryToken(key: Buffer, id: string, expiresOn: string): string {
  assertKey(key);
  if (!isPreEntryId(id)) throw new RangeError('pre-entry token: the id must come from newPreEntryId()');
  const m = ISO_DATE.exec(expiresOn);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw new RangeError('pre-entry token: expiresOn must be a date YYYY-MM-DD');
  const compact = `${m[1]}${m[2]}${m[3]}`;
  return `${VERSION}-${id}-${compact}-${encodeBase32(mac(key, id, compact))}`;
}

// Dashes a keyboard, an IME or a word processor may put in place of '-'.
const DASHES = /[\u2010-\u2015\u2212\u30FC\uFF0D\uFF70]/g;
const TOKEN = /^YK1-([0-9A-Z]{16})-(\d{4})(\d{2})(\d{2})-([0-9A-Z]{16})$/;

/**
 * Reads a token as a scanner or a person typed it: surrounding spaces, lower case, full-width
 * characters and odd dashes are accepted. Checks, in order: shape (`malformed`), signature
 * (`forged`, compared in constant time; a forged token reveals nothing, not even its date),
 * then the date (`expired` when `today` is after the last valid day).
 */
export function readPreEntryToken(key: Buffer, text: string, today: string): TokenReading {
  assertKey(key);
  if (!ISO_DATE.test(today)) throw new RangeError('pre-entry token: today must be a date YYYY-MM-DD');
  const typed = text.normalize('NFKC').replace(DASHES, '-').replace(/\s+/g, '').toUpperCase();
  // Typed by hand without the dashes: the parts have fixed lengths (YK1, id 16, date 8, MAC 16).
  const s = /^YK1[0-9A-Z]{40}$/.test(typed) ? `${typed.slice(0, 3)}-${typed.slice(3, 19)}-${typed.slice(19, 27)}-${typed.slice(27)}` : typed;
  const m = TOKEN.exec(s);
  if (!m) return { ok: false, problem: 'malformed' };
  const [, idText, y, mo, d, macText] = m as unknown as [string, string, string, string, string, string];
  const idBytes = decodeBase32(idText, ID_BYTES);
  const given = decodeBase32(macText, MAC_BYTES);
  if (!idBytes || !given || !isCalendarDate(Number(y), Number(mo), Number(d))) return { ok: false, problem: 'malformed' };
  const id = encodeBase32(idBytes);
  if (!timingSafeEqual(given, mac(key, id, `${y}${mo}${d}`))) return { ok: false, problem: 'forged' };
  const expiresOn = `${y}-${mo}-${d}`;
  if (today > expiresOn) return { ok: false, problem: 'expired', expiresOn };
  return { ok: true, id, expiresOn };
}
