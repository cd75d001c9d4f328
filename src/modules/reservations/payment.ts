/**
 * Paying a held booking through the payments module's front door. Starting a payment names
 * the hold's end as the payment's expiry; the payments module tells every change of a
 * payment in its own transaction, and here: succeeded → the booking is confirmed; succeeded
 * for a booking that is no longer held (the hold ran out, it was cancelled, or it was paid
 * twice) → the money is refunded in full, automatically. Failures leave the hold as it is.
 */
import type { Queryable } from '../../platform/db/db.js';
import { recordAccess } from '../../platform/audit.js';
import { conflict, notFound } from '../../platform/errors.js';
import { emitEvent } from '../../platform/outbox.js';
import type { AccessContext } from '../access/index.js';
import { eventPayload, refusedBy } from './booking.js';
import * as bookings from './booking-store.js';
import * as facilities from './facility-store.js';
import type { Facility } from './facility-store.js';
import * as groups from './group-store.js';
import { mayHandle } from './lifecycle.js';
import { mailBooker } from './mail.js';
import { refundPayment } from './refunds.js';
import type { PaymentView } from '../payments/index.js';
import { PAYMENT_PURPOSE, type PaymentMethod, type ReservationsRuntime } from './runtime.js';
import * as waits from './waitlist-store.js';
import { nameIn } from './words.js';

/** Paying at a convenience store takes days: the hold runs until then, but ends a day before the use at the latest. */
function konbiniHoldUntil(f: Pick<Facility, 'konbiniHoldHours' | 'closesMinutesBefore'>, start: Date, now: Date): Date {
  const close = new Date(start.getTime() - Math.max(f.closesMinutesBefore, 24 * 60) * 60_000);
  const wanted = new Date(now.getTime() + f.konbiniHoldHours * 3_600_000);
  return wanted < close ? wanted : close;
}

/** Whether a booking starting at `start` may still be paid at a convenience store (at least an hour to go there). */
export function konbiniOffered(f: Pick<Facility, 'konbiniHoldHours' | 'closesMinutesBefore'>, start: Date, now: Date): boolean {
  return f.konbiniHoldHours > 0 && konbiniHoldUntil(f, start, now).getTime() - now.getTime() >= 3_600_000;
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
      if (!konbiniOffered(f, b.starts_at, now)) {
        throw refusedBy('konbini-not-offered', 'paying at a convenience store is not offered this close to the day of use; pay by card or QR code');
      }
      const extended = konbiniHoldUntil(f, b.starts_at, now);
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
      idempotencyKey: `booking:${b.id}:${method}:${until.getTime()}`,
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
  const reason = b.state === 'confirmed' || b.state === 'checked-in' ? 'duplicate' : 'hold-ended';
  const given = await refundPayment(rt, tx, { bookingId: b.id, paymentId: p.id, amount: p.amount, reason, now, demo: b.demo });
  if (given > 0 && reason === 'hold-ended') await mailBooker(tx, 'late-refund', b, f, { publicUrl: rt.config.publicUrl, townName: rt.townName(), refund: given });
  if (given > 0) rt.log.info({ booking: b.id, payment: p.id, reason }, 'a payment for a booking that cannot be kept is refunded');
}
