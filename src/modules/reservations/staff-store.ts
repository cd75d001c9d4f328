/** SQL of the facilities desk: editing a facility's rules and units, closures, checking in, the figures of occupancy and money taken at the counter. */
import type { Queryable } from '../../platform/db/db.js';

export interface RulesRecord {
  capacity: number;
  holdMinutes: number;
  residentWindowDays: number;
  nonresidentWindowDays: number;
  windowOpensAt: string;
  closesMinutesBefore: number;
  cancelDeadlineDays: number;
  surchargePercent: number;
  maxActive: number;
  lottery: boolean;
  active: boolean;
}

export async function updateRules(db: Queryable, facilityId: string, r: RulesRecord): Promise<void> {
  await db.query(
    `UPDATE reservations.facilities SET capacity = $2, hold_minutes = $3, resident_window_days = $4, nonresident_window_days = $5, window_opens_at = $6::time,
            closes_minutes_before = $7, cancel_deadline_days = $8, nonresident_surcharge_percent = $9, max_active_per_booker = $10, lottery = $11, active = $12
      WHERE id = $1`,
    [facilityId, r.capacity, r.holdMinutes, r.residentWindowDays, r.nonresidentWindowDays, r.windowOpensAt, r.closesMinutesBefore, r.cancelDeadlineDays, r.surchargePercent, r.maxActive, r.lottery, r.active],
  );
}

export async function updateUnit(db: Queryable, unitId: string, u: { hourlyFee: number; capacity: number | null; active: boolean }): Promise<void> {
  await db.query(`UPDATE reservations.units SET hourly_fee = $2, capacity = $3, active = $4 WHERE id = $1`, [unitId, u.hourlyFee, u.capacity, u.active]);
}

export async function nextUnitOrder(db: Queryable, facilityId: string): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT coalesce(max(sort_order), 0)::int + 10 AS n FROM reservations.units WHERE facility_id = $1`, [facilityId]);
  return Number(rows[0]?.n ?? 10);
}

/** Live bookings that overlap some units over a range (what a closure would collide with). */
export async function liveBookingsOn(db: Queryable, unitIds: readonly string[], from: Date, to: Date): Promise<{ id: string; reference: string }[]> {
  return db.query(
    `SELECT DISTINCT b.id, b.reference FROM reservations.claims c JOIN reservations.bookings b ON b.id = c.booking_id
      WHERE c.unit_id = ANY($1::uuid[]) AND c.released_at IS NULL AND c.period && tstzrange($2, $3) ORDER BY b.reference`,
    [[...unitIds], from, to],
  );
}

export async function findBlock(db: Queryable, id: string): Promise<{ id: string; facility_id: string; removed_at: Date | null } | undefined> {
  return (await db.query<{ id: string; facility_id: string; removed_at: Date | null }>(`SELECT id, facility_id, removed_at FROM reservations.blocks WHERE id = $1 FOR UPDATE`, [id]))[0];
}

export async function removeBlock(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query(`UPDATE reservations.blocks SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL`, [id, at]);
  await db.query(`UPDATE reservations.claims SET released_at = $2 WHERE block_id = $1 AND released_at IS NULL`, [id, at]);
}

export async function bookingIdByReference(db: Queryable, reference: string): Promise<string | undefined> {
  return (await db.query<{ id: string }>(`SELECT id FROM reservations.bookings WHERE reference = $1`, [reference]))[0]?.id;
}

/** Confirmed → checked in; false when the booking was not confirmed. */
export async function markCheckedIn(db: Queryable, id: string, at: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE reservations.bookings SET state = 'checked-in', checked_in_at = $2, lock_version = lock_version + 1 WHERE id = $1 AND state = 'confirmed' RETURNING id`,
    [id, at],
  );
  return rows.length === 1;
}

/** Booked time of a facility's bookings over a range (for occupancy): the unit claimed, when. */
export async function bookedClaims(db: Queryable, facilityId: string, from: Date, to: Date): Promise<{ unit_id: string; starts_at: Date; ends_at: Date }[]> {
  return db.query(
    `SELECT c.unit_id, lower(c.period) AS starts_at, upper(c.period) AS ends_at FROM reservations.claims c JOIN reservations.bookings b ON b.id = c.booking_id
      WHERE b.facility_id = $1 AND b.state IN ('held', 'confirmed', 'checked-in', 'no-show') AND (c.released_at IS NULL OR b.state = 'no-show') AND c.period && tstzrange($2, $3)`,
    [facilityId, from, to],
  );
}

/** Closed time of a facility's units over a range. */
export async function blockedClaims(db: Queryable, facilityId: string, from: Date, to: Date): Promise<{ unit_id: string; starts_at: Date; ends_at: Date }[]> {
  return db.query(
    `SELECT c.unit_id, lower(c.period) AS starts_at, upper(c.period) AS ends_at FROM reservations.claims c JOIN reservations.blocks k ON k.id = c.block_id
      WHERE k.facility_id = $1 AND c.released_at IS NULL AND c.period && tstzrange($2, $3)`,
    [facilityId, from, to],
  );
}

/** Which facility each booking is of (to put payments' movements under their facility). */
export async function facilityOfBookings(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; facility_id: string }>(`SELECT id, facility_id FROM reservations.bookings WHERE id = ANY($1::uuid[])`, [[...ids]]);
  return new Map(rows.map((r) => [r.id, r.facility_id]));
}

/** Money taken at the facilities' counters over a range: fees paid there, refunds given there, refunds still owed there. */
export async function counterMoney(db: Queryable, from: Date, to: Date): Promise<{ facility_id: string; received: number; receipts: number; refunded: number; owed: number }[]> {
  const rows = await db.query<{ facility_id: string; received: number; receipts: number; refunded: number; owed: number }>(
    `SELECT f.id AS facility_id,
            coalesce((SELECT sum(amount) FROM reservations.bookings b WHERE b.facility_id = f.id AND b.paid_by = 'counter' AND b.paid_at >= $1 AND b.paid_at < $2), 0)::int AS received,
            (SELECT count(*) FROM reservations.bookings b WHERE b.facility_id = f.id AND b.paid_by = 'counter' AND b.paid_at >= $1 AND b.paid_at < $2)::int AS receipts,
            coalesce((SELECT sum(r.amount) FROM reservations.refunds r JOIN reservations.bookings b ON b.id = r.booking_id
                       WHERE b.facility_id = f.id AND r.state = 'paid-at-counter' AND r.done_at >= $1 AND r.done_at < $2), 0)::int AS refunded,
            coalesce((SELECT sum(r.amount) FROM reservations.refunds r JOIN reservations.bookings b ON b.id = r.booking_id
                       WHERE b.facility_id = f.id AND r.state = 'at-counter'), 0)::int AS owed
       FROM reservations.facilities f ORDER BY f.sort_order, f.code`,
    [from, to],
  );
  return rows.map((r) => ({ facility_id: r.facility_id, received: Number(r.received), receipts: Number(r.receipts), refunded: Number(r.refunded), owed: Number(r.owed) }));
}

/** The latest changes to a facility's set-up. */
export async function setupLog(db: Queryable, facilityId: string, limit: number): Promise<{ at: Date; what: string }[]> {
  const rows = await db.query<{ at: Date; what: string }>(`SELECT at, what FROM reservations.setup_log WHERE facility_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, [facilityId, limit]);
  return rows.map((r) => ({ at: new Date(r.at), what: r.what }));
}
