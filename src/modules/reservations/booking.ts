/**
 * Booking a slot: check the rules in order (the slot exists, capacity, who books, the
 * booking window, the reduction), then in one transaction claim the units — the exclusion
 * constraint decides between concurrent attempts (23P01 → 409 「この枠はすでに予約されています」);
 * a bus booking takes the first free seat of the trip or hears 「満席」. The booking is held
 * until paid (or confirmed at once when nothing is due), with a mail and an event.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.js';
import { recordAccess } from '../../platform/audit.js';
import { conflict, DomainError, forbidden, notFound, unprocessable, validationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { emitEvent } from '../../platform/outbox.js';
import type { AccessContext } from '../access/index.js';
import * as bookings from './booking-store.js';
import type { BookingRow, Source } from './booking-store.js';
import * as facilities from './facility-store.js';
import type { Facility, Reduction, Trip, Unit } from './facility-store.js';
import * as groups from './group-store.js';
import { mailBooker } from './mail.js';
import { bookingTimeRefusal, feeOf, holdUntil, slotAt, spacePrice, type BookerKind, type Fee, type RuleName } from './rules.js';
import { readContext, type ReservationsRuntime } from './runtime.js';
import { dateOf } from './time.js';

export const TAKEN = 'この枠はすでに予約されています';
export const FULL = '満席です';

export interface BookingInput {
  /** Facility code. */
  facility: string;
  /** Unit code (rooms, courts, halls; not the bus). */
  unit?: string | undefined;
  /** Trip id (the bus). */
  trip?: string | undefined;
  /** The slot's start (not the bus). */
  start?: string | undefined;
  people: number;
  purposeOfUse?: string | undefined;
  reduction?: string | undefined;
  groupId?: string | undefined;
  contactEmail?: string | undefined;
  contactPhone?: string | undefined;
  locale?: string | undefined;
}

export type Booker = { kind: 'resident'; personId: string } | { kind: 'non-resident'; name: string };

/** A refusal that names its rule (422 with `rule` in the problem document). */
export const refusedBy = (rule: RuleName, message: string, detail: Record<string, unknown> = {}) => unprocessable(`${rule}: ${message}`, { rule, ...detail });

export const ruleOf = (err: unknown): RuleName | undefined =>
  err instanceof DomainError && err.code === 'unprocessable' && typeof err.detail?.rule === 'string' ? (err.detail.rule as RuleName) : undefined;

/** What a booking would take: the slot, the units it claims, the resident price. */
export interface Target {
  facility: Facility;
  unit: Unit | undefined;
  trip: Trip | undefined;
  start: Date;
  end: Date;
  date: string;
  /** Units claimed (a whole's parts); for the bus, the seats to try in order. */
  claimUnits: string[];
  base: number;
}

export async function resolveTarget(rt: ReservationsRuntime, input: Pick<BookingInput, 'facility' | 'unit' | 'trip' | 'start'>): Promise<Target> {
  const f = await facilities.loadFacility(rt.db, input.facility);
  if (!f) throw notFound(`facility ${input.facility.slice(0, 64)}`);
  if (f.kind === 'bus') {
    if (!input.trip) throw validationError('choose a trip of the bus', [{ field: 'trip', message: 'is required' }]);
    const trip = await facilities.findTrip(rt.db, input.trip);
    if (!trip || trip.facilityId !== f.id || !trip.active) throw notFound(`trip ${input.trip.slice(0, 64)}`);
    const seats = f.units.filter((u) => u.kind === 'seat').map((u) => u.id);
    return { facility: f, unit: undefined, trip, start: trip.departsAt, end: trip.returnsAt, date: dateOf(trip.departsAt), claimUnits: seats, base: trip.fare };
  }
  const unit = f.units.find((u) => u.code === input.unit && u.kind === 'space');
  if (!input.unit || !unit) throw notFound(`unit ${(input.unit ?? '').slice(0, 64)} of facility ${f.code}`);
  const start = input.start ? new Date(input.start) : undefined;
  if (!start || Number.isNaN(start.getTime())) throw validationError('the start of the slot is not a time', [{ field: 'start', message: 'must be a date-time' }]);
  const date = dateOf(start);
  const slot = slotAt(f, date, start);
  if (!slot) throw refusedBy('outside-opening-hours', 'the facility lets no slot starting at this time (opening hours, slot times)', { facility: f.code });
  return { facility: f, unit, trip: undefined, start: slot.start, end: slot.end, date, claimUnits: unit.claims, base: spacePrice(unit.hourlyFee, slot.start, slot.end) };
}

/** The booker's kind, group and reduction, checked; the fee. */
export interface Terms {
  bookerKind: BookerKind;
  personId: string | null;
  bookerName: string | null;
  groupId: string | null;
  reduction: Reduction | undefined;
  fee: Fee;
}

export async function termsFor(rt: ReservationsRuntime, ctx: AccessContext, t: Target, booker: Booker, input: BookingInput): Promise<Terms> {
  const f = t.facility;
  const limit = t.unit?.capacity ?? f.capacity;
  if (f.kind === 'bus' && input.people !== 1) throw validationError('a bus booking is one seat: book each passenger', [{ field: 'people', message: 'must be 1' }]);
  if (input.people > limit) throw refusedBy('over-capacity', `at most ${limit} people`, { capacity: limit });
  let groupId: string | null = null;
  let groupReduction: string | null = null;
  if (input.groupId) {
    const g = await groups.findGroup(rt.db, input.groupId);
    if (!g || booker.kind !== 'resident' || g.representative_id !== booker.personId) throw notFound(`group ${input.groupId}`);
    if (g.state !== 'approved') throw refusedBy('group-not-approved', 'the group is not (or no longer) approved by the town');
    groupId = g.id;
    groupReduction = g.reduction_code;
  }
  // A reduction the booker declares (checked here) and one the group was granted: the more favourable applies.
  const known = input.reduction || groupReduction ? await facilities.reductions(rt.db) : [];
  let declared: Reduction | undefined;
  if (input.reduction) {
    declared = known.find((r) => r.code === input.reduction);
    if (!declared) throw validationError('unknown reduction', [{ field: 'reduction', message: 'is not a reduction of the town' }]);
    if (declared.basis === 'group' && groupReduction !== declared.code) throw refusedBy('reduction-not-eligible', 'this reduction is granted to registered groups on approval');
    if (declared.basis === 'register-age') {
      if (booker.kind !== 'resident') throw refusedBy('reduction-not-eligible', 'the age is read from the register: for residents only');
      // Only the age on the day of use is read (and audited), not the household or the birth date.
      const age = await rt.registry.ageOn(readContext(rt, ctx), booker.personId, t.date);
      if (age === undefined || (declared.minAge !== null && age < declared.minAge) || (declared.maxAge !== null && age > declared.maxAge)) {
        throw refusedBy('reduction-not-eligible', 'the register does not show the age this reduction needs on the day of use');
      }
    }
  }
  const granted = groupReduction ? known.find((r) => r.code === groupReduction) : undefined;
  const reduction = [declared, granted].filter((r): r is Reduction => r !== undefined).sort((a, b) => b.percent - a.percent)[0];
  const bookerKind: BookerKind = booker.kind;
  const fee = feeOf({ base: t.base, booker: bookerKind, surchargePercent: f.nonresidentSurchargePercent, reductionPercent: reduction?.percent ?? 0 });
  return {
    bookerKind,
    personId: booker.kind === 'resident' ? booker.personId : null,
    bookerName: booker.kind === 'non-resident' ? booker.name.trim() : null,
    groupId,
    reduction,
    fee,
  };
}

const isSqlState = (err: unknown, code: string) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;

/**
 * Runs a transaction again when PostgreSQL broke a deadlock by aborting it (40P01). Two
 * transactions inserting conflicting claims at the same moment can each see the other's
 * uncommitted row and wait for it; the server aborts one, and run again it finds the
 * winner's row committed and is refused cleanly (23P01 → 409).
 */
export async function retryDeadlocks<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await fn();
    } catch (err) {
      if (!isSqlState(err, '40P01') || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20 * i)));
    }
  }
}

/** Creates a booking (held until paid, or confirmed when nothing is due); 409 when the slot is taken. */
export async function createBooking(
  rt: ReservationsRuntime,
  ctx: AccessContext,
  booker: Booker,
  input: BookingInput,
  opts: { source?: Source; idempotencyKey?: string | undefined } = {},
): Promise<BookingRow> {
  if (ctx.principal.kind === 'resident' && (booker.kind !== 'resident' || booker.personId !== ctx.principal.id)) throw forbidden('a resident books as themself');
  const owner = `${ctx.principal.kind}:${ctx.principal.id}`;
  const hash = createHash('sha256').update(JSON.stringify([booker, input])).digest('hex');
  if (opts.idempotencyKey) {
    const seen = await bookings.findIdempotencyKey(rt.db, owner, opts.idempotencyKey);
    if (seen) return sameRequest(rt.db, seen, hash);
  }
  const now = rt.now();
  const t = await resolveTarget(rt, input);
  const f = t.facility;
  const terms = await termsFor(rt, ctx, t, booker, input);
  const refusal = bookingTimeRefusal(f, t.date, t.start, terms.bookerKind, now);
  if (refusal?.rule === 'booking-window-not-open') {
    throw refusedBy(refusal.rule, `booking opens at ${refusal.opensAt.toISOString()} for ${terms.bookerKind === 'resident' ? 'residents' : 'people from outside the town'}`, {
      opensAt: refusal.opensAt.toISOString(),
      booker: terms.bookerKind,
    });
  }
  if (refusal?.rule === 'booking-closed') throw refusedBy(refusal.rule, `booking this slot closed at ${refusal.closedAt.toISOString()}`, { closedAt: refusal.closedAt.toISOString() });
  const free = terms.fee.amount === 0;
  try {
    return await retryDeadlocks(() => rt.db.transaction(async (tx) => {
      if (opts.idempotencyKey) {
        // The same key sent twice at once: the second waits for the first, then answers with its booking.
        await bookings.lockBooker(tx, `idempotency|${owner}|${opts.idempotencyKey}`);
        const seen = await bookings.findIdempotencyKey(tx, owner, opts.idempotencyKey);
        if (seen) return sameRequest(tx, seen, hash);
      }
      const key = terms.groupId ? `g:${terms.groupId}` : terms.personId ? `p:${terms.personId}` : `n:${terms.bookerName}`;
      await bookings.lockBooker(tx, `${f.id}|${key}`);
      const hindrance = await bookings.slotHindrance(tx, t.claimUnits, t.start, t.end);
      if (hindrance.lottery) throw refusedBy('lottery-window', 'this slot goes to the lottery (抽選) first; apply there, or book what is left after the draw');
      if (hindrance.closed) throw refusedBy('facility-closed', 'the facility is closed then (休館日 or maintenance)');
      const live = await bookings.liveBookingCount(tx, f.id, { personId: terms.personId, groupId: terms.groupId, name: terms.bookerName }, now);
      if (live >= f.maxActivePerBooker) throw refusedBy('booking-limit', `at most ${f.maxActivePerBooker} bookings at this facility at once`, { limit: f.maxActivePerBooker });
      const row = await insertClaimed(tx, t, {
        id: newId(), state: free ? 'confirmed' : 'held', terms, input, now, source: opts.source ?? (ctx.principal.kind === 'staff' ? 'staff' : 'online'),
        createdByStaff: ctx.principal.kind === 'staff' ? ctx.principal.id : null, holdUntil: free ? null : holdUntil(now, t.start, f.holdMinutes), demo: rt.demo(),
      });
      if (!row) throw f.kind === 'bus' ? conflict(FULL, { reason: 'full' }) : conflict(TAKEN, { reason: 'taken' });
      if (opts.idempotencyKey) await bookings.insertIdempotencyKey(tx, owner, opts.idempotencyKey, hash, row.id);
      if (terms.personId) await recordAccess(tx, rt.access.auditEntry(ctx, 'booking.create', [terms.personId], ['booking']));
      await mailBooker(tx, free ? 'confirmed' : 'held', row, f, { publicUrl: rt.config.publicUrl, townName: rt.townName() });
      await emitEvent(tx, free ? 'reservations.booking.confirmed' : 'reservations.booking.held', terms.personId ? [terms.personId] : [], eventPayload(row, f));
      return row;
    }));
  } catch (err) {
    if (isSqlState(err, '23P01')) throw f.kind === 'bus' ? conflict(FULL, { reason: 'full' }) : conflict(TAKEN, { reason: 'taken' });
    if (opts.idempotencyKey && isSqlState(err, '23505')) {
      const seen = await bookings.findIdempotencyKey(rt.db, owner, opts.idempotencyKey);
      if (seen) return sameRequest(rt.db, seen, hash);
    }
    throw err;
  }
}

async function sameRequest(db: Queryable, seen: { request_hash: string; booking_id: string }, hash: string): Promise<BookingRow> {
  if (seen.request_hash !== hash) throw conflict('this Idempotency-Key was used for another request', { reason: 'idempotency-key-reused' });
  return (await bookings.findBooking(db, seen.booking_id))!;
}

export const eventPayload = (b: BookingRow, f: Facility) => ({
  bookingId: b.id,
  reference: b.reference,
  facility: f.code,
  state: b.state,
  start: b.starts_at.toISOString(),
  end: b.ends_at.toISOString(),
});

/**
 * Inserts a booking and its claims in the caller's transaction. Spaces claim their units
 * (an overlap fails the statement, 23P01); the bus tries its seats in order and takes the
 * first free one. Undefined when no seat is free, or (`gentle`) when a space is taken —
 * a gentle attempt leaves the transaction usable (the waiting list offers in a release).
 */
export async function insertClaimed(
  tx: Queryable,
  t: Target,
  b: {
    id: string; state: 'held' | 'confirmed'; terms: Terms; input: Pick<BookingInput, 'people' | 'purposeOfUse' | 'contactEmail' | 'contactPhone' | 'locale'>;
    now: Date; source: Source; createdByStaff: string | null; holdUntil: Date | null; demo: boolean; gentle?: boolean;
  },
): Promise<BookingRow | undefined> {
  const f = t.facility;
  const first = t.unit?.id ?? t.claimUnits[0];
  if (!first) return undefined;
  const row = await bookings.insertBooking(tx, {
    id: b.id, facilityId: f.id, unitId: first, tripId: t.trip?.id ?? null, start: t.start, end: t.end, state: b.state,
    bookerKind: b.terms.bookerKind, personId: b.terms.personId, bookerName: b.terms.bookerName, groupId: b.terms.groupId,
    contactEmail: b.input.contactEmail?.trim() || null, contactPhone: b.input.contactPhone?.trim() || null, people: b.input.people,
    purposeOfUse: (b.input.purposeOfUse ?? '').trim(), base: b.terms.fee.base, surcharge: b.terms.fee.surcharge,
    reductionCode: b.terms.reduction?.code ?? null, reduction: b.terms.fee.reduction, amount: b.terms.fee.amount,
    paidBy: b.state === 'confirmed' ? 'free' : null, holdUntil: b.holdUntil, source: b.source, createdByStaff: b.createdByStaff,
    locale: b.input.locale === 'en' || b.input.locale === 'ja-easy' ? b.input.locale : 'ja', now: b.now, demo: b.demo,
  });
  if (f.kind === 'bus') {
    for (const seat of t.claimUnits) {
      if (await bookings.tryClaimUnit(tx, row.id, seat, t.start, t.end)) {
        if (seat !== first) await bookings.setBookingUnit(tx, row.id, seat);
        return { ...row, unit_id: seat };
      }
    }
    await bookings.deleteBooking(tx, row.id);
    return undefined;
  }
  if (!b.gentle) {
    await bookings.claimUnits(tx, row.id, t.claimUnits, t.start, t.end);
    return row;
  }
  for (const unit of t.claimUnits) {
    if (!(await bookings.tryClaimUnit(tx, row.id, unit, t.start, t.end))) {
      await bookings.dropClaims(tx, row.id);
      await bookings.deleteBooking(tx, row.id);
      return undefined;
    }
  }
  return row;
}
