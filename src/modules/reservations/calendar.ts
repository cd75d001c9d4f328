/**
 * Availability: what each slot of each unit is on some days — 空き, 予約済み, 抽選, 休館, not
 * yet open for booking, or past — from the live claims and open lottery rounds. The status is
 * worked out by a pure function, so pages, the API and tests read the same answer. Nobody's
 * name is ever part of it.
 */
import type { Queryable } from '../../platform/db/db.js';
import * as store from './facility-store.js';
import type { CalendarClaim, Facility, LotterySlot, Trip, Unit } from './facility-store.js';
import { bookingClosesAt, slotsOn, windowOpensFor, type BookerKind, type Slot } from './rules.js';
import { addDays, jst } from './time.js';

export const SLOT_STATUSES = ['available', 'taken', 'lottery', 'closed', 'not-yet-open', 'past'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

export interface SlotCell {
  slot: Slot;
  status: SlotStatus;
  /** When booking opens (not-yet-open). */
  opensAt?: Date;
}

export interface UnitDay {
  unit: Unit;
  date: string;
  cells: SlotCell[];
}

export interface TripCell {
  trip: Trip;
  status: SlotStatus;
  seats: number;
  free: number;
  opensAt?: Date;
}

const overlaps = (a: { start: Date; end: Date }, b: { start: Date; end: Date }) => a.start < b.end && b.start < a.end;

/** The status of one slot of a unit, given what is on the calendar. */
export function slotStatus(
  f: Facility,
  unit: Pick<Unit, 'claims'>,
  slot: { date: string; start: Date; end: Date },
  on: { claims: readonly CalendarClaim[]; lottery: readonly LotterySlot[]; lotteryClaims: (unitId: string) => readonly string[] },
  now: Date,
  booker: BookerKind,
): { status: SlotStatus; opensAt?: Date } {
  if (now >= bookingClosesAt(f, slot.start)) return { status: 'past' };
  const mine = on.claims.filter((c) => unit.claims.includes(c.unitId) && overlaps(c, slot));
  if (mine.some((c) => c.kind === 'block')) return { status: 'closed' };
  if (mine.length > 0) return { status: 'taken' };
  if (on.lottery.some((l) => overlaps(l, slot) && on.lotteryClaims(l.unitId).some((u) => unit.claims.includes(u)))) return { status: 'lottery' };
  const opensAt = windowOpensFor(f, slot.date, booker);
  if (now < opensAt) return { status: 'not-yet-open', opensAt };
  return { status: 'available' };
}

/** The slots of every bookable unit of a facility over `days` days from `from`. */
export async function unitDays(db: Queryable, f: Facility, from: string, days: number, now: Date, booker: BookerKind = 'resident'): Promise<UnitDay[]> {
  const start = jst(from, '00:00');
  const end = jst(addDays(from, days), '00:00');
  const spaces = f.units.filter((u) => u.kind === 'space');
  const all = [...new Set(spaces.flatMap((u) => [u.id, ...u.claims]))];
  const claims = await store.liveClaims(db, all, start, end);
  const lottery = await store.openLotterySlots(db, spaces.map((u) => u.id), start, end);
  const claimsOf = (unitId: string) => spaces.find((u) => u.id === unitId)?.claims ?? [unitId];
  const out: UnitDay[] = [];
  for (let i = 0; i < days; i += 1) {
    const date = addDays(from, i);
    const slots = slotsOn(f, date);
    for (const unit of spaces) {
      out.push({ unit, date, cells: slots.map((slot) => ({ slot, ...slotStatus(f, unit, slot, { claims, lottery, lotteryClaims: claimsOf }, now, booker) })) });
    }
  }
  return out;
}

/** The bus's trips over `days` days from `from`, with free seats. */
export async function tripDays(db: Queryable, f: Facility, from: string, days: number, now: Date, booker: BookerKind = 'resident'): Promise<TripCell[]> {
  const start = jst(from, '00:00');
  const end = jst(addDays(from, days), '00:00');
  const trips = await store.tripsBetween(db, f.id, start, end);
  const seats = f.units.filter((u) => u.kind === 'seat');
  if (trips.length === 0) return [];
  const claims = await store.liveClaims(db, seats.map((s) => s.id), start, new Date(Math.max(...trips.map((t) => t.returnsAt.getTime()))));
  return trips.map((trip) => {
    const span = { start: trip.departsAt, end: trip.returnsAt };
    const on = claims.filter((c) => overlaps(c, span));
    const taken = new Set(on.map((c) => c.unitId));
    const free = seats.filter((s) => !taken.has(s.id)).length;
    const date = new Date(trip.departsAt.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
    const opensAt = windowOpensFor(f, date, booker);
    const status: SlotStatus =
      now >= bookingClosesAt(f, trip.departsAt) ? 'past'
      : on.some((c) => c.kind === 'block') ? 'closed'
      : free === 0 ? 'taken'
      : now < opensAt ? 'not-yet-open'
      : 'available';
    return { trip, status, seats: seats.length, free, ...(status === 'not-yet-open' ? { opensAt } : {}) };
  });
}

/** A day's summary for the month view: how many slots are free, or why none are. */
export interface DaySummary {
  date: string;
  total: number;
  available: number;
  /** The day's state in one word: some free, all taken, closed, lottery, not yet open, past, no slots (定休日). */
  state: 'available' | 'full' | 'closed' | 'lottery' | 'not-yet-open' | 'past' | 'no-slots';
  opensAt?: Date;
}

export function summarise(date: string, cells: readonly { status: SlotStatus; opensAt?: Date }[]): DaySummary {
  const total = cells.length;
  const available = cells.filter((c) => c.status === 'available').length;
  const all = (s: SlotStatus) => total > 0 && cells.every((c) => c.status === s);
  let state: DaySummary['state'];
  if (total === 0) state = 'no-slots';
  else if (available > 0) state = 'available';
  else if (all('past')) state = 'past';
  else if (all('closed')) state = 'closed';
  else if (cells.some((c) => c.status === 'not-yet-open')) state = 'not-yet-open';
  else if (cells.some((c) => c.status === 'lottery')) state = 'lottery';
  else state = 'full';
  const opensAt = cells.find((c) => c.opensAt)?.opensAt;
  return { date, total, available, state, ...(state === 'not-yet-open' && opensAt ? { opensAt } : {}) };
}
