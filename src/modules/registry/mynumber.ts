/** 個人番号 (My Number): check digit, and how it is kept (encrypted + keyed hash, never plaintext). */
import { decryptField, encryptField, hmacHex } from '../../platform/crypto.js';

/** The check digit rule of 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 §8. */
export function myNumberCheckDigit(first11: string): number {
  let sum = 0;
  for (let n = 1; n <= 11; n += 1) {
    const p = Number(first11[11 - n]);
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

export function isValidMyNumber(n: string): boolean {
  return /^[0-9]{12}$/.test(n) && myNumberCheckDigit(n.slice(0, 11)) === Number(n[11]);
}

export interface FieldKeys {
  encryption: Buffer;
  hash: Buffer;
}

export function sealMyNumber(keys: FieldKeys, n: string): { enc: string; hash: string } {
  return { enc: encryptField(keys.encryption, n), hash: hmacHex(keys.hash, `my-number:${n}`) };
}

export const myNumberHash = (keys: FieldKeys, n: string) => hmacHex(keys.hash, `my-number:${n}`);
export const openMyNumber = (keys: FieldKeys, sealed: string) => decryptField(keys.encryption, sealed);
