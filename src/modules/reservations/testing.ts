/**
 * Factories for reservations tests: みどり町's facilities (the demo set, not marked demo) with
 * bus trips, residents with sessions, the facilities desk, and a clock tests can move.
 */
import type { TestServer } from '../../testing/server.js';
import { moveInFamily, person } from '../registry/testing.js';
import { newId } from '../../platform/ids.js';
import { seedFacilities } from './seed.js';
import * as facilities from './facility-store.js';
import { insertTrips } from './setup-store.js';
import { SEED_TRIPS } from './seed-data.js';
import { addDays, jst, weekdayOf } from './time.js';
import type { AccessContext } from '../access/index.js';
import type { ReservationsRuntime } from './runtime.js';
import { hkdfSync } from 'node:crypto';

/** A clock tests move by hand. */
export function testClock(start: string) {
  let at = new Date(start);
  return {
    now: () => new Date(at),
    set(iso: string) {
      at = new Date(iso);
    },
    advance(ms: number) {
      at = new Date(at.getTime() + ms);
    },
  };
}

export interface Resident {
  id: string;
  cookie: string;
  /** cookie and x-csrf-token, for the API. */
  headers: Record<string, string>;
}

let families = 0;

/** Moves a family of three into the register; returns them signed in (the first born 1960, the second 1985, a child born 2018). */
export async function residents(t: TestServer): Promise<Resident[]> {
  const core = await t.tokenFor({ id: 'core-jukiki', purposes: ['registry-maintenance'] });
  families += 1;
  const res = await t.inject({
    method: 'POST',
    url: '/api/v1/registry/changes',
    headers: { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' },
    payload: moveInFamily({
      persons: [
        person({ givenName: `一郎${families}` }),
        person({ givenName: `花子${families}`, givenNameKana: 'ハナコ', sex: 2, birthDate: '1985-08-15', relationToHead: '妻' }),
        person({ givenName: `翔太${families}`, givenNameKana: 'ショウタ', birthDate: '2018-03-03', relationToHead: '子' }),
      ],
    }),
  });
  if (res.statusCode !== 201) throw new Error(`move-in failed: ${res.statusCode} ${res.body}`);
  const ids = (res.json() as { personIds: string[] }).personIds;
  const out: Resident[] = [];
  for (const id of ids) {
    const s = await t.residentSession(id);
    out.push({ id, cookie: s.cookie, headers: s.headers });
  }
  return out;
}

/** The facilities desk: a staff member with the role facility-manager and the purpose facility-booking. */
export async function desk(t: TestServer, login = 'shisetsu'): Promise<{ id: string; headers: Record<string, string> }> {
  const cookie = await t.staffCookie({ login, roles: ['facility-manager'], purpose: 'facility-booking' });
  const page = await t.inject({ method: 'GET', url: '/staff/purpose', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  return { id: (await t.server.access.findStaffId(login))!, headers: { cookie, 'x-csrf-token': csrf, 'x-purpose': 'facility-booking' } };
}

/** みどり町's facilities, and the bus's trips for `weeks` weeks from `today`. */
export async function facilitiesOf(t: TestServer, today: string, weeks = 8): Promise<void> {
  await t.db.transaction(async (tx) => {
    await seedFacilities(tx, false);
    const bus = (await facilities.loadFacility(tx, 'bus'))!;
    const trips = [];
    for (let d = 0; d < weeks * 7; d += 1) {
      const date = addDays(today, d);
      for (const s of SEED_TRIPS) {
        if (s.weekdays.includes(weekdayOf(date))) trips.push({ id: newId(), facilityId: bus.id, departsAt: jst(date, s.departs), returnsAt: jst(date, s.returns), routeJa: s.routeJa, routeEn: s.routeEn, fare: s.fare, demo: false });
      }
    }
    await insertTrips(tx, trips);
  });
}

/**
 * What must never be: live claims that overlap on one unit, a live claim of a booking that
 * has ended (the slot shown taken for nothing), and a live booking without a live claim (the
 * slot free for a second booking). Their number: must always be 0.
 */
export async function overlaps(t: TestServer): Promise<number> {
  const rows = await t.db.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM reservations.claims a JOIN reservations.claims b
               ON a.unit_id = b.unit_id AND a.id < b.id AND a.period && b.period
              WHERE a.released_at IS NULL AND b.released_at IS NULL)
          + (SELECT count(*) FROM reservations.claims c JOIN reservations.bookings k ON k.id = c.booking_id
              WHERE c.released_at IS NULL AND k.state NOT IN ('held', 'confirmed', 'checked-in'))
          + (SELECT count(*) FROM reservations.bookings k
              WHERE k.state IN ('held', 'confirmed', 'checked-in')
                AND NOT EXISTS (SELECT 1 FROM reservations.claims c WHERE c.booking_id = k.id AND c.released_at IS NULL)) AS n`,
  );
  return Number(rows[0]!.n);
}

/** A bus trip of a date (the morning one). */
export async function tripOn(t: TestServer, date: string): Promise<string> {
  const rows = await t.db.query<{ id: string }>(`SELECT id FROM reservations.trips WHERE departs_at = $1`, [jst(date, '09:00')]);
  if (!rows[0]) throw new Error(`no trip on ${date}`);
  return rows[0].id;
}

/** The services' runtime over a test server's modules (for tests that call services directly). */
export function runtimeOf(t: TestServer, now: () => Date): ReservationsRuntime {
  return {
    db: t.db, config: t.config, access: t.server.access, registry: t.server.registry, payments: t.server.payments,
    feedKey: Buffer.from(hkdfSync('sha256', t.config.secret, 'yakuba', 'yakuba:reservations:feed', 32)),
    now, demo: () => false, townName: () => 'みどり町', log: { info: () => {}, warn: () => {}, error: () => {} },
  };
}

/** A resident's own access context (what a session gives). */
export const residentCtx = (personId: string): AccessContext => ({
  principal: { kind: 'resident', id: personId, name: '', purposes: ['self-service', 'application-intake'], fields: [], demo: false, sessionId: 'test', sessionExpires: new Date(Date.now() + 3_600_000) },
  purpose: 'self-service',
  requestId: 'test',
  sourceIp: '127.0.0.1',
});
