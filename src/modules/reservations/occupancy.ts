/**
 * Occupancy (稼働率) of a facility by weekday × hour over a period: of the time its units were
 * open for letting (opening hours, or for the bus its trips' seats; closures taken out), the
 * share that was booked (held, confirmed, used, or booked and not used). Worked out per base
 * unit — a full-court booking of the gym fills both halves — in Japan time, pure once the
 * claims are read.
 */
import type { Queryable } from '../../platform/db/db.js';
import * as facilities from './facility-store.js';
import type { Facility } from './facility-store.js';
import * as store from './staff-store.js';
import { addDays, jst, weekdayOf } from './time.js';

const HOUR = 3_600_000;
const JST = 9 * HOUR;

export interface Interval {
  unit: string;
  start: Date;
  end: Date;
}

export interface Occupancy {
  facility: string;
  from: string;
  to: string;
  /** [weekday 0 Sunday … 6 Saturday][hour 0 … 23]: minutes open and booked (unit-minutes). */
  cells: { open: number; booked: number }[][];
  /** Hours (0 … 23) that were open on some weekday. */
  hours: number[];
  total: { open: number; booked: number };
}

/** Adds, per Japan weekday and hour, the minutes of [start, end) to `add`. */
function eachHour(start: Date, end: Date, add: (weekday: number, hour: number, minutes: number) => void): void {
  let t = Math.floor((start.getTime() + JST) / HOUR) * HOUR - JST;
  for (; t < end.getTime(); t += HOUR) {
    const from = Math.max(t, start.getTime());
    const to = Math.min(t + HOUR, end.getTime());
    if (to <= from) continue;
    const local = new Date(t + JST);
    add(local.getUTCDay(), local.getUTCHours(), (to - from) / 60_000);
  }
}

const overlap = (a: { start: Date; end: Date }, b: { start: Date; end: Date }) => a.start < b.end && b.start < a.end;
const clip = (x: { start: Date; end: Date }, to: { start: Date; end: Date }) => ({ start: new Date(Math.max(x.start.getTime(), to.start.getTime())), end: new Date(Math.min(x.end.getTime(), to.end.getTime())) });

/**
 * The figures, pure: `open` are the intervals each base unit was offered, `blocked` the closures,
 * `booked` the booked claims. Booked and closed time count only inside what was open.
 */
export function occupancyOf(p: { facility: string; from: string; to: string; open: Interval[]; blocked: Interval[]; booked: Interval[] }): Occupancy {
  const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => ({ open: 0, booked: 0 })));
  for (const o of p.open) {
    eachHour(o.start, o.end, (w, h, m) => (cells[w]![h]!.open += m));
    for (const k of p.blocked.filter((x) => x.unit === o.unit && overlap(x, o))) {
      const c = clip(k, o);
      eachHour(c.start, c.end, (w, h, m) => (cells[w]![h]!.open -= m));
    }
    for (const b of p.booked.filter((x) => x.unit === o.unit && overlap(x, o))) {
      const c = clip(b, o);
      eachHour(c.start, c.end, (w, h, m) => (cells[w]![h]!.booked += m));
    }
  }
  const hours = [...Array(24).keys()].filter((h) => cells.some((row) => row[h]!.open > 0 || row[h]!.booked > 0));
  const total = cells.flat().reduce((s, c) => ({ open: s.open + Math.max(c.open, 0), booked: s.booked + c.booked }), { open: 0, booked: 0 });
  return { facility: p.facility, from: p.from, to: p.to, cells, hours, total };
}

/** The share booked, 0 … 100 (whole percent), or undefined when nothing was open. */
export const rateOf = (c: { open: number; booked: number }): number | undefined => (c.open > 0 ? Math.min(100, Math.round((c.booked / c.open) * 100)) : undefined);

/** Reads a facility's open time, closures and bookings over [from, to] (dates, at most 92 days) and works out its occupancy. */
export async function facilityOccupancy(db: Queryable, f: Facility, from: string, to: string): Promise<Occupancy> {
  const start = jst(from, '00:00');
  const end = jst(addDays(to, 1), '00:00');
  const open: Interval[] = [];
  if (f.kind === 'bus') {
    const seats = f.units.filter((u) => u.kind === 'seat' && u.active).map((u) => u.id);
    for (const trip of await facilities.tripsBetween(db, f.id, start, end)) for (const unit of seats) open.push({ unit, start: trip.departsAt, end: trip.returnsAt });
  } else {
    const base = [...new Set(f.units.filter((u) => u.kind === 'space' && u.active).flatMap((u) => u.claims))];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const h = f.hours.get(weekdayOf(d));
      if (!h) continue;
      for (const unit of base) open.push({ unit, start: jst(d, h.opens), end: jst(d, h.closes) });
    }
  }
  const rows = (xs: { unit_id: string; starts_at: Date; ends_at: Date }[]) => xs.map((x) => ({ unit: x.unit_id, start: new Date(x.starts_at), end: new Date(x.ends_at) }));
  const blocked = rows(await store.blockedClaims(db, f.id, start, end));
  const booked = rows(await store.bookedClaims(db, f.id, start, end));
  return occupancyOf({ facility: f.code, from, to, open, blocked, booked });
}
