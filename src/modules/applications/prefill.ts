/**
 * Once-only: what the town already knows goes into the form, marked as such, and what was
 * taken from the register is what is kept at submission, whatever the browser sent back.
 * Pure functions over the parties the registry returned.
 */
import type { ApplicationParties, PartyRecord } from '../registry/index.js';
import type { GroupField, MemberFilter, Procedure } from './definition-schema.js';
import { isGroup } from './definitions.js';
import { isVisible, type FormData } from './form.js';

/**
 * Age on `on` (both YYYY-MM-DD) as Japanese law counts it: an age is reached at the end of
 * the day before the birthday (年齢計算ニ関スル法律), so on that day it already counts.
 */
export function ageOn(birthDate: string, on: string): number {
  const next = new Date(`${on}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Whether someone born on `birthDate` is inside the filter's age bounds on `on`. */
export function withinAge(filter: Pick<MemberFilter, 'under' | 'atLeast' | 'ageRule'>, birthDate: string, on: string): boolean {
  if (filter.ageRule === 'school-year') {
    // Counted by school years: "under 18" lasts until the first 31 March after the 18th
    // birthday, and "at least 18" starts the day after it (高校生年代 / 大学生年代).
    if (filter.atLeast !== undefined && on <= schoolYearEnd(birthDate, filter.atLeast)) return false;
    return filter.under === undefined || on <= schoolYearEnd(birthDate, filter.under);
  }
  const age = ageOn(birthDate, on);
  if (filter.atLeast !== undefined && age < filter.atLeast) return false;
  return filter.under === undefined || age < filter.under;
}

/** The first 31 March on or after the day someone born on `birthDate` reaches `age`. */
export function schoolYearEnd(birthDate: string, age: number): string {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  // Someone born on 1 April reaches an age on 31 March (年齢計算ニ関スル法律), a school year earlier.
  const afterMarch = bm > 4 || (bm === 4 && bd > 1);
  return `${by + age + (afterMarch ? 1 : 0)}-03-31`;
}

const join = (a: string, b: string) => `${a} ${b}`;

export function personValue(p: PartyRecord, source: string, today: string): unknown {
  switch (source) {
    case 'fullName':
      return join(p.familyName, p.givenName);
    case 'fullNameKana':
      return join(p.familyNameKana, p.givenNameKana);
    case 'familyName':
    case 'givenName':
    case 'familyNameKana':
    case 'givenNameKana':
    case 'birthDate':
    case 'relationToHead':
      return p[source];
    case 'sex':
      return String(p.sex);
    case 'address':
      return p.address?.full;
    case 'age':
      return ageOn(p.birthDate, today);
    case 'personId':
      return p.id;
    default:
      return undefined;
  }
}

const SPOUSES = ['妻', '夫'];

/** The subject's spouse as the register shows it: the head and their 妻/夫 in one household. */
export function spouseOf(parties: ApplicationParties): PartyRecord | undefined {
  const s = parties.subject;
  const others = parties.household.filter((m) => m.id !== s.id && m.status === 'resident');
  if (s.relationToHead === '本人') return others.find((m) => SPOUSES.includes(m.relationToHead));
  if (SPOUSES.includes(s.relationToHead)) return others.find((m) => m.relationToHead === '本人');
  return undefined;
}

function sourceValue(parties: ApplicationParties, source: string, today: string): unknown {
  const [who, what = ''] = source.split('.') as [string, string];
  if (who === 'applicant') return personValue(parties.applicant, what, today);
  if (who === 'spouse') {
    const spouse = spouseOf(parties);
    return spouse ? personValue(spouse, what, today) : undefined;
  }
  if (who !== 'subject') return undefined;
  if (what === 'headName') return parties.headName;
  if (what === 'householdSize') return parties.household.filter((m) => m.status === 'resident').length;
  return personValue(parties.subject, what, today);
}

/** The household members a repeatable group is filled with. */
export function membersFor(g: GroupField, parties: ApplicationParties, today: string): PartyRecord[] {
  const f = g.members;
  if (!f) return [];
  return parties.household.filter(
    (m) =>
      m.status === 'resident' &&
      !(f.excludeSubject !== false && m.id === parties.subject.id) &&
      (!f.relations || f.relations.includes(m.relationToHead)) &&
      withinAge(f, m.birthDate, today),
  );
}

function memberEntry(g: GroupField, m: PartyRecord, today: string): FormData {
  const entry: FormData = {};
  for (const f of g.fields) if (f.prefill?.startsWith('member.')) entry[f.id] = personValue(m, f.prefill.slice(7), today);
  entry.personId = m.id;
  return entry;
}

export interface Prefill {
  /** Values from the register, in the shape of the form's data. */
  data: FormData;
  /** Pointers of the fields that came from the register (shown as such, kept at submission). */
  paths: Set<string>;
}

/** What the register fills in a fresh form. */
export function prefillFor(p: Procedure, parties: ApplicationParties, today: string): Prefill {
  const data: FormData = {};
  const paths = new Set<string>();
  for (const f of p.fields) {
    if (!isGroup(f)) {
      if (f.prefill) setValue(data, paths, `/${f.id}`, sourceValue(parties, f.prefill, today));
      continue;
    }
    if (f.repeat) {
      if (!f.members) continue;
      const entries = membersFor(f, parties, today).map((m) => memberEntry(f, m, today));
      data[f.id] = entries;
      entries.forEach((e, i) => f.fields.forEach((g) => g.prefill && e[g.id] !== undefined && paths.add(`/${f.id}/${i}/${g.id}`)));
      continue;
    }
    const group: FormData = {};
    for (const g of f.fields) if (g.prefill) setValue(group, paths, `/${f.id}/${g.id}`, sourceValue(parties, g.prefill, today));
    if (Object.keys(group).length) data[f.id] = group;
  }
  return { data, paths };
}

function setValue(target: FormData, paths: Set<string>, path: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  target[path.split('/').pop()!] = value;
  paths.add(path);
}

/**
 * Puts the register's values back over what was sent: a pre-filled field cannot be changed
 * by editing the page (a correction is flagged beside it instead). Entries of a household
 * group that name a member get that member's values. Returns the pre-filled pointers.
 */
export function applyPrefill(p: Procedure, data: FormData, parties: ApplicationParties, today: string): Set<string> {
  const fresh = prefillFor(p, parties, today);
  const paths = new Set<string>();
  const byId = new Map(parties.household.map((m) => [m.id, m]));
  for (const f of p.fields) {
    // What does not apply (a spouse section after 「いない」) stays out, register or not.
    if (!isVisible(f.visibleWhen, data, data)) continue;
    if (!isGroup(f)) {
      if (fresh.paths.has(`/${f.id}`)) {
        data[f.id] = fresh.data[f.id];
        paths.add(`/${f.id}`);
      }
      continue;
    }
    if (f.repeat) {
      const entries = Array.isArray(data[f.id]) ? (data[f.id] as FormData[]) : [];
      entries.forEach((e, i) => {
        const m = e && typeof e === 'object' && typeof e.personId === 'string' ? byId.get(e.personId) : undefined;
        if (!m) return;
        Object.assign(e, memberEntry(f, m, today));
        f.fields.forEach((g) => g.prefill && e[g.id] !== undefined && paths.add(`/${f.id}/${i}/${g.id}`));
      });
      continue;
    }
    const fromRegister = (fresh.data[f.id] ?? {}) as FormData;
    if (!Object.keys(fromRegister).length) continue;
    const group = data[f.id] && typeof data[f.id] === 'object' && !Array.isArray(data[f.id]) ? (data[f.id] as FormData) : {};
    for (const [k, v] of Object.entries(fromRegister)) {
      if (!isVisible(f.fields.find((x) => x.id === k)?.visibleWhen, group, data)) continue;
      group[k] = v;
      paths.add(`/${f.id}/${k}`);
    }
    data[f.id] = group;
  }
  return paths;
}

/**
 * On a draft save, puts back the values that came from the register when the draft was
 * opened (no new register read per keystroke); links to members not in the stored draft are
 * dropped, so a link cannot be invented in the browser. Submission reads the register again.
 */
export function restorePrefilled(p: Procedure, data: FormData, stored: FormData, paths: ReadonlySet<string>): void {
  for (const f of p.fields) {
    if (!isGroup(f)) {
      if (paths.has(`/${f.id}`)) data[f.id] = stored[f.id];
      continue;
    }
    if (f.repeat) {
      if (!f.members || !Array.isArray(data[f.id])) continue;
      const known = new Map(((stored[f.id] as FormData[] | undefined) ?? []).filter((e) => typeof e?.personId === 'string').map((e) => [e.personId as string, e]));
      for (const e of data[f.id] as FormData[]) {
        if (!e || typeof e !== 'object') continue;
        const from = typeof e.personId === 'string' ? known.get(e.personId) : undefined;
        if (!from) {
          delete e.personId;
          continue;
        }
        for (const g of f.fields) if (g.prefill?.startsWith('member.') && from[g.id] !== undefined) e[g.id] = from[g.id];
      }
      continue;
    }
    const fromStored = (stored[f.id] ?? {}) as FormData;
    const own = f.fields.filter((g) => paths.has(`/${f.id}/${g.id}`));
    if (own.length === 0) continue;
    const posted = data[f.id];
    const group = posted && typeof posted === 'object' && !Array.isArray(posted) ? (posted as FormData) : (data[f.id] = {} as FormData);
    for (const g of own) group[g.id] = fromStored[g.id];
  }
}

/** Pointers of entries' pre-filled fields in the draft as it is now (for marking on the page). */
export function prefilledPaths(p: Procedure, data: FormData, paths: ReadonlySet<string>): Set<string> {
  const out = new Set([...paths].filter((x) => x.split('/').length <= 3 && !/\/\d+(\/|$)/.test(x)));
  for (const f of p.fields) {
    if (!isGroup(f) || !f.repeat || !f.members || !Array.isArray(data[f.id])) continue;
    (data[f.id] as FormData[]).forEach((e, i) => {
      if (typeof e?.personId !== 'string') return;
      for (const g of f.fields) if (g.prefill?.startsWith('member.')) out.add(`/${f.id}/${i}/${g.id}`);
    });
  }
  return out;
}
