/** SQL that sets facilities up: the facility and its rules, hours, periods, refund steps, units and parts, trips, reductions. */
import type { Queryable } from '../../platform/db/db.js';

export interface FacilityRecord {
  id: string;
  code: string;
  kind: 'room' | 'gym' | 'court' | 'hall' | 'bus';
  nameJa: string;
  nameEn: string;
  placeJa: string;
  placeEn: string;
  descriptionJa: string;
  descriptionEn: string;
  capacity: number;
  slotMinutes: number;
  holdMinutes: number;
  konbiniHoldHours: number;
  offerHoldHours?: number;
  residentWindowDays: number;
  nonresidentWindowDays: number;
  windowOpensAt?: string;
  closesMinutesBefore: number;
  cancelDeadlineDays: number;
  surchargePercent: number;
  maxActive: number;
  lottery: boolean;
  sortOrder: number;
  demo: boolean;
}

export async function insertFacility(db: Queryable, f: FacilityRecord): Promise<void> {
  await db.query(
    `INSERT INTO reservations.facilities (id, code, kind, name_ja, name_en, place_ja, place_en, description_ja, description_en, capacity, slot_minutes,
        hold_minutes, konbini_hold_hours, offer_hold_hours, resident_window_days, nonresident_window_days, window_opens_at, closes_minutes_before,
        cancel_deadline_days, nonresident_surcharge_percent, max_active_per_booker, lottery, sort_order, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::time, $18, $19, $20, $21, $22, $23, $24)`,
    [
      f.id, f.code, f.kind, f.nameJa, f.nameEn, f.placeJa, f.placeEn, f.descriptionJa, f.descriptionEn, f.capacity, f.slotMinutes,
      f.holdMinutes, f.konbiniHoldHours, f.offerHoldHours ?? 24, f.residentWindowDays, f.nonresidentWindowDays, f.windowOpensAt ?? '09:00',
      f.closesMinutesBefore, f.cancelDeadlineDays, f.surchargePercent, f.maxActive, f.lottery, f.sortOrder, f.demo,
    ],
  );
}

export async function setHours(db: Queryable, facilityId: string, hours: readonly { weekday: number; opens: string; closes: string }[]): Promise<void> {
  await db.query(`DELETE FROM reservations.opening_hours WHERE facility_id = $1`, [facilityId]);
  if (hours.length === 0) return;
  await db.query(
    `INSERT INTO reservations.opening_hours (facility_id, weekday, opens, closes) SELECT $1, w, o::time, c::time FROM unnest($2::int[], $3::text[], $4::text[]) AS h (w, o, c)`,
    [facilityId, hours.map((h) => h.weekday), hours.map((h) => h.opens), hours.map((h) => h.closes)],
  );
}

export async function setPeriods(db: Queryable, facilityId: string, periods: readonly { code: string; nameJa: string; nameEn: string; starts: string; ends: string }[]): Promise<void> {
  await db.query(`DELETE FROM reservations.periods WHERE facility_id = $1`, [facilityId]);
  if (periods.length === 0) return;
  await db.query(
    `INSERT INTO reservations.periods (facility_id, code, name_ja, name_en, starts, ends)
     SELECT $1, c, j, e, s::time, x::time FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS p (c, j, e, s, x)`,
    [facilityId, periods.map((p) => p.code), periods.map((p) => p.nameJa), periods.map((p) => p.nameEn), periods.map((p) => p.starts), periods.map((p) => p.ends)],
  );
}

export async function setCancellationRules(db: Queryable, facilityId: string, steps: readonly { daysBefore: number; refundPercent: number }[]): Promise<void> {
  await db.query(`DELETE FROM reservations.cancellation_rules WHERE facility_id = $1`, [facilityId]);
  if (steps.length === 0) return;
  await db.query(
    `INSERT INTO reservations.cancellation_rules (facility_id, days_before, refund_percent) SELECT $1, d, p FROM unnest($2::int[], $3::int[]) AS s (d, p)`,
    [facilityId, steps.map((s) => s.daysBefore), steps.map((s) => s.refundPercent)],
  );
}

export async function insertUnit(
  db: Queryable,
  u: { id: string; facilityId: string; code: string; nameJa: string; nameEn: string; kind: 'space' | 'seat'; hourlyFee: number; capacity: number | null; sortOrder: number; demo: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO reservations.units (id, facility_id, code, name_ja, name_en, kind, hourly_fee, capacity, sort_order, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [u.id, u.facilityId, u.code, u.nameJa, u.nameEn, u.kind, u.hourlyFee, u.capacity, u.sortOrder, u.demo],
  );
}

export async function setParts(db: Queryable, unitId: string, partIds: readonly string[]): Promise<void> {
  await db.query(`DELETE FROM reservations.unit_parts WHERE unit_id = $1`, [unitId]);
  if (partIds.length) await db.query(`INSERT INTO reservations.unit_parts (unit_id, part_id) SELECT $1, p FROM unnest($2::uuid[]) AS p`, [unitId, [...partIds]]);
}

export async function insertTrips(db: Queryable, trips: readonly { id: string; facilityId: string; departsAt: Date; returnsAt: Date; routeJa: string; routeEn: string; fare: number; demo: boolean }[]): Promise<void> {
  if (trips.length === 0) return;
  await db.query(
    `INSERT INTO reservations.trips (id, facility_id, departs_at, returns_at, route_ja, route_en, fare, demo)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::int[], $8::boolean[])`,
    [trips.map((t) => t.id), trips.map((t) => t.facilityId), trips.map((t) => t.departsAt), trips.map((t) => t.returnsAt), trips.map((t) => t.routeJa), trips.map((t) => t.routeEn), trips.map((t) => t.fare), trips.map((t) => t.demo)],
  );
}

export async function insertReduction(
  db: Queryable,
  r: { code: string; nameJa: string; nameEn: string; percent: number; basis: 'register-age' | 'declared' | 'group'; minAge: number | null; maxAge: number | null; proofJa: string; proofEn: string; sortOrder: number; demo: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO reservations.reductions (code, name_ja, name_en, percent, basis, min_age, max_age, proof_ja, proof_en, sort_order, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [r.code, r.nameJa, r.nameEn, r.percent, r.basis, r.minAge, r.maxAge, r.proofJa, r.proofEn, r.sortOrder, r.demo],
  );
}

/** Demo bookings (paid at the counter or free), written in bulk with their claims. */
export async function insertSeedBookings(
  db: Queryable,
  rows: readonly { id: string; facilityId: string; unitId: string; tripId: string | null; start: Date; end: Date; personId: string; groupId: string | null; people: number; purposeOfUse: string; base: number; reductionCode: string | null; reduction: number; amount: number; paidBy: 'counter' | 'free'; createdAt: Date; claimUnits: string[] }[],
): Promise<void> {
  for (const r of rows) {
    await db.query(
      `INSERT INTO reservations.bookings (id, reference, facility_id, unit_id, trip_id, period, state, booker_kind, person_id, group_id, people, purpose_of_use,
          base_amount, reduction_code, reduction_amount, amount, paid_by, paid_at, source, created_at, confirmed_at, demo)
       VALUES ($1, 'R-' || to_char($13::timestamptz AT TIME ZONE 'Asia/Tokyo', 'YYYY') || '-' || lpad(nextval('reservations.booking_number')::text, 6, '0'),
          $2, $3, $4, tstzrange($5, $6), 'confirmed', 'resident', $7, $8, $9, $10, $11, $12, $14, $15, $16,
          CASE WHEN $16 = 'counter' THEN $13::timestamptz END, 'demo', $13, $13, true)`,
      [r.id, r.facilityId, r.unitId, r.tripId, r.start, r.end, r.personId, r.groupId, r.people, r.purposeOfUse, r.base, r.reductionCode, r.createdAt, r.reduction, r.amount, r.paidBy],
    );
    await db.query(`INSERT INTO reservations.claims (unit_id, period, booking_id) SELECT u, tstzrange($2, $3), $4 FROM unnest($1::uuid[]) AS u`, [r.claimUnits, r.start, r.end, r.id]);
  }
}
