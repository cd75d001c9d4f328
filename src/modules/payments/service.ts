/**
 * The payment rules: create (once per Idempotency-Key), start (the payer opens the provider's
 * page), move along the state table under a row lock — writing the ledger, announcing the
 * change and telling the listeners in the same transaction — cancel, and expire. Provider
 * calls are made outside any transaction; the table decides what their answers may change.
 */
import type { Db, Queryable } from '../../platform/db/db.js';
import { conflict, notFound, unprocessable, validationError, type FieldIssue } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import { emitEvent } from '../../platform/outbox.js';
import { METHODS, type PaymentMethod } from './providers/types.js';
import { ambientTx, handlerScope, providerOf, type PaymentChange, type PaymentsRuntime, type PaymentView, type RefundHandler, type RefundView } from './runtime.js';
import { decide, isOpen, nextState, type PaymentEvent } from './states.js';
import * as store from './store.js';
import type { PaymentRow, RefundRow } from './store.js';

/** What a caller asks to be paid. */
export interface NewPayment {
  /** Whole yen, 1 to 10,000,000. */
  amount: number;
  description: string;
  reference: string;
  /** What the payment is for, e.g. `reservation`. */
  purpose: string;
  /** The caller's record, e.g. a booking id. */
  ownerRef?: string | undefined;
  payerPersonId?: string | undefined;
  /** Where the payer comes back to: a path on this site, or an address under PUBLIC_URL. */
  returnUrl: string;
  method: PaymentMethod;
  expiresAt: Date;
  idempotencyKey?: string | undefined;
  demo: boolean;
}

export const MAX_AMOUNT = 10_000_000;
/** A payment may stay open at most this long (a convenience-store 支払期限 of a few weeks fits). */
export const MAX_OPEN_DAYS = 60;
const PURPOSE = /^[a-z][a-z0-9-]{0,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export const payPath = (token: string) => `/payments/pay/${token}`;

/** A return address the payer may be sent to: a path on this site, or an address on PUBLIC_URL's origin. */
export function isSafeReturnUrl(url: string, publicUrl: string): boolean {
  if (url.length === 0 || url.length > 500 || CONTROL.test(url) || url.includes('\\')) return false;
  if (url.startsWith('/')) return !url.startsWith('//');
  try {
    return new URL(url).origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}

export function checkNewPayment(rt: PaymentsRuntime, p: NewPayment): void {
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(p.amount) || p.amount < 1 || p.amount > MAX_AMOUNT) issues.push({ field: 'amount', message: `whole yen from 1 to ${MAX_AMOUNT}` });
  if (typeof p.description !== 'string' || p.description.trim().length === 0 || p.description.length > 255) issues.push({ field: 'description', message: '1 to 255 characters' });
  if (typeof p.reference !== 'string' || p.reference.trim().length === 0 || p.reference.length > 100) issues.push({ field: 'reference', message: '1 to 100 characters' });
  if (!PURPOSE.test(p.purpose ?? '')) issues.push({ field: 'purpose', message: 'lower-case letters, digits and hyphens, from a letter' });
  if (p.ownerRef !== undefined && (typeof p.ownerRef !== 'string' || p.ownerRef.length > 100)) issues.push({ field: 'ownerRef', message: 'at most 100 characters' });
  if (p.payerPersonId !== undefined && !UUID.test(p.payerPersonId)) issues.push({ field: 'payerPersonId', message: 'a person id (uuid)' });
  if (!isSafeReturnUrl(p.returnUrl ?? '', rt.config.publicUrl)) issues.push({ field: 'returnUrl', message: 'a path on this site, or an address under PUBLIC_URL' });
  if (!(METHODS as readonly string[]).includes(p.method)) issues.push({ field: 'method', message: `one of ${METHODS.join(', ')}` });
  else if (rt.provider && !rt.provider.methods.includes(p.method)) issues.push({ field: 'method', message: `the provider takes ${rt.provider.methods.join(', ')}` });
  const now = rt.now().getTime();
  const expires = p.expiresAt instanceof Date ? p.expiresAt.getTime() : NaN;
  if (!Number.isFinite(expires) || expires <= now || expires > now + MAX_OPEN_DAYS * 86_400_000) issues.push({ field: 'expiresAt', message: `in the future, at most ${MAX_OPEN_DAYS} days ahead` });
  if (p.idempotencyKey !== undefined && (p.idempotencyKey.length < 1 || p.idempotencyKey.length > 255)) issues.push({ field: 'idempotencyKey', message: '1 to 255 characters' });
  if (issues.length) throw validationError(`the payment is not valid: ${issues.map((i) => i.field).join(', ')}`, issues);
}

/** JSON with keys in order, so that the same request hashes the same however it was written. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Runs `make` once per (scope, key): the key is claimed first, in the same transaction, so a
 * concurrent request with the same key waits for this one and then gets its answer. The same
 * key with another request is a 409; without a key, `make` simply runs.
 */
export async function idempotent<T>(
  tx: Queryable,
  k: { scope: string; key: string | undefined; request: unknown },
  make: () => Promise<{ status: number; body: T }>,
): Promise<{ status: number; body: T; replayed: boolean }> {
  if (k.key === undefined) return { ...(await make()), replayed: false };
  const hash = sha256Hex(canonicalJson(k.request));
  if (!(await store.claimKey(tx, { scope: k.scope, key: k.key, hash, status: 0, response: null }))) {
    const prior = await store.findKey(tx, k.scope, k.key);
    if (!prior || prior.request_hash !== hash) {
      throw conflict('this Idempotency-Key was already used with a different request', { idempotencyKey: k.key });
    }
    return { status: prior.status, body: prior.response as T, replayed: true };
  }
  const answer = await make();
  await store.setKeyAnswer(tx, k.scope, k.key, answer.status, answer.body);
  return { ...answer, replayed: false };
}

/** Runs `fn` in the caller's (or the handler's) transaction when there is one, else in a new one. */
export function inTransaction<T>(rt: PaymentsRuntime, given: Queryable | undefined, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const tx = ambientTx(given);
  if (!tx) return rt.db.transaction(fn);
  // A database handle rather than a transaction: a transaction of its own on it.
  if (typeof (tx as Partial<Db>).transaction === 'function') return (tx as Db).transaction(fn);
  return fn(tx);
}

export async function createPayment<R>(
  rt: PaymentsRuntime,
  given: Queryable | undefined,
  p: NewPayment,
  how: { createdBy: string; scope: string; request: unknown; answer: (v: PaymentView) => R },
): Promise<{ status: number; body: R; replayed: boolean }> {
  checkNewPayment(rt, p);
  const provider = rt.provider;
  if (!provider) throw unprocessable('payments cannot be taken on this installation: no payment provider is configured');
  return inTransaction(rt, given, (tx) =>
    idempotent(tx, { scope: how.scope, key: p.idempotencyKey, request: how.request }, async () => {
      const row = await store.insertPayment(tx, {
        id: newId(), description: p.description.trim(), reference: p.reference.trim(), purpose: p.purpose, owner_ref: p.ownerRef ?? null,
        payer_person_id: p.payerPersonId ?? null, amount: p.amount, method: p.method, provider: provider.name, pay_token: randomToken(32),
        return_url: p.returnUrl, expires_at: p.expiresAt, created_at: rt.now(), created_by: how.createdBy, demo: p.demo,
      });
      return { status: 201, body: how.answer(await viewOf(tx, row)) };
    }),
  );
}

export const refundView = (r: RefundRow): RefundView => ({
  id: r.id, paymentId: r.payment_id, amount: r.amount, reason: r.reason, state: r.state, automatic: r.automatic, retryOf: r.retry_of,
  createdAt: r.created_at, settledAt: r.settled_at,
});

/** Tells the refund listeners (of the payment's purpose) about a refund, in `tx`; a listener that throws rolls it back. */
export async function notifyRefund(rt: PaymentsRuntime, tx: Queryable, r: RefundRow, cause: Parameters<RefundHandler>[3]): Promise<void> {
  const payment = (await store.findPayment(tx, r.payment_id))!;
  const listeners = rt.refundHandlers.filter((h) => !h.purpose || h.purpose === payment.purpose);
  if (listeners.length === 0) return;
  const view = await viewOf(tx, payment);
  for (const h of listeners) await handlerScope.run(tx, () => h.handler(tx, refundView(r), view, cause));
}

export async function viewOf(db: Queryable, row: PaymentRow): Promise<PaymentView> {
  const [refunds, totals] = await Promise.all([store.refundsOf(db, row.id), store.totalsOf(db, row.id)]);
  const held = refunds.filter((r) => r.state !== 'failed').reduce((s, r) => s + r.amount, 0);
  return {
    id: row.id, state: row.state, amount: row.amount, method: row.method, provider: row.provider, description: row.description,
    reference: row.reference, purpose: row.purpose, ownerRef: row.owner_ref, payerPersonId: row.payer_person_id, returnUrl: row.return_url,
    nextUrl: payPath(row.pay_token), providerRef: row.provider_ref, paymentNumber: row.payment_number, fee: row.fee,
    captured: totals.captured, refunded: totals.refunded, refundable: Math.max(0, totals.captured - held), refunds: refunds.map(refundView),
    expiresAt: row.expires_at, createdAt: row.created_at, startedAt: row.started_at, finishedAt: row.finished_at, demo: row.demo,
  };
}

export async function paymentView(rt: PaymentsRuntime, id: string, given?: Queryable): Promise<PaymentView | undefined> {
  const db = ambientTx(given) ?? rt.db;
  const row = await store.findPayment(db, id);
  return row ? viewOf(db, row) : undefined;
}

/** Writes a capture and the provider's fee on it (once each, whatever arrives twice); `written` is false when the capture was already there. */
async function recordCapture(rt: PaymentsRuntime, tx: Queryable, row: PaymentRow, at: Date): Promise<{ fee: number; written: boolean }> {
  const fee = providerOf(rt, row.provider).fee(row.amount, row.method);
  const base = { paymentId: row.id, provider: row.provider, method: row.method, purpose: row.purpose, at, demo: row.demo };
  const written = await store.appendLedger(tx, { ...base, kind: 'capture', amount: row.amount });
  if (written && fee > 0) await store.appendLedger(tx, { ...base, kind: 'fee', amount: -fee });
  return { fee, written };
}

/**
 * Moves a locked payment along the table, in the caller's transaction: the capture and fee
 * when it succeeds, the outbox event, then every listener. A listener that throws rolls all
 * of it back.
 */
export async function transition(
  rt: PaymentsRuntime,
  tx: Queryable,
  row: PaymentRow,
  event: PaymentEvent,
  cause: PaymentChange['cause'],
  o: { at?: Date; providerRef?: string; nextUrl?: string; paymentNumber?: string | undefined } = {},
): Promise<PaymentRow> {
  const to = nextState(row.state, event);
  if (!to) throw conflict(`the payment is ${row.state}; it cannot ${event}`, { state: row.state });
  const at = o.at ?? rt.now();
  const fee = to === 'succeeded' ? (await recordCapture(rt, tx, row, at)).fee : undefined;
  const updated = await store.setState(tx, row.id, to, at, {
    ...(o.providerRef ? { providerRef: o.providerRef } : {}), ...(o.nextUrl ? { nextUrl: o.nextUrl } : {}),
    ...(o.paymentNumber ? { paymentNumber: o.paymentNumber } : {}), ...(fee !== undefined ? { fee } : {}),
  });
  await emitEvent(tx, 'payment.changed', [], {
    paymentId: updated.id, reference: updated.reference, purpose: updated.purpose, state: to, previousState: row.state, amount: updated.amount, method: updated.method,
  });
  const view = await viewOf(tx, updated);
  const change: PaymentChange = { from: row.state, to, cause };
  for (const h of rt.handlers) {
    if (h.purpose && h.purpose !== updated.purpose) continue;
    await handlerScope.run(tx, () => h.handler(tx, view, change));
  }
  return updated;
}

/**
 * A provider's word that a charge was paid, declined, cancelled or expired, applied by the
 * table: a move, nothing (already so, or not allowed), or a late capture — money taken after
 * the payment ended here — recorded and refunded in full by itself.
 */
export async function applyChargeOutcome(
  rt: PaymentsRuntime,
  tx: Queryable,
  row: PaymentRow,
  event: PaymentEvent,
  at: Date,
): Promise<'applied' | 'late-capture' | 'ignored'> {
  const d = decide(row.state, event);
  if (d.kind === 'move') {
    await transition(rt, tx, row, event, event === 'cancel' ? 'payer' : 'provider', { at });
    return 'applied';
  }
  if (d.kind !== 'late-capture') return 'ignored';
  // The same capture reported again (another event id): it is written and refunded once.
  const capture = await recordCapture(rt, tx, row, at);
  if (!capture.written || (await store.hasAutomaticRefund(tx, row.id))) return 'ignored';
  await store.setFee(tx, row.id, capture.fee);
  const refund = await store.insertRefund(tx, {
    id: newId(), paymentId: row.id, amount: row.amount, reason: `captured after the payment was ${row.state}`, automatic: true,
    requestedBy: 'system:late-capture', at: rt.now(), demo: row.demo,
  });
  await emitEvent(tx, 'payment.late-capture', [], { paymentId: row.id, reference: row.reference, state: row.state, amount: row.amount });
  rt.log.warn({ payment: row.id, state: row.state }, 'money captured after the payment had ended: refunding it');
  // The caller's record (a booking) learns that its payer's money goes back.
  await notifyRefund(rt, tx, refund, 'automatic');
  return 'late-capture';
}

/**
 * The payer follows their link: the charge is opened at the provider (once per payment) and
 * the payment starts. Returns where to send them — the provider's page — or, when the payment
 * is no longer open, the payment to show.
 */
export async function startPayment(rt: PaymentsRuntime, token: string): Promise<{ row: PaymentRow; go?: string }> {
  let row = await store.findPaymentByToken(rt.db, token);
  if (!row) throw notFound('payment');
  if (isOpen(row.state) && row.expires_at.getTime() <= rt.now().getTime()) {
    await expirePayment(rt, row.id);
    row = (await store.findPayment(rt.db, row.id))!;
  }
  if (row.state === 'started' && row.provider_next_url) return { row, go: row.provider_next_url };
  if (row.state !== 'created') return { row };
  const provider = providerOf(rt, row.provider);
  const charge = await provider.createCharge({
    paymentId: row.id, amount: row.amount, method: row.method, description: row.description, returnUrl: row.return_url, expiresAt: row.expires_at, demo: row.demo,
  });
  const after = await rt.db.transaction(async (tx) => {
    const locked = (await store.findPayment(tx, row!.id, { lock: true }))!;
    if (locked.state !== 'created') return locked;
    return transition(rt, tx, locked, 'start', 'payer', { providerRef: charge.providerRef, nextUrl: charge.nextUrl, paymentNumber: charge.paymentNumber });
  });
  if (after.state === 'started' && after.provider_next_url) return { row: after, go: after.provider_next_url };
  // It ended meanwhile (expired, cancelled): the charge just opened must not take money.
  if (after.state === 'expired' || after.state === 'cancelled') await provider.cancelCharge(charge.providerRef).catch(() => undefined);
  return { row: after };
}

/**
 * The caller gives up on an unpaid payment (a booking cancelled before paying). The charge is
 * stopped at the provider first: when the payer has already paid, it is not cancelled (409;
 * refund it instead once it shows as succeeded).
 */
export async function cancelPayment(rt: PaymentsRuntime, id: string): Promise<PaymentRow> {
  for (let round = 0; round < 3; round += 1) {
    const row = await store.findPayment(rt.db, id);
    if (!row) throw notFound('payment');
    if (row.state === 'cancelled') return row;
    if (!isOpen(row.state)) throw conflict(`the payment is ${row.state}; only a created or started payment can be cancelled`, { state: row.state });
    if (row.state === 'started' && row.provider_ref) {
      const outcome = await providerOf(rt, row.provider).cancelCharge(row.provider_ref);
      if (outcome === 'captured') throw conflict('the payer has already paid; refund the payment instead of cancelling it', { state: row.state });
    }
    const done = await rt.db.transaction(async (tx) => {
      const locked = (await store.findPayment(tx, id, { lock: true }))!;
      // Started meanwhile: its new charge must be stopped first (next round).
      if (locked.state !== row.state) return isOpen(locked.state) ? undefined : locked;
      return transition(rt, tx, locked, 'cancel', 'caller');
    });
    if (done?.state === 'cancelled') return done;
    if (done) throw conflict(`the payment is ${done.state}; only a created or started payment can be cancelled`, { state: done.state });
  }
  throw conflict('the payment changed while it was being cancelled; try again');
}

/**
 * Expires one payment that is past its expiry and still open. A started one is stopped at the
 * provider first; when the provider says the money was taken meanwhile, it succeeds instead.
 */
export async function expirePayment(rt: PaymentsRuntime, id: string): Promise<PaymentRow | undefined> {
  const row = await store.findPayment(rt.db, id);
  if (!row || !isOpen(row.state) || row.expires_at.getTime() > rt.now().getTime()) return row;
  let captured = false;
  if (row.state === 'started' && row.provider_ref) captured = (await providerOf(rt, row.provider).cancelCharge(row.provider_ref)) === 'captured';
  return rt.db.transaction(async (tx) => {
    const locked = (await store.findPayment(tx, id, { lock: true }))!;
    // Moved on meanwhile (paid, or started by the payer just now): the next look decides.
    if (locked.state !== row.state) return locked;
    if (captured) {
      await applyChargeOutcome(rt, tx, locked, 'succeed', rt.now());
      return (await store.findPayment(tx, id))!;
    }
    return transition(rt, tx, locked, 'expire', 'expiry');
  });
}

/** Expires a batch of due payments; whether the batch was full and each of them ended (more may wait). */
export async function expireDue(rt: PaymentsRuntime, limit = 20): Promise<boolean> {
  const due = await store.dueForExpiry(rt.db, rt.now(), limit);
  let ended = 0;
  for (const row of due) {
    try {
      const after = await expirePayment(rt, row.id);
      if (after && !isOpen(after.state)) ended += 1;
    } catch (err) {
      rt.log.error({ payment: row.id, err: err instanceof Error ? err.name : 'error' }, 'could not expire a payment');
    }
  }
  return due.length === limit && ended === limit;
}
