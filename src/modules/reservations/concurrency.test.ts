/**
 * Double booking is impossible: many parallel attempts on one slot over HTTP give exactly
 * one booking and 409 「この枠はすでに予約されています」 for the rest; the full court and a half
 * exclude each other; a bus trip sells each seat once and then says 満席. The database is
 * asked afterwards: no two live claims on one unit overlap. Runs on PGlite and, with
 * TEST_DATABASE_URL, on PostgreSQL (where the attempts really run side by side).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { DomainError } from '../../platform/errors.js';
import { desk, facilitiesOf, overlaps, residentCtx, residents, runtimeOf, testClock, tripOn, type Resident } from './testing.js';
import { createBooking } from './booking.js';
import { markEnded } from './booking-store.js';
import { cancelBooking } from './lifecycle.js';

const clock = testClock('2026-11-23T10:00:00+09:00');
const TUESDAY_AM = '2026-12-01T09:00:00+09:00';

describe('no double booking under load', () => {
  let t: TestServer;
  let people: Resident[];
  let staff: { headers: Record<string, string> };

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now, today: () => '2026-11-23' });
    await facilitiesOf(t, '2026-11-23');
    people = [...(await residents(t)), ...(await residents(t)), ...(await residents(t)), ...(await residents(t))];
    staff = await desk(t);
  });
  afterAll(async () => t?.close());

  const book = (headers: Record<string, string>, body: Record<string, unknown>) => t.inject({ method: 'POST', url: '/api/v1/bookings', headers, payload: body });

  it('gives one slot to exactly one of many parallel attempts; the rest hear it is taken', async () => {
    const slot = { facility: 'kominkan', unit: 'kaigi-1', start: TUESDAY_AM, people: 5, purposeOfUse: '会議' };
    const attempts = [
      ...people.map((p) => book(p.headers, slot)),
      ...Array.from({ length: 18 }, (_, i) => book(staff.headers, { ...slot, nonResident: { name: `町外 太郎${i}` } })),
    ];
    const answers = await Promise.all(attempts);
    const won = answers.filter((r) => r.statusCode === 201);
    const lost = answers.filter((r) => r.statusCode === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(answers.length - 1);
    for (const r of lost) {
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ status: 409, detail: 'この枠はすでに予約されています', reason: 'taken' });
    }
    const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reservations.bookings WHERE lower(period) = $1`, [new Date(TUESDAY_AM)]);
    expect(rows[0]!.n).toBe(1);
    expect(await overlaps(t)).toBe(0);
  });

  it('lets the full court and either half exclude each other, whoever comes first, round after round', async () => {
    // Claims of several units can meet in a deadlock on PostgreSQL: the loser is run again and hears 409.
    for (const [i, at] of ['2026-12-02T13:00:00+09:00', '2026-12-02T15:00:00+09:00', '2026-12-03T09:00:00+09:00', '2026-12-03T11:00:00+09:00', '2026-12-03T13:00:00+09:00', '2026-12-04T15:00:00+09:00'].entries()) {
      const who = (k: number) => people[(i + k) % people.length]!.headers;
      const answers = await Promise.all([
        book(who(0), { facility: 'taiikukan', unit: 'zenmen', start: at, people: 20, purposeOfUse: 'バレーボール' }),
        book(who(1), { facility: 'taiikukan', unit: 'hanmen-a', start: at, people: 10, purposeOfUse: 'バドミントン' }),
        book(who(2), { facility: 'taiikukan', unit: 'hanmen-b', start: at, people: 10, purposeOfUse: '卓球' }),
        book(who(3), { facility: 'taiikukan', unit: 'zenmen', start: at, people: 30, purposeOfUse: 'バスケットボール' }),
      ]);
      expect(answers.filter((r) => r.statusCode !== 201 && r.statusCode !== 409).map((r) => `${r.statusCode} ${r.body.slice(0, 300)}`)).toEqual([]);
      const won = answers.filter((r) => r.statusCode === 201).map((r) => (r.json() as { unit: { code: string } }).unit.code).sort();
      // Either the full court alone, or the halves (each at most once).
      expect([['zenmen'], ['hanmen-a', 'hanmen-b'], ['hanmen-a'], ['hanmen-b']]).toContainEqual(won);
    }
    expect(await overlaps(t)).toBe(0);
  });

  it('sells each seat of a bus trip once, then says the trip is full (満席)', async () => {
    const trip = await tripOn(t, '2026-11-27');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => book(staff.headers, { facility: 'bus', trip, people: 1, nonResident: { name: `乗客 ${i}` } })),
    );
    const won = answers.filter((r) => r.statusCode === 201);
    expect(won).toHaveLength(25);
    const seats = new Set(won.map((r) => (r.json() as { id: string }).id));
    expect(seats.size).toBe(25);
    for (const r of answers.filter((x) => x.statusCode !== 201)) expect(r.json()).toMatchObject({ status: 409, detail: '満席です', reason: 'full' });
    const perSeat = await t.db.query<{ n: number }>(`SELECT count(DISTINCT unit_id)::int AS n FROM reservations.bookings WHERE trip_id = $1 AND state IN ('held', 'confirmed')`, [trip]);
    expect(perSeat[0]!.n).toBe(25);
    expect(await overlaps(t)).toBe(0);
  });

  it('is refused by the database itself, not only by the code: an overlapping live claim fails with 23P01', async () => {
    const [row] = await t.db.query<{ unit_id: string; booking_id: string; s: Date; e: Date }>(
      `SELECT unit_id, booking_id, lower(period) AS s, upper(period) AS e FROM reservations.claims WHERE released_at IS NULL AND booking_id IS NOT NULL LIMIT 1`,
    );
    const overlap = t.db.query(`INSERT INTO reservations.claims (unit_id, period, booking_id) VALUES ($1, tstzrange($2, $3), $4)`, [
      row!.unit_id, new Date(row!.s.getTime() + 30 * 60_000), new Date(row!.e.getTime() + 30 * 60_000), row!.booking_id,
    ]);
    await expect(overlap).rejects.toMatchObject({ code: '23P01' });
    // A released claim no longer holds the unit; touching ends (half-open ranges) do not overlap.
    await t.db.query(`INSERT INTO reservations.claims (unit_id, period, booking_id, released_at) VALUES ($1, tstzrange($2, $3), $4, now())`, [row!.unit_id, row!.s, row!.e, row!.booking_id]);
    await t.db.query(`INSERT INTO reservations.claims (unit_id, period, booking_id, released_at) VALUES ($1, tstzrange($2, $3), $4, now())`, [row!.unit_id, row!.e, new Date(row!.e.getTime() + 3_600_000), row!.booking_id]);
    const touching = await t.db.query(`INSERT INTO reservations.claims (unit_id, period, booking_id) VALUES ($1, tstzrange($2, $3), $4) RETURNING id`, [row!.unit_id, row!.e, new Date(row!.e.getTime() + 3_600_000), row!.booking_id]);
    expect(touching).toHaveLength(1);
    await t.db.query(`DELETE FROM reservations.claims WHERE id = $1`, [(touching[0] as { id: number }).id]);
    expect(await overlaps(t)).toBe(0);
  });

  it('holds under the service alone too: 40 parallel calls, one booking, the rest a named conflict', async () => {
    const rt = runtimeOf(t, clock.now);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => {
        const p = people[i % people.length]!;
        return createBooking(rt, residentCtx(p.id), { kind: 'resident', personId: p.id }, { facility: 'tennis', unit: 'court-2', start: '2026-11-25T10:00:00+09:00', people: 2 });
      }),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(DomainError);
      expect((r.reason as DomainError).code).toBe('conflict');
    }
    expect(await overlaps(t)).toBe(0);
  });

  it('answers the same Idempotency-Key sent several times at once with one booking', async () => {
    const body = { facility: 'kominkan', unit: 'kaigi-2', start: '2026-12-09T09:00:00+09:00', people: 3, purposeOfUse: '会議' };
    const headers = { ...people[0]!.headers, 'idempotency-key': 'same-key-at-once' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => book(headers, body)));
    expect(answers.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(new Set(answers.map((r) => (r.json() as { id: string }).id)).size).toBe(1);
    const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reservations.bookings WHERE lower(period) = $1 AND unit_id = (SELECT id FROM reservations.units WHERE code = 'kaigi-2')`, [new Date(body.start)]);
    expect(rows[0]!.n).toBe(1);
  });

  it('ties a booking’s state to its claims in the database: ending releases them, and a live booking keeps one', async () => {
    const slot = { facility: 'kominkan', unit: 'washitsu', start: '2026-12-10T09:00:00+09:00', people: 3, purposeOfUse: '茶道' };
    const made = await book(people[1]!.headers, slot);
    const id = (made.json() as { id: string }).id;
    // Ended by hand, not by the code: its claims are released with it, and the slot is free again.
    await t.db.query(`UPDATE reservations.bookings SET state = 'cancelled', ended_at = now() WHERE id = $1`, [id]);
    expect(await t.db.query(`SELECT 1 FROM reservations.claims WHERE booking_id = $1 AND released_at IS NULL`, [id])).toEqual([]);
    expect(await overlaps(t)).toBe(0);
    // An ended booking never comes back (its claims are gone; another may hold the slot).
    await expect(t.db.query(`UPDATE reservations.bookings SET state = 'confirmed', ended_at = NULL, paid_by = 'counter' WHERE id = $1`, [id])).rejects.toMatchObject({ code: '23514' });
    // A live booking cannot lose its last live claim (checked when the transaction commits).
    const live = (await book(people[2]!.headers, slot).then((r) => r.json())) as { id: string };
    await expect(t.db.query(`UPDATE reservations.claims SET released_at = now() WHERE booking_id = $1`, [live.id])).rejects.toMatchObject({ code: '23000' });
    await expect(t.db.query(`DELETE FROM reservations.claims WHERE booking_id = $1`, [live.id])).rejects.toMatchObject({ code: '23000' });
    expect(await t.db.query(`SELECT 1 FROM reservations.claims WHERE booking_id = $1 AND released_at IS NULL`, [live.id])).toHaveLength(1);
    // Nor be written without one.
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO reservations.bookings (id, reference, facility_id, unit_id, period, state, booker_kind, booker_name, people, base_amount, amount, paid_by, source, created_at)
           SELECT gen_random_uuid(), 'R-TEST-NOCLAIM', facility_id, unit_id, period, 'confirmed', 'non-resident', 'x', 1, 0, 0, 'free', 'staff', now() FROM reservations.bookings WHERE id = $1`,
          [live.id],
        );
      }),
    ).rejects.toMatchObject({ code: '23000' });
    // The code's own way to end a booking is guarded too: a booking ends once.
    const rt = runtimeOf(t, clock.now);
    await cancelBooking(rt, residentCtx(people[2]!.id), live.id);
    await expect(t.db.transaction((tx) => markEnded(tx, live.id, { state: 'released', at: new Date(), reason: null, refund: null }))).resolves.toBe(false);
    expect(await overlaps(t)).toBe(0);
  });
});
