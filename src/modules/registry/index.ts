/**
 * registry — the base registry as the hub mirrors it (住民基本台帳): persons, households,
 * addresses, their history, and the change records that move them. Other modules use
 * only what this file exports.
 */
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import type { Queryable } from '../../platform/db/db.js';
import { deriveKey } from '../../platform/crypto.js';
import { registerNav } from '../../platform/views/layout.js';
import type { Access } from '../access/index.js';
import './messages.js';
import { registerRegistryApi } from './routes.js';
import { registerRegistryPages } from './pages.js';
import { todayInJapan, type RegistryRuntime } from './runtime.js';
import type { FieldKeys } from './mynumber.js';
import { seedDemoTown, type SeedOptions } from './demo/seed.js';
import { nameMatchKey } from './matchkey.js';
import * as store from './store.js';
import * as forApplications from './for-applications.js';
import * as forCounter from './for-counter.js';
import type { ReadContext } from './service.js';

export { CHANGE_TYPES, EVENT_OF } from './changes-schema.js';
export type { ChangeRecord } from './changes-schema.js';
export { DEMO_TOWN } from './demo/generator.js';
export { todayInJapan } from './runtime.js';
export type { ApplicationParties, PartyRecord, ActableMember, Relation, NoticeAddressee } from './for-applications.js';
export type { CounterPerson, CardIdentity, CardCandidate, CardMatch } from './for-counter.js';
export { asWritten } from './for-counter.js';
export type { ReadContext } from './service.js';
export type { Address } from './schema.js';

export interface DemoResident {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
  relationToHead: string;
  householdSize: number;
}

/** A demo resident as the case-history seed sees them: no names, only what picks a fitting applicant or subject. */
export interface DemoPerson {
  id: string;
  householdId: string | null;
  birthDate: string;
  sex: number;
  relationToHead: string;
}

export interface Registry extends YakubaModule {
  seedDemoTown(opts: SeedOptions): Promise<{ residents: number; households: number }>;
  /** Fictional residents for the demo sign-in page (demo rows only; the caller audits the listing). */
  listDemoResidents(limit: number): Promise<DemoResident[]>;
  /** Demo residents (demo rows only, at most `limit`, by id) for the demo case history; no names. */
  demoPeople(limit: number): Promise<DemoPerson[]>;
  /** Whether the registry holds anyone at all (demo data goes only into an empty one). */
  hasPersons(): Promise<boolean>;
  /** Whether a person exists and is a resident: for sign-in flows, reveals nothing else (in `db`, a caller's transaction, when given). */
  isResident(personId: string, db?: Queryable): Promise<boolean>;
  /** Finds residents by exact name key and birth date (identity-provider claims). Returns ids. */
  matchResident(claims: { familyName: string; givenName: string; birthDate: string }): Promise<string[]>;
  /** The applicant, subject and subject's household of an application; one audit entry. */
  readForApplication(ctx: ReadContext, applicantId: string, subjectId: string, opts: { agent: boolean }): Promise<forApplications.ApplicationParties>;
  /** A resident's age in whole years on a date (a reduction by age), never the birth date; undefined when not a resident; one audit entry. */
  ageOn(ctx: ReadContext, personId: string, date: string): Promise<number | undefined>;
  /** Whom a resident may choose as the subject from their household; one audit entry. */
  listHouseholdForApplication(ctx: ReadContext, applicantId: string): Promise<forApplications.ActableMember[]>;
  /** Names as registered (receipts, inboxes); one audit entry. */
  readNames(ctx: ReadContext, ids: readonly string[]): Promise<Map<string, string>>;
  /** Names and addresses as registered, to address a decision notice; one audit entry. */
  readForNotice(ctx: ReadContext, ids: readonly string[]): Promise<Map<string, forApplications.NoticeAddressee>>;
  /** Ids of the current resident members of a person's household (scope checks only; never shown). */
  householdMemberIds(personId: string): Promise<string[]>;
  /** Whether both persons are in the register (registering an agent). */
  bothExist(a: string, b: string): Promise<boolean>;
  /**
   * Residents a My Number card may belong to: exact (name as written, birth date, sex, address as
   * written) first; else everyone with the name's matching key and the birth date; never picks
   * one. Staff only; one audit entry.
   */
  matchCard(ctx: ReadContext, card: forCounter.CardIdentity): Promise<forCounter.CardMatch>;
  /** Counter search by name, kana or birth date (the staff search box's reading of a query); residents only; staff only; one audit entry. */
  searchForCounter(ctx: ReadContext, q: string, limit: number): Promise<forCounter.CounterPerson[]>;
  /** One person and the resident members of their household (themselves included) for the visit screen; staff only; one audit entry. */
  personForCounter(ctx: ReadContext, id: string): Promise<forCounter.CounterPerson & { household: forCounter.CounterPerson[] }>;
}

export function fieldKeys(secret: string): FieldKeys {
  return { encryption: deriveKey(secret, 'field'), hash: deriveKey(secret, 'field-hash') };
}

export function createRegistry(ctx: ModuleContext & { access: Access }): Registry {
  const rt: RegistryRuntime = {
    db: ctx.db,
    config: ctx.config,
    access: ctx.access,
    keys: { field: fieldKeys(ctx.config.secret), cursor: deriveKey(ctx.config.secret, 'cursor') },
    today: () => todayInJapan(),
  };
  // Roles whose purposes cover reading residents (the auditor's 'audit' does not).
  const readers = ['counter-clerk', 'case-officer', 'approver', 'administrator'];
  registerNav(
    { href: '/staff/residents', label: 'nav.residents', audience: 'staff', roles: readers },
    { href: '/me', label: 'nav.me', audience: 'resident' },
  );
  ctx.access.addStaffLink({ href: '/staff/residents', label: 'nav.residents', roles: readers });
  return {
    name: 'registry',
    routes(app) {
      registerRegistryApi(app, rt);
      registerRegistryPages(app, rt);
    },
    seedDemoTown: (opts) => seedDemoTown(ctx.db, rt.keys.field, opts),
    async listDemoResidents(limit) {
      const rows = (await store.findPersons(ctx.db, await store.demoHeadsWithFamily(ctx.db, limit))).filter((r) => r.demo);
      const size = await store.householdSizes(ctx.db, rows.map((r) => r.household_id ?? ''));
      return rows.map((r) => ({
        id: r.id,
        familyName: r.family_name,
        givenName: r.given_name,
        familyNameKana: r.family_name_kana,
        givenNameKana: r.given_name_kana,
        birthDate: r.birth_date,
        relationToHead: r.relation_to_head,
        householdSize: size.get(r.household_id ?? '') ?? 1,
      }));
    },
    demoPeople: async (limit) =>
      (await store.demoPeople(ctx.db, limit)).map((r) => ({ id: r.id, householdId: r.household_id, birthDate: r.birth_date, sex: r.sex, relationToHead: r.relation_to_head })),
    hasPersons: () => store.anyPersons(ctx.db),
    async isResident(personId, db) {
      const p = await store.findPerson(db ?? ctx.db, personId);
      return p?.status === 'resident';
    },
    readForApplication: (rctx, applicantId, subjectId, opts) => forApplications.readForApplication(ctx.db, rctx, applicantId, subjectId, opts),
    ageOn: (rctx, personId, date) => forApplications.ageOn(ctx.db, rctx, personId, date),
    listHouseholdForApplication: (rctx, applicantId) => forApplications.listHouseholdForApplication(ctx.db, rctx, applicantId),
    bothExist: (a, b) => forApplications.bothExist(ctx.db, a, b),
    readNames: (rctx, ids) => forApplications.readNames(ctx.db, rctx, ids),
    readForNotice: (rctx, ids) => forApplications.readForNotice(ctx.db, rctx, ids),
    async householdMemberIds(personId) {
      const p = await store.findPerson(ctx.db, personId);
      if (!p?.household_id) return p ? [p.id] : [];
      return (await store.householdMembers(ctx.db, p.household_id, { residentsOnly: true })).map((m) => m.id);
    },
    matchCard: (rctx, card) => forCounter.matchCard(ctx.db, rctx, card),
    searchForCounter: (rctx, q, limit) => forCounter.searchForCounter(ctx.db, rctx, q, limit),
    personForCounter: (rctx, id) => forCounter.personForCounter(ctx.db, rctx, id),
    matchResident: (claims) => store.findResidentsByKey(ctx.db, nameMatchKey(claims.familyName, claims.givenName), claims.birthDate, 2),
  };
}
