/** みどり町's demo facilities: the set, marked demo, booked without overlaps, closed over the New Year, and shown. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { overlaps, residents, testClock } from './testing.js';

const clock = testClock('2026-12-20T10:00:00+09:00');

describe('the demo facilities of みどり町', () => {
  let t: TestServer;
  let summary: Awaited<ReturnType<TestServer['server']['reservations']['seedDemo']>>;

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now });
    const people = [...(await residents(t)), ...(await residents(t))].map((p) => p.id);
    summary = await t.server.reservations.seedDemo({ seed: 3, today: '2026-12-20', people });
  });
  afterAll(async () => t?.close());

  it('seeds rooms, a hall, a gym with halves, tennis courts and the town bus, all marked demo', async () => {
    expect(summary).toMatchObject({ facilities: 5, units: 4 + 1 + 3 + 3 + 25, groups: 3 });
    expect(summary.trips).toBe(32); // Tuesdays and Fridays for 8 weeks, two trips a day
    expect(summary.bookings).toBeGreaterThan(30);
    for (const table of ['facilities', 'units', 'trips', 'bookings', 'groups', 'blocks', 'reductions']) {
      const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reservations.${table} WHERE NOT demo`);
      expect(rows[0]!.n, table).toBe(0);
    }
    expect(await overlaps(t)).toBe(0);
  });

  it('closes every facility over the New Year, and books nothing then', async () => {
    const closed = await t.db.query<{ n: number }>(`SELECT count(DISTINCT facility_id)::int AS n FROM reservations.blocks WHERE reason = 'closed' AND period @> '2027-01-01 12:00+09'::timestamptz`);
    expect(closed[0]!.n).toBe(5);
    const booked = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reservations.bookings WHERE period && tstzrange('2026-12-29 00:00+09', '2027-01-04 00:00+09')`);
    expect(booked[0]!.n).toBe(0);
    const res = await t.inject({ method: 'GET', url: '/facilities/taiikukan/calendar?month=2026-12', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('class="s-closed"');
  });

  it('is deterministic for a seed', async () => {
    const again = await startTestServer({}, { now: clock.now });
    try {
      const s = await again.server.reservations.seedDemo({ seed: 3, today: '2026-12-20', people: (await residents(again)).map((p) => p.id).concat((await residents(again)).map((p) => p.id)) });
      expect(s.bookings).toBe(summary.bookings);
    } finally {
      await again.close();
    }
  });
});
