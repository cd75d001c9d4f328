/**
 * The waiting list (キャンセル待ち): a resident waits for a booked slot, giving an address to
 * be told at; when its claims are freed (a cancellation, a hold that ran out), the first in
 * line who fits — still a resident, their group still approved, under the facility's limit
 * of bookings — gets a hold in their name, in the same transaction as the release, so nobody
 * else can take it in between, and a mail; if that hold lapses unpaid, the next in line gets
 * it, in order. Whoever is ahead in line is waited for, never skipped.
 */
import type { Queryable } from '../../platform/db/db.js';
import { recordAccess } from '../../platform/audit.js';
import { conflict, forbidden, notFound, validationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { emitEvent } from '../../platform/outbox.js';
import type { AccessContext } from '../access/index.js';
import { eventPayload, insertClaimed, refusedBy, resolveTarget, termsFor, type BookingInput, type Target, type Terms } from './booking.js';
import * as bookings from './booking-store.js';
import type { BookingRow } from './booking-store.js';
import * as facilities from './facility-store.js';
import type { Facility } from './facility-store.js';
import * as groups from './group-store.js';
import { mailBooker } from './mail.js';
import { bookingTimeRefusal, feeOf, holdUntil, spacePrice } from './rules.js';
import type { ReservationsRuntime } from './runtime.js';
import { dateOf } from './time.js';
import * as store from './waitlist-store.js';

/** Joins the waiting list of a slot that is booked now. */
export async function joinWaitlist(rt: ReservationsRuntime, ctx: AccessContext, personId: string, input: BookingInput): Promise<store.WaitRow> {
  if (ctx.principal.kind === 'resident' && ctx.principal.id !== personId) throw forbidden('a resident waits as themself');
  // The offer is a hold that runs out: the one waiting must be told when it comes.
  if (!input.contactEmail?.trim()) throw validationError('give an address to be told when your turn comes', [{ field: 'contactEmail', message: 'is required for the waiting list' }]);
  const now = rt.now();
  const t = await resolveTarget(rt, input);
  const terms = await termsFor(rt, ctx, t, { kind: 'resident', personId }, input);
  const refusal = bookingTimeRefusal(t.facility, t.date, t.start, 'resident', now);
  if (refusal) throw refusedBy(refusal.rule, 'the waiting list follows the booking window of the slot', refusal.rule === 'booking-window-not-open' ? { opensAt: refusal.opensAt.toISOString() } : {});
  const claims = await facilities.liveClaims(rt.db, t.claimUnits, t.start, t.end);
  if (claims.some((c) => c.kind === 'block')) throw refusedBy('facility-closed', 'the facility is closed then (休館日 or maintenance)');
  const takenUnits = new Set(claims.map((c) => c.unitId));
  const full = t.facility.kind === 'bus' ? t.claimUnits.every((u) => takenUnits.has(u)) : claims.length > 0;
  if (!full) throw conflict('the slot is free: book it instead of waiting', { reason: 'free' });
  return rt.db.transaction(async (tx) => {
    const row = await store.insertWait(tx, {
      id: newId(), facilityId: t.facility.id, unitId: t.unit?.id ?? null, tripId: t.trip?.id ?? null, start: t.start, end: t.end, personId,
      groupId: terms.groupId, people: input.people, purposeOfUse: (input.purposeOfUse ?? '').trim(), reductionCode: terms.reduction?.code ?? null,
      contactEmail: input.contactEmail?.trim() || null, locale: input.locale === 'en' || input.locale === 'ja-easy' ? input.locale : 'ja', now, demo: rt.demo(),
    });
    if (!row) throw conflict('you are already on the waiting list of this slot', { reason: 'already-waiting' });
    await recordAccess(tx, rt.access.auditEntry(ctx, 'waitlist.join', [personId], ['waitlist']));
    return row;
  });
}

/** Leaves the waiting list (an offer already made is a held booking: cancelling it offers it on). */
export async function leaveWaitlist(rt: ReservationsRuntime, ctx: AccessContext, id: string): Promise<void> {
  const now = rt.now();
  await rt.db.transaction(async (tx) => {
    const w = await store.findWait(tx, id, { lock: true });
    if (!w || (ctx.principal.kind === 'resident' && w.person_id !== ctx.principal.id)) throw notFound(`waiting-list entry ${id}`);
    if (w.state !== 'waiting') throw conflict(`the entry is ${w.state}, not waiting`, { state: w.state });
    await store.setWaitState(tx, id, 'withdrawn', now);
    await recordAccess(tx, rt.access.auditEntry(ctx, 'waitlist.leave', [w.person_id], ['waitlist']));
  });
}

/**
 * Offers freed claims to those waiting, in the caller's transaction (the one that released
 * them): each in line whose slot now fits gets a hold. Returns the bookings offered.
 */
export async function offerFreed(rt: ReservationsRuntime, tx: Queryable, freed: Pick<BookingRow, 'unit_id' | 'trip_id' | 'starts_at' | 'ends_at'>, f: Facility, now: Date): Promise<BookingRow[]> {
  const unitIds = f.kind === 'bus' ? [] : (f.units.find((u) => u.id === freed.unit_id)?.claims ?? [freed.unit_id]);
  const line = await store.waitingFor(tx, { facilityId: f.id, tripId: freed.trip_id, unitIds, start: freed.starts_at, end: freed.ends_at }, 20);
  const offered: BookingRow[] = [];
  const reductions = line.some((w) => w.reduction_code) ? await facilities.reductions(tx) : [];
  for (const w of line) {
    if (w.starts_at <= now) {
      await store.setWaitState(tx, w.id, 'lapsed', now);
      continue;
    }
    const t = await targetOf(tx, f, w);
    if (!t) continue;
    // As when booking: still a resident, the group still approved (and theirs), under the limit.
    const group = w.group_id ? await groups.findGroup(tx, w.group_id) : undefined;
    if (!(await rt.registry.isResident(w.person_id, tx)) || (group && (group.state !== 'approved' || group.representative_id !== w.person_id))) {
      await store.setWaitState(tx, w.id, 'lapsed', now);
      continue;
    }
    await bookings.lockBooker(tx, `${f.id}|${w.group_id ? `g:${w.group_id}` : `p:${w.person_id}`}`);
    const live = await bookings.liveBookingCount(tx, f.id, { personId: w.person_id, groupId: w.group_id, name: null }, now);
    if (live >= f.maxActivePerBooker) continue; // stays in line for a later freed slot
    const reduction = reductions.find((r) => r.code === w.reduction_code);
    const fee = feeOf({ base: t.base, booker: 'resident', surchargePercent: f.nonresidentSurchargePercent, reductionPercent: reduction?.percent ?? 0 });
    const terms: Terms = { bookerKind: 'resident', personId: w.person_id, bookerName: null, groupId: w.group_id, reduction, fee };
    const free = fee.amount === 0;
    const row = await insertClaimed(tx, t, {
      id: newId(), state: free ? 'confirmed' : 'held', terms, now, source: 'waitlist', createdByStaff: null, gentle: true, demo: rt.demo(),
      input: { people: w.people, purposeOfUse: w.purpose_of_use, contactEmail: w.contact_email ?? undefined, locale: w.locale },
      holdUntil: free ? null : holdUntil(now, t.start, f.offerHoldHours * 60),
    });
    if (!row) continue;
    await store.setWaitState(tx, w.id, free ? 'booked' : 'offered', now, row.id);
    await mailBooker(tx, 'offered', row, f, { publicUrl: rt.config.publicUrl, townName: rt.townName() });
    await emitEvent(tx, 'reservations.waitlist.offered', [w.person_id], { ...eventPayload(row, f), waitlistEntryId: w.id });
    offered.push(row);
  }
  return offered;
}

async function targetOf(tx: Queryable, f: Facility, w: store.WaitRow): Promise<Target | undefined> {
  const date = dateOf(w.starts_at);
  if (w.trip_id) {
    const trip = await facilities.findTrip(tx, w.trip_id);
    if (!trip || !trip.active) return undefined;
    const seats = f.units.filter((u) => u.kind === 'seat').map((u) => u.id);
    return { facility: f, unit: undefined, trip, start: trip.departsAt, end: trip.returnsAt, date, claimUnits: seats, base: trip.fare };
  }
  const unit = f.units.find((u) => u.id === w.unit_id);
  if (!unit) return undefined;
  return { facility: f, unit, trip: undefined, start: w.starts_at, end: w.ends_at, date, claimUnits: unit.claims, base: spacePrice(unit.hourlyFee, w.starts_at, w.ends_at) };
}
