/**
 * Paying a held booking through the payments module's front door. Starting a payment names
 * the hold's end as the payment's expiry; the payments module tells every change of a
 * payment in its own transaction, and here: succeeded → the booking is confirmed; succeeded
 * for a booking that is no longer held (the hold ran out, it was cancelled, or it was paid
 * twice) → the money is refunded in full, automatically. Failures leave the hold as it is,
 * and the payer may try again (each try is a payment of its own). Once a booking is confirmed
 * or has ended, its other payments still open are cancelled (`cancelStrayPayments`), so a
 * convenience-store slip cannot be paid for nothing.
 */
import type { Queryable } from '../../platform/db/db.js';
import { recordAccess } from '../../platform/audit.js';
import { conflict, DomainError, notFound } from '../../platform/errors.js';
import { emitEvent } from '../../platform/outbox.js';
import type { AccessContext } from '../access/index.js';
import { eventPayload, refusedBy } from './booking.js';
import * as bookings from './booking-store.js';
import * as facilities from './facility-store.js';
import type { Facility } from './facility-store.js';
import * as groups from './group-store.js';
import { mayHandle } from './lifecycle.js';
import { mailBooker } from './mail.js';
import { recordPaidBack } from './refunds.js';
import type { PaymentView } from '../payments/index.js';
import { PAYMENT_PURPOSE, type PaymentMethod, type ReservationsRuntime } from './runtime.js';
import * as waits from './waitlist-store.js';
import { nameIn } from './words.js';

type KonbiniRules = Pick<Facility, 'konbiniHoldHours' | 'closesMinutesBefore'>;

/**
 * Paying at a convenience store takes days: the hold runs until `konbiniHoldHours` after the
 * booking was made — once, however often the payer starts paying again — and ends a day
 * before the use at the latest.
 */
export function konbiniHoldUntil(f: KonbiniRules, b: { created_at: Date; starts_at: Date }): Date {
  const close = new Date(b.starts_at.getTime() - Math.max(f.closesMinutesBefore, 24 * 60) * 60_000);
  const cap = new Date(b.created_at.getTime() + f.konbiniHoldHours * 3_600_000);
  return cap < close ? cap : close;
}

/** Whether a booking may still be paid at a convenience store (at least an hour left to go there). */
export function konbiniOffered(f: KonbiniRules, b: { created_at: Date; starts_at: Date }, now: Date): boolean {
  return f.konbiniHoldHours > 0 && konbiniHoldUntil(f, b).getTime() - now.getTime() >= 3_600_000;
}

/** Starts (or resumes) paying a held booking; returns where the payer goes next. */
export async function startPayment(rt: ReservationsRuntime, ctx: AccessContext, id: string, method: PaymentMethod): Promise<{ paymentId: string; nextUrl: string; holdUntil: Date }> {
  const now = rt.now();
  return rt.db.transaction(async (tx) => {
    const b = await bookings.findBooking(tx, id, { lock: true });
    const rep = b?.group_id ? (await groups.findGroup(tx, b.group_id))?.representative_id : undefined;
    if (!b || !mayHandle(ctx, b, () => rep)) throw notFound(`booking ${id}`);
    if (b.state !== 'held' || !b.hold_until || b.hold_until <= now) {
      if (b.state === 'confirmed' || b.state === 'checked-in') throw conflict('the booking is already paid', { state: b.state });
      throw refusedBy('hold-ended', 'the provisional booking has ended; book again', { state: b.state });
    }
    const f = (await facilities.loadFacilityById(tx, b.facility_id))!;
    let until = b.hold_until;
    // Asked again (a second click, back from the provider): the payment already under way.
    const open = (await bookings.paymentsOfBooking(tx, b.id)).find((p) => p.method === method && (p.state === 'created' || p.state === 'started'));
    if (open) return { paymentId: open.payment_id, nextUrl: open.next_url, holdUntil: until };
    if (method === 'konbini') {
      if (!konbiniOffered(f, b, now)) {
        throw refusedBy('konbini-not-offered', 'paying at a convenience store is no longer offered for this booking (too close to the day of use, or its time to pay is nearly over); pay by card or QR code');
      }
      const extended = konbiniHoldUntil(f, b);
      if (extended > until) {
        until = extended;
        await bookings.extendHold(tx, b.id, until);
      }
    }
    const unit = f.units.find((u) => u.id === b.unit_id);
    const created = await rt.payments.createPayment(tx, {
      amount: b.amount,
      description: `${rt.townName()} ${nameIn(f, 'ja')}${f.kind === 'bus' || !unit ? '' : ` ${unit.nameJa}`} 使用料`.trim().slice(0, 255),
      reference: b.reference,
      purpose: PAYMENT_PURPOSE,
      ownerRef: b.id,
      ...(b.person_id ? { payerPersonId: b.person_id } : {}),
      returnUrl: `/me/bookings/${b.id}?paid=1`,
      method,
      expiresAt: until,
      // No Idempotency-Key: the booking's row lock already makes one payment per try, and a
      // try after a declined or cancelled one must be a new payment, not the old one again.
      demo: b.demo,
    });
    await bookings.insertBookingPayment(tx, { paymentId: created.id, bookingId: b.id, method, amount: b.amount, nextUrl: created.nextUrl, now });
    if (b.person_id) await recordAccess(tx, rt.access.auditEntry(ctx, 'booking.pay', [b.person_id], ['booking']));
    return { paymentId: created.id, nextUrl: created.nextUrl, holdUntil: until };
  });
}

/** What the payments module tells, in its transaction: confirm, or refund what cannot be kept. */
export async function onPaymentChanged(rt: ReservationsRuntime, tx: Queryable, p: PaymentView): Promise<void> {
  if (p.purpose !== PAYMENT_PURPOSE) return;
  const link = await bookings.findBookingPayment(tx, p.id, { lock: true });
  if (!link) return;
  const now = rt.now();
  await bookings.setBookingPaymentState(tx, p.id, p.state, now);
  if (p.state !== 'succeeded') return;
  const b = (await bookings.findBooking(tx, link.booking_id, { lock: true }))!;
  const f = (await facilities.loadFacilityById(tx, b.facility_id))!;
  if (b.state === 'held') {
    await bookings.markConfirmed(tx, b.id, { paidBy: 'online', paymentId: p.id, at: now });
    const w = b.source === 'waitlist' ? await waits.waitOfBooking(tx, b.id) : undefined;
    if (w && w.state === 'offered') await waits.setWaitState(tx, w.id, 'booked', now);
    const after = (await bookings.findBooking(tx, b.id))!;
    await mailBooker(tx, 'confirmed', after, f, { publicUrl: rt.config.publicUrl, townName: rt.townName() });
    await emitEvent(tx, 'reservations.booking.confirmed', b.person_id ? [b.person_id] : [], eventPayload(after, f));
    return;
  }
  if (b.payment_id === p.id) return; // told again: already applied
  // Paid, but there is nothing to pay for any more: give it all back.
  const payment = await rt.payments.paymentOf(p.id, tx);
  if (!payment || payment.refundable <= 0) return;
  const refund = await rt.payments.refund(
    { paymentId: p.id, amount: payment.refundable, refundableAmount: payment.refundable, reason: 'paid for a booking that was no longer held, or paid already' },
    { tx, by: 'reservations' },
  );
  await recordPaidBack(rt, tx, b, { paymentId: p.id, paymentsRefundId: refund.id, amount: refund.amount, now });
}

/**
 * Cancels the payments still open of bookings that no longer wait for one (confirmed by
 * another payment, cancelled, released), outside any transaction — after the change that
 * made them stray has committed. A payment the payer has paid meanwhile cannot be cancelled:
 * its success arrives and is refunded. Returns how many were cancelled.
 */
export async function cancelStrayPayments(rt: ReservationsRuntime, o: { bookingId?: string; limit?: number } = {}): Promise<number> {
  const stray = await bookings.strayPayments(rt.db, { ...(o.bookingId ? { bookingId: o.bookingId } : {}), limit: o.limit ?? 20 });
  let cancelled = 0;
  for (const id of stray) {
    try {
      await rt.payments.cancel(id);
      cancelled += 1;
    } catch (err) {
      // Paid meanwhile (its success is refunded when it arrives), or the provider is away: the next pass tries again.
      const level = err instanceof DomainError && err.code === 'conflict' ? 'info' : 'warn';
      rt.log[level]({ payment: id, err: err instanceof Error ? err.name : 'error' }, 'a booking’s stray payment could not be cancelled now');
    }
  }
  return cancelled;
}
