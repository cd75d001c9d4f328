import { describe, expect, it } from 'vitest';
import { decryptField, deriveKey, encryptField, signToken, verifyToken } from './crypto.js';

const key = deriveKey('x'.repeat(40), 'token');

describe('signed tokens', () => {
  it('round-trips a payload until it expires', () => {
    const t = signToken(key, { cid: 'demo-spoke' }, 60, 1_000_000);
    expect(verifyToken(key, t, 1_000_000)).toMatchObject({ ok: true, payload: { cid: 'demo-spoke' } });
    expect(verifyToken(key, t, 1_000_000 + 61_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a forged signature, a token signed with another key, and garbage', () => {
    const t = signToken(key, { cid: 'a' }, 60);
    const [body] = t.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ cid: 'admin', exp: 9e9 })).toString('base64url');
    expect(verifyToken(key, `${forgedBody}.${t.split('.')[1]}`)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyToken(deriveKey('y'.repeat(40), 'token'), t)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyToken(key, `${body}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken(key, 'not a token at all')).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('field encryption', () => {
  it('encrypts with a fresh IV each time and decrypts back', () => {
    const k = deriveKey('x'.repeat(40), 'field');
    const a = encryptField(k, '123456789018');
    const b = encryptField(k, '123456789018');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('123456789018');
    expect(decryptField(k, a)).toBe('123456789018');
  });

  it('fails on tampered ciphertext', () => {
    const k = deriveKey('x'.repeat(40), 'field');
    const sealed = encryptField(k, '123456789018');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => decryptField(k, `v1.${raw.toString('base64url')}`)).toThrow();
  });
});
