/** SQL of the facilities as data: facilities, units and their parts, hours, periods, fees, rules, trips, closures, reductions. */
import type { Queryable } from '../../platform/db/db.js';
import type { FacilityRules, Period } from './rules.js';

export type FacilityKind = FacilityRules['kind'];

export interface Unit {
  id: string;
  facilityId: string;
  code: string;
  nameJa: string;
  nameEn: string;
  kind: 'space' | 'seat';
  hourlyFee: number;
  capacity: number | null;
  active: boolean;
  sortOrder: number;
  /** The units it claims: its parts, or itself. */
  claims: string[];
}

export interface Facility extends FacilityRules {
  id: string;
  code: string;
  nameJa: string;
  nameEn: string;
  placeJa: string;
  placeEn: string;
  descriptionJa: string;
  descriptionEn: string;
  lottery: boolean;
  active: boolean;
  sortOrder: number;
  demo: boolean;
  units: Unit[];
}

interface FacilityRow {
  id: string;
  code: string;
  kind: FacilityKind;
  name_ja: string;
  name_en: string;
  place_ja: string;
  place_en: string;
  description_ja: string;
  description_en: string;
  capacity: number;
  slot_minutes: number;
  hold_minutes: number;
  konbini_hold_hours: number;
  offer_hold_hours: number;
  resident_window_days: number;
  nonresident_window_days: number;
  window_opens_at: string;
  closes_minutes_before: number;
  cancel_deadline_days: number;
  nonresident_surcharge_percent: number;
  max_active_per_booker: number;
  lottery: boolean;
  active: boolean;
  sort_order: number;
  demo: boolean;
}

const FACILITY = `id, code, kind, name_ja, name_en, place_ja, place_en, description_ja, description_en, capacity, slot_minutes, hold_minutes,
  konbini_hold_hours, offer_hold_hours, resident_window_days, nonresident_window_days, to_char(window_opens_at, 'HH24:MI') AS window_opens_at,
  closes_minutes_before, cancel_deadline_days, nonresident_surcharge_percent, max_active_per_booker, lottery, active, sort_order, demo`;

/** Facilities with everything their rules need, in display order (active ones only unless asked). */
export async function loadFacilities(db: Queryable, opts: { codes?: readonly string[]; ids?: readonly string[]; includeInactive?: boolean } = {}): Promise<Facility[]> {
  const rows = await db.query<FacilityRow>(
    `SELECT ${FACILITY} FROM reservations.facilities
      WHERE ($1::text[] IS NULL OR code = ANY($1::text[])) AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) AND ($3 OR active)
      ORDER BY sort_order, code`,
    [opts.codes ? [...opts.codes] : null, opts.ids ? [...opts.ids] : null, opts.includeInactive ?? false],
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // One after another: `db` may be a transaction's single connection.
  const hours = await db.query<{ facility_id: string; weekday: number; opens: string; closes: string }>(
    `SELECT facility_id, weekday, to_char(opens, 'HH24:MI') AS opens, to_char(closes, 'HH24:MI') AS closes FROM reservations.opening_hours WHERE facility_id = ANY($1::uuid[])`,
    [ids],
  );
  const periods = await db.query<{ facility_id: string; code: string; name_ja: string; name_en: string; starts: string; ends: string }>(
    `SELECT facility_id, code, name_ja, name_en, to_char(starts, 'HH24:MI') AS starts, to_char(ends, 'HH24:MI') AS ends FROM reservations.periods WHERE facility_id = ANY($1::uuid[]) ORDER BY starts`,
    [ids],
  );
  const steps = await db.query<{ facility_id: string; days_before: number; refund_percent: number }>(
    `SELECT facility_id, days_before, refund_percent FROM reservations.cancellation_rules WHERE facility_id = ANY($1::uuid[]) ORDER BY days_before DESC`,
    [ids],
  );
  const units = await db.query<{ id: string; facility_id: string; code: string; name_ja: string; name_en: string; kind: 'space' | 'seat'; hourly_fee: number; capacity: number | null; active: boolean; sort_order: number }>(
    `SELECT id, facility_id, code, name_ja, name_en, kind, hourly_fee, capacity, active, sort_order FROM reservations.units
      WHERE facility_id = ANY($1::uuid[]) AND ($2 OR active) ORDER BY sort_order, code`,
    [ids, opts.includeInactive ?? false],
  );
  const parts = await db.query<{ unit_id: string; part_id: string }>(
    `SELECT p.unit_id, p.part_id FROM reservations.unit_parts p JOIN reservations.units u ON u.id = p.unit_id JOIN reservations.units pu ON pu.id = p.part_id
      WHERE u.facility_id = ANY($1::uuid[]) ORDER BY pu.sort_order, pu.code`,
    [ids],
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    kind: r.kind,
    nameJa: r.name_ja,
    nameEn: r.name_en,
    placeJa: r.place_ja,
    placeEn: r.place_en,
    descriptionJa: r.description_ja,
    descriptionEn: r.description_en,
    capacity: r.capacity,
    slotMinutes: r.slot_minutes,
    holdMinutes: r.hold_minutes,
    konbiniHoldHours: r.konbini_hold_hours,
    offerHoldHours: r.offer_hold_hours,
    residentWindowDays: r.resident_window_days,
    nonresidentWindowDays: r.nonresident_window_days,
    windowOpensAt: r.window_opens_at,
    closesMinutesBefore: r.closes_minutes_before,
    cancelDeadlineDays: r.cancel_deadline_days,
    nonresidentSurchargePercent: r.nonresident_surcharge_percent,
    maxActivePerBooker: r.max_active_per_booker,
    lottery: r.lottery,
    active: r.active,
    sortOrder: r.sort_order,
    demo: r.demo,
    hours: new Map(hours.filter((h) => h.facility_id === r.id).map((h) => [Number(h.weekday), { opens: h.opens, closes: h.closes }])),
    periods: periods.filter((p) => p.facility_id === r.id).map((p): Period => ({ code: p.code, nameJa: p.name_ja, nameEn: p.name_en, starts: p.starts, ends: p.ends })),
    cancellation: steps.filter((s) => s.facility_id === r.id).map((s) => ({ daysBefore: s.days_before, refundPercent: s.refund_percent })),
    units: units
      .filter((u) => u.facility_id === r.id)
      .map((u) => {
        const own = parts.filter((p) => p.unit_id === u.id).map((p) => p.part_id);
        return {
          id: u.id, facilityId: u.facility_id, code: u.code, nameJa: u.name_ja, nameEn: u.name_en, kind: u.kind, hourlyFee: u.hourly_fee,
          capacity: u.capacity, active: u.active, sortOrder: u.sort_order, claims: own.length > 0 ? own : [u.id],
        };
      }),
  }));
}

export async function loadFacility(db: Queryable, code: string): Promise<Facility | undefined> {
  return (await loadFacilities(db, { codes: [code] }))[0];
}

export async function loadFacilityById(db: Queryable, id: string): Promise<Facility | undefined> {
  return (await loadFacilities(db, { ids: [id], includeInactive: true }))[0];
}

export interface Trip {
  id: string;
  facilityId: string;
  departsAt: Date;
  returnsAt: Date;
  routeJa: string;
  routeEn: string;
  fare: number;
  active: boolean;
}

const TRIP = `id, facility_id AS "facilityId", departs_at AS "departsAt", returns_at AS "returnsAt", route_ja AS "routeJa", route_en AS "routeEn", fare, active`;

export async function tripsBetween(db: Queryable, facilityId: string, from: Date, to: Date): Promise<Trip[]> {
  return db.query<Trip>(`SELECT ${TRIP} FROM reservations.trips WHERE facility_id = $1 AND active AND departs_at >= $2 AND departs_at < $3 ORDER BY departs_at, id`, [facilityId, from, to]);
}

export async function findTrip(db: Queryable, id: string): Promise<Trip | undefined> {
  return (await db.query<Trip>(`SELECT ${TRIP} FROM reservations.trips WHERE id = $1`, [id]))[0];
}

export interface Reduction {
  code: string;
  nameJa: string;
  nameEn: string;
  percent: number;
  basis: 'register-age' | 'declared' | 'group';
  minAge: number | null;
  maxAge: number | null;
  proofJa: string;
  proofEn: string;
}

export async function reductions(db: Queryable): Promise<Reduction[]> {
  return db.query<Reduction>(
    `SELECT code, name_ja AS "nameJa", name_en AS "nameEn", percent, basis, min_age AS "minAge", max_age AS "maxAge", proof_ja AS "proofJa", proof_en AS "proofEn"
       FROM reservations.reductions WHERE active ORDER BY sort_order, code`,
  );
}

/** What is on the calendar of some units over a range: live claims (bookings and closures) and open lottery slots. */
export interface CalendarClaim {
  unitId: string;
  start: Date;
  end: Date;
  kind: 'booking' | 'block';
}

export async function liveClaims(db: Queryable, unitIds: readonly string[], from: Date, to: Date): Promise<CalendarClaim[]> {
  const rows = await db.query<{ unit_id: string; s: Date; e: Date; block: boolean }>(
    `SELECT unit_id, lower(period) AS s, upper(period) AS e, block_id IS NOT NULL AS block FROM reservations.claims
      WHERE unit_id = ANY($1::uuid[]) AND released_at IS NULL AND period && tstzrange($2, $3)`,
    [[...unitIds], from, to],
  );
  return rows.map((r) => ({ unitId: r.unit_id, start: r.s, end: r.e, kind: r.block ? 'block' : 'booking' }));
}

export interface LotterySlot {
  roundId: string;
  unitId: string;
  start: Date;
  end: Date;
}

/** Slots of rounds still taking applications or not yet drawn: not bookable first come. */
export async function openLotterySlots(db: Queryable, unitIds: readonly string[], from: Date, to: Date): Promise<LotterySlot[]> {
  const rows = await db.query<{ round_id: string; unit_id: string; s: Date; e: Date }>(
    `SELECT s.round_id, s.unit_id, lower(s.period) AS s, upper(s.period) AS e FROM reservations.lottery_slots s
       JOIN reservations.lottery_rounds r ON r.id = s.round_id
      WHERE r.state = 'open' AND s.unit_id = ANY($1::uuid[]) AND s.period && tstzrange($2, $3)`,
    [[...unitIds], from, to],
  );
  return rows.map((r) => ({ roundId: r.round_id, unitId: r.unit_id, start: r.s, end: r.e }));
}

export interface BlockRow {
  id: string;
  unitId: string | null;
  start: Date;
  end: Date;
  reason: 'closed' | 'maintenance' | 'event';
  noteJa: string;
  noteEn: string;
}

export async function blocksBetween(db: Queryable, facilityId: string, from: Date, to: Date): Promise<BlockRow[]> {
  return db.query<BlockRow>(
    `SELECT id, unit_id AS "unitId", lower(period) AS start, upper(period) AS "end", reason, note_ja AS "noteJa", note_en AS "noteEn"
       FROM reservations.blocks WHERE facility_id = $1 AND removed_at IS NULL AND period && tstzrange($2, $3) ORDER BY lower(period)`,
    [facilityId, from, to],
  );
}

/** Closes units (all of the facility's when `unitIds` is every unit) over a period: the closure and one claim per unit. */
export async function insertBlock(
  db: Queryable,
  b: { id: string; facilityId: string; unitId: string | null; start: Date; end: Date; reason: BlockRow['reason']; noteJa: string; noteEn: string; createdBy: string | null; demo: boolean; claimUnits: readonly string[] },
): Promise<void> {
  await db.query(
    `INSERT INTO reservations.blocks (id, facility_id, unit_id, period, reason, note_ja, note_en, created_by, demo) VALUES ($1, $2, $3, tstzrange($4, $5), $6, $7, $8, $9, $10)`,
    [b.id, b.facilityId, b.unitId, b.start, b.end, b.reason, b.noteJa, b.noteEn, b.createdBy, b.demo],
  );
  await db.query(`INSERT INTO reservations.claims (unit_id, period, block_id) SELECT u, tstzrange($2, $3), $4 FROM unnest($1::uuid[]) AS u`, [[...b.claimUnits], b.start, b.end, b.id]);
}
