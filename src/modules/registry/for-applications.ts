/**
 * What the registry tells an application: the applicant, the subject and the subject's
 * household, read once with one audit entry, so a procedure can pre-fill what the town
 * knows and check eligibility against the register. Who may act for whom is decided here
 * from the register (self, same household); the applications module adds registered agents.
 */
import type { Db } from '../../platform/db/db.js';
import { recordAccess } from '../../platform/audit.js';
import { forbidden, validationError } from '../../platform/errors.js';
import type { ReadContext } from './service.js';
import type { Address } from './schema.js';
import * as store from './store.js';

export interface PartyRecord {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
  sex: number;
  status: string;
  relationToHead: string;
  householdId: string | null;
  address: Address | undefined;
  demo: boolean;
}

export type Relation = 'self' | 'household' | 'none';

export interface ApplicationParties {
  applicant: PartyRecord;
  subject: PartyRecord;
  /** How the applicant stands to the subject in the register now. */
  relation: Relation;
  /** The subject's household: current residents, and (for a deceased subject) the subject. */
  household: PartyRecord[];
  headName: string | undefined;
}

export const PARTY_FIELDS = ['familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'birthDate', 'sex', 'status', 'relationToHead', 'address'];

function toRecord(r: store.PersonRow, addresses: Map<string, Address>): PartyRecord {
  return {
    id: r.id,
    familyName: r.family_name,
    givenName: r.given_name,
    familyNameKana: r.family_name_kana,
    givenNameKana: r.given_name_kana,
    birthDate: r.birth_date,
    sex: r.sex,
    status: r.status,
    relationToHead: r.relation_to_head,
    householdId: r.household_id,
    address: addresses.get(r.address_id),
    demo: r.demo,
  };
}

function relationOf(applicant: store.PersonRow, subject: store.PersonRow): Relation {
  if (applicant.id === subject.id) return 'self';
  if (applicant.household_id && applicant.household_id === subject.household_id && applicant.status === 'resident') {
    // A deceased member counts while the record still names the household they died in.
    if (subject.status === 'resident' || subject.status === 'deceased') return 'household';
  }
  return 'none';
}

/**
 * Reads the parties of an application. A resident may read only as the applicant; a subject
 * outside their household is refused (403, the same whether or not the person exists)
 * unless the caller vouches that the applicant is the subject's registered agent.
 */
export async function readForApplication(
  db: Db,
  ctx: ReadContext,
  applicantId: string,
  subjectId: string,
  opts: { agent: boolean },
): Promise<ApplicationParties> {
  if (ctx.principal.kind === 'resident' && ctx.principal.id !== applicantId) throw forbidden('a resident applies as themself');
  return db.transaction(async (tx) => {
    const [applicant, subject] = await Promise.all([store.findPerson(tx, applicantId), store.findPerson(tx, subjectId)]);
    if (!applicant || applicant.status !== 'resident') throw forbidden('the applicant is not a resident of the town');
    const relation = subject ? relationOf(applicant, subject) : 'none';
    if (!subject || (relation === 'none' && !opts.agent)) throw forbidden('you may not apply for this person');
    // An agent is registered for the subject alone: the subject's household stays out of sight.
    const members = subject.household_id && relation !== 'none' ? await store.householdMembers(tx, subject.household_id) : [];
    const household = members.filter((m) => m.status === 'resident' || m.id === subject.id);
    if (!household.some((m) => m.id === subject.id)) household.unshift(subject);
    const addresses = await store.findAddresses(tx, [applicant.address_id, ...household.map((m) => m.address_id)]);
    const head = members.find((m) => m.relation_to_head === '本人' && m.status === 'resident');
    const ids = [...new Set([applicant.id, ...household.map((m) => m.id)])];
    await recordAccess(tx, ctx.audit(ids, PARTY_FIELDS, 'person.read-for-application'));
    return {
      applicant: toRecord(applicant, addresses),
      subject: toRecord(subject, addresses),
      relation,
      household: household.map((m) => toRecord(m, addresses)),
      headName: head ? `${head.family_name} ${head.given_name}` : undefined,
    };
  });
}

export interface ActableMember {
  id: string;
  familyName: string;
  givenName: string;
  relationToHead: string;
  birthDate: string;
  status: string;
}

/** Whom a resident may choose as the subject from their own household (residents and members who died in it). */
export async function listHouseholdForApplication(db: Db, ctx: ReadContext, applicantId: string): Promise<ActableMember[]> {
  if (ctx.principal.kind === 'resident' && ctx.principal.id !== applicantId) throw forbidden('a resident applies as themself');
  return db.transaction(async (tx) => {
    const self = await store.findPerson(tx, applicantId);
    if (!self || self.status !== 'resident') throw forbidden('the applicant is not a resident of the town');
    const members = self.household_id ? (await store.householdMembers(tx, self.household_id)).filter((m) => m.status !== 'moved-out') : [self];
    await recordAccess(tx, ctx.audit(members.map((m) => m.id), ['familyName', 'givenName', 'relationToHead', 'birthDate', 'status'], 'household.read-for-application'));
    return members.map((m) => ({ id: m.id, familyName: m.family_name, givenName: m.given_name, relationToHead: m.relation_to_head, birthDate: m.birth_date, status: m.status }));
  });
}

/**
 * A resident's age in whole years on a date, for a reduction by age (減免): the age only, not
 * the birth date or the household; one audit entry. Undefined when the person is not a
 * resident. A resident may ask only about themself.
 */
export async function ageOn(db: Db, ctx: ReadContext, personId: string, date: string): Promise<number | undefined> {
  if (ctx.principal.kind === 'resident' && ctx.principal.id !== personId) throw forbidden('a resident reads their own age only');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw validationError('the date is not a date', [{ field: 'date', message: 'must be YYYY-MM-DD' }]);
  return db.transaction(async (tx) => {
    const p = await store.findPerson(tx, personId);
    if (!p || p.status !== 'resident') return undefined;
    await recordAccess(tx, ctx.audit([p.id], ['birthDate'], 'person.read-age'));
    const [by, bm, bd] = p.birth_date.split('-').map(Number) as [number, number, number];
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  });
}

/** Whether two persons are in the register (for agent registrations); reveals nothing else. */
export async function bothExist(db: Db, a: string, b: string): Promise<boolean> {
  return (await store.findPersons(db, [a, b])).length === (a === b ? 1 : 2);
}

/** Names as registered, for a receipt or an inbox; one audit entry. */
export async function readNames(db: Db, ctx: ReadContext, ids: readonly string[]): Promise<Map<string, string>> {
  return db.transaction(async (tx) => {
    const rows = await store.findPersons(tx, ids);
    await recordAccess(tx, ctx.audit(rows.map((r) => r.id), ['familyName', 'givenName'], 'person.read-names'));
    return new Map(rows.map((r) => [r.id, `${r.family_name} ${r.given_name}`]));
  });
}

/** What a notice is addressed to: the name and the address as registered; one audit entry. */
export interface NoticeAddressee {
  name: string;
  /** The register holds no postal codes: empty until it does (the notice then prints none). */
  postalCode: string;
  address: string;
}

/** Names and addresses as registered, to address a decision notice; one audit entry. */
export async function readForNotice(db: Db, ctx: ReadContext, ids: readonly string[]): Promise<Map<string, NoticeAddressee>> {
  return db.transaction(async (tx) => {
    const rows = await store.findPersons(tx, ids);
    const addresses = await store.findAddresses(tx, rows.map((r) => r.address_id));
    await recordAccess(tx, ctx.audit(rows.map((r) => r.id), ['familyName', 'givenName', 'address'], 'person.read-for-notice'));
    return new Map(rows.map((r) => [r.id, { name: `${r.family_name} ${r.given_name}`, postalCode: '', address: addresses.get(r.address_id)?.full ?? '' }]));
  });
}
