import { describe, expect, it } from 'vitest';
import { cardStyleAddress, demoCard, demoCardFields, variantGlyphName } from './demo.js';
import { SimulatedCardReader } from './simulated.js';

const ICHIRO = { familyName: '髙橋', givenName: '一郎', birthDate: '1960-05-01', sex: 1, address: '広島県みどり町大字みどり12番地3 みどりハイツ101' };

describe('demo cards', () => {
  it('writes a person as a real card does: U+3000 in the name, full-width digits and spaces in the address', () => {
    expect(demoCardFields(ICHIRO)).toEqual({
      name: '髙橋\u3000一郎',
      address: '広島県みどり町大字みどり１２番地３\u3000みどりハイツ１０１',
      birthDate: '1960-05-01',
      sex: 'male',
    });
    expect(cardStyleAddress('大字みどり1-2-3')).toBe('大字みどり１－２－３');
    expect(demoCardFields({ ...ICHIRO, sex: 2 }).sex).toBe('female');
    expect(demoCardFields({ ...ICHIRO, sex: 9 }).sex).toBe('not-applicable');
  });

  it('writes the name in another glyph of the same character for variant-kanji, either way', () => {
    expect(demoCardFields(ICHIRO, { variant: 'variant-kanji' }).name).toBe('高橋\u3000一郎');
    expect(demoCardFields({ ...ICHIRO, familyName: '山崎' }, { variant: 'variant-kanji' }).name).toBe('山﨑\u3000一郎');
    expect(demoCardFields({ ...ICHIRO, familyName: '田中', givenName: '吉男' }, { variant: 'variant-kanji' }).name).toBe('田中\u3000𠮷男');
    expect(variantGlyphName('田中')).toBeUndefined();
    expect(demoCardFields({ ...ICHIRO, familyName: '田中', givenName: '一郎' }, { variant: 'variant-kanji' }).name).toBe('田中\u3000一郎');
  });

  it('gives an old-address card an earlier address, or the one asked for', () => {
    expect(demoCardFields(ICHIRO, { variant: 'old-address' }).address).toBe('広島県みどり町大字みどり１１番地３\u3000みどりハイツ１０１');
    expect(demoCardFields(ICHIRO, { variant: 'old-address', oldAddress: '東京都千代田区霞が関1-2-1' }).address).toBe('東京都千代田区霞が関１－２－１');
    expect(demoCardFields(ICHIRO, { variant: 'old-address' }).name).toBe('髙橋\u3000一郎');
  });

  it('makes a simulated card that the reader reads back (PIN 1234 unless given)', async () => {
    const reader = new SimulatedCardReader(demoCard(ICHIRO, { variant: 'variant-kanji' }));
    expect(await reader.read('1234')).toEqual(demoCardFields(ICHIRO, { variant: 'variant-kanji' }));
    reader.insert(demoCard(ICHIRO, { pin: '8080' }));
    expect((await reader.read('8080')).name).toBe('髙橋\u3000一郎');
  });
});
