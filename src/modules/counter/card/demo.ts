/**
 * Demo My Number cards made from registry people, for the developer's "insert a card" button and
 * for tests. A card is written the way real ones are — U+3000 between family and given name,
 * full-width digits and dashes in the address — so matching has to look past width, as it must
 * with real cards. Variants make the hard cases:
 *  - `exact`: the card says what the register says;
 *  - `old-address`: the card still carries an earlier address (`oldAddress`, or one derived);
 *  - `variant-kanji`: one character of the name in another glyph of the same character
 *    (髙 for 高, 﨑 for 崎, … or back), as when the register and the card differ in glyph.
 *    A name with no such character stays as it is.
 */
import { SimulatedCard } from './simulated.js';
import type { CardFields, CardSex } from './types.js';

/** What a demo card needs of a person (a registry `CounterPerson` fits). */
export interface DemoCardPerson {
  familyName: string;
  givenName: string;
  birthDate: string;
  /** ISO 5218: 1 male, 2 female, 9 not applicable, 0 not known. */
  sex: number;
  /** The address as one string. */
  address: string;
}

export type DemoCardVariant = 'exact' | 'old-address' | 'variant-kanji';

// Common form and another glyph of the same character (both directions are used). Every pair is
// one the registry's matching key folds together.
const GLYPHS: readonly (readonly [string, string])[] = [
  ['高', '髙'], ['崎', '﨑'], ['辺', '邊'], ['吉', '𠮷'], ['浜', '濱'], ['富', '冨'], ['島', '嶋'], ['柳', '栁'],
  ['館', '舘'], ['橋', '槗'], ['淵', '渕'], ['斎', '齋'], ['沢', '澤'], ['広', '廣'], ['徳', '德'], ['桜', '櫻'],
  ['国', '國'], ['真', '眞'], ['恵', '惠'], ['竜', '龍'], ['曽', '曾'],
];
const OTHER_GLYPH = new Map<string, string>(GLYPHS.flatMap(([a, b]) => [[a, b], [b, a]] as [string, string][]));

/** The name with its first character that has another glyph written in that glyph; undefined when none has. */
export function variantGlyphName(name: string): string | undefined {
  const chars = Array.from(name);
  const i = chars.findIndex((c) => OTHER_GLYPH.has(c));
  if (i < 0) return undefined;
  chars[i] = OTHER_GLYPH.get(chars[i]!)!;
  return chars.join('');
}

/** Writes an address the way the card's chip does: full-width digits, dashes and spaces. */
export function cardStyleAddress(address: string): string {
  return address
    .replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))
    .replace(/[-‐−]/g, '－')
    .replace(/ /g, '\u3000');
}

/** An earlier address for the `old-address` card: the first number in it is changed. */
function earlierAddress(address: string): string {
  const ascii = address.normalize('NFKC');
  const m = /\d+/.exec(ascii);
  if (!m) return `${ascii}1番地`;
  const n = Number(m[0]);
  return `${ascii.slice(0, m.index)}${n > 1 ? n - 1 : n + 1}${ascii.slice(m.index + m[0].length)}`;
}

const SEX: Record<number, CardSex> = { 1: 'male', 2: 'female', 9: 'not-applicable', 0: 'not-known' };

/** The four fields a card of `person` would carry. */
export function demoCardFields(person: DemoCardPerson, opts: { variant?: DemoCardVariant; oldAddress?: string } = {}): CardFields {
  const variant = opts.variant ?? 'exact';
  let family = person.familyName;
  let given = person.givenName;
  if (variant === 'variant-kanji') {
    const f = variantGlyphName(family);
    if (f) family = f;
    else given = variantGlyphName(given) ?? given;
  }
  const address = variant === 'old-address' ? (opts.oldAddress ?? earlierAddress(person.address)) : person.address;
  return {
    name: `${family}\u3000${given}`,
    address: cardStyleAddress(address),
    birthDate: person.birthDate,
    sex: SEX[person.sex] ?? 'not-known',
  };
}

/** A simulated card of `person` (PIN 1234 unless `pin` says otherwise). */
export function demoCard(person: DemoCardPerson, opts: { variant?: DemoCardVariant; oldAddress?: string; pin?: string } = {}): SimulatedCard {
  return new SimulatedCard(demoCardFields(person, opts), opts.pin ? { pin: opts.pin } : {});
}
