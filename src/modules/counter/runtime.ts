/** What the counter module's parts share. */
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/db.js';
import type { Access, AccessContext } from '../access/index.js';
import type { Applications } from '../applications/index.js';
import type { ReadContext, Registry } from '../registry/index.js';
import type { CertificateKind } from './certificates.js';

export interface CounterRuntime {
  db: Db;
  config: Config;
  access: Access;
  registry: Registry;
  applications: Applications;
  /** The key that signs pre-entry codes. */
  qrKey: Buffer;
  certificates: readonly CertificateKind[];
  today(): string;
  now(): Date;
  demo(): boolean;
  townName(): string;
}

/** A registry read context from an access context (the purpose is the caller's). */
export function readContext(rt: CounterRuntime, ctx: AccessContext): ReadContext {
  return { principal: ctx.principal, purpose: ctx.purpose, audit: (ids, fields, action) => rt.access.auditEntry(ctx, action, ids, fields) };
}

/** The date `days` after `from` (YYYY-MM-DD). */
export function addDays(from: string, days: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
export type { CardFields } from './card/types.js';
