/** What the case processing services are given: the database, a clock, and the front doors of the modules they use. */
import type { ComponentChild } from 'preact';
import type { Locale, Translate } from '../../platform/i18n.js';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/db.js';
import type { Access, AccessContext } from '../access/index.js';
import type { Applications, Procedure } from '../applications/index.js';
import type { Registry, ReadContext } from '../registry/index.js';
import { notFound } from '../../platform/errors.js';

export interface CasesRuntime {
  db: Db;
  config: Config;
  access: Access;
  registry: Registry;
  applications: Applications;
  /** Today in Japan, YYYY-MM-DD (tests pin it). */
  today(): string;
  /** Now (tests and the history seed pin it). */
  now(): Date;
  demo(): boolean;
  townName(): string;
  /** Background work's log (never personal data). */
  log: CasesLog;
  /** Parts other modules add to the metrics dashboard (the counter's visits). */
  dashboardSections: DashboardSection[];
}

/** A part of the metrics dashboard for the period shown: aggregates only, in the reader's words. */
export type DashboardSection = (period: { from: string; to: string }, words: { t: Translate; locale: Locale }) => Promise<ComponentChild>;

export interface CasesLog {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export function procedureOf(rt: CasesRuntime, code: string): Procedure {
  const p = rt.applications.catalog.procedures.get(code);
  if (!p) throw notFound(`procedure ${code.slice(0, 64)}`);
  return p;
}

export function readContext(rt: CasesRuntime, ctx: AccessContext): ReadContext {
  return { principal: ctx.principal, purpose: ctx.purpose, audit: (ids, fields, action) => rt.access.auditEntry(ctx, action, ids, fields) };
}

/** The date `days` calendar days after `from` (YYYY-MM-DD). */
export function addDays(from: string, days: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A moment's date in Japan (YYYY-MM-DD). */
export const dateInJapan = (d: Date): string => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
