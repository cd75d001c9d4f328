/**
 * Every refusal by a rule is a 422 that names the rule (outside the opening hours, a closed
 * day, before the booking window — residents earlier than people from outside the town —,
 * too late, a slot in a lottery window, over capacity, too many bookings, a reduction that
 * does not apply, a group not approved, past the cancellation deadline), and nothing is
 * written. Also: the public availability, fees with surcharge and reductions, groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { newId } from '../../platform/ids.js';
import { desk, facilitiesOf, residents, testClock, type Resident } from './testing.js';

const clock = testClock('2026-11-23T10:00:00+09:00'); // a Monday

describe('the booking rules', () => {
  let t: TestServer;
  let family: Resident[];
  let staff: { headers: Record<string, string> };
  const count = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reservations.bookings`))[0]!.n;
  const book = (headers: Record<string, string>, body: Record<string, unknown>) => t.inject({ method: 'POST', url: '/api/v1/bookings', headers, payload: body });
  const refusedBy = async (res: Awaited<ReturnType<typeof book>>, rule: string) => {
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 422, rule });
    expect((res.json() as { detail: string }).detail).toContain(rule);
  };

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now });
    await facilitiesOf(t, '2026-11-23');
    family = await residents(t);
    staff = await desk(t);
  });
  afterAll(async () => t?.close());

  it('shows anyone what each slot is, with no names', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/facilities/kominkan/availability?from=2026-11-23&days=7' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { units: { code: string; days: { date: string; slots: { status: string; start: string }[] }[] }[] };
    expect(body.units.map((u) => u.code)).toEqual(['kaigi-1', 'kaigi-2', 'washitsu', 'chori']);
    const monday = body.units[0]!.days.find((d) => d.date === '2026-11-23')!;
    expect(monday.slots).toEqual([]); // 月曜休館
    const tuesday = body.units[0]!.days.find((d) => d.date === '2026-11-24')!;
    expect(tuesday.slots.map((s) => s.status)).toEqual(['available', 'available', 'available']);
    expect(tuesday.slots[0]!.start).toBe('2026-11-24T00:00:00.000Z');
    const list = await t.inject({ method: 'GET', url: '/api/v1/facilities' });
    expect((list.json() as { items: { code: string }[] }).items.map((f) => f.code)).toEqual(['kominkan', 'kominkan-hall', 'taiikukan', 'tennis', 'bus']);
    const detail = await t.inject({ method: 'GET', url: '/api/v1/facilities/taiikukan' });
    expect((detail.json() as { units: { code: string; parts: string[] }[] }).units[0]).toMatchObject({ code: 'zenmen', parts: ['hanmen-a', 'hanmen-b'] });
  });

  it('refuses a time the facility does not let: a closed weekday, or between periods', async () => {
    await refusedBy(await book(family[0]!.headers, { facility: 'kominkan', unit: 'kaigi-1', start: '2026-11-30T09:00:00+09:00', people: 3, purposeOfUse: '会議' }), 'outside-opening-hours');
    await refusedBy(await book(family[0]!.headers, { facility: 'kominkan', unit: 'kaigi-1', start: '2026-12-01T10:00:00+09:00', people: 3, purposeOfUse: '会議' }), 'outside-opening-hours');
    expect(await count()).toBe(0);
  });

  it('opens booking to residents before people from outside the town, and names when', async () => {
    // 40 days ahead: residents (90 days) yes, people from outside the town (30 days) not yet.
    const start = '2027-01-05T13:00:00+09:00';
    const outsider = await book(staff.headers, { facility: 'kominkan', unit: 'washitsu', start, people: 4, purposeOfUse: '茶道', nonResident: { name: '町外 花子' } });
    await refusedBy(outsider, 'booking-window-not-open');
    expect(outsider.json()).toMatchObject({ booker: 'non-resident', opensAt: '2026-12-06T00:00:00.000Z' });
    const resident = await book(family[1]!.headers, { facility: 'kominkan', unit: 'washitsu', start, people: 4, purposeOfUse: '茶道' });
    expect(resident.statusCode, resident.body).toBe(201);
    // The hall opens 180 days ahead, even for residents.
    const far = await book(family[1]!.headers, { facility: 'kominkan-hall', unit: 'hall', start: '2027-06-01T13:00:00+09:00', people: 100, purposeOfUse: '発表会' });
    await refusedBy(far, 'booking-window-not-open');
    expect(far.json()).toMatchObject({ booker: 'resident' });
  });

  it('closes booking before a slot starts', async () => {
    // Tennis closes 30 minutes before; it is 10:00 now.
    await refusedBy(await book(family[0]!.headers, { facility: 'tennis', unit: 'court-1', start: '2026-11-23T10:00:00+09:00', people: 2 }), 'booking-closed');
    await refusedBy(await book(family[0]!.headers, { facility: 'tennis', unit: 'court-1', start: '2026-11-23T08:00:00+09:00', people: 2 }), 'booking-closed');
  });

  it('refuses a slot in a lottery window, and a closed day', async () => {
    const hall = (await t.db.query<{ id: string }>(`SELECT u.id FROM reservations.units u JOIN reservations.facilities f ON f.id = u.facility_id WHERE f.code = 'kominkan-hall'`))[0]!.id;
    const facility = (await t.db.query<{ id: string }>(`SELECT id FROM reservations.facilities WHERE code = 'kominkan-hall'`))[0]!.id;
    const round = newId();
    await t.db.query(
      `INSERT INTO reservations.lottery_rounds (id, facility_id, name_ja, name_en, applies_from, applies_until, draws_at) VALUES ($1, $2, '1月土日分', 'January weekends', $3, $4, $4)`,
      [round, facility, new Date('2026-11-01T00:00:00+09:00'), new Date('2026-11-30T17:00:00+09:00')],
    );
    await t.db.query(`INSERT INTO reservations.lottery_slots (round_id, unit_id, period) VALUES ($1, $2, tstzrange($3, $4))`, [round, hall, new Date('2027-01-09T13:00:00+09:00'), new Date('2027-01-09T17:00:00+09:00')]);
    await refusedBy(await book(family[0]!.headers, { facility: 'kominkan-hall', unit: 'hall', start: '2027-01-09T13:00:00+09:00', people: 80, purposeOfUse: '演奏会' }), 'lottery-window');
    const avail = await t.inject({ method: 'GET', url: '/api/v1/facilities/kominkan-hall/availability?from=2027-01-09&days=1' });
    expect((avail.json() as { units: { days: { slots: { status: string }[] }[] }[] }).units[0]!.days[0]!.slots.map((s) => s.status)).toEqual(['available', 'lottery', 'available']);
    // 年末年始 is closed for everyone.
    await t.db.query(
      `WITH b AS (INSERT INTO reservations.blocks (id, facility_id, period, reason) VALUES ($1, $2, tstzrange($3, $4), 'closed') RETURNING id)
       INSERT INTO reservations.claims (unit_id, period, block_id) SELECT $5, tstzrange($3, $4), id FROM b`,
      [newId(), facility, new Date('2026-12-29T00:00:00+09:00'), new Date('2027-01-04T00:00:00+09:00'), hall],
    );
    await refusedBy(await book(family[0]!.headers, { facility: 'kominkan-hall', unit: 'hall', start: '2026-12-29T09:00:00+09:00', people: 80, purposeOfUse: '演奏会' }), 'facility-closed');
  });

  it('refuses more people than the room takes, and more live bookings than the facility allows one person', async () => {
    await refusedBy(await book(family[0]!.headers, { facility: 'kominkan', unit: 'kaigi-2', start: '2026-12-02T09:00:00+09:00', people: 19, purposeOfUse: '会議' }), 'over-capacity');
    const me = family[2]!.headers;
    for (const day of ['24', '25', '26', '27']) {
      const ok = await book(me, { facility: 'tennis', unit: 'court-3', start: `2026-11-${day}T08:00:00+09:00`, people: 2 });
      expect(ok.statusCode, ok.body).toBe(201);
    }
    const fifth = await book(me, { facility: 'tennis', unit: 'court-3', start: '2026-11-28T08:00:00+09:00', people: 2 });
    await refusedBy(fifth, 'booking-limit');
    expect(fifth.json()).toMatchObject({ limit: 4 });
  });

  it('computes the fee: resident price, the surcharge for outside the town, reductions checked in the register', async () => {
    const start = '2026-12-03T18:00:00+09:00'; // 夜間, 3 hours of 第1会議室 at 400 yen
    const outsider = await book(staff.headers, { facility: 'kominkan', unit: 'kaigi-1', start, people: 10, purposeOfUse: '研修', nonResident: { name: '隣町 次郎' } });
    expect(outsider.statusCode, outsider.body).toBe(201);
    expect(outsider.json()).toMatchObject({ state: 'held', bookerKind: 'non-resident', fee: { base: 1200, surcharge: 600, reduction: 0, amount: 1800 } });
    // The head of the family was born in 1960: 66 on the day, so the 65+ reduction applies.
    const audited = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.entries`))[0]!.n;
    const before = await audited();
    const senior = await book(family[0]!.headers, { facility: 'kominkan', unit: 'kaigi-2', start, people: 5, purposeOfUse: '俳句の会', reduction: 'senior' });
    expect(senior.statusCode, senior.body).toBe(201);
    expect(senior.json()).toMatchObject({ fee: { base: 900, surcharge: 0, reductionCode: 'senior', reduction: 450, amount: 450 } });
    // Only the booker's age was read from the register (not their household), and that read is audited as such.
    const reads = await t.db.query<{ action: string; subject_ids: string[]; fields: string[] }>(
      `SELECT action, subject_ids, fields FROM audit.entries WHERE seq > (SELECT max(seq) - $1 FROM audit.entries) AND action NOT LIKE 'booking.%' ORDER BY seq`,
      [(await audited()) - before],
    );
    expect(reads).toEqual([{ action: 'person.read-age', subject_ids: [family[0]!.id], fields: ['birthDate'] }]);
    // Born in 1985: not 65.
    await refusedBy(await book(family[1]!.headers, { facility: 'kominkan', unit: 'washitsu', start, people: 5, purposeOfUse: '句会', reduction: 'senior' }), 'reduction-not-eligible');
    // A group reduction is not chosen by hand.
    await refusedBy(await book(family[1]!.headers, { facility: 'kominkan', unit: 'washitsu', start, people: 5, purposeOfUse: '句会', reduction: 'group-welfare' }), 'reduction-not-eligible');
    // Declared (shown on the day): 100% off, nothing to pay, confirmed at once.
    const free = await book(family[1]!.headers, { facility: 'kominkan', unit: 'chori', start, people: 5, purposeOfUse: '料理教室', reduction: 'disability' });
    expect(free.json()).toMatchObject({ state: 'confirmed', paidBy: 'free', fee: { amount: 0 } });
  });

  it('lets a registered group book once the desk approves it, with its reduction', async () => {
    const rep = family[1]!;
    const reg = await t.inject({ method: 'POST', url: '/api/v1/facility-groups', headers: rep.headers, payload: { name: 'みどり子ども会', members: 30, activity: '子ども会の行事' } });
    expect(reg.statusCode, reg.body).toBe(201);
    const groupId = (reg.json() as { id: string }).id;
    const start = '2026-12-05T09:00:00+09:00';
    await refusedBy(await book(rep.headers, { facility: 'kominkan', unit: 'kaigi-1', start, people: 20, purposeOfUse: '役員会', groupId }), 'group-not-approved');
    const mine = await t.inject({ method: 'GET', url: '/api/v1/facility-groups', headers: rep.headers });
    expect((mine.json() as { items: { state: string }[] }).items[0]!.state).toBe('applied');
    const bad = await t.inject({ method: 'POST', url: `/api/v1/facility-groups/${groupId}/decision`, headers: rep.headers, payload: { decision: 'approve' } });
    expect(bad.statusCode).toBe(403);
    const ok = await t.inject({ method: 'POST', url: `/api/v1/facility-groups/${groupId}/decision`, headers: staff.headers, payload: { decision: 'approve', reduction: 'group-welfare' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const booked = await book(rep.headers, { facility: 'kominkan', unit: 'kaigi-1', start, people: 20, purposeOfUse: '役員会', groupId });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({ groupId, state: 'confirmed', fee: { reductionCode: 'group-welfare', amount: 0 } });
    // A reduction the booker declares does not take away a better one the group was granted (and a better declared one wins).
    const declaredLess = await book(rep.headers, { facility: 'kominkan', unit: 'washitsu', start, people: 10, purposeOfUse: '子ども会の準備', groupId, reduction: 'children' });
    expect(declaredLess.statusCode, declaredLess.body).toBe(201);
    expect(declaredLess.json()).toMatchObject({ state: 'confirmed', fee: { reductionCode: 'group-welfare', amount: 0 } });
    // Someone else cannot book for the group.
    const other = await book(family[0]!.headers, { facility: 'kominkan', unit: 'kaigi-2', start, people: 5, purposeOfUse: '役員会', groupId });
    expect(other.statusCode).toBe(404);
  });

  it('answers 400 for what is not a booking, and 401/403 for who may not book', async () => {
    expect((await book(family[0]!.headers, { facility: 'kominkan', unit: 'kaigi-1', people: 0 })).statusCode).toBe(400);
    expect((await book(family[0]!.headers, { facility: 'kominkan', unit: 'kaigi-1', start: '2026-12-01T09:00:00+09:00', people: 3, personId: family[1]!.id })).statusCode).toBe(403);
    expect((await book({}, { facility: 'kominkan', unit: 'kaigi-1', start: '2026-12-01T09:00:00+09:00', people: 3 })).statusCode).toBe(401);
    expect((await book(staff.headers, { facility: 'kominkan', unit: 'kaigi-1', start: '2026-12-01T09:00:00+09:00', people: 3 })).statusCode).toBe(400);
    expect((await book(family[0]!.headers, { facility: 'nowhere', unit: 'x', start: '2026-12-01T09:00:00+09:00', people: 3 })).statusCode).toBe(404);
  });

  it('gives the same booking for the same Idempotency-Key and body, and 409 for another body', async () => {
    const headers = { ...family[0]!.headers, 'idempotency-key': 'k-123' };
    const body = { facility: 'kominkan', unit: 'kaigi-2', start: '2026-12-04T13:00:00+09:00', people: 3, purposeOfUse: '会議' };
    const first = await book(headers, body);
    expect(first.statusCode).toBe(201);
    const again = await book(headers, body);
    expect(again.statusCode).toBe(201);
    expect((again.json() as { id: string }).id).toBe((first.json() as { id: string }).id);
    const other = await book(headers, { ...body, people: 4 });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ reason: 'idempotency-key-reused' });
  });
});
