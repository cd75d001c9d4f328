/** What the applications module's services are given: the database, the definitions, and the hub's front doors. */
import type { Config } from '../../platform/config.js';
import type { Db, Queryable } from '../../platform/db/db.js';
import type { AccessContext } from '../access/index.js';
import type { Access } from '../access/index.js';
import type { Registry, ReadContext } from '../registry/index.js';
import type { Catalog } from './definitions.js';
import type { Procedure } from './definition-schema.js';
import { notFound } from '../../platform/errors.js';

export interface ApplicationsRuntime {
  db: Db;
  config: Config;
  catalog: Catalog;
  access: Access;
  registry: Registry;
  /** Today in Japan, YYYY-MM-DD (tests pin it). */
  today(): string;
  /** Whether this is the demo installation (records made here are marked demo). */
  demo(): boolean;
  /** What other modules asked to hear of (set through the module's front door). */
  hooks: ApplicationHooks;
}

/** An application just submitted, as the modules that process it see it (no content). */
export interface SubmittedApplication {
  id: string;
  reference: string;
  procedureCode: string;
  department: string;
  channel: 'online' | 'paper' | 'counter';
  applicantId: string | null;
  subjectId: string | null;
  submittedAt: Date;
  dueDate: string;
  standardDays: number;
  demo: boolean;
}

/** Where an application stands after submission, in the reader's words (the case processing module says). */
export interface ApplicationProgress {
  label: string;
  /** Something the resident is asked to do (answer a question). */
  attention: boolean;
  href: string;
}

export interface ApplicationHooks {
  /** Called in the submitting transaction: what they write commits with the application or not at all. */
  submitted: ((tx: Queryable, apps: SubmittedApplication[]) => Promise<void>)[];
  progress?: (applicationIds: readonly string[], t: (key: string) => string) => Promise<Map<string, ApplicationProgress>>;
  /** Where the drafts of a counter group (a visit, a pre-entry) are listed, in the reader's words. */
  deskHome?: (group: string, holder: 'staff' | 'resident', t: (key: string) => string) => { href: string; name: string };
}

/**
 * Who is acting. A resident applies for themself, their household or as a registered agent;
 * someone without sign-in only for procedures that need none; staff key in paper forms for
 * a named applicant.
 */
export type Actor =
  | { kind: 'resident'; personId: string; ctx: AccessContext }
  | { kind: 'anonymous'; ownerKey: string; requestId: string; sourceIp: string }
  | { kind: 'staff'; staffId: string; ctx: AccessContext };

export function ownerKeyOf(actor: Actor): string {
  if (actor.kind === 'resident') return `person:${actor.personId}`;
  if (actor.kind === 'staff') return `staff:${actor.staffId}`;
  return actor.ownerKey;
}

export function readContext(rt: ApplicationsRuntime, ctx: AccessContext): ReadContext {
  return { principal: ctx.principal, purpose: ctx.purpose, audit: (ids, fields, action) => rt.access.auditEntry(ctx, action, ids, fields) };
}

export function procedureOf(rt: ApplicationsRuntime, code: string): Procedure {
  const p = rt.catalog.procedures.get(code);
  if (!p) throw notFound(`procedure ${code.slice(0, 64)}`);
  return p;
}

/** The date `days` calendar days after `from` (YYYY-MM-DD). */
export function addDays(from: string, days: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const addYears = (from: string, years: number): string => `${Number(from.slice(0, 4)) + years}${from.slice(4)}`;
