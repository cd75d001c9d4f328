import { describe, expect, it } from 'vitest';
import { newSecret, signPayload, verifySignature } from './signing.js';
import { backoffMs, decodeCursor, encodeCursor, matchesEventType } from './service.js';
import { EVENT_TYPE_PREFIXES } from './schema.js';

const secret = newSecret();
const body = JSON.stringify({ id: 'd1', type: 'registry.person.born', data: { a: 1 } });
const now = 1_750_000_000;

describe('webhook signatures', () => {
  it('round-trips: what signPayload signs, verifySignature accepts', () => {
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const signature = signPayload(secret, now, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifySignature({ secret, timestamp: String(now), signature, rawBody: body, now })).toEqual({ ok: true });
    expect(verifySignature({ secret, timestamp: now, signature, rawBody: Buffer.from(body), now: now + 299 })).toEqual({ ok: true });
  });

  it('refuses a tampered body, another secret, a moved timestamp and a stale one', () => {
    const signature = signPayload(secret, now, body);
    const bad = { ok: false, reason: 'bad-signature' };
    expect(verifySignature({ secret, timestamp: now, signature, rawBody: body.replace('"a":1', '"a":2'), now })).toEqual(bad);
    expect(verifySignature({ secret: newSecret(), timestamp: now, signature, rawBody: body, now })).toEqual(bad);
    expect(verifySignature({ secret, timestamp: now + 1, signature, rawBody: body, now })).toEqual(bad);
    expect(verifySignature({ secret, timestamp: now, signature, rawBody: body, now: now + 301 })).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(verifySignature({ secret, timestamp: now, signature, rawBody: body, now: now + 30, toleranceSeconds: 10 })).toEqual({
      ok: false,
      reason: 'stale-timestamp',
    });
  });

  it('accepts one matching signature among several, and refuses malformed headers', () => {
    const good = signPayload(secret, now, body);
    const other = signPayload(newSecret(), now, body);
    expect(verifySignature({ secret, timestamp: now, signature: `${other}, ${good}`, rawBody: body, now })).toEqual({ ok: true });
    for (const signature of [undefined, '', 'v0=abc', 'sha256=00']) {
      expect(verifySignature({ secret, timestamp: now, signature, rawBody: body, now })).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(verifySignature({ secret, timestamp: 'yesterday', signature: good, rawBody: body, now })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature({ secret, timestamp: now, signature: 'v1=zz', rawBody: body, now })).toEqual({ ok: false, reason: 'bad-signature' });
  });
});

describe('webhook rules', () => {
  it('matches exact types and ".*" prefixes, never a partial word', () => {
    expect(matchesEventType(['registry.person.born'], 'registry.person.born')).toBe(true);
    expect(matchesEventType(['registry.person.born'], 'registry.person.died')).toBe(false);
    expect(matchesEventType(['registry.*'], 'registry.household.changed')).toBe(true);
    expect(matchesEventType(['registry.person.*'], 'registry.household.changed')).toBe(false);
    expect(matchesEventType(['registry.person.*'], 'registry.personal.x')).toBe(false);
    expect(EVENT_TYPE_PREFIXES).toEqual(['registry.*', 'registry.person.*', 'registry.household.*']);
  });

  it('backs off exponentially with a small deterministic jitter, capped at an hour', () => {
    const id = '6f1c7a52-0000-4000-8000-000000000001';
    const first = backoffMs(1, id);
    expect(first).toBeGreaterThanOrEqual(10_000);
    expect(first).toBeLessThanOrEqual(11_000);
    expect(backoffMs(1, id)).toBe(first);
    expect(backoffMs(2, id)).toBeGreaterThanOrEqual(20_000);
    expect(backoffMs(4, id)).toBeGreaterThanOrEqual(80_000);
    expect(backoffMs(30, id)).toBe(3_600_000);
    expect(backoffMs(3, id, 0)).toBe(0);
  });

  it('round-trips cursors and refuses ones it did not issue', () => {
    expect(decodeCursor(encodeCursor(1234))).toBe(1234);
    for (const bad of ['', 'abc', '!!!', Buffer.from('d1:-1').toString('base64url'), Buffer.from('x:5').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow(/cursor/);
    }
  });
});

describe('stored subscription secrets', () => {
  it('are sealed at rest and open back to the same secret; legacy plain rows still open', async () => {
    const { sealSecret, openSecret } = await import('./signing.js');
    const root = 'r'.repeat(40);
    const sealed = sealSecret(root, 'the-shared-secret');
    expect(sealed).not.toContain('the-shared-secret');
    expect(openSecret(root, sealed)).toBe('the-shared-secret');
    expect(openSecret(root, 'legacy-plain')).toBe('legacy-plain');
    expect(() => openSecret('x'.repeat(40), sealed)).toThrow();
  });
});
