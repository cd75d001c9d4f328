/** SQL of the lottery (抽選): rounds, their slots, the entries. */
import type { Queryable } from '../../platform/db/db.js';

export type RoundState = 'open' | 'drawn' | 'cancelled';
export type EntryState = 'entered' | 'won' | 'lost' | 'withdrawn';

export interface RoundRow {
  id: string;
  facility_id: string;
  name_ja: string;
  name_en: string;
  applies_from: Date;
  applies_until: Date;
  draws_at: Date;
  state: RoundState;
  seed: string | null;
  drawn_at: Date | null;
  result: unknown;
  hold_hours: number;
  max_wins: number;
  created_at: Date;
  demo: boolean;
}

const ROUND = `id, facility_id, name_ja, name_en, applies_from, applies_until, draws_at, state, encode(seed, 'hex') AS seed, drawn_at, result,
  hold_hours, max_wins, created_at, demo`;

export interface SlotRow {
  round_id: string;
  unit_id: string;
  starts_at: Date;
  ends_at: Date;
}

export interface EntryRow {
  id: string;
  round_id: string;
  unit_id: string;
  starts_at: Date;
  ends_at: Date;
  person_id: string;
  group_id: string | null;
  people: number;
  purpose_of_use: string;
  reduction_code: string | null;
  contact_email: string | null;
  locale: 'ja' | 'ja-easy' | 'en';
  state: EntryState;
  booking_id: string | null;
  created_at: Date;
  demo: boolean;
}

const ENTRY = `id, round_id, unit_id, lower(period) AS starts_at, upper(period) AS ends_at, person_id, group_id, people, purpose_of_use, reduction_code,
  contact_email, locale, state, booking_id, created_at, demo`;

export async function insertRound(
  db: Queryable,
  r: { id: string; facilityId: string; nameJa: string; nameEn: string; appliesFrom: Date; appliesUntil: Date; drawsAt: Date; holdHours: number; maxWins: number; createdBy: string | null; now: Date; demo: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO reservations.lottery_rounds (id, facility_id, name_ja, name_en, applies_from, applies_until, draws_at, hold_hours, max_wins, created_by, created_at, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [r.id, r.facilityId, r.nameJa, r.nameEn, r.appliesFrom, r.appliesUntil, r.drawsAt, r.holdHours, r.maxWins, r.createdBy, r.now, r.demo],
  );
}

export async function insertSlots(db: Queryable, roundId: string, slots: readonly { unitId: string; start: Date; end: Date }[]): Promise<void> {
  await db.query(
    `INSERT INTO reservations.lottery_slots (round_id, unit_id, period) SELECT $1, u, tstzrange(s, e) FROM unnest($2::uuid[], $3::timestamptz[], $4::timestamptz[]) AS x (u, s, e)`,
    [roundId, slots.map((s) => s.unitId), slots.map((s) => s.start), slots.map((s) => s.end)],
  );
}

export async function findRound(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<RoundRow | undefined> {
  return (await db.query<RoundRow>(`SELECT ${ROUND} FROM reservations.lottery_rounds WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]))[0];
}

/** Rounds newest first: those still open, and those drawn or cancelled since `since`. */
export async function listRounds(db: Queryable, opts: { since?: Date; facilityId?: string; limit?: number } = {}): Promise<RoundRow[]> {
  return db.query<RoundRow>(
    `SELECT ${ROUND} FROM reservations.lottery_rounds
      WHERE ($1::timestamptz IS NULL OR state = 'open' OR coalesce(drawn_at, draws_at) >= $1) AND ($2::uuid IS NULL OR facility_id = $2)
      ORDER BY (state = 'open') DESC, applies_until DESC, id LIMIT $3`,
    [opts.since ?? null, opts.facilityId ?? null, opts.limit ?? 100],
  );
}

/** Open rounds whose draw time has come. */
export async function dueRounds(db: Queryable, now: Date, limit: number): Promise<string[]> {
  return (await db.query<{ id: string }>(`SELECT id FROM reservations.lottery_rounds WHERE state = 'open' AND draws_at <= $1 ORDER BY draws_at, id LIMIT $2`, [now, limit])).map((r) => r.id);
}

export async function slotsOf(db: Queryable, roundId: string): Promise<SlotRow[]> {
  return db.query<SlotRow>(
    `SELECT round_id, unit_id, lower(period) AS starts_at, upper(period) AS ends_at FROM reservations.lottery_slots WHERE round_id = $1 ORDER BY lower(period), unit_id`,
    [roundId],
  );
}

/** Slots of other open rounds that overlap these units over [from, to). */
export async function openSlotsOverlapping(db: Queryable, unitIds: readonly string[], from: Date, to: Date): Promise<SlotRow[]> {
  return db.query<SlotRow>(
    `SELECT s.round_id, s.unit_id, lower(s.period) AS starts_at, upper(s.period) AS ends_at FROM reservations.lottery_slots s
       JOIN reservations.lottery_rounds r ON r.id = s.round_id
      WHERE r.state = 'open' AND s.unit_id = ANY($1::uuid[]) AND s.period && tstzrange($2, $3)`,
    [[...unitIds], from, to],
  );
}

/** Live claims (bookings or closures) on these units over a range: [unit, start, end]. */
export async function liveClaimsOn(db: Queryable, unitIds: readonly string[], from: Date, to: Date): Promise<{ unit_id: string; starts_at: Date; ends_at: Date; block: boolean }[]> {
  return db.query(
    `SELECT unit_id, lower(period) AS starts_at, upper(period) AS ends_at, block_id IS NOT NULL AS block FROM reservations.claims
      WHERE unit_id = ANY($1::uuid[]) AND released_at IS NULL AND period && tstzrange($2, $3)`,
    [[...unitIds], from, to],
  );
}

export async function insertEntry(
  db: Queryable,
  e: {
    id: string; roundId: string; unitId: string; start: Date; end: Date; personId: string; groupId: string | null; people: number; purposeOfUse: string;
    reductionCode: string | null; contactEmail: string | null; locale: string; now: Date; demo: boolean;
  },
): Promise<EntryRow | undefined> {
  const rows = await db.query<EntryRow>(
    `INSERT INTO reservations.lottery_entries (id, round_id, unit_id, period, person_id, group_id, people, purpose_of_use, reduction_code, contact_email, locale, created_at, demo)
     VALUES ($1, $2, $3, tstzrange($4, $5), $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT DO NOTHING RETURNING ${ENTRY}`,
    [e.id, e.roundId, e.unitId, e.start, e.end, e.personId, e.groupId, e.people, e.purposeOfUse, e.reductionCode, e.contactEmail, e.locale, e.now, e.demo],
  );
  return rows[0];
}

export async function findEntry(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<EntryRow | undefined> {
  return (await db.query<EntryRow>(`SELECT ${ENTRY} FROM reservations.lottery_entries WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]))[0];
}

/** A round's entries, by id (the draw's input order). */
export async function entriesOf(db: Queryable, roundId: string, states?: readonly EntryState[]): Promise<EntryRow[]> {
  return db.query<EntryRow>(
    `SELECT ${ENTRY} FROM reservations.lottery_entries WHERE round_id = $1 AND ($2::text[] IS NULL OR state = ANY($2::text[])) ORDER BY id`,
    [roundId, states ? [...states] : null],
  );
}

/** A resident's entries in a round (or in every round), newest first. */
export async function entriesOfPerson(db: Queryable, personId: string, roundId?: string): Promise<EntryRow[]> {
  return db.query<EntryRow>(
    `SELECT ${ENTRY} FROM reservations.lottery_entries WHERE person_id = $1 AND ($2::uuid IS NULL OR round_id = $2) ORDER BY created_at DESC, id LIMIT 200`,
    [personId, roundId ?? null],
  );
}

/** How many live entries each slot of a round has (no names). */
export async function entryCounts(db: Queryable, roundId: string): Promise<Map<string, number>> {
  const rows = await db.query<{ unit_id: string; s: Date; n: number }>(
    `SELECT unit_id, lower(period) AS s, count(*)::int AS n FROM reservations.lottery_entries WHERE round_id = $1 AND state <> 'withdrawn' GROUP BY unit_id, lower(period)`,
    [roundId],
  );
  return new Map(rows.map((r) => [`${r.unit_id}|${new Date(r.s).toISOString()}`, Number(r.n)]));
}

export async function countLiveEntriesOfPerson(db: Queryable, roundId: string, personId: string): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reservations.lottery_entries WHERE round_id = $1 AND person_id = $2 AND state = 'entered'`, [roundId, personId]);
  return Number(rows[0]?.n ?? 0);
}

export async function withdrawEntry(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query(`UPDATE reservations.lottery_entries SET state = 'withdrawn', withdrawn_at = $2 WHERE id = $1 AND state = 'entered'`, [id, now]);
}

export async function setEntryOutcome(db: Queryable, id: string, state: 'won' | 'lost', bookingId: string | null): Promise<void> {
  await db.query(`UPDATE reservations.lottery_entries SET state = $2, booking_id = $3 WHERE id = $1`, [id, state, bookingId]);
}

export async function markDrawn(db: Queryable, id: string, p: { seed: Buffer; at: Date; by: string | null; result: unknown }): Promise<void> {
  await db.query(`UPDATE reservations.lottery_rounds SET state = 'drawn', seed = $2, drawn_at = $3, drawn_by = $4, result = $5::jsonb WHERE id = $1 AND state = 'open'`, [
    id, p.seed, p.at, p.by, JSON.stringify(p.result),
  ]);
}

export async function markCancelled(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE reservations.lottery_rounds SET state = 'cancelled' WHERE id = $1 AND state = 'open'`, [id]);
}

export async function logSetup(db: Queryable, facilityId: string, staffId: string | null, what: string, detail: Record<string, unknown>, at: Date): Promise<void> {
  await db.query(`INSERT INTO reservations.setup_log (facility_id, staff_id, at, what, detail) VALUES ($1, $2, $3, $4, $5::jsonb)`, [facilityId, staffId, at, what, JSON.stringify(detail)]);
}
