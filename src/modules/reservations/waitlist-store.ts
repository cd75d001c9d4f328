/** SQL of the waiting list (キャンセル待ち). */
import type { Queryable } from '../../platform/db/db.js';

export type WaitState = 'waiting' | 'offered' | 'booked' | 'lapsed' | 'withdrawn';

export interface WaitRow {
  id: string;
  facility_id: string;
  unit_id: string | null;
  trip_id: string | null;
  starts_at: Date;
  ends_at: Date;
  person_id: string;
  group_id: string | null;
  people: number;
  purpose_of_use: string;
  reduction_code: string | null;
  contact_email: string | null;
  locale: 'ja' | 'ja-easy' | 'en';
  state: WaitState;
  offered_booking_id: string | null;
  created_at: Date;
  offered_at: Date | null;
  closed_at: Date | null;
}

const WAIT = `w.id, w.facility_id, w.unit_id, w.trip_id, lower(w.period) AS starts_at, upper(w.period) AS ends_at, w.person_id, w.group_id, w.people,
  w.purpose_of_use, w.reduction_code, w.contact_email, w.locale, w.state, w.offered_booking_id, w.created_at, w.offered_at, w.closed_at`;

export async function insertWait(
  db: Queryable,
  w: { id: string; facilityId: string; unitId: string | null; tripId: string | null; start: Date; end: Date; personId: string; groupId: string | null; people: number; purposeOfUse: string; reductionCode: string | null; contactEmail: string | null; locale: string; now: Date; demo: boolean },
): Promise<WaitRow | undefined> {
  const rows = await db.query<WaitRow>(
    `INSERT INTO reservations.waitlist AS w (id, facility_id, unit_id, trip_id, period, person_id, group_id, people, purpose_of_use, reduction_code, contact_email, locale, created_at, demo)
     VALUES ($1, $2, $3, $4, tstzrange($5, $6), $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING RETURNING ${WAIT}`,
    [w.id, w.facilityId, w.unitId, w.tripId, w.start, w.end, w.personId, w.groupId, w.people, w.purposeOfUse, w.reductionCode, w.contactEmail, w.locale, w.now, w.demo],
  );
  return rows[0];
}

export async function findWait(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<WaitRow | undefined> {
  return (await db.query<WaitRow>(`SELECT ${WAIT} FROM reservations.waitlist w WHERE w.id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]))[0];
}

export async function waitsOf(db: Queryable, personId: string, now: Date): Promise<WaitRow[]> {
  return db.query<WaitRow>(
    `SELECT ${WAIT} FROM reservations.waitlist w WHERE w.person_id = $1 AND (w.state IN ('waiting', 'offered') OR upper(w.period) > $2) ORDER BY lower(w.period), w.line`,
    [personId, now],
  );
}

/** The entry an offered hold came from. */
export async function waitOfBooking(db: Queryable, bookingId: string): Promise<WaitRow | undefined> {
  return (await db.query<WaitRow>(`SELECT ${WAIT} FROM reservations.waitlist w WHERE w.offered_booking_id = $1 FOR UPDATE`, [bookingId]))[0];
}

/**
 * Those waiting for a slot that a freed claim could serve, in the order they joined: for the
 * bus, the same trip; for spaces, a unit whose claims meet the freed units over the period.
 * Locked in line: an entry another transaction holds (being left, or offered another slot)
 * is waited for, never skipped — skipping would offer the slot out of order.
 */
export async function waitingFor(db: Queryable, f: { facilityId: string; tripId: string | null; unitIds: readonly string[]; start: Date; end: Date }, limit: number): Promise<WaitRow[]> {
  return db.query<WaitRow>(
    `SELECT ${WAIT} FROM reservations.waitlist w
      WHERE w.facility_id = $1 AND w.state = 'waiting'
        AND (CASE WHEN $2::uuid IS NOT NULL THEN w.trip_id = $2
                  ELSE w.period && tstzrange($4, $5) AND EXISTS (
                         SELECT 1 FROM reservations.units u LEFT JOIN reservations.unit_parts p ON p.unit_id = u.id
                          WHERE u.id = w.unit_id AND coalesce(p.part_id, u.id) = ANY($3::uuid[])) END)
      ORDER BY w.line LIMIT $6 FOR UPDATE OF w`,
    [f.facilityId, f.tripId, [...f.unitIds], f.start, f.end, limit],
  );
}

export async function setWaitState(db: Queryable, id: string, state: WaitState, at: Date, offeredBookingId?: string): Promise<void> {
  await db.query(
    `UPDATE reservations.waitlist SET state = $2,
            offered_booking_id = coalesce($4, offered_booking_id),
            offered_at = CASE WHEN $2 = 'offered' THEN $3::timestamptz ELSE offered_at END,
            closed_at = CASE WHEN $2 IN ('booked', 'lapsed', 'withdrawn') THEN $3::timestamptz ELSE closed_at END
      WHERE id = $1`,
    [id, state, at, offeredBookingId ?? null],
  );
}

/** Entries whose slot has begun no longer wait. */
export async function lapseStarted(db: Queryable, now: Date): Promise<number> {
  return (await db.query(`UPDATE reservations.waitlist SET state = 'lapsed', closed_at = $1 WHERE state = 'waiting' AND lower(period) <= $1 RETURNING id`, [now])).length;
}

/** How many wait ahead of an entry (for the resident's page). */
export async function placeInLine(db: Queryable, w: Pick<WaitRow, 'id' | 'facility_id' | 'unit_id' | 'trip_id' | 'starts_at'>): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reservations.waitlist
      WHERE facility_id = $1 AND state = 'waiting' AND coalesce(unit_id, trip_id) = $2 AND lower(period) = $3
        AND line < (SELECT line FROM reservations.waitlist WHERE id = $4)`,
    [w.facility_id, w.unit_id ?? w.trip_id, w.starts_at, w.id],
  );
  return Number(rows[0]?.n ?? 0) + 1;
}
