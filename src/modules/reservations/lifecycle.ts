/**
 * How bookings end: cancelled by the booker within the rules (the refund is the rule's
 * share of what was paid, and nothing once the slot has begun) or by staff, and released by
 * the worker when a hold runs out unpaid. Ending releases the claims and, in the same
 * transaction, offers them to the waiting list. Refunds are queued with the change and sent
 * once it has committed; the booking keeps (and the mail tells) what is actually given back.
 * After the change commits, the booking's payments still open are cancelled.
 */
import type { Queryable } from '../../platform/db/db.js';
import { recordAccess } from '../../platform/audit.js';
import { conflict, notFound } from '../../platform/errors.js';
import { emitEvent } from '../../platform/outbox.js';
import type { AccessContext } from '../access/index.js';
import { eventPayload, refusedBy, retryDeadlocks } from './booking.js';
import * as bookings from './booking-store.js';
import type { BookingRow } from './booking-store.js';
import * as facilities from './facility-store.js';
import type { Facility } from './facility-store.js';
import * as groups from './group-store.js';
import { mailBooker } from './mail.js';
import { cancelStrayPayments } from './payment.js';
import { refundAtCounter, refundPayment } from './refunds.js';
import { cancellationTerms, type CancellationTerms } from './rules.js';
import type { ReservationsRuntime } from './runtime.js';
import { nextState } from './states.js';
import { dateOf } from './time.js';
import * as waits from './waitlist-store.js';
import { offerFreed } from './waitlist.js';

/** Whether this principal may act on the booking as its booker (or as staff of the desk). */
export function mayHandle(ctx: AccessContext, b: BookingRow, representativeOf: (groupId: string) => string | undefined): boolean {
  const p = ctx.principal;
  if (p.kind === 'staff') return true;
  if (p.kind !== 'resident') return false;
  return b.person_id === p.id || (b.group_id !== null && representativeOf(b.group_id) === p.id);
}

/** What cancelling would give back now (unpaid holds: nothing to give, allowed until the slot begins). */
export function quote(rt: ReservationsRuntime, b: BookingRow, f: Facility): CancellationTerms & { paid: number } {
  const now = rt.now();
  const paid = b.paid_by === 'online' || b.paid_by === 'counter' ? b.amount : 0;
  const terms = cancellationTerms(f, dateOf(b.starts_at), dateOf(now), paid, { startsAt: b.starts_at, now });
  if (b.state === 'held') return { ...terms, allowed: now < b.starts_at, refund: 0, paid: 0 };
  return { ...terms, allowed: terms.allowed && b.state === 'confirmed', paid };
}

/** Ends a live booking in the caller's transaction: state, claims released, the waiting list offered. */
export async function endBooking(
  rt: ReservationsRuntime,
  tx: Queryable,
  b: BookingRow,
  f: Facility,
  to: 'cancelled' | 'released' | 'no-show',
  p: { reason: string | null; refund: number | null; now: Date },
): Promise<BookingRow[]> {
  // Guarded by state: a booking ends once (its claims are released by the database with it).
  if (!(await bookings.markEnded(tx, b.id, { state: to, at: p.now, reason: p.reason, refund: p.refund }))) {
    throw conflict(`the booking has ended already; it cannot be ${to}`, { state: b.state });
  }
  await bookings.releaseClaims(tx, b.id, p.now);
  // An offered hold that ends unpaid: its waiter's turn has passed.
  const w = b.source === 'waitlist' ? await waits.waitOfBooking(tx, b.id) : undefined;
  if (w && w.state === 'offered') await waits.setWaitState(tx, w.id, to === 'released' ? 'lapsed' : 'withdrawn', p.now);
  if (to === 'no-show' || b.ends_at <= p.now) return [];
  return offerFreed(rt, tx, b, f, p.now);
}

export interface Cancelled {
  booking: BookingRow;
  refund: number;
  /** Where the money goes back: the payment, at the facility's counter, or nothing to give. */
  refundBy: 'payment' | 'counter' | 'none';
}

/**
 * Cancels a booking. The booker: an unpaid hold at any time before it starts; a confirmed
 * booking until the deadline (422 cancellation-deadline after), with the rule's refund.
 * Staff (the town cancels): at any time, by default everything paid back.
 */
export async function cancelBooking(rt: ReservationsRuntime, ctx: AccessContext, id: string, opts: { reason?: string; fullRefund?: boolean; version?: number } = {}): Promise<Cancelled> {
  const now = rt.now();
  const staff = ctx.principal.kind === 'staff';
  const done = await retryDeadlocks(() => rt.db.transaction(async (tx) => {
    const b = await bookings.findBooking(tx, id, { lock: true });
    const f = b ? await facilities.loadFacilityById(tx, b.facility_id) : undefined;
    const rep = b?.group_id ? (await groups.findGroup(tx, b.group_id))?.representative_id : undefined;
    if (!b || !f || !mayHandle(ctx, b, () => rep)) throw notFound(`booking ${id}`);
    if (opts.version !== undefined && opts.version !== b.lock_version) throw conflict('the booking changed since it was shown; look again', { version: b.lock_version });
    if (!nextState('cancel', b.state)) throw conflict(`a ${b.state} booking cannot be cancelled`, { state: b.state });
    const q = quote(rt, b, f);
    if (!staff && !q.allowed) {
      const started = now >= b.starts_at;
      throw refusedBy('cancellation-deadline', started ? 'the booking has begun; ask the facility' : `cancelling online was possible until ${q.lastDate}; ask the facility`, {
        lastDate: q.lastDate, ...(started ? { started: true } : {}),
      });
    }
    const owed = b.state === 'held' ? 0 : staff && opts.fullRefund !== false ? q.paid : q.refund;
    // What is actually given back (the payment may have less refundable left): kept on the booking and told in the mail.
    let refund = 0;
    let refundBy: Cancelled['refundBy'] = 'none';
    const reason = staff ? 'staff' : 'cancelled';
    if (owed > 0 && b.paid_by === 'online' && b.payment_id) {
      refund = await refundPayment(rt, tx, { bookingId: b.id, paymentId: b.payment_id, amount: owed, reason, now, demo: b.demo });
      if (refund > 0) refundBy = 'payment';
    } else if (owed > 0) {
      refund = owed;
      refundBy = 'counter';
      await refundAtCounter(tx, { bookingId: b.id, amount: refund, reason, now, demo: b.demo });
    }
    await endBooking(rt, tx, b, f, 'cancelled', { reason: opts.reason ?? (staff ? 'cancelled by the facilities desk' : 'cancelled by the booker'), refund, now });
    const after = (await bookings.findBooking(tx, b.id))!;
    const subjects = b.person_id ? [b.person_id] : [];
    if (subjects.length) await recordAccess(tx, rt.access.auditEntry(ctx, 'booking.cancel', subjects, ['booking']));
    await mailBooker(tx, 'cancelled', after, f, { publicUrl: rt.config.publicUrl, townName: rt.townName(), refund });
    await emitEvent(tx, 'reservations.booking.cancelled', subjects, { ...eventPayload(after, f), refund });
    return { booking: after, refund, refundBy };
  }));
  await cancelStrays(rt, done.booking.id);
  return done;
}

/** After a booking stopped waiting for payment: its open payments are cancelled now (the worker tries again if this fails). */
async function cancelStrays(rt: ReservationsRuntime, bookingId: string): Promise<void> {
  await cancelStrayPayments(rt, { bookingId }).catch((err: unknown) =>
    rt.log.warn({ booking: bookingId, err: err instanceof Error ? err.name : 'error' }, 'could not cancel a booking’s open payments now'),
  );
}

/** Releases holds that ran out unpaid (the worker's pass); returns how many. One that fails is logged and left for the next pass. */
export async function releaseDueHolds(rt: ReservationsRuntime, limit = 50): Promise<number> {
  const now = rt.now();
  const due = await bookings.dueHolds(rt.db, now, limit);
  let released = 0;
  for (const id of due) {
    const done = await retryDeadlocks(() => rt.db.transaction(async (tx) => {
      // Another worker holding this row is releasing it: skip it.
      const b = await bookings.findBooking(tx, id, { lock: true, skipLocked: true });
      if (!b || b.state !== 'held' || !b.hold_until || b.hold_until > now) return false;
      const f = (await facilities.loadFacilityById(tx, b.facility_id))!;
      await endBooking(rt, tx, b, f, 'released', { reason: 'not paid in time', refund: null, now });
      const after = (await bookings.findBooking(tx, b.id))!;
      await mailBooker(tx, 'released', after, f, { publicUrl: rt.config.publicUrl, townName: rt.townName() });
      await emitEvent(tx, 'reservations.booking.released', b.person_id ? [b.person_id] : [], eventPayload(after, f));
      return true;
    })).catch((err: unknown) => {
      rt.log.error({ booking: id, err: err instanceof Error ? err.name : 'error' }, 'could not release a hold; trying again on the next pass');
      return false;
    });
    if (!done) continue;
    released += 1;
    await cancelStrays(rt, id);
  }
  await waits.lapseStarted(rt.db, now);
  return released;
}
