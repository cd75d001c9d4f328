import { describe, expect, it } from 'vitest';
import { encodeBasicFour, parseBasicFour, readTlvHeader } from './text-ap.js';
import { CardReadError, splitCardName, type CardFields } from './types.js';

// A basic-four file laid out as the card writes it (fictional person), written out by hand:
// FF20 62 | DF21 08 000E 0020 0056 0061 | DF22 0F 山田(U+3000)花子 | DF23 33 広島県みどり町大字みどり１２番地３ | DF24 08 19850704 | DF25 01 2
const FILE =
  'ff2062df2108000e002000560061df220fe5b1b1e794b0e38080e88ab1e5ad90df2333e5ba83e5b3b6e79c8ce381bfe381a9e3828ae794bae5a4a7e5ad97e381bf' +
  'e381a9e3828aefbc91efbc92e795aae59cb0efbc93df24083139383530373034df250132';
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const HANAKO: CardFields = { name: '山田　花子', address: '広島県みどり町大字みどり１２番地３', birthDate: '1985-07-04', sex: 'female' };

function unreadable(file: Uint8Array): string {
  try {
    parseBasicFour(file);
  } catch (err) {
    expect(err).toBeInstanceOf(CardReadError);
    expect((err as CardReadError).reason).toBe('unreadable');
    return (err as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe("the card's basic-four file", () => {
  it('parses the four fields, ignoring the filler after the object', () => {
    expect(parseBasicFour(bytes(FILE))).toEqual(HANAKO);
    expect(parseBasicFour(bytes(`${FILE}${'ff'.repeat(27)}`))).toEqual(HANAKO);
  });

  it('is written back byte for byte, offset table included', () => {
    expect(Buffer.from(encodeBasicFour(HANAKO)).toString('hex')).toBe(FILE);
  });

  it('round-trips long fields (two-byte lengths) and every sex code', () => {
    const long: CardFields = { name: 'ＪＯＨＮＳＯＮ　ＭＡＲＹ　ＥＬＩＺＡＢＥＴＨ', address: `広島県みどり町大字みどり${'１２３番地'.repeat(12)}`, birthDate: '1931-12-31', sex: 'not-applicable' };
    const file = encodeBasicFour(long);
    expect(readTlvHeader(file)).toMatchObject({ tag: 0xff20, headerLength: 5 }); // FF 20 82 hh ll
    expect(parseBasicFour(file)).toEqual(long);
    for (const sex of ['male', 'female', 'not-known', 'not-applicable'] as const) expect(parseBasicFour(encodeBasicFour({ ...HANAKO, sex })).sex).toBe(sex);
    // The offsets point at each field's tag.
    const f = encodeBasicFour(long);
    const table = f.subarray(8, 16);
    for (let i = 0; i < 4; i++) expect(f[(table[2 * i]! << 8) | table[2 * i + 1]!]).toBe(0xdf);
  });

  it('reads sex code 3 as not known', () => {
    expect(parseBasicFour(bytes(FILE.replace(/df250132$/, 'df250133'))).sex).toBe('not-known');
  });

  it('refuses a damaged file, naming what is wrong and never the data', () => {
    expect(unreadable(bytes(FILE.replace(/^ff20/, 'ff21')))).toMatch(/does not start with tag FF20/);
    expect(unreadable(bytes(FILE.slice(0, -10)))).toMatch(/shorter than its length says/);
    expect(unreadable(bytes(FILE.replace('df2408', 'df2410')))).toMatch(/runs past the end/);
    expect(unreadable(bytes(FILE.replace('3139383530373034', '3139383530323330')))).toMatch(/birth date is not a date/); // 19850230
    expect(unreadable(bytes(FILE.replace(/df250132$/, 'df250158')))).toMatch(/sex is not a known code/); // 'X'
    expect(unreadable(bytes(FILE.replace('e5b1b1e794b0', 'ffb1b1e794b0')))).toMatch(/name is not UTF-8/);
    const noSex = encodeBasicFour(HANAKO).subarray(0, 97);
    noSex[2] = 94; // drop DF25 01 32 and say so in the outer length
    const message = unreadable(noSex);
    expect(message).toMatch(/no sex \(tag DF25\)/);
    expect(message).not.toMatch(/山田|花子|1985/);
  });

  it('splits a card name at its space, full- or half-width', () => {
    expect(splitCardName('山田　花子')).toEqual({ familyName: '山田', givenName: '花子' });
    expect(splitCardName(' 山田 花子 ')).toEqual({ familyName: '山田', givenName: '花子' });
    expect(splitCardName('JOHNSON MARY ELIZABETH')).toEqual({ familyName: 'JOHNSON', givenName: 'MARY ELIZABETH' });
    expect(splitCardName('山田花子')).toBeUndefined();
  });
});
