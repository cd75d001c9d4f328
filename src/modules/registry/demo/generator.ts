/**
 * A deterministic generator of the FICTIONAL town みどり町, for demos and benchmarks.
 *
 * ALL DATA IS FICTIONAL DEMO DATA. The town, its 全国地方公共団体コード, 大字, addresses,
 * coordinates, people and 個人番号 are invented; any match with a real person or a real
 * My Number is chance. Never load it into a production registry.
 *
 * The same seed and options give the same town: randomness comes only from the seeded
 * generator below (sfc32), never from Math.random or crypto. The town streams out one
 * household at a time, so a million residents need no more memory than ten.
 */
import { myNumberCheckDigit } from '../mynumber.js';
import { AZA, BUILDING_NAMES, FAMILY_NAMES, GIVEN_NAME_ERAS, type Aza, type GivenName } from './names.js';
import { Rng, YEAR, civilFromDays, cumulative, parseToday } from './random.js';

export const DEMO_TOWN: { name: 'みどり町'; prefecture: string; city: 'みどり町'; lgCode: string; center: { lat: number; lon: number } } = {
  name: 'みどり町',
  prefecture: '広島県',
  city: 'みどり町',
  // Fictional: 34 (広島県) + 999, no municipality has it; check digit (11 − 119 mod 11) mod 10 = 2.
  lgCode: '349992',
  // In the mountains of northern Hiroshima; no real town is meant.
  center: { lat: 34.721, lon: 132.308 },
};

// The check-digit rule lives with the registry's other 個人番号 code; re-exported here.
export { isValidMyNumber } from '../mynumber.js';

export interface GeneratedAddress {
  lgCode: string;
  machiazaId: string; // 7 digits: 4 for the 大字, 3 for the 小字 / 丁目 (000 here)
  prefecture: string;
  city: string;
  town: string; // 大字
  block: string; // 番地以下
  building: string | null; // 方書
  full: string; // 連結表記
  lat: number;
  lon: number;
}
export interface GeneratedPerson {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  sex: 1 | 2;
  birthDate: string; // YYYY-MM-DD
  relationToHead: string; // 本人 for the head
  myNumber: string; // 12 digits, valid check digit, FICTIONAL
}
export interface GeneratedHousehold {
  id: string;
  address: GeneratedAddress;
  createdOn: string; // YYYY-MM-DD, when the household was formed
  members: GeneratedPerson[]; // members[0] is the head
}

// ---- seeded randomness -------------------------------------------------------------------


type Sex = 1 | 2;
type Family = { name: string; kana: string };
interface AzaState {
  aza: Aza;
  prefix: string; // 都道府県 + 市区町村 + 町字, for the joined form
  nextLot: number;
  apartment: { block: string; name: string; rooms: string[]; used: number; lat: number; lon: number } | null;
  apartments: number;
}

const FAMILY_CUM = cumulative(FAMILY_NAMES.map((f) => f.weight));
const AZA_CUM = cumulative(AZA.map((a) => a.weight));
const VARIANT_SHARE = 0.2; // of households whose family name has a registered variant spelling
const GIVEN_VARIANT_SHARE = 0.25;

/**
 * Household kinds and their shares, calibrated so that 5,000 residents give ≈2,300 households,
 * ≈52 % aged 65+ and few children, like 安芸太田町.
 */
const KINDS = ['elderWoman', 'elderMan', 'elderCouple', 'single', 'couple', 'family', 'singleParent', 'elderWithChild', 'threeGen'] as const;
type Kind = (typeof KINDS)[number];
const KIND_CUM = cumulative([0.18, 0.06, 0.26, 0.08, 0.05, 0.11, 0.025, 0.11, 0.105]);

class Town {
  private readonly rng: Rng;
  private readonly azas: AzaState[];
  private readonly mnKeys: number[];
  private persons = 0;
  private headBorn = 0; // birth day of the current household's head

  constructor(seed: number, private readonly today: number) {
    this.rng = new Rng(seed);
    this.mnKeys = [this.rng.u32(), this.rng.u32(), this.rng.u32(), this.rng.u32()];
    const prefix = (aza: Aza): string => `${DEMO_TOWN.prefecture}${DEMO_TOWN.city}${aza.name}`;
    this.azas = AZA.map((aza) => ({ aza, prefix: prefix(aza), nextLot: this.rng.int(1, 20), apartment: null, apartments: 0 }));
  }

  household(): GeneratedHousehold {
    const id = this.rng.uuid();
    const kind = KINDS[this.rng.weighted(KIND_CUM)]!;
    const { members, formed, apartment } = this.build(kind);
    // Never before the head turned 18 (18 years are at most 6,575 days), never after today.
    const createdOn = Math.min(this.today - 1, Math.max(formed, this.headBorn + 6575));
    return { id, address: this.address(apartment), createdOn: civilFromDays(createdOn), members };
  }

  // -- people

  private family(): Family {
    const f = FAMILY_NAMES[this.rng.weighted(FAMILY_CUM)]!;
    const name = f.variants.length > 0 && this.rng.chance(VARIANT_SHARE) ? this.rng.pick(f.variants) : f.name;
    return { name, kana: f.kana };
  }

  private given(sex: Sex, born: number, taken: string[]): GivenName {
    const year = Math.floor(1970 + born / YEAR) + this.rng.int(-4, 4);
    const era = GIVEN_NAME_ERAS.find((e) => year <= e.to) ?? GIVEN_NAME_ERAS[GIVEN_NAME_ERAS.length - 1]!;
    let g = this.rng.pick(sex === 1 ? era.male : era.female);
    for (let i = 0; i < 4 && taken.includes(g.name); i++) g = this.rng.pick(sex === 1 ? era.male : era.female);
    return g;
  }

  /**
   * The i-th person's 個人番号: a 4-round Feistel network over 10^5 × 10^6 permutes the
   * 11-digit numbers, so they never repeat, yet they look random; then the check digit.
   */
  private myNumber(i: number): string {
    let l = Math.floor(i / 1e6) % 1e5;
    let r = i % 1e6;
    for (let k = 0; k < 4; k++) {
      let z = Math.imul((k % 2 ? l : r) ^ this.mnKeys[k]!, 0x9e3779b1);
      z = Math.imul(z ^ (z >>> 15), 0x85ebca77);
      z = (z ^ (z >>> 13)) >>> 0;
      if (k % 2) r = (r + z) % 1e6;
      else l = (l + z) % 1e5;
    }
    const first11 = String(l * 1e6 + r).padStart(11, '0');
    return first11 + String(myNumberCheckDigit(first11));
  }

  private person(members: GeneratedPerson[], sex: Sex, born: number, relationToHead: string, fam: Family): number {
    if (members.length === 0) this.headBorn = born;
    const g = this.given(sex, born, members.map((m) => m.givenName));
    const givenName = g.variants.length > 0 && this.rng.chance(GIVEN_VARIANT_SHARE) ? this.rng.pick(g.variants) : g.name;
    const [id, birthDate, myNumber] = [this.rng.uuid(), civilFromDays(born), this.myNumber(this.persons++)];
    members.push({ id, familyName: fam.name, givenName, familyNameKana: fam.kana, givenNameKana: g.kana, sex, birthDate, relationToHead, myNumber });
    return born;
  }

  /** Birth day of someone aged `age` (fractional years) today; always before today. */
  private bornAged(age: number): number {
    return Math.min(this.today - 1, this.today - Math.floor(age * YEAR));
  }

  /** Birth days of up to `max` children of a mother born on `mother`: born at 20–42, none in the future. */
  private children(mother: number, max: number): number[] {
    const out: number[] = [];
    for (let at = this.rng.tri(20, 27, 36); out.length < max && at <= 42; at += this.rng.tri(1.2, 2.5, 6)) {
      const day = mother + Math.floor(at * YEAR);
      if (day >= this.today) break;
      out.push(day);
    }
    return out;
  }

  private ageOf(born: number): number { return (this.today - born) / YEAR; }

  /** A spouse's birth day: near the given one, usually a little younger for wives. */
  private spouse(born: number, wifeYounger: boolean): number {
    const gap = this.rng.tri(-3, 2, 8) * YEAR;
    return Math.min(this.today - 1, Math.floor(wifeYounger ? born + gap : born - gap));
  }

  private marriage(wife: number, firstChild: number | undefined): number {
    const wed = wife + Math.floor(this.rng.tri(20, 25, 33) * YEAR);
    return firstChild === undefined ? wed : Math.min(wed, firstChild - this.rng.int(200, 900));
  }

  private build(kind: Kind): { members: GeneratedPerson[]; formed: number; apartment: number } {
    const r = this.rng;
    const fam = this.family();
    const m: GeneratedPerson[] = [];
    const kids = (mother: number, max: number, leaveAfter: number, leaveP: number): number[] =>
      this.children(mother, max).filter((k) => this.ageOf(k) < leaveAfter || !r.chance(leaveP));
    const maxKids = (): number => 1 + (r.chance(0.5) ? 1 : 0) + (r.chance(0.2) ? 1 : 0);
    switch (kind) {
      case 'elderWoman':
      case 'elderMan': {
        const woman = kind === 'elderWoman';
        const born = this.person(m, woman ? 2 : 1, this.bornAged(woman ? r.tri(68, 86, 101) : r.tri(65, 78, 97)), '本人', fam);
        return { members: m, formed: born + Math.floor(r.tri(20, 26, 40) * YEAR), apartment: 0 };
      }
      case 'elderCouple':
      case 'couple': {
        const husband = this.bornAged(kind === 'couple' ? r.tri(50, 64, 74) : r.tri(65, 78, 97));
        const wife = this.spouse(husband, true);
        const husbandHead = r.chance(0.94);
        this.person(m, husbandHead ? 1 : 2, husbandHead ? husband : wife, '本人', fam);
        this.person(m, husbandHead ? 2 : 1, husbandHead ? wife : husband, husbandHead ? '妻' : '夫', fam);
        return { members: m, formed: this.marriage(wife, undefined), apartment: 0 };
      }
      case 'single': {
        const age = r.tri(18.2, 38, 64);
        this.person(m, r.chance(0.6) ? 1 : 2, this.bornAged(age), '本人', fam);
        return { members: m, formed: this.today - Math.floor(r.float() * (age - 18) * YEAR), apartment: age < 50 ? 0.35 : 0.05 };
      }
      case 'family': {
        const wife = this.bornAged(r.tri(25, 40, 56));
        const husband = this.spouse(wife, false);
        const children = kids(wife, maxKids(), 22, 0.5);
        this.person(m, 1, husband, '本人', fam);
        this.person(m, 2, wife, '妻', fam);
        for (const k of children) this.person(m, r.chance(0.51) ? 1 : 2, k, '子', fam);
        return { members: m, formed: this.marriage(wife, children[0]), apartment: this.ageOf(wife) < 40 ? 0.25 : 0.03 };
      }
      case 'singleParent': {
        const mother = this.bornAged(r.tri(25, 42, 55));
        const father = r.chance(0.15);
        this.person(m, father ? 1 : 2, father ? mother - 700 : mother, '本人', fam);
        const children = kids(mother, r.chance(0.6) ? 1 : 2, 22, 0.5);
        for (const k of children) this.person(m, r.chance(0.51) ? 1 : 2, k, '子', fam);
        return { members: m, formed: (children[0] ?? this.today) - r.int(0, 3000), apartment: 0.5 };
      }
      case 'elderWithChild': {
        const mother = this.bornAged(r.tri(74, 86, 101));
        const both = r.chance(0.3) && this.ageOf(mother) < 92;
        const father = this.spouse(mother, false);
        const child = this.children(mother, 1)[0] ?? this.bornAged(this.ageOf(mother) - 30);
        const sex: Sex = r.chance(0.6) ? 1 : 2;
        if (r.chance(0.6)) {
          this.person(m, sex, child, '本人', fam);
          this.person(m, 2, mother, '母', fam);
          if (both) this.person(m, 1, father, '父', fam);
        } else {
          if (both) this.person(m, 1, father, '本人', fam);
          this.person(m, 2, mother, both ? '妻' : '本人', fam);
          this.person(m, sex, child, '子', fam);
        }
        return { members: m, formed: this.marriage(mother, child), apartment: 0 };
      }
      case 'threeGen': {
        const head = this.bornAged(r.tri(44, 60, 72));
        const wife = this.spouse(head, true);
        const wifesMother = r.chance(0.06);
        const mother = wifesMother ? wife - Math.floor(r.tri(21, 27, 38) * YEAR) : head - Math.floor(r.tri(21, 27, 38) * YEAR);
        const father = this.spouse(mother, false);
        this.person(m, 1, head, '本人', fam);
        this.person(m, 2, wife, '妻', fam);
        if (this.ageOf(mother) < 101) this.person(m, 2, mother, wifesMother ? '妻の母' : '母', wifesMother ? this.family() : fam);
        if (!wifesMother && r.chance(0.35) && this.ageOf(father) < 99) this.person(m, 1, father, '父', fam);
        const children = kids(wife, maxKids(), 23, 0.4);
        const sons: number[] = [];
        for (const k of children) {
          const sex: Sex = r.chance(0.51) ? 1 : 2;
          this.person(m, sex, k, '子', fam);
          if (sex === 1) sons.push(k);
        }
        const son = sons[0];
        if (son !== undefined && this.ageOf(son) >= 25 && r.chance(0.45)) {
          const daughterInLaw = this.spouse(son, true);
          this.person(m, 2, daughterInLaw, '子の妻', fam);
          for (const g of this.children(daughterInLaw, r.int(1, 2))) this.person(m, r.chance(0.51) ? 1 : 2, g, '孫', fam);
        }
        return { members: m, formed: this.marriage(wife, children[0]), apartment: 0 };
      }
    }
  }

  // -- addresses

  private address(apartmentChance: number): GeneratedAddress {
    const s = this.azas[this.rng.weighted(AZA_CUM)]!;
    if (apartmentChance > 0 && this.rng.chance(apartmentChance)) {
      if (!s.apartment || s.apartment.used >= s.apartment.rooms.length) s.apartment = this.newApartment(s);
      const a = s.apartment;
      return this.addressAt(s, a.block, `${a.name} ${a.rooms[a.used++]}号`, a.lat, a.lon);
    }
    const [lat, lon] = this.scatter(s.aza);
    return this.addressAt(s, this.nextBlock(s), null, lat, lon);
  }

  /** Lots are numbered along the valley: each new house takes a later 番地, so none repeat. */
  private nextBlock(s: AzaState): string {
    s.nextLot += this.rng.int(1, 4);
    return this.rng.chance(0.55) ? `${s.nextLot}番地${this.rng.int(1, 9)}` : `${s.nextLot}番地`;
  }

  private newApartment(s: AzaState): NonNullable<AzaState['apartment']> {
    const [floors, perFloor] = [this.rng.int(2, 3), this.rng.int(3, 4)];
    const rooms: string[] = [];
    for (let f = 1; f <= floors; f++) for (let n = 1; n <= perFloor; n++) rooms.push(`${f}0${n}`);
    const name = BUILDING_NAMES[s.apartments % BUILDING_NAMES.length]!.replace('{aza}', s.aza.name.replace(/^大字/, ''));
    const series = Math.floor(s.apartments / BUILDING_NAMES.length);
    s.apartments++;
    const [lat, lon] = this.scatter(s.aza);
    return { block: this.nextBlock(s), name: series > 0 ? `${name}${series + 1}号棟` : name, rooms, used: 0, lat, lon };
  }

  private scatter(aza: Aza): [number, number] {
    const r = aza.spreadKm * Math.sqrt(this.rng.float());
    const t = this.rng.float() * 2 * Math.PI;
    const lat = DEMO_TOWN.center.lat + (aza.dyKm + r * Math.sin(t)) / 110.95;
    const lon = DEMO_TOWN.center.lon + (aza.dxKm + r * Math.cos(t)) / (111.32 * Math.cos((lat * Math.PI) / 180));
    return [Math.round(lat * 1e6) / 1e6, Math.round(lon * 1e6) / 1e6];
  }

  private addressAt(s: AzaState, block: string, building: string | null, lat: number, lon: number): GeneratedAddress {
    const { lgCode, prefecture, city } = DEMO_TOWN;
    const full = building ? `${s.prefix}${block} ${building}` : `${s.prefix}${block}`;
    return { lgCode, machiazaId: `${s.aza.code}000`, prefecture, city, town: s.aza.name, block, building, full, lat, lon };
  }
}

/**
 * Stream the households of みどり町 until exactly `residents` people live in it. Members are
 * ordered head first (本人), then spouse, parents, children, 子の妻, 孫 — the last household is
 * cut short to fit, which never leaves a 孫 without a parent.
 */
export function* generateTown(opts: { residents: number; seed: number; today: string }): Generator<GeneratedHousehold> {
  if (!Number.isInteger(opts.residents) || opts.residents < 0) throw new RangeError('generateTown: residents must be a whole number ≥ 0');
  const town = new Town(opts.seed, parseToday(opts.today));
  let remaining = opts.residents;
  while (remaining > 0) {
    const h = town.household();
    if (h.members.length > remaining) h.members.length = remaining;
    remaining -= h.members.length;
    yield h;
  }
}
