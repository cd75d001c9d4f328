import { describe, expect, it } from 'vitest';
import { kanaMatchKey, nameMatchKey } from '../matchkey.js';
import { DEMO_TOWN, generateTown, isValidMyNumber, type GeneratedHousehold } from './generator.js';
import { AZA, FAMILY_NAMES, GIVEN_NAME_ERAS } from './names.js';

const TODAY = '2026-11-22';
const town = (residents: number, seed = 1, today = TODAY): GeneratedHousehold[] => [...generateTown({ residents, seed, today })];
const TOWN = town(5000);
const PEOPLE = TOWN.flatMap((h) => h.members);

/** Whole years between a birth date and a day, both YYYY-MM-DD. */
function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
const isCalendarDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const yearsBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / (365.2425 * 86_400_000);

describe('generateTown', () => {
  it('is deterministic: same seed, same town; another seed, another town', () => {
    expect(town(5000)).toEqual(TOWN);
    const other = town(5000, 2);
    expect(other).not.toEqual(TOWN);
    expect(other[0]!.id).not.toBe(TOWN[0]!.id);
  });

  it.each([0, 1, 10, 137, 5000])('houses exactly %i residents', (n) => {
    const households = n === 5000 ? TOWN : town(n, 7);
    expect(households.reduce((sum, h) => sum + h.members.length, 0)).toBe(n);
    for (const h of households) expect(h.members.length).toBeGreaterThanOrEqual(1);
  });

  it('streams: the first household comes without building the whole town', () => {
    const started = performance.now();
    const first = generateTown({ residents: 10_000_000, seed: 1, today: TODAY }).next();
    expect(first.done).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('rejects a bad today or resident count', () => {
    expect(() => town(10, 1, '2026-02-30')).toThrow(RangeError);
    expect(() => town(10, 1, '22/11/2026')).toThrow(RangeError);
    expect(() => town(-1)).toThrow(RangeError);
    expect(() => town(1.5)).toThrow(RangeError);
  });

  it('looks like an ageing rural town: ≈2.2 per household, about half aged 65+, few children', () => {
    expect(TOWN.length).toBeGreaterThanOrEqual(2100);
    expect(TOWN.length).toBeLessThanOrEqual(2500);
    const old = PEOPLE.filter((p) => ageOn(p.birthDate, TODAY) >= 65).length / PEOPLE.length;
    expect(old).toBeGreaterThanOrEqual(0.45);
    expect(old).toBeLessThanOrEqual(0.58);
    const children = PEOPLE.filter((p) => ageOn(p.birthDate, TODAY) < 15).length / PEOPLE.length;
    expect(children).toBeGreaterThan(0.03);
    expect(children).toBeLessThan(0.15);
    const aloneWomen75 = TOWN.filter((h) => h.members.length === 1 && h.members[0]!.sex === 2 && ageOn(h.members[0]!.birthDate, TODAY) >= 75);
    expect(aloneWomen75.length / TOWN.length).toBeGreaterThan(0.1);
    const kinds = new Set(PEOPLE.map((p) => p.relationToHead));
    for (const r of ['本人', '妻', '夫', '子', '母', '父', '子の妻', '孫']) expect(kinds).toContain(r);
  });

  it('gives every person a valid record', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const katakana = /^[\u30A0-\u30FF]+$/;
    const bad = PEOPLE.filter(
      (p) =>
        !uuid.test(p.id) ||
        !katakana.test(p.familyNameKana) ||
        !katakana.test(p.givenNameKana) ||
        p.familyName === '' ||
        p.givenName === '' ||
        (p.sex !== 1 && p.sex !== 2) ||
        !isCalendarDate(p.birthDate) ||
        !(p.birthDate < TODAY) ||
        ageOn(p.birthDate, TODAY) > 105 ||
        !isValidMyNumber(p.myNumber),
    );
    expect(bad).toEqual([]);
    expect(new Set([...PEOPLE.map((p) => p.id), ...TOWN.map((h) => h.id)]).size).toBe(PEOPLE.length + TOWN.length);
    expect(new Set(PEOPLE.map((p) => p.myNumber)).size).toBe(PEOPLE.length);
  });

  it('builds plausible households', () => {
    for (const h of TOWN) {
      const [head, ...rest] = h.members;
      expect(head!.relationToHead).toBe('本人');
      for (const m of rest) expect(m.relationToHead).not.toBe('本人');
      expect(isCalendarDate(h.createdOn)).toBe(true);
      expect(h.createdOn <= TODAY).toBe(true);
      expect(ageOn(head!.birthDate, h.createdOn)).toBeGreaterThanOrEqual(18);

      const spouse = h.members.find((m) => m.relationToHead === '妻' || m.relationToHead === '夫');
      if (spouse) {
        expect(spouse.sex).not.toBe(head!.sex);
        expect(spouse.familyName).toBe(head!.familyName);
        expect(Math.abs(yearsBetween(spouse.birthDate, head!.birthDate))).toBeLessThanOrEqual(8.1);
      }
      const mother = h.members.find((m) => m.relationToHead === '妻') ?? (head!.sex === 2 ? head : undefined);
      for (const c of h.members.filter((m) => m.relationToHead === '子')) {
        expect(c.familyName).toBe(head!.familyName);
        if (mother && mother.relationToHead !== '母') {
          const at = yearsBetween(mother.birthDate, c.birthDate);
          expect(at).toBeGreaterThanOrEqual(20);
          expect(at).toBeLessThan(43);
        }
      }
      const parent = h.members.find((m) => m.relationToHead === '母');
      if (parent) expect(yearsBetween(parent.birthDate, head!.birthDate)).toBeGreaterThanOrEqual(20);
      const daughterInLaw = h.members.find((m) => m.relationToHead === '子の妻');
      for (const g of h.members.filter((m) => m.relationToHead === '孫')) {
        expect(daughterInLaw).toBeDefined();
        expect(yearsBetween(daughterInLaw!.birthDate, g.birthDate)).toBeGreaterThanOrEqual(20);
      }
    }
  });

  it('spells some names with registered variant characters, which match their common forms', () => {
    const variant = PEOPLE.filter((p) => nameMatchKey(p.familyName, p.givenName) !== p.familyName + p.givenName);
    expect(variant.length / PEOPLE.length).toBeGreaterThanOrEqual(0.02);
    expect(variant.length / PEOPLE.length).toBeLessThanOrEqual(0.08);
    const commonFamily = new Set(FAMILY_NAMES.map((f) => f.name));
    for (const p of variant) {
      const family = FAMILY_NAMES.find((f) => f.variants.includes(p.familyName));
      if (family) expect(nameMatchKey(p.familyName, '')).toBe(nameMatchKey(family.name, ''));
      else expect(commonFamily).toContain(p.familyName); // the variant is in the given name
    }
    expect(variant.some((p) => p.familyName === '髙橋')).toBe(true);
  });
});

describe('DEMO_TOWN', () => {
  it('has a fictional lgCode with a valid check digit', () => {
    const digits = [...DEMO_TOWN.lgCode].map(Number);
    expect(DEMO_TOWN.lgCode).toMatch(/^[0-9]{6}$/);
    const sum = [6, 5, 4, 3, 2].reduce((s, w, i) => s + w * digits[i]!, 0);
    expect(digits[5]).toBe((11 - (sum % 11)) % 10);
    expect((11 - ((3 * 6 + 4 * 5 + 3 * 4 + 6 * 3 + 8 * 2) % 11)) % 10).toBe(4); // the rule, on 安芸太田町 343684
  });

  it('puts every household at a well-formed address near the town centre', () => {
    const codes = new Set(AZA.map((a) => a.code));
    const bad = TOWN.map((h) => h.address).filter(
      (a) =>
        a.lgCode !== DEMO_TOWN.lgCode ||
        !/^[0-9]{7}$/.test(a.machiazaId) ||
        !codes.has(a.machiazaId.slice(0, 4)) ||
        a.town !== AZA.find((z) => z.code === a.machiazaId.slice(0, 4))?.name ||
        !/^[0-9]+番地([0-9]+)?$/.test(a.block) ||
        a.full !== `${a.prefecture}${a.city}${a.town}${a.block}${a.building ? ` ${a.building}` : ''}` ||
        Math.abs(a.lat - DEMO_TOWN.center.lat) > 0.1 ||
        Math.abs(a.lon - DEMO_TOWN.center.lon) > 0.1,
    );
    expect(bad).toEqual([]);
    const fulls = new Set(TOWN.map((h) => h.address.full));
    expect(fulls.size).toBe(TOWN.length); // households share an address only within themselves
    const inApartments = TOWN.filter((h) => h.address.building !== null).length;
    expect(inApartments).toBeGreaterThan(0);
    expect(inApartments / TOWN.length).toBeLessThan(0.15);
    expect(new Set(TOWN.map((h) => h.address.town)).size).toBe(AZA.length);
  });
});

describe('isValidMyNumber', () => {
  it('checks the check digit', () => {
    expect(isValidMyNumber('123456789018')).toBe(true);
    expect(isValidMyNumber('123456789019')).toBe(false);
    expect(isValidMyNumber('12345678901')).toBe(false);
    expect(isValidMyNumber('12345678901a')).toBe(false);
  });
});

describe('name data', () => {
  it('has enough names, with katakana readings, whose common forms are their own keys', () => {
    expect(FAMILY_NAMES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(FAMILY_NAMES.map((f) => f.name)).size).toBe(FAMILY_NAMES.length);
    const male = new Set(GIVEN_NAME_ERAS.flatMap((e) => e.male.map((g) => g.name)));
    const female = new Set(GIVEN_NAME_ERAS.flatMap((e) => e.female.map((g) => g.name)));
    expect(male.size).toBeGreaterThanOrEqual(100);
    expect(female.size).toBeGreaterThanOrEqual(100);
    for (const f of FAMILY_NAMES) {
      expect(f.weight).toBeGreaterThan(0);
      expect(f.kana).toMatch(/^[\u30A0-\u30FF]+$/);
      expect(nameMatchKey(f.name, '')).toBe(f.name);
      for (const v of f.variants) expect(nameMatchKey(v, '')).toBe(f.name);
    }
    for (const g of GIVEN_NAME_ERAS.flatMap((e) => [...e.male, ...e.female])) {
      expect(g.kana).toMatch(/^[\u30A0-\u30FF]+$/);
      expect(nameMatchKey(g.name, '')).toBe(g.name);
      for (const v of g.variants) expect(nameMatchKey(v, '')).toBe(g.name);
      if (/^[\p{Script=Hiragana}\p{Script=Katakana}]+$/u.test(g.name)) expect(kanaMatchKey(g.name, '')).toBe(kanaMatchKey(g.kana, ''));
    }
  });
});
