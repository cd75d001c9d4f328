/**
 * Who applies for what in the demo case history: from the demo residents (ids, birth dates,
 * households — never names), an applicant and a subject who fit the procedure on the day it
 * was submitted: children for child procedures, 65+ for care, a household head after the
 * disaster. Pure and deterministic.
 */
import type { Random } from './seed-calendar.js';

export interface SeedPerson {
  id: string;
  householdId: string | null;
  birthDate: string;
  sex: number;
  relationToHead: string;
}

/**
 * Whom a procedure is about: `adult` applies for themself; `parent` claims for the children
 * of their household; `child`, `preschool` (under 6), `infant` (under 1) are applied for by
 * an adult of their household; `woman` (18–44) applies for herself; `elder` (65+) by
 * themself or family; `deceased`: a relative applies after a death (no subject in the
 * register); `head`: the household head (disaster).
 */
export type Who = 'adult' | 'parent' | 'child' | 'preschool' | 'infant' | 'woman' | 'elder' | 'deceased' | 'head';

export interface Parties {
  applicant: SeedPerson;
  subject: SeedPerson | null;
  actingAs: 'self' | 'household';
}

/** Age in whole years on `date` (YYYY-MM-DD); negative before birth. */
export function ageOn(birthDate: string, date: string): number {
  if (birthDate > date) return -1;
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

const SPOUSE_OR_HEAD = new Set(['本人', '妻', '夫']);

export class People {
  private readonly households = new Map<string, SeedPerson[]>();
  private readonly pools = new Map<Who, SeedPerson[]>();

  constructor(people: readonly SeedPerson[], today: string) {
    for (const p of people) {
      if (!p.householdId) continue;
      const h = this.households.get(p.householdId);
      if (h) h.push(p);
      else this.households.set(p.householdId, [p]);
    }
    const age = (p: SeedPerson) => ageOn(p.birthDate, today);
    const withChildren = new Set(
      people.filter((p) => p.householdId && p.relationToHead === '子' && age(p) < 19).map((p) => p.householdId!),
    );
    const pool = (who: Who, test: (p: SeedPerson, a: number) => boolean) => this.pools.set(who, people.filter((p) => test(p, age(p))));
    pool('adult', (_, a) => a >= 18);
    pool('parent', (p, a) => a >= 18 && a < 65 && SPOUSE_OR_HEAD.has(p.relationToHead) && withChildren.has(p.householdId ?? ''));
    pool('child', (_, a) => a < 19);
    pool('preschool', (_, a) => a < 7);
    pool('infant', (_, a) => a < 2);
    pool('woman', (p, a) => p.sex === 2 && a >= 18 && a <= 45);
    pool('elder', (_, a) => a >= 65);
    pool('deceased', (_, a) => a >= 40);
    pool('head', (p, a) => p.relationToHead === '本人' && a >= 18);
  }

  /** The members of the households of these persons. */
  householdsOf(ids: readonly string[], byId: ReadonlyMap<string, SeedPerson>): Set<string> {
    return new Set(ids.flatMap((id) => (this.households.get(byId.get(id)?.householdId ?? '') ?? []).map((m) => m.id)).concat(ids));
  }

  size(who: Who): number {
    return this.pools.get(who)?.length ?? 0;
  }

  /** Whether `p` fits `who` on `date`. */
  private fits(who: Who, p: SeedPerson, date: string): boolean {
    const a = ageOn(p.birthDate, date);
    switch (who) {
      case 'adult': case 'head': case 'parent': case 'deceased': return a >= 18;
      case 'child': return a >= 0 && a < 18;
      case 'preschool': return a >= 0 && a < 6;
      case 'infant': return a === 0;
      case 'woman': return a >= 18 && a <= 44;
      case 'elder': return a >= 65;
    }
  }

  /** Another adult of the person's household, if any (younger ones first: the family who helps). */
  private relativeOf(p: SeedPerson, date: string, rng: Random): SeedPerson | undefined {
    const adults = (this.households.get(p.householdId ?? '') ?? []).filter((m) => m.id !== p.id && ageOn(m.birthDate, date) >= 18);
    if (adults.length === 0) return undefined;
    const younger = adults.filter((m) => ageOn(m.birthDate, date) < 65);
    return rng.pick(younger.length ? younger : adults);
  }

  /** The parties for one application, or undefined when nobody fits. */
  partiesFor(who: Who, p: SeedPerson, date: string, rng: Random): Parties | undefined {
    if (!this.fits(who, p, date)) return undefined;
    switch (who) {
      case 'adult': case 'parent': case 'woman': case 'head':
        return { applicant: p, subject: p, actingAs: 'self' };
      case 'deceased':
        return { applicant: p, subject: null, actingAs: 'household' };
      case 'elder': {
        const relative = rng.chance(0.4) ? this.relativeOf(p, date, rng) : undefined;
        return relative ? { applicant: relative, subject: p, actingAs: 'household' } : { applicant: p, subject: p, actingAs: 'self' };
      }
      default: {
        const household = this.households.get(p.householdId ?? '') ?? [];
        const grown = household.filter((m) => m.id !== p.id && ageOn(m.birthDate, date) >= 18);
        const applicant = grown.find((m) => m.relationToHead === '本人') ?? grown.find((m) => SPOUSE_OR_HEAD.has(m.relationToHead)) ?? grown[0];
        return applicant ? { applicant, subject: p, actingAs: 'household' } : undefined;
      }
    }
  }

  /**
   * Parties for an application of `who` on `date`, the subject not among `taken` (the open
   * applications of the procedure). `preferred` persons are tried first.
   */
  pick(who: Who, date: string, rng: Random, taken: { has(id: string): boolean }, preferred: readonly SeedPerson[] = []): Parties | undefined {
    for (const p of preferred) {
      if (taken.has(p.id)) continue;
      const parties = this.partiesFor(who, p, date, rng);
      if (parties) return parties;
    }
    const pool = this.pools.get(who) ?? [];
    if (pool.length === 0) return undefined;
    for (let i = 0; i < 24; i++) {
      const p = rng.pick(pool);
      if (taken.has(p.id)) continue;
      const parties = this.partiesFor(who, p, date, rng);
      if (parties) return parties;
    }
    return undefined;
  }
}
