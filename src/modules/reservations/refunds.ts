/**
 * Giving money back through the payments module, in the transaction of the change that owes
 * it (a cancellation, a payment that came too late or twice): the refund states what the
 * payment still has refundable, so it cannot race another refund, and it is sent to the
 * provider once this transaction commits. Money paid at the counter is given back there.
 */
import type { Queryable } from '../../platform/db/db.js';
import { newId } from '../../platform/ids.js';
import * as store from './refund-store.js';
import type { ReservationsRuntime } from './runtime.js';

const REASON_TEXT: Record<store.RefundReason, string> = {
  cancelled: 'facility booking cancelled within the rules',
  'hold-ended': 'paid after the provisional booking had ended',
  duplicate: 'a second payment for the same booking',
  staff: 'refunded by the facilities desk',
};

/** Refunds up to `amount` of an online payment; returns what is given back (0 when nothing is left or it was done already). */
export async function refundPayment(
  rt: ReservationsRuntime,
  tx: Queryable,
  r: { bookingId: string; paymentId: string; amount: number; reason: store.RefundReason; now: Date; demo: boolean },
): Promise<number> {
  if (await store.hasRefund(tx, r.paymentId, r.reason)) return 0;
  const payment = await rt.payments.paymentOf(r.paymentId, tx);
  const amount = Math.min(r.amount, payment?.refundable ?? 0);
  if (!payment || amount <= 0) return 0;
  const done = await rt.payments.refund({ paymentId: r.paymentId, amount, refundableAmount: payment.refundable, reason: REASON_TEXT[r.reason] }, { tx, by: 'reservations' });
  await store.recordRefund(tx, { id: newId(), bookingId: r.bookingId, paymentId: r.paymentId, paymentsRefundId: done.id, amount, reason: r.reason, now: r.now, demo: r.demo });
  return amount;
}

/** Records money to give back at the facility's counter (paid there in cash). */
export async function refundAtCounter(tx: Queryable, r: { bookingId: string; amount: number; reason: store.RefundReason; now: Date; demo: boolean }): Promise<void> {
  await store.recordRefund(tx, { id: newId(), bookingId: r.bookingId, paymentId: null, paymentsRefundId: null, amount: r.amount, reason: r.reason, now: r.now, demo: r.demo });
}
