/** SQL of bookings and their claims, payments and refunds. */
import type { Queryable } from '../../platform/db/db.js';
import type { BookingState } from './states.js';

export type PaidBy = 'online' | 'counter' | 'free';
export type Source = 'online' | 'staff' | 'waitlist' | 'lottery' | 'demo';

export interface BookingRow {
  id: string;
  reference: string;
  facility_id: string;
  unit_id: string;
  trip_id: string | null;
  starts_at: Date;
  ends_at: Date;
  state: BookingState;
  booker_kind: 'resident' | 'non-resident';
  person_id: string | null;
  booker_name: string | null;
  group_id: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  people: number;
  purpose_of_use: string;
  base_amount: number;
  surcharge_amount: number;
  reduction_code: string | null;
  reduction_amount: number;
  amount: number;
  paid_by: PaidBy | null;
  paid_at: Date | null;
  payment_id: string | null;
  hold_until: Date | null;
  source: Source;
  created_by_staff: string | null;
  created_at: Date;
  confirmed_at: Date | null;
  ended_at: Date | null;
  checked_in_at: Date | null;
  cancel_reason: string | null;
  refund_amount: number | null;
  locale: 'ja' | 'ja-easy' | 'en';
  lock_version: number;
  demo: boolean;
}

const BOOKING = `b.id, b.reference, b.facility_id, b.unit_id, b.trip_id, lower(b.period) AS starts_at, upper(b.period) AS ends_at, b.state, b.booker_kind,
  b.person_id, b.booker_name, b.group_id, b.contact_email, b.contact_phone, b.people, b.purpose_of_use, b.base_amount, b.surcharge_amount,
  b.reduction_code, b.reduction_amount, b.amount, b.paid_by, b.paid_at, b.payment_id, b.hold_until, b.source, b.created_by_staff, b.created_at,
  b.confirmed_at, b.ended_at, b.checked_in_at, b.cancel_reason, b.refund_amount, b.locale, b.lock_version, b.demo`;

export interface NewBooking {
  id: string;
  facilityId: string;
  unitId: string;
  tripId: string | null;
  start: Date;
  end: Date;
  state: 'held' | 'confirmed';
  bookerKind: 'resident' | 'non-resident';
  personId: string | null;
  bookerName: string | null;
  groupId: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  people: number;
  purposeOfUse: string;
  base: number;
  surcharge: number;
  reductionCode: string | null;
  reduction: number;
  amount: number;
  paidBy: PaidBy | null;
  holdUntil: Date | null;
  source: Source;
  createdByStaff: string | null;
  locale: string;
  now: Date;
  demo: boolean;
}

export async function insertBooking(db: Queryable, b: NewBooking): Promise<BookingRow> {
  const year = String(new Date(b.now.getTime() + 9 * 3_600_000).getUTCFullYear());
  const rows = await db.query<BookingRow>(
    `INSERT INTO reservations.bookings AS b (id, reference, facility_id, unit_id, trip_id, period, state, booker_kind, person_id, booker_name, group_id,
        contact_email, contact_phone, people, purpose_of_use, base_amount, surcharge_amount, reduction_code, reduction_amount, amount, paid_by, paid_at,
        hold_until, source, created_by_staff, created_at, confirmed_at, locale, demo)
     VALUES ($1, 'R-' || $2::text || '-' || lpad(nextval('reservations.booking_number')::text, 6, '0'), $3, $4, $5, tstzrange($6, $7), $8, $9, $10, $11, $12,
        $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, CASE WHEN $8 = 'confirmed' THEN $26::timestamptz END,
        $23, $24, $25, $26, CASE WHEN $8 = 'confirmed' THEN $26::timestamptz END, $27, $28)
     RETURNING ${BOOKING}`,
    [
      b.id, year, b.facilityId, b.unitId, b.tripId, b.start, b.end, b.state, b.bookerKind, b.personId, b.bookerName, b.groupId,
      b.contactEmail, b.contactPhone, b.people, b.purposeOfUse, b.base, b.surcharge, b.reductionCode, b.reduction, b.amount, b.paidBy,
      b.holdUntil, b.source, b.createdByStaff, b.now, b.locale, b.demo,
    ],
  );
  return rows[0]!;
}

export async function findBooking(db: Queryable, id: string, opts: { lock?: boolean; skipLocked?: boolean } = {}): Promise<BookingRow | undefined> {
  const lock = opts.lock ? (opts.skipLocked ? ' FOR UPDATE SKIP LOCKED' : ' FOR UPDATE') : '';
  return (await db.query<BookingRow>(`SELECT ${BOOKING} FROM reservations.bookings b WHERE b.id = $1${lock}`, [id]))[0];
}

/** A resident's bookings (their own and their groups'), the coming ones first, then the past, newest first. */
export async function bookingsOf(db: Queryable, personId: string, now: Date, opts: { limit?: number; since?: Date } = {}): Promise<BookingRow[]> {
  return db.query<BookingRow>(
    `SELECT ${BOOKING} FROM reservations.bookings b
      WHERE (b.person_id = $1 OR b.group_id IN (SELECT id FROM reservations.groups WHERE representative_id = $1))
        AND ($3::timestamptz IS NULL OR upper(b.period) >= $3)
      ORDER BY (upper(b.period) < $4), CASE WHEN upper(b.period) >= $4 THEN lower(b.period) END, lower(b.period) DESC, b.id
      LIMIT $2`,
    [personId, opts.limit ?? 200, opts.since ?? null, now],
  );
}

/** Bookings of a facility over a range (staff lists and the public feed carry no names). */
export async function bookingsBetween(db: Queryable, facilityId: string, from: Date, to: Date, states: readonly BookingState[]): Promise<BookingRow[]> {
  return db.query<BookingRow>(
    `SELECT ${BOOKING} FROM reservations.bookings b WHERE b.facility_id = $1 AND b.period && tstzrange($2, $3) AND b.state = ANY($4::text[]) ORDER BY lower(b.period), b.reference`,
    [facilityId, from, to, [...states]],
  );
}

/** Live bookings a booker (person or group) has at a facility that have not ended. */
export async function liveBookingCount(db: Queryable, facilityId: string, booker: { personId: string | null; groupId: string | null; name: string | null }, now: Date): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reservations.bookings
      WHERE facility_id = $1 AND state IN ('held', 'confirmed', 'checked-in') AND upper(period) > $5
        AND (CASE WHEN $3::uuid IS NOT NULL THEN group_id = $3 WHEN $2::uuid IS NOT NULL THEN person_id = $2 AND group_id IS NULL ELSE booker_name = $4 END)`,
    [facilityId, booker.personId, booker.groupId, booker.name, now],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Serialises bookings by one booker at one facility (the per-booker limit), until the transaction ends. */
export async function lockBooker(db: Queryable, key: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7215))`, [key]);
}

/** Claims units for a booking; a live overlapping claim fails the statement with 23P01. */
export async function claimUnits(db: Queryable, bookingId: string, unitIds: readonly string[], start: Date, end: Date): Promise<void> {
  for (const unit of unitIds) {
    await db.query(`INSERT INTO reservations.claims (unit_id, period, booking_id) VALUES ($1, tstzrange($2, $3), $4)`, [unit, start, end, bookingId]);
  }
}

/** Tries to claim one unit; false (and nothing written) when a live claim overlaps. Never fails the transaction. */
export async function tryClaimUnit(db: Queryable, bookingId: string, unitId: string, start: Date, end: Date): Promise<boolean> {
  const rows = await db.query(`INSERT INTO reservations.claims (unit_id, period, booking_id) VALUES ($1, tstzrange($2, $3), $4) ON CONFLICT DO NOTHING RETURNING id`, [unitId, start, end, bookingId]);
  return rows.length === 1;
}

export async function dropClaims(db: Queryable, bookingId: string): Promise<void> {
  await db.query(`DELETE FROM reservations.claims WHERE booking_id = $1`, [bookingId]);
}

export async function releaseClaims(db: Queryable, bookingId: string, at: Date): Promise<void> {
  await db.query(`UPDATE reservations.claims SET released_at = $2 WHERE booking_id = $1 AND released_at IS NULL`, [bookingId, at]);
}

/** Whether any live closure or any open lottery slot touches these units over the range. */
export async function slotHindrance(db: Queryable, unitIds: readonly string[], start: Date, end: Date): Promise<{ closed: boolean; lottery: boolean }> {
  const rows = await db.query<{ closed: boolean; lottery: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM reservations.claims WHERE unit_id = ANY($1::uuid[]) AND block_id IS NOT NULL AND released_at IS NULL AND period && tstzrange($2, $3)) AS closed,
            EXISTS (SELECT 1 FROM reservations.lottery_slots s JOIN reservations.lottery_rounds r ON r.id = s.round_id
                     JOIN reservations.units u ON u.id = s.unit_id
                     LEFT JOIN reservations.unit_parts p ON p.unit_id = u.id
                    WHERE r.state = 'open' AND coalesce(p.part_id, u.id) = ANY($1::uuid[]) AND s.period && tstzrange($2, $3)) AS lottery`,
    [[...unitIds], start, end],
  );
  return rows[0] ?? { closed: false, lottery: false };
}

/** Removes a booking that never got its claims (in the transaction that inserted it). */
export async function deleteBooking(db: Queryable, id: string): Promise<void> {
  await db.query(`DELETE FROM reservations.claims WHERE booking_id = $1`, [id]);
  await db.query(`DELETE FROM reservations.bookings WHERE id = $1`, [id]);
}

export async function setBookingUnit(db: Queryable, id: string, unitId: string): Promise<void> {
  await db.query(`UPDATE reservations.bookings SET unit_id = $2 WHERE id = $1`, [id, unitId]);
}

export async function markConfirmed(db: Queryable, id: string, p: { paidBy: PaidBy; paymentId: string | null; at: Date }): Promise<void> {
  await db.query(
    `UPDATE reservations.bookings SET state = 'confirmed', paid_by = $2, payment_id = $3, paid_at = CASE WHEN $2 = 'free' THEN NULL ELSE $4::timestamptz END,
            confirmed_at = $4, lock_version = lock_version + 1 WHERE id = $1 AND state = 'held'`,
    [id, p.paidBy, p.paymentId, p.at],
  );
}

/** Ends a live booking (the database releases its claims with it); false when it was not live. */
export async function markEnded(db: Queryable, id: string, p: { state: 'cancelled' | 'released' | 'no-show'; at: Date; reason: string | null; refund: number | null }): Promise<boolean> {
  const rows = await db.query(
    `UPDATE reservations.bookings SET state = $2, ended_at = $3, cancel_reason = $4, refund_amount = $5, lock_version = lock_version + 1
      WHERE id = $1 AND state IN ('held', 'confirmed', 'checked-in') RETURNING id`,
    [id, p.state, p.at, p.reason, p.refund],
  );
  return rows.length === 1;
}

export async function extendHold(db: Queryable, id: string, until: Date): Promise<void> {
  await db.query(`UPDATE reservations.bookings SET hold_until = $2, lock_version = lock_version + 1 WHERE id = $1 AND state = 'held'`, [id, until]);
}

/** Holds whose time has run out, oldest first. */
export async function dueHolds(db: Queryable, now: Date, limit: number): Promise<string[]> {
  return (await db.query<{ id: string }>(`SELECT id FROM reservations.bookings WHERE state = 'held' AND hold_until <= $1 ORDER BY hold_until, id LIMIT $2`, [now, limit])).map((r) => r.id);
}

// ---- the payments a booking started ------------------------------------------------------

export interface BookingPaymentRow {
  payment_id: string;
  booking_id: string;
  method: 'card' | 'qr' | 'konbini';
  amount: number;
  next_url: string;
  state: 'created' | 'started' | 'succeeded' | 'failed' | 'cancelled' | 'expired';
  created_at: Date;
}

export async function insertBookingPayment(db: Queryable, p: { paymentId: string; bookingId: string; method: BookingPaymentRow['method']; amount: number; nextUrl: string; now: Date }): Promise<void> {
  await db.query(
    `INSERT INTO reservations.booking_payments (payment_id, booking_id, method, amount, next_url, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
    [p.paymentId, p.bookingId, p.method, p.amount, p.nextUrl, p.now],
  );
}

/** A booking's payments, the latest try first. */
export async function paymentsOfBooking(db: Queryable, bookingId: string): Promise<BookingPaymentRow[]> {
  return db.query<BookingPaymentRow>(`SELECT payment_id, booking_id, method, amount, next_url, state, created_at FROM reservations.booking_payments WHERE booking_id = $1 ORDER BY created_at DESC, attempt DESC`, [bookingId]);
}

export async function findBookingPayment(db: Queryable, paymentId: string, opts: { lock?: boolean } = {}): Promise<BookingPaymentRow | undefined> {
  return (
    await db.query<BookingPaymentRow>(
      `SELECT payment_id, booking_id, method, amount, next_url, state, created_at FROM reservations.booking_payments WHERE payment_id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
      [paymentId],
    )
  )[0];
}

/** Payments still open of bookings that no longer wait for one (confirmed by another payment, or ended), oldest first. */
export async function strayPayments(db: Queryable, o: { bookingId?: string; limit: number }): Promise<string[]> {
  const rows = await db.query<{ payment_id: string }>(
    `SELECT bp.payment_id FROM reservations.booking_payments bp JOIN reservations.bookings b ON b.id = bp.booking_id
      WHERE bp.state IN ('created', 'started') AND b.state <> 'held' AND ($1::uuid IS NULL OR bp.booking_id = $1)
      ORDER BY bp.created_at, bp.payment_id LIMIT $2`,
    [o.bookingId ?? null, o.limit],
  );
  return rows.map((r) => r.payment_id);
}

export async function setBookingPaymentState(db: Queryable, paymentId: string, state: BookingPaymentRow['state'], now: Date): Promise<void> {
  await db.query(`UPDATE reservations.booking_payments SET state = $2, updated_at = $3 WHERE payment_id = $1`, [paymentId, state, now]);
}

// ---- idempotency keys --------------------------------------------------------------------

export async function findIdempotencyKey(db: Queryable, owner: string, key: string): Promise<{ request_hash: string; booking_id: string } | undefined> {
  return (await db.query<{ request_hash: string; booking_id: string }>(`SELECT request_hash, booking_id FROM reservations.idempotency_keys WHERE owner = $1 AND key = $2`, [owner, key]))[0];
}

export async function insertIdempotencyKey(db: Queryable, owner: string, key: string, hash: string, bookingId: string): Promise<void> {
  await db.query(`INSERT INTO reservations.idempotency_keys (owner, key, request_hash, booking_id) VALUES ($1, $2, $3, $4)`, [owner, key, hash, bookingId]);
}

// ---- calendar feeds --------------------------------------------------------------------------

/** A person's feed id: theirs, or `fresh` when they have none (or `renew`). */
export async function feedIdOf(db: Queryable, personId: string, fresh: string, renew: boolean): Promise<string> {
  const rows = await db.query<{ feed_id: string }>(
    `INSERT INTO reservations.feeds (person_id, feed_id) VALUES ($1, $2)
     ON CONFLICT (person_id) DO UPDATE SET feed_id = CASE WHEN $3 THEN EXCLUDED.feed_id ELSE reservations.feeds.feed_id END,
                                           created_at = CASE WHEN $3 THEN now() ELSE reservations.feeds.created_at END
     RETURNING feed_id`,
    [personId, fresh, renew],
  );
  return rows[0]!.feed_id;
}

export async function feedPerson(db: Queryable, feedId: string): Promise<string | undefined> {
  return (await db.query<{ person_id: string }>(`SELECT person_id FROM reservations.feeds WHERE feed_id = $1`, [feedId]))[0]?.person_id;
}
