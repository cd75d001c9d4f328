/**
 * What the facilities desk changes: a facility's rules (windows, hold, cancellation deadline,
 * surcharge, capacity, whether it is let by lottery, whether it is in use), its opening hours,
 * its units' fees and capacities and new units; closures (休館日, maintenance, the town's
 * events) and their removal; checking people in (taking the fee at the counter when it is
 * still unpaid) and recording no-shows. Every change is logged with who made it.
 */
import type { Queryable } from '../../platform/db/db.js';
import { recordAccess } from '../../platform/audit.js';
import { conflict, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { emitEvent } from '../../platform/outbox.js';
import type { AccessContext } from '../access/index.js';
import { eventPayload } from './booking.js';
import * as bookings from './booking-store.js';
import type { BookingRow } from './booking-store.js';
import * as facilities from './facility-store.js';
import type { Facility } from './facility-store.js';
import { endBooking } from './lifecycle.js';
import { logSetup } from './lottery-store.js';
import type { ReservationsRuntime } from './runtime.js';
import { insertUnit, setHours } from './setup-store.js';
import * as store from './staff-store.js';
import { addDays, isDate, jst, minutesOf } from './time.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const staffId = (ctx: AccessContext) => (ctx.principal.kind === 'staff' ? ctx.principal.id : null);

async function facilityOr404(db: Queryable, code: string): Promise<Facility> {
  const f = (await facilities.loadFacilities(db, { codes: [code], includeInactive: true }))[0];
  if (!f) throw notFound(`facility ${code.slice(0, 64)}`);
  return f;
}

const inRange = (issues: FieldIssue[], field: string, v: number, min: number, max: number) => {
  if (!Number.isInteger(v) || v < min || v > max) issues.push({ field, message: `a whole number from ${min} to ${max}` });
};

/** Changes a facility's rules (422-free: a rule that does not fit is a 400 naming the field). */
export async function updateRules(rt: ReservationsRuntime, ctx: AccessContext, code: string, r: store.RulesRecord): Promise<Facility> {
  const issues: FieldIssue[] = [];
  inRange(issues, 'capacity', r.capacity, 1, 10000);
  inRange(issues, 'holdMinutes', r.holdMinutes, 5, 1440);
  inRange(issues, 'residentWindowDays', r.residentWindowDays, 1, 400);
  inRange(issues, 'nonresidentWindowDays', r.nonresidentWindowDays, 0, 400);
  inRange(issues, 'closesMinutesBefore', r.closesMinutesBefore, 0, 20160);
  inRange(issues, 'cancelDeadlineDays', r.cancelDeadlineDays, 0, 365);
  inRange(issues, 'surchargePercent', r.surchargePercent, 0, 400);
  inRange(issues, 'maxActive', r.maxActive, 1, 100);
  if (!TIME.test(r.windowOpensAt)) issues.push({ field: 'windowOpensAt', message: 'HH:MM' });
  if (issues.length === 0 && r.nonresidentWindowDays > r.residentWindowDays) issues.push({ field: 'nonresidentWindowDays', message: 'at most the residents’ window' });
  if (issues.length) throw validationError('the rules do not fit', issues);
  return rt.db.transaction(async (tx) => {
    const f = await facilityOr404(tx, code);
    await store.updateRules(tx, f.id, r);
    await logSetup(tx, f.id, staffId(ctx), 'rules', { ...r }, rt.now());
    await emitEvent(tx, 'reservations.facility.changed', [], { facility: f.code, what: 'rules' });
    return facilityOr404(tx, code);
  });
}

/** Sets the opening hours (a weekday missing: closed that day). */
export async function updateHours(rt: ReservationsRuntime, ctx: AccessContext, code: string, hours: { weekday: number; opens: string; closes: string }[]): Promise<Facility> {
  const issues: FieldIssue[] = [];
  for (const h of hours) {
    if (!TIME.test(h.opens) || !TIME.test(h.closes) || minutesOf(h.opens) >= minutesOf(h.closes)) issues.push({ field: `hours-${h.weekday}`, message: 'opens before it closes, HH:MM' });
  }
  if (new Set(hours.map((h) => h.weekday)).size !== hours.length || hours.some((h) => h.weekday < 0 || h.weekday > 6)) issues.push({ field: 'hours', message: 'one line per weekday' });
  if (issues.length) throw validationError('the opening hours do not fit', issues);
  return rt.db.transaction(async (tx) => {
    const f = await facilityOr404(tx, code);
    await setHours(tx, f.id, hours);
    await logSetup(tx, f.id, staffId(ctx), 'hours', { hours }, rt.now());
    await emitEvent(tx, 'reservations.facility.changed', [], { facility: f.code, what: 'hours' });
    return facilityOr404(tx, code);
  });
}

/** Changes units' resident fee per hour, capacity and whether they are let. */
export async function updateUnits(rt: ReservationsRuntime, ctx: AccessContext, code: string, units: { code: string; hourlyFee: number; capacity: number | null; active: boolean }[]): Promise<Facility> {
  const issues: FieldIssue[] = [];
  for (const u of units) {
    inRange(issues, `fee-${u.code}`, u.hourlyFee, 0, 1_000_000);
    if (u.capacity !== null) inRange(issues, `capacity-${u.code}`, u.capacity, 1, 10000);
  }
  if (issues.length) throw validationError('the units do not fit', issues);
  return rt.db.transaction(async (tx) => {
    const f = await facilityOr404(tx, code);
    const changed = [];
    for (const u of units) {
      const unit = f.units.find((x) => x.code === u.code);
      if (!unit) throw notFound(`unit ${u.code.slice(0, 40)} of facility ${f.code}`);
      if (unit.hourlyFee === u.hourlyFee && unit.capacity === u.capacity && unit.active === u.active) continue;
      await store.updateUnit(tx, unit.id, u);
      changed.push({ code: u.code, hourlyFee: [unit.hourlyFee, u.hourlyFee], capacity: [unit.capacity, u.capacity], active: [unit.active, u.active] });
    }
    if (changed.length) {
      await logSetup(tx, f.id, staffId(ctx), 'units', { changed }, rt.now());
      await emitEvent(tx, 'reservations.facility.changed', [], { facility: f.code, what: 'units' });
    }
    return facilityOr404(tx, code);
  });
}

/** Adds a unit (a room, a court) to a facility; 409 when the code is taken. */
export async function addUnit(rt: ReservationsRuntime, ctx: AccessContext, code: string, u: { code: string; nameJa: string; nameEn: string; hourlyFee: number; capacity: number | null }): Promise<Facility> {
  const issues: FieldIssue[] = [];
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(u.code)) issues.push({ field: 'unitCode', message: 'lower-case letters, digits and hyphens' });
  if (!u.nameJa.trim() || u.nameJa.length > 100) issues.push({ field: 'unitNameJa', message: 'required' });
  inRange(issues, 'unitFee', u.hourlyFee, 0, 1_000_000);
  if (u.capacity !== null) inRange(issues, 'unitCapacity', u.capacity, 1, 10000);
  if (issues.length) throw validationError('the unit does not fit', issues);
  return rt.db.transaction(async (tx) => {
    const f = await facilityOr404(tx, code);
    if (f.kind === 'bus') throw validationError('the bus’s seats are not added here', [{ field: 'unitCode', message: 'not for the bus' }]);
    if (f.units.some((x) => x.code === u.code)) throw conflict('a unit of this facility has that code', { reason: 'unit-code-taken' });
    await insertUnit(tx, {
      id: newId(), facilityId: f.id, code: u.code, nameJa: u.nameJa.trim(), nameEn: u.nameEn.trim() || u.nameJa.trim(), kind: 'space', hourlyFee: u.hourlyFee, capacity: u.capacity,
      sortOrder: await store.nextUnitOrder(tx, f.id), demo: false,
    });
    await logSetup(tx, f.id, staffId(ctx), 'unit-added', { code: u.code, hourlyFee: u.hourlyFee, capacity: u.capacity }, rt.now());
    await emitEvent(tx, 'reservations.facility.changed', [], { facility: f.code, what: 'unit-added', unit: u.code });
    return facilityOr404(tx, code);
  });
}

export interface NewBlock {
  /** A unit code, or none for the whole facility. */
  unit?: string | undefined;
  fromDate: string;
  toDate: string;
  /** HH:MM on the first day / the last day; none: the whole days. */
  fromTime?: string | undefined;
  toTime?: string | undefined;
  reason: 'closed' | 'maintenance' | 'event';
  noteJa?: string | undefined;
  noteEn?: string | undefined;
}

/** Closes a facility (or one unit) over a period. 409 with the bookings it would collide with. */
export async function addBlock(rt: ReservationsRuntime, ctx: AccessContext, code: string, b: NewBlock): Promise<{ id: string }> {
  if (!isDate(b.fromDate) || !isDate(b.toDate) || b.toDate < b.fromDate) throw validationError('the dates of the closure', [{ field: 'fromDate', message: 'dates, the first first' }]);
  if ((b.fromTime && !TIME.test(b.fromTime)) || (b.toTime && !TIME.test(b.toTime))) throw validationError('the times of the closure', [{ field: 'fromTime', message: 'HH:MM' }]);
  const start = jst(b.fromDate, b.fromTime || '00:00');
  const end = b.toTime ? jst(b.toDate, b.toTime) : jst(addDays(b.toDate, 1), '00:00');
  if (end <= start) throw validationError('the closure ends after it starts', [{ field: 'toTime', message: 'after the start' }]);
  if (end.getTime() - start.getTime() > 370 * 86_400_000) throw validationError('a closure is at most a year', [{ field: 'toDate', message: 'too long' }]);
  const now = rt.now();
  return rt.db.transaction(async (tx) => {
    const f = await facilityOr404(tx, code);
    const unit = b.unit ? f.units.find((u) => u.code === b.unit) : undefined;
    if (b.unit && !unit) throw notFound(`unit ${b.unit.slice(0, 40)} of facility ${f.code}`);
    // A closure claims the units that make up what it closes (the whole facility: every base unit).
    const claimUnits = unit ? unit.claims : [...new Set(f.units.flatMap((u) => u.claims))];
    const colliding = await store.liveBookingsOn(tx, claimUnits, start, end);
    if (colliding.length) throw conflict('bookings are live in that period: cancel or move them first', { reason: 'bookings', references: colliding.slice(0, 50).map((x) => x.reference) });
    const id = newId();
    await facilities.insertBlock(tx, {
      id, facilityId: f.id, unitId: unit?.id ?? null, start, end, reason: b.reason, noteJa: (b.noteJa ?? '').trim().slice(0, 200), noteEn: (b.noteEn ?? '').trim().slice(0, 200),
      createdBy: staffId(ctx), demo: false, claimUnits,
    });
    await logSetup(tx, f.id, staffId(ctx), 'block-added', { blockId: id, unit: unit?.code ?? null, start: start.toISOString(), end: end.toISOString(), reason: b.reason }, now);
    await emitEvent(tx, 'reservations.facility.closed', [], { facility: f.code, unit: unit?.code ?? null, start: start.toISOString(), end: end.toISOString(), reason: b.reason });
    return { id };
  });
}

/** Lifts a closure: its claims are released (the slots are bookable again). */
export async function removeBlock(rt: ReservationsRuntime, ctx: AccessContext, code: string, blockId: string): Promise<void> {
  await rt.db.transaction(async (tx) => {
    const f = await facilityOr404(tx, code);
    const k = await store.findBlock(tx, blockId);
    if (!k || k.facility_id !== f.id) throw notFound(`closure ${blockId}`);
    if (k.removed_at) throw conflict('the closure was lifted already', { reason: 'removed' });
    await store.removeBlock(tx, blockId, rt.now());
    await logSetup(tx, f.id, staffId(ctx), 'block-removed', { blockId }, rt.now());
  });
}

/**
 * Checks a booker in: a confirmed booking becomes checked in; an unpaid hold is first paid at
 * the counter (`collect`) — the fee recorded as taken there. 409 for anything else.
 */
export async function checkIn(rt: ReservationsRuntime, ctx: AccessContext, bookingId: string, opts: { collect?: boolean; version?: number } = {}): Promise<BookingRow> {
  const now = rt.now();
  return rt.db.transaction(async (tx) => {
    const b = await bookings.findBooking(tx, bookingId, { lock: true });
    if (!b) throw notFound(`booking ${bookingId}`);
    if (opts.version !== undefined && opts.version !== b.lock_version) throw conflict('the booking changed since it was shown; look again', { version: b.lock_version });
    if (b.ends_at <= now) throw conflict('the booking is over', { reason: 'over' });
    if (b.state === 'held') {
      if (!opts.collect) throw conflict('the booking is not paid: take the fee at the counter first', { reason: 'unpaid', amount: b.amount });
      await bookings.markConfirmed(tx, b.id, { paidBy: 'counter', paymentId: null, at: now });
    } else if (b.state !== 'confirmed') {
      throw conflict(`a ${b.state} booking cannot be checked in`, { state: b.state });
    }
    await store.markCheckedIn(tx, b.id, now);
    const after = (await bookings.findBooking(tx, b.id))!;
    const f = (await facilities.loadFacilityById(tx, b.facility_id))!;
    await recordAccess(tx, rt.access.auditEntry(ctx, 'booking.check-in', b.person_id ? [b.person_id] : [], ['booking']));
    await emitEvent(tx, 'reservations.booking.checked-in', b.person_id ? [b.person_id] : [], eventPayload(after, f));
    return after;
  });
}

/** Records that a confirmed booking was not used (after its start): its claims are released. */
export async function markNoShow(rt: ReservationsRuntime, ctx: AccessContext, bookingId: string): Promise<BookingRow> {
  const now = rt.now();
  return rt.db.transaction(async (tx) => {
    const b = await bookings.findBooking(tx, bookingId, { lock: true });
    if (!b) throw notFound(`booking ${bookingId}`);
    if (b.state !== 'confirmed') throw conflict(`a ${b.state} booking cannot be marked as not used`, { state: b.state });
    if (b.starts_at > now) throw conflict('the booking has not started yet', { reason: 'not-started' });
    const f = (await facilities.loadFacilityById(tx, b.facility_id))!;
    await endBooking(rt, tx, b, f, 'no-show', { reason: 'not used', refund: null, now });
    await recordAccess(tx, rt.access.auditEntry(ctx, 'booking.no-show', b.person_id ? [b.person_id] : [], ['booking']));
    const after = (await bookings.findBooking(tx, b.id))!;
    await emitEvent(tx, 'reservations.booking.no-show', b.person_id ? [b.person_id] : [], eventPayload(after, f));
    return after;
  });
}
