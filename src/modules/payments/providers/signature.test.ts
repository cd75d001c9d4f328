import { describe, expect, it } from 'vitest';
import { checkSignature, signatureHeader, SIGNATURE_HEADER } from './signature.js';

const secret = Buffer.alloc(32, 7);
const other = Buffer.alloc(32, 8);
const body = Buffer.from('{"id":"evt_1","type":"charge.succeeded"}');
const now = new Date('2026-11-23T01:00:00Z');

describe('webhook signatures (Yakuba-Signature: t=…,v1=…)', () => {
  it('accepts the body as signed, at the time it was signed', () => {
    const header = signatureHeader(secret, body, now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(checkSignature(secret, body, { [SIGNATURE_HEADER]: header }, now)).toEqual({ ok: true });
    // Header names are case-insensitive.
    expect(checkSignature(secret, body, { 'Yakuba-Signature': header }, now)).toEqual({ ok: true });
  });

  it('refuses a missing or unreadable header', () => {
    expect(checkSignature(secret, body, {}, now)).toEqual({ ok: false, reason: 'missing-signature' });
    expect(checkSignature(secret, body, { [SIGNATURE_HEADER]: 'v1=abc' }, now)).toEqual({ ok: false, reason: 'missing-signature' });
    expect(checkSignature(secret, body, { [SIGNATURE_HEADER]: `t=${now.getTime() / 1000}` }, now)).toEqual({ ok: false, reason: 'missing-signature' });
  });

  it('refuses another secret, a changed body, a changed timestamp', () => {
    const header = signatureHeader(secret, body, now);
    expect(checkSignature(other, body, { [SIGNATURE_HEADER]: header }, now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(checkSignature(secret, Buffer.from(`${body} `), { [SIGNATURE_HEADER]: header }, now)).toEqual({ ok: false, reason: 'bad-signature' });
    const moved = header.replace(/^t=(\d+)/, (_, t: string) => `t=${Number(t) + 1}`);
    expect(checkSignature(secret, body, { [SIGNATURE_HEADER]: moved }, now)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a valid signature older (or newer) than five minutes: a replayed delivery', () => {
    const old = signatureHeader(secret, body, new Date(now.getTime() - 301_000));
    expect(checkSignature(secret, body, { [SIGNATURE_HEADER]: old }, now)).toEqual({ ok: false, reason: 'stale' });
    const future = signatureHeader(secret, body, new Date(now.getTime() + 301_000));
    expect(checkSignature(secret, body, { [SIGNATURE_HEADER]: future }, now)).toEqual({ ok: false, reason: 'stale' });
    const recent = signatureHeader(secret, body, new Date(now.getTime() - 299_000));
    expect(checkSignature(secret, body, { [SIGNATURE_HEADER]: recent }, now)).toEqual({ ok: true });
  });

  it('accepts any one of several v1 values (a secret being rotated)', () => {
    const good = signatureHeader(secret, body, now);
    const bad = signatureHeader(other, body, now).split(',')[1]!;
    expect(checkSignature(secret, body, { [SIGNATURE_HEADER]: `${good},${bad}` }, now)).toEqual({ ok: true });
    expect(checkSignature(secret, body, { [SIGNATURE_HEADER]: `${good.split(',')[0]},${bad}` }, now)).toEqual({ ok: false, reason: 'bad-signature' });
  });
});
