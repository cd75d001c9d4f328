import { describe, expect, it } from 'vitest';
import { deriveKey } from '../../platform/crypto.js';
import { isPreEntryId, issuePreEntryToken, newPreEntryId, readPreEntryToken } from './token.js';

const key = deriveKey('s'.repeat(40), 'qr');
const otherKey = deriveKey('t'.repeat(40), 'qr');
const ID = '01ABCDEFGH0JKMNP';

describe('pre-entry token', () => {
  it('is short, in QR alphanumeric characters, and reads back to the id and the last valid day', () => {
    const token = issuePreEntryToken(key, ID, '2026-04-15');
    expect(token).toMatch(/^YK1-01ABCDEFGH0JKMNP-20260415-[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(token).toHaveLength(46);
    expect(token).toMatch(/^[0-9A-Z $%*+\-./:]+$/); // the QR alphanumeric set
    expect(readPreEntryToken(key, token, '2026-04-01')).toEqual({ ok: true, id: ID, expiresOn: '2026-04-15' });
    expect(readPreEntryToken(key, token, '2026-04-15')).toEqual({ ok: true, id: ID, expiresOn: '2026-04-15' });
  });

  it('makes random 80-bit ids of 16 Crockford characters', () => {
    const ids = new Set(Array.from({ length: 500 }, () => newPreEntryId()));
    expect(ids.size).toBe(500);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
      expect(isPreEntryId(id)).toBe(true);
    }
    expect(isPreEntryId('01abcdefgh0jkmnp')).toBe(false);
    expect(isPreEntryId('01ABCDEFGH0JKMN')).toBe(false);
  });

  it('accepts what a scanner or a person types: spaces, lower case, full-width, other dashes, O for 0 and l for 1', () => {
    const token = issuePreEntryToken(key, ID, '2026-04-15');
    const variants = [
      `  ${token}\r\n`,
      token.toLowerCase(),
      token.replace(/[0-9A-Z-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), // full-width, as a Japanese IME types
      token.replaceAll('-', 'ー'),
      token.replaceAll('-', '−'),
      `YK1-${ID.replaceAll('0', 'o').replaceAll('1', 'l')}${token.slice(20)}`,
    ];
    for (const v of variants) expect(readPreEntryToken(key, v, '2026-04-01')).toEqual({ ok: true, id: ID, expiresOn: '2026-04-15' });
  });

  it('reads a code typed by hand without its dashes', () => {
    const id = newPreEntryId();
    const token = issuePreEntryToken(key, id, '2026-12-31');
    expect(readPreEntryToken(key, token.replaceAll('-', '').toLowerCase(), '2026-12-01')).toEqual({ ok: true, id, expiresOn: '2026-12-31' });
  });

  it('calls a changed id, a changed date or another key forged, without telling the date', () => {
    const token = issuePreEntryToken(key, ID, '2026-04-15');
    const otherId = `YK1-01ABCDEFGH0JKMNQ${token.slice(20)}`;
    const otherDate = token.replace('20260415', '20260430');
    for (const t of [otherId, otherDate, issuePreEntryToken(otherKey, ID, '2026-04-15')]) {
      expect(readPreEntryToken(key, t, '2026-04-01')).toEqual({ ok: false, problem: 'forged' });
    }
    // A forged token is forged even when its date has passed.
    expect(readPreEntryToken(key, otherDate, '2027-01-01')).toEqual({ ok: false, problem: 'forged' });
  });

  it('calls anything else malformed', () => {
    const token = issuePreEntryToken(key, ID, '2026-04-15');
    const bad = [
      '',
      'hello',
      token.slice(0, -1),
      `${token}0`,
      token.replace('YK1', 'YK2'),
      token.replace('20260415', '20260231'), // not a date
      `${token.slice(0, -1)}U`, // U is not Crockford base32
      token.replaceAll('-', ':'),
      `https://example.jp/?t=${token}`,
    ];
    for (const t of bad) expect(readPreEntryToken(key, t, '2026-04-01')).toEqual({ ok: false, problem: 'malformed' });
  });

  it('calls a genuine token expired after its last day, and says which day that was', () => {
    const token = issuePreEntryToken(key, ID, '2026-04-15');
    expect(readPreEntryToken(key, token, '2026-04-16')).toEqual({ ok: false, problem: 'expired', expiresOn: '2026-04-15' });
  });

  it('refuses to issue with a bad id, date or key, and to read without a date', () => {
    expect(() => issuePreEntryToken(key, 'not-an-id', '2026-04-15')).toThrow(/newPreEntryId/);
    expect(() => issuePreEntryToken(key, ID, '2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => issuePreEntryToken(Buffer.alloc(8), ID, '2026-04-15')).toThrow(/at least 16 bytes/);
    expect(() => readPreEntryToken(key, 'x', '20260401')).toThrow(/today/);
  });
});
