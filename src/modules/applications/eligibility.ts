/**
 * The checks 2020 did not make, made at submission against the register: the subject's
 * status and age, children claimed as living together really registered in the household,
 * and within the age limit. Pure: the parties come from the registry, today from the clock.
 */
import type { ApplicationParties } from '../registry/index.js';
import type { GroupField, Procedure } from './definition-schema.js';
import { isGroup } from './definitions.js';
import type { FormData } from './form.js';
import { withinAge } from './prefill.js';

export interface Violation {
  /** Which rule: message key suffix under `applications.rule.`. */
  rule: 'subject-not-resident' | 'subject-not-deceased' | 'subject-age' | 'not-in-household' | 'member-age';
  /** The entry or field concerned, as a JSON pointer (empty for the whole application). */
  path: string;
  atLeast?: number;
  under?: number;
}

function groupOf(p: Procedure, id: string): GroupField | undefined {
  const f = p.fields.find((x) => x.id === id);
  return f && isGroup(f) ? f : undefined;
}

export function checkEligibility(p: Procedure, data: FormData, parties: ApplicationParties, today: string): Violation[] {
  const out: Violation[] = [];
  const s = parties.subject;
  if (p.subjectStatus === 'deceased') {
    if (s.status !== 'deceased') out.push({ rule: 'subject-not-deceased', path: '' });
  } else if (s.status !== 'resident') {
    out.push({ rule: 'subject-not-resident', path: '' });
  }
  const household = new Map(parties.household.filter((m) => m.status === 'resident').map((m) => [m.id, m]));
  for (const r of p.rules) {
    if (r.kind === 'subject-age') {
      if (!withinAge(r, s.birthDate, today)) {
        out.push({ rule: 'subject-age', path: '', ...(r.atLeast !== undefined ? { atLeast: r.atLeast } : {}), ...(r.under !== undefined ? { under: r.under } : {}) });
      }
      continue;
    }
    const g = groupOf(p, r.group);
    const entries = (Array.isArray(data[r.group]) ? (data[r.group] as unknown[]) : []).map((e) => (e && typeof e === 'object' ? (e as FormData) : {}));
    entries.forEach((e, i) => {
      const member = typeof e.personId === 'string' ? household.get(e.personId) : undefined;
      if (r.kind === 'members-in-household') {
        if (r.unlessField && e[r.unlessField] === true) return;
        // The subject is one of the list only where the group includes them (住民票: everyone in the household).
        if (!member || (member.id === s.id && g?.members?.excludeSubject !== false)) out.push({ rule: 'not-in-household', path: `/${r.group}/${i}` });
        return;
      }
      const birthDate = member?.birthDate ?? (typeof e.birthDate === 'string' ? e.birthDate : undefined);
      if (g?.members && birthDate && !withinAge(g.members, birthDate, today)) {
        out.push({ rule: 'member-age', path: `/${r.group}/${i}`, ...(g.members.under !== undefined ? { under: g.members.under } : {}) });
      }
    });
  }
  return out;
}
