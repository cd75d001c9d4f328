/** What the reservations services are given: the database, a clock, and the front doors of the modules they use. */
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/db.js';
import type { Access, AccessContext } from '../access/index.js';
import type { Payments } from '../payments/index.js';
import type { ReadContext, Registry } from '../registry/index.js';

export type { PaymentMethod } from '../payments/index.js';

/** The payments module's front door, the part reservations uses (tests may stand in for it). */
export type PaymentsPort = Pick<Payments, 'createPayment' | 'onPaymentChanged' | 'onRefundChanged' | 'refund' | 'paymentOf' | 'cancel' | 'methods' | 'movements'>;

export interface ReservationsLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface ReservationsRuntime {
  db: Db;
  config: Config;
  access: Access;
  registry: Registry;
  payments: PaymentsPort;
  /** The key under which calendar-feed tokens are signed. */
  feedKey: Buffer;
  now(): Date;
  demo(): boolean;
  townName(): string;
  log: ReservationsLog;
}

/** The payment purpose reservations names, and finds its payments by. */
export const PAYMENT_PURPOSE = 'reservation';

export function readContext(rt: ReservationsRuntime, ctx: AccessContext): ReadContext {
  return { principal: ctx.principal, purpose: ctx.purpose, audit: (ids, fields, action) => rt.access.auditEntry(ctx, action, ids, fields) };
}
