/**
 * The waiting list keeps its promises: a freed slot goes to the first in line even while
 * another transaction holds that entry (it is waited for, not skipped); whoever no longer
 * qualifies — moved out of the town, their group no longer approved — is passed over, and
 * whoever is at the facility's limit of bookings keeps their place for later; joining needs
 * an address to be told at, and an offer is shown first on the resident's bookings page.
 * On PGlite, and on PostgreSQL with TEST_DATABASE_URL (where the entry is really locked).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { desk, facilitiesOf, overlaps, residents, testClock, type Resident } from './testing.js';

const clock = testClock('2026-11-23T10:00:00+09:00'); // Monday

interface Wait {
  id: string;
  state: string;
  offeredBookingId: string | null;
}

describe('the waiting list', () => {
  let t: TestServer;
  let people: Resident[];

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now });
    await facilitiesOf(t, '2026-11-23');
    people = [...(await residents(t)), ...(await residents(t)), ...(await residents(t))];
  });
  afterAll(async () => t?.close());
  beforeEach(() => clock.set('2026-11-23T10:00:00+09:00'));

  const book = async (who: Resident, body: Record<string, unknown>) => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/bookings', headers: who.headers, payload: { people: 3, purposeOfUse: '会議', ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const join = (who: Resident, body: Record<string, unknown>) =>
    t.inject({ method: 'POST', url: '/api/v1/waitlist', headers: who.headers, payload: { people: 3, purposeOfUse: '会議', contactEmail: 'wait@example.jp', ...body } });
  const joined = async (who: Resident, body: Record<string, unknown>): Promise<Wait> => {
    const res = await join(who, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Wait;
  };
  const mine = async (who: Resident): Promise<Wait[]> => ((await t.inject({ method: 'GET', url: '/api/v1/waitlist', headers: who.headers })).json() as { items: Wait[] }).items;
  /** Books a slot unpaid and lets its hold run out, after the waiters joined. */
  const freedAfter = async (slot: Record<string, unknown>, waiters: () => Promise<void>) => {
    await book(people[0]!, slot);
    await waiters();
    clock.advance(31 * 60_000);
  };

  it('needs an address to tell the one waiting when their turn comes', async () => {
    const slot = { facility: 'kominkan', unit: 'kaigi-1', start: '2026-12-08T09:00:00+09:00' };
    await book(people[0]!, slot);
    const res = await join(people[1]!, { ...slot, contactEmail: undefined });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ field: 'body/contactEmail' }] });
    expect(await mine(people[1]!)).toEqual([]);
    clock.advance(31 * 60_000);
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
  });

  it('offers a freed slot to the first in line even while that entry is busy elsewhere, never skipping it', async () => {
    const slot = { facility: 'kominkan', unit: 'kaigi-2', start: '2026-12-08T09:00:00+09:00' };
    let first!: Wait;
    await freedAfter(slot, async () => {
      first = await joined(people[1]!, slot);
      await joined(people[2]!, slot);
    });
    // Another transaction holds the first entry (it is being left, or offered something else) while the hold is released.
    let letGo!: () => void;
    const gate = new Promise<void>((r) => (letGo = r));
    let isLocked!: () => void;
    const locked = new Promise<void>((r) => (isLocked = r));
    const holder = t.db.transaction(async (tx) => {
      await tx.query(`SELECT id FROM reservations.waitlist WHERE id = $1 FOR UPDATE`, [first.id]);
      isLocked();
      await gate;
    });
    await locked;
    const releasing = t.server.reservations.releaseDueHolds();
    await new Promise((r) => setTimeout(r, 300));
    letGo();
    await holder;
    expect(await releasing).toBe(1);
    expect((await mine(people[1]!))[0]).toMatchObject({ state: 'offered' });
    expect((await mine(people[2]!))[0]).toMatchObject({ state: 'waiting' });
  });

  it('passes over someone who moved out of the town, and a group no longer approved', async () => {
    const staff = await desk(t);
    const slot = { facility: 'kominkan', unit: 'washitsu', start: '2026-12-08T13:00:00+09:00' };
    const rep = people[4]!;
    const reg = await t.inject({ method: 'POST', url: '/api/v1/facility-groups', headers: rep.headers, payload: { name: '書道の会', members: 8, activity: '書道' } });
    const groupId = (reg.json() as { id: string }).id;
    expect((await t.inject({ method: 'POST', url: `/api/v1/facility-groups/${groupId}/decision`, headers: staff.headers, payload: { decision: 'approve' } })).statusCode).toBe(200);
    await freedAfter(slot, async () => {
      await joined(people[3]!, slot);
      await joined(rep, { ...slot, groupId });
      await joined(people[5]!, slot);
    });
    await t.db.query(`UPDATE registry.persons SET status = 'moved-out' WHERE id = $1`, [people[3]!.id]);
    await t.db.query(`UPDATE reservations.groups SET state = 'withdrawn' WHERE id = $1`, [groupId]);
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
    expect((await mine(rep))[0]).toMatchObject({ state: 'lapsed', offeredBookingId: null });
    expect((await mine(people[5]!))[0]).toMatchObject({ state: 'offered' });
    const lapsed = await t.db.query<{ state: string }>(`SELECT state FROM reservations.waitlist WHERE person_id = $1`, [people[3]!.id]);
    expect(lapsed).toEqual([{ state: 'lapsed' }]);
    expect(await overlaps(t)).toBe(0);
  });

  it('keeps the place of someone at the facility’s limit of bookings, and offers the slot to the next', async () => {
    const slot = { facility: 'kominkan', unit: 'chori', start: '2026-12-08T13:00:00+09:00' };
    const full = people[6]!;
    await freedAfter(slot, async () => {
      await joined(full, slot);
      await joined(people[7]!, slot);
    });
    // Meanwhile they booked as much as the facility lets one person hold.
    await t.db.query(`UPDATE reservations.facilities SET max_active_per_booker = 1 WHERE code = 'kominkan'`);
    try {
      await book(full, { facility: 'kominkan', unit: 'kaigi-1', start: '2026-12-15T09:00:00+09:00' });
      expect(await t.server.reservations.releaseDueHolds()).toBe(1);
    } finally {
      await t.db.query(`UPDATE reservations.facilities SET max_active_per_booker = 6 WHERE code = 'kominkan'`);
    }
    expect((await mine(full)).find((w) => w.state !== 'lapsed')).toMatchObject({ state: 'waiting' });
    const offered = (await mine(people[7]!))[0]!;
    expect(offered).toMatchObject({ state: 'offered' });

    // The offer is the first thing on their bookings page, with the time to pay by.
    const page = await t.inject({ method: 'GET', url: '/me/bookings', headers: { cookie: people[7]!.cookie } });
    const offers = /<section class="rsv-offers"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
    expect(offers).toContain('キャンセル待ちの順番が来ました');
    expect(offers).toContain(`/me/bookings/${offered.offeredBookingId}`);
    expect(offers).toContain('までにお支払いください');
    expect(page.body.indexOf('rsv-offers')).toBeLessThan(page.body.indexOf('これからの予約'));
  });
});
