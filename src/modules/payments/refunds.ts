/**
 * Refunds. A refund states the amount still refundable as the caller saw it; when that is no
 * longer true (another refund came first) it is refused with 412, so two refunds cannot race
 * past the amount paid; more than is refundable is 422. A refund is written as `submitted`
 * (it counts against what is refundable at once) and then sent to the provider outside the
 * transaction, retried with spacing until the provider answers; the ledger gets its line when
 * the provider says it succeeded.
 */
import type { Queryable } from '../../platform/db/db.js';
import { conflict, DomainError, notFound, unprocessable, validationError, type FieldIssue } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { emitEvent } from '../../platform/outbox.js';
import { ambientTx, providerOf, type PaymentsRuntime, type RefundView } from './runtime.js';
import { inTransaction, notifyRefund, refundView, viewOf } from './service.js';
import * as store from './store.js';
import type { RefundRow } from './store.js';

export interface RefundRequest {
  paymentId: string;
  /** Whole yen to give back. */
  amount: number;
  /** What the caller believes is still refundable; must be exactly so. */
  refundableAmount: number;
  reason: string;
}

/** Spacing of tries to reach the provider: 5 s, 10 s, 20 s … at most an hour. */
export const retryDelayMs = (attempts: number): number => Math.min(3_600_000, 5_000 * 2 ** Math.max(0, attempts - 1));

function checkRequest(r: RefundRequest): void {
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(r.amount) || r.amount < 1) issues.push({ field: 'amount', message: 'whole yen, at least 1' });
  if (!Number.isInteger(r.refundableAmount) || r.refundableAmount < 0) issues.push({ field: 'refundableAmount', message: 'whole yen, 0 or more' });
  if (typeof r.reason !== 'string' || r.reason.trim().length === 0 || r.reason.length > 200) issues.push({ field: 'reason', message: '1 to 200 characters' });
  if (issues.length) throw validationError(`the refund is not valid: ${issues.map((i) => i.field).join(', ')}`, issues);
}

/** Writes a refund in `tx` after checking it against the payment locked there. */
export async function recordRefund(rt: PaymentsRuntime, tx: Queryable, r: RefundRequest, requestedBy: string): Promise<RefundRow> {
  checkRequest(r);
  const row = await store.findPayment(tx, r.paymentId, { lock: true });
  if (!row) throw notFound('payment');
  const view = await viewOf(tx, row);
  if (view.captured === 0) throw conflict(`the payment is ${row.state}; only a succeeded payment can be refunded`, { state: row.state });
  if (r.refundableAmount !== view.refundable) {
    throw new DomainError('precondition-failed', `refundableAmount does not match what is still refundable (${view.refundable}); read the payment again`, {
      detail: { refundableAmount: view.refundable },
    });
  }
  if (r.amount > view.refundable) throw unprocessable(`the refund is more than is still refundable (${view.refundable})`, { refundableAmount: view.refundable });
  return store.insertRefund(tx, {
    id: newId(), paymentId: row.id, amount: r.amount, reason: r.reason.trim(), automatic: false, requestedBy, at: rt.now(), demo: row.demo,
  });
}

/**
 * A refund for the front door and the API. In a transaction of the caller's (or a payment
 * handler's) it is written there and sent once that commits (by the worker); otherwise it is
 * written, sent at once, and returned as the provider left it.
 */
export async function requestRefund(rt: PaymentsRuntime, r: RefundRequest, requestedBy: string, given?: Queryable): Promise<RefundView> {
  const outer = ambientTx(given);
  const row = await inTransaction(rt, outer, (tx) => recordRefund(rt, tx, r, requestedBy));
  if (outer) {
    rt.kick();
    return refundView(row);
  }
  await sendRefunds(rt, { id: row.id });
  return refundView((await store.findRefund(rt.db, row.id))!);
}

/** Records the provider's answer on a refund; a success writes its ledger line. False when it was already settled. */
export async function settleRefund(
  rt: PaymentsRuntime,
  tx: Queryable,
  refundId: string,
  token: string | null,
  a: { state: 'succeeded' | 'failed' | 'submitted'; providerRefundRef: string | null; at: Date; nextAttemptAt?: Date },
): Promise<boolean> {
  const updated = await store.answerRefund(tx, refundId, token, a);
  if (!updated || updated.state === 'submitted') return !!updated;
  const payment = (await store.findPayment(tx, updated.payment_id))!;
  if (updated.state === 'succeeded') {
    await store.appendLedger(tx, {
      paymentId: payment.id, refundId: updated.id, kind: 'refund', amount: -updated.amount, provider: payment.provider, method: payment.method,
      purpose: payment.purpose, at: a.at, demo: payment.demo,
    });
  } else {
    rt.log.warn({ payment: payment.id, refund: updated.id }, 'the provider refused a refund');
  }
  await emitEvent(tx, 'payment.refund', [], {
    paymentId: payment.id, reference: payment.reference, refundId: updated.id, amount: updated.amount, state: updated.state,
  });
  // The caller's record (a booking) mirrors the outcome: a refused refund must not read as given back.
  await notifyRefund(rt, tx, updated, 'settled');
  return true;
}

/**
 * Tries a refused refund again, as a new refund of the same amount naming it (the provider
 * keeps a refused refund id refused). Refused when it was not refused, was tried again
 * already (409), or is now more than the payment has refundable (422). Sent at once.
 */
export async function retryRefusedRefund(rt: PaymentsRuntime, refundId: string, requestedBy: string): Promise<RefundView> {
  const row = await rt.db.transaction(async (tx) => {
    const failed = await store.findRefund(tx, refundId);
    if (!failed) throw notFound('refund');
    const payment = (await store.findPayment(tx, failed.payment_id, { lock: true }))!;
    if (failed.state !== 'failed') throw conflict(`the refund is ${failed.state}; only a refused refund is tried again`, { state: failed.state });
    if (await store.hasRetry(tx, failed.id)) throw conflict('the refund was tried again already', { reason: 'retried' });
    const view = await viewOf(tx, payment);
    if (failed.amount > view.refundable) throw unprocessable(`the refund is more than is still refundable (${view.refundable})`, { refundableAmount: view.refundable });
    const retry = await store.insertRefund(tx, {
      id: newId(), paymentId: payment.id, amount: failed.amount, reason: failed.reason, automatic: failed.automatic, requestedBy, at: rt.now(), demo: failed.demo,
      retryOf: failed.id,
    });
    await emitEvent(tx, 'payment.refund', [], { paymentId: payment.id, reference: payment.reference, refundId: retry.id, amount: retry.amount, state: retry.state, retryOf: failed.id });
    await notifyRefund(rt, tx, retry, 'retry');
    return retry;
  });
  await sendRefunds(rt, { id: row.id });
  return refundView((await store.findRefund(rt.db, row.id))!);
}

/** Sends submitted refunds that are due (one by id, or a batch) to their provider; the number tried. */
export async function sendRefunds(rt: PaymentsRuntime, opts: { id?: string; limit?: number } = {}): Promise<number> {
  const token = newId();
  const claimed = await store.claimRefunds(rt.db, token, rt.now(), { ...(opts.id ? { id: opts.id } : {}), limit: opts.limit ?? 10 });
  for (const r of claimed) {
    const payment = (await store.findPayment(rt.db, r.payment_id))!;
    let answer;
    try {
      answer = await providerOf(rt, payment.provider).refund({ providerRef: payment.provider_ref!, amount: r.amount, refundId: r.id });
    } catch (err) {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : 'the provider did not answer';
      rt.log.warn({ refund: r.id, attempts: r.attempts }, 'a refund could not reach the provider; trying again later');
      await store.retryRefund(rt.db, r.id, token, message, new Date(rt.now().getTime() + retryDelayMs(r.attempts)));
      continue;
    }
    const at = rt.now();
    await rt.db.transaction((tx) =>
      settleRefund(rt, tx, r.id, token, {
        state: answer.status === 'pending' ? 'submitted' : answer.status,
        providerRefundRef: answer.providerRefundRef,
        at,
        // Pending: the provider answers by webhook; asking again later (same refund id) covers a lost one.
        ...(answer.status === 'pending' ? { nextAttemptAt: new Date(at.getTime() + 10 * 60_000) } : {}),
      }),
    );
  }
  return claimed.length;
}
