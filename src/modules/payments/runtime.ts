/** What the payments services share: the database, a clock, the providers, and who listens to a payment's changes. */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Config } from '../../platform/config.js';
import type { Db, Queryable } from '../../platform/db/db.js';
import { unprocessable } from '../../platform/errors.js';
import type { Access } from '../access/index.js';
import type { PaymentMethod, PaymentProvider } from './providers/types.js';
import type { PaymentState } from './states.js';

export type { PaymentMethod } from './providers/types.js';
export type { ChargeState } from './providers/simulated.js';

export interface RefundView {
  id: string;
  paymentId: string;
  amount: number;
  reason: string;
  /** `submitted` until the provider answers; it counts against what is refundable meanwhile. */
  state: 'submitted' | 'succeeded' | 'failed';
  /** Refunded by the module itself (money taken after the payment had ended). */
  automatic: boolean;
  /** The refused refund this one tries again (the accounting desk's retry). */
  retryOf: string | null;
  createdAt: Date;
  settledAt: Date | null;
}

export interface PaymentView {
  id: string;
  state: PaymentState;
  /** Whole yen. */
  amount: number;
  method: PaymentMethod;
  provider: string;
  description: string;
  reference: string;
  purpose: string;
  ownerRef: string | null;
  payerPersonId: string | null;
  returnUrl: string;
  /** The payer's link (a path on this site); useful while the payment is open. */
  nextUrl: string;
  providerRef: string | null;
  /** A convenience-store payment number (支払番号), once the payer started. */
  paymentNumber: string | null;
  /** The provider's fee on the capture, once succeeded. */
  fee: number | null;
  /** Money taken (the amount once succeeded, else 0; a late capture counts until refunded). */
  captured: number;
  /** Refunds that went through. */
  refunded: number;
  /** What a refund must state as `refundableAmount` now: captured − (refunds succeeded or under way). */
  refundable: number;
  refunds: RefundView[];
  expiresAt: Date;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  demo: boolean;
}

/** A state change as a handler is told it: from where to where, and what caused it. */
export interface PaymentChange {
  from: PaymentState;
  to: PaymentState;
  cause: 'payer' | 'provider' | 'expiry' | 'caller';
}

export type PaymentHandler = (tx: Queryable, p: PaymentView, change: PaymentChange) => Promise<void>;

/**
 * What a refund handler is told: a refund the module made by itself (`automatic`: money
 * captured after the payment had ended), a refused refund tried again (`retry`, naming it in
 * `retryOf`), or the provider's answer (`settled`: succeeded or failed). A caller's own
 * refund is not told when made (the caller made it), only when settled.
 */
export type RefundHandler = (tx: Queryable, r: RefundView, p: PaymentView, cause: 'automatic' | 'retry' | 'settled') => Promise<void>;

export interface PaymentsLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface PaymentsRuntime {
  db: Db;
  config: Config;
  access: Access;
  providers: Map<string, PaymentProvider>;
  /** The provider new payments use (undefined: payments cannot be taken on this installation). */
  provider: PaymentProvider | undefined;
  handlers: { handler: PaymentHandler; purpose?: string | undefined }[];
  refundHandlers: { handler: RefundHandler; purpose?: string | undefined }[];
  now(): Date;
  demo(): boolean;
  log: PaymentsLog;
  /** Wakes the background worker soon (a refund to send, a webhook to deliver). */
  kick(): void;
}

/**
 * The transaction a payment-changed handler runs in. Inside a handler the front door's calls
 * (refund, paymentOf, createPayment) use it by themselves: on PGlite a second connection would
 * wait for this very transaction, and everywhere the handler's work must commit or roll back
 * with the change it was told about.
 */
export const handlerScope = new AsyncLocalStorage<Queryable>();

/** `given`, else the handler's transaction when called from one, else undefined. */
export const ambientTx = (given?: Queryable): Queryable | undefined => given ?? handlerScope.getStore();

export function providerOf(rt: PaymentsRuntime, name: string): PaymentProvider {
  const p = rt.providers.get(name);
  if (!p) throw unprocessable(`the payment provider ${name.slice(0, 40)} is not configured on this installation`);
  return p;
}

/** The moment `minutes` after `at`. */
export const addMinutes = (at: Date, minutes: number): Date => new Date(at.getTime() + minutes * 60_000);

/** A moment's date in Japan (YYYY-MM-DD). */
export const dateInJapan = (d: Date): string => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);

/** The start of a Japan date and of the next one: [from, to). */
export function japanDay(date: string): { from: Date; to: Date } {
  const from = new Date(`${date}T00:00:00+09:00`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}
