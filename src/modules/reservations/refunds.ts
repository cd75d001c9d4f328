/**
 * Giving money back through the payments module, in the transaction of the change that owes
 * it (a cancellation, a payment that came too late or twice): the refund states what the
 * payment still has refundable, so it cannot race another refund, and it is sent to the
 * provider once this transaction commits. What the provider answers (given back, or refused)
 * is told back by the payments module and mirrored on the booking's refund, as is a refund the
 * payments module made by itself (money captured after the payment had ended). Money paid at
 * the counter is given back there.
 */
import type { Queryable } from '../../platform/db/db.js';
import { newId } from '../../platform/ids.js';
import { emitEvent } from '../../platform/outbox.js';
import type { PaymentView, RefundView } from '../payments/index.js';
import * as bookings from './booking-store.js';
import * as facilities from './facility-store.js';
import { mailBooker } from './mail.js';
import * as store from './refund-store.js';
import { PAYMENT_PURPOSE, type ReservationsRuntime } from './runtime.js';

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

/**
 * Money a booking's payer paid that cannot be kept (the hold had ended, or the booking was
 * already paid) and that is being given back — by this module (`refundPayment`) or by the
 * payments module itself: recorded on the booking, and the booker told when the booking
 * itself is gone.
 */
export async function recordPaidBack(
  rt: ReservationsRuntime,
  tx: Queryable,
  b: bookings.BookingRow,
  p: { paymentId: string; paymentsRefundId: string; amount: number; now: Date },
): Promise<void> {
  const reason: store.RefundReason = b.state === 'held' || b.state === 'confirmed' || b.state === 'checked-in' ? 'duplicate' : 'hold-ended';
  const recorded = await store.recordRefund(tx, { id: newId(), bookingId: b.id, paymentId: p.paymentId, paymentsRefundId: p.paymentsRefundId, amount: p.amount, reason, now: p.now, demo: b.demo });
  if (!recorded) return;
  rt.log.info({ booking: b.id, payment: p.paymentId, reason }, 'a payment for a booking that cannot be kept is refunded');
  if (reason !== 'hold-ended') return;
  const f = (await facilities.loadFacilityById(tx, b.facility_id))!;
  await mailBooker(tx, 'late-refund', b, f, { publicUrl: rt.config.publicUrl, townName: rt.townName(), refund: p.amount });
}

/** What the payments module tells of a refund of a booking's payment, in its transaction. */
export async function onRefundChanged(rt: ReservationsRuntime, tx: Queryable, r: RefundView, p: PaymentView, cause: 'automatic' | 'retry' | 'settled'): Promise<void> {
  if (p.purpose !== PAYMENT_PURPOSE) return;
  const now = rt.now();
  if (cause === 'automatic') {
    const link = await bookings.findBookingPayment(tx, p.id);
    const b = link ? await bookings.findBooking(tx, link.booking_id, { lock: true }) : undefined;
    if (b) await recordPaidBack(rt, tx, b, { paymentId: p.id, paymentsRefundId: r.id, amount: r.amount, now });
    return;
  }
  // A retry carries on the refused refund it names; a settlement is the refund's own.
  const row = (await store.findByPaymentsRefund(tx, r.id)) ?? (r.retryOf ? await store.findByPaymentsRefund(tx, r.retryOf) : undefined);
  if (!row || row.state === r.state) return;
  await store.mirrorRefund(tx, row.id, { state: r.state, paymentsRefundId: r.id, at: r.settledAt ?? now });
  if (r.state === 'failed') {
    rt.log.warn({ booking: row.booking_id, refund: row.id }, 'the provider refused a booking’s refund: the accounting desk must act');
    await emitEvent(tx, 'reservations.refund.failed', [], { bookingId: row.booking_id, refundId: row.id, amount: row.amount });
  }
}
