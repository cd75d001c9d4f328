/**
 * The lottery end to end, over HTTP: the desk opens a round for the hall's weekend periods
 * (first-come booking of them is refused while it is open), residents apply (by the API and by
 * the form) and withdraw, the draw waits for applications to close, then gives each slot to one
 * entry — a held booking and a mail for winners, a mail for the others — records its seed,
 * inputs and winners publicly without names, and re-runs to the same winners (on the server
 * and here, from the published record alone). What nobody won is bookable first come. Two
 * draws at once: one draws. The worker draws rounds whose time has come.
 * On PGlite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { formFields, pageClient, withValues } from '../applications/testing.js';
import { drawDueRounds } from './desk.js';
import { drawLottery, type DrawInputs } from './lottery-draw.js';
import { desk, facilitiesOf, overlaps, residents, runtimeOf, testClock, type Resident } from './testing.js';

const clock = testClock('2026-11-23T10:00:00+09:00'); // Monday
const main = (body: string) => body.replace(/^[\s\S]*<main[^>]*>/, '').replace(/<\/main>[\s\S]*$/, '');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

interface Round {
  id: string;
  state: string;
  slots: { key: string; unit: string; start: string; entries: number }[];
  entries: { id: string; slot: string; booker?: string; outcome?: string }[];
  draw: null | { seed: string; inputsDigest: string; inputs: DrawInputs; winners: string[]; order: { entry: string; outcome: string }[] };
}

describe('the lottery (抽選)', () => {
  let t: TestServer;
  let staff: Record<string, string>;
  let a: Resident[];
  let b: Resident[];
  const SAT_PM = '2027-01-09T13:00:00+09:00';
  const SAT_AM = '2027-01-09T09:00:00+09:00';
  const SUN_AM = '2027-01-10T09:00:00+09:00';
  const key = (start: string) => `hall@${new Date(start).toISOString()}`;

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now });
    await facilitiesOf(t, '2026-11-23');
    staff = (await desk(t)).headers;
    a = await residents(t);
    b = await residents(t);
  });
  afterAll(async () => t?.close());

  const open = (body: Record<string, unknown>) =>
    t.inject({
      method: 'POST', url: '/api/v1/reservations/lotteries', headers: staff,
      payload: {
        facility: 'kominkan-hall', nameJa: '2027年1月 土日分', nameEn: 'January 2027 weekends', appliesFrom: '2026-11-23T09:00:00+09:00', appliesUntil: '2026-11-30T17:00:00+09:00',
        drawsAt: '2026-12-01T10:00:00+09:00', pattern: { from: '2027-01-09', to: '2027-01-10', weekdays: [0, 6], units: ['hall'] }, ...body,
      },
    });
  const apply = (who: Resident, round: string, start: string, body: Record<string, unknown> = {}) =>
    t.inject({ method: 'POST', url: `/api/v1/reservations/lotteries/${round}/entries`, headers: who.headers, payload: { unit: 'hall', start, people: 80, purposeOfUse: '演奏会', contactEmail: 'resident@example.jp', ...body } });
  const record = async (id: string): Promise<Round> => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/reservations/lotteries/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Round;
  };
  const mails = async (tag: string) => Number((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM platform.mail_queue WHERE tag = $1`, [tag]))[0]!.n);

  let round: string;
  const entries: Record<string, { who: Resident; start: string }> = {};

  it('opens a round for the hall’s weekend periods; their first-come booking waits for the draw', async () => {
    const res = await open({});
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json() as Round;
    round = r.id;
    expect(r.state).toBe('open');
    expect(r.slots.map((s) => s.key)).toHaveLength(6); // two days, three periods
    expect(r.draw).toBeNull();
    // The same slots in a second round: refused.
    const twice = await open({ nameJa: '重複' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ reason: 'slot-in-other-round' });
    // A facility not let by lottery.
    expect((await open({ facility: 'kominkan', pattern: { from: '2027-01-09', to: '2027-01-09', weekdays: [6], units: ['kaigi-1'] } })).statusCode).toBe(422);
    // A resident may not open one.
    expect((await t.inject({ method: 'POST', url: '/api/v1/reservations/lotteries', headers: a[0]!.headers, payload: {} })).statusCode).toBeGreaterThanOrEqual(400);
    const booking = await t.inject({ method: 'POST', url: '/api/v1/bookings', headers: a[0]!.headers, payload: { facility: 'kominkan-hall', unit: 'hall', start: SAT_PM, people: 80, purposeOfUse: '演奏会' } });
    expect(booking.statusCode).toBe(422);
    expect(booking.json()).toMatchObject({ rule: 'lottery-window' });
  });

  it('takes one application per resident and slot, within the rules', async () => {
    for (const [who, start] of [[a[0]!, SAT_PM], [a[1]!, SAT_PM], [b[0]!, SAT_PM], [a[0]!, SUN_AM], [b[1]!, SUN_AM]] as const) {
      const res = await apply(who, round, start);
      expect(res.statusCode, res.body).toBe(201);
      entries[(res.json() as { id: string }).id] = { who, start };
    }
    expect((await apply(a[0]!, round, SAT_PM)).json()).toMatchObject({ reason: 'already-entered' });
    expect((await apply(a[2]!, round, SAT_PM, { people: 400 })).json()).toMatchObject({ rule: 'over-capacity' });
    expect((await apply(a[2]!, round, '2027-01-16T13:00:00+09:00')).statusCode).toBe(404); // not a slot of the round
    const mine = await t.inject({ method: 'GET', url: `/api/v1/reservations/lotteries/${round}/entries`, headers: a[0]!.headers });
    expect((mine.json() as { items: unknown[] }).items).toHaveLength(2);
    const r = await record(round);
    expect(r.slots.find((s) => s.key === key(SAT_PM))!.entries).toBe(3);
    expect(r.entries).toHaveLength(5);
  });

  it('lets a resident apply and withdraw by the form, without script', async () => {
    const c = pageClient(t);
    const anon = await c.get(`/lotteries/${round}`, '');
    expect(anon.statusCode).toBe(200);
    expect(text(main(anon.body))).toContain('ログインして申し込む');
    const page = await c.get(`/lotteries/${round}`, b[2]!.cookie);
    expect(text(main(page.body))).toContain('申込受付中');
    const empty = await c.post(`/lotteries/${round}/entries`, b[2]!.cookie, formFields(page.body, `/lotteries/${round}/entries`));
    expect(empty.statusCode).toBe(400);
    expect(text(main(empty.body))).toContain('申し込む枠を選んでください');
    const made = await c.post(`/lotteries/${round}/entries`, b[2]!.cookie, withValues(formFields(page.body, `/lotteries/${round}/entries`), { slot: key(SAT_PM), people: '20', purposeOfUse: '発表会' }));
    expect(c.location(made)).toBe(`/lotteries/${round}?applied=1#mine`);
    const after = await c.get(`/lotteries/${round}?applied=1`, b[2]!.cookie);
    expect(text(main(after.body))).toContain('申込み済み（抽選待ち）');
    const withdraw = /action="(\/lotteries\/[^"]+\/withdraw)"/.exec(after.body)![1]!;
    const gone = await c.post(withdraw, b[2]!.cookie, formFields(after.body, withdraw));
    expect(c.location(gone)).toBe(`/lotteries/${round}?withdrawn=1#mine`);
    expect(text(main((await c.get(`/lotteries/${round}`, b[2]!.cookie)).body))).toContain('取下げ');
  });

  it('draws only after applications close, then gives each slot to one entry, with holds and mail', async () => {
    const early = await t.inject({ method: 'POST', url: `/api/v1/reservations/lotteries/${round}/draw`, headers: staff });
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ rule: 'lottery-applications-open' });
    clock.set('2026-12-01T10:00:00+09:00');
    const res = await t.inject({ method: 'POST', url: `/api/v1/reservations/lotteries/${round}/draw`, headers: staff });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as Round;
    expect(r.state).toBe('drawn');
    expect(r.draw!.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(r.draw!.inputs.entries.map((e) => e.id)).toEqual(Object.keys(entries).sort());
    // No names, no person ids: only entry ids, slots and pseudonyms.
    for (const p of [...a, ...b]) expect(res.body).not.toContain(p.id);
    const winners = r.draw!.winners;
    const won = (start: string) => winners.filter((w) => entries[w]!.start === start);
    expect(won(SAT_PM)).toHaveLength(1);
    expect(won(SUN_AM)).toHaveLength(1);
    // a[0] applied for both: the round lets one booker win one slot.
    expect(winners.filter((w) => entries[w]!.who === a[0]).length).toBeLessThanOrEqual(1);
    expect(new Set(winners.map((w) => entries[w]!.who.id)).size).toBe(2);
    const rows = await t.db.query<{ id: string; state: string; booking_id: string | null }>(`SELECT id, state, booking_id FROM reservations.lottery_entries WHERE round_id = $1 AND state <> 'withdrawn'`, [round]);
    expect(rows.filter((x) => x.state === 'won').map((x) => x.id).sort()).toEqual([...winners].sort());
    expect(rows.filter((x) => x.state === 'lost')).toHaveLength(3);
    for (const w of winners) {
      const entry = rows.find((x) => x.id === w)!;
      const booking = await t.inject({ method: 'GET', url: `/api/v1/bookings/${entry.booking_id}`, headers: entries[w]!.who.headers });
      expect(booking.statusCode, booking.body).toBe(200);
      expect(booking.json()).toMatchObject({ state: 'held', holdUntil: '2026-12-04T01:00:00.000Z' }); // 72 hours
    }
    expect((await t.db.query<{ source: string }>(`SELECT source FROM reservations.bookings WHERE source = 'lottery'`)).length).toBe(2);
    expect(await mails('reservations.lottery-won')).toBe(2);
    expect(await mails('reservations.lottery-lost')).toBe(3);
    expect(await overlaps(t)).toBe(0);
    // Drawn once only.
    expect((await t.inject({ method: 'POST', url: `/api/v1/reservations/lotteries/${round}/draw`, headers: staff })).statusCode).toBe(409);
  });

  it('re-runs to the same winners, on the server and from the published record alone', async () => {
    const r = await record(round);
    const again = drawLottery(r.draw!.seed, r.draw!.inputs);
    expect(again.winners).toEqual(r.draw!.winners);
    expect(again.order.map((l) => [l.entry, l.outcome])).toEqual(r.draw!.order.map((l) => [l.entry, l.outcome]));
    const v = await t.inject({ method: 'GET', url: `/api/v1/reservations/lotteries/${round}/verification` });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toMatchObject({ sameWinners: true, digestMatches: true, winners: r.draw!.winners, seed: r.draw!.seed });
  });

  it('shows each resident their outcome, and lets anyone book what nobody won', async () => {
    const c = pageClient(t);
    const r = await record(round);
    const winner = entries[r.draw!.winners[0]!]!.who;
    const page = await c.get(`/lotteries/${round}`, winner.cookie);
    const words = text(main(page.body));
    expect(words).toContain('当選');
    expect(words).toContain('仮予約を確認して支払う');
    expect(words).toContain(r.draw!.seed);
    expect(words).toContain('当選なし（先着順で予約できます）');
    const free = await t.inject({ method: 'POST', url: '/api/v1/bookings', headers: b[2]!.headers, payload: { facility: 'kominkan-hall', unit: 'hall', start: SAT_AM, people: 30, purposeOfUse: '練習' } });
    expect(free.statusCode, free.body).toBe(201);
    const list = await c.get('/lotteries', '');
    expect(text(main(list.body))).toContain('抽選済み');
  });

  it('draws once when two draws race, and the worker draws a round whose time has come', async () => {
    clock.set('2026-12-01T11:00:00+09:00');
    const second = await open({ nameJa: '2月', nameEn: 'February', appliesFrom: '2026-12-01T09:00:00+09:00', appliesUntil: '2026-12-05T17:00:00+09:00', drawsAt: '2026-12-06T10:00:00+09:00', pattern: { from: '2027-02-06', to: '2027-02-07', weekdays: [0, 6], units: ['hall'] } });
    expect(second.statusCode, second.body).toBe(201);
    const id = (second.json() as Round).id;
    for (const who of [...a, ...b]) expect((await apply(who, id, '2027-02-06T13:00:00+09:00')).statusCode).toBe(201);
    clock.set('2026-12-06T10:00:00+09:00');
    const both = await Promise.all([1, 2].map(() => t.inject({ method: 'POST', url: `/api/v1/reservations/lotteries/${id}/draw`, headers: staff })));
    expect(both.map((x) => x.statusCode).sort()).toEqual([200, 409]);
    const r = await record(id);
    expect(r.draw!.winners).toHaveLength(1);
    expect((await t.db.query(`SELECT 1 FROM reservations.lottery_entries WHERE round_id = $1 AND state = 'won'`, [id])).length).toBe(1);

    const third = await open({ nameJa: '3月', appliesFrom: '2026-12-06T09:00:00+09:00', appliesUntil: '2026-12-10T17:00:00+09:00', drawsAt: '2026-12-11T10:00:00+09:00', pattern: { from: '2027-03-06', to: '2027-03-06', weekdays: [6], units: ['hall'] } });
    const thirdId = (third.json() as Round).id;
    expect((await apply(a[1]!, thirdId, '2027-03-06T18:00:00+09:00')).statusCode).toBe(201);
    const rt = runtimeOf(t, clock.now);
    expect(await drawDueRounds(rt)).toBe(0);
    clock.set('2026-12-11T10:00:00+09:00');
    expect(await drawDueRounds(rt)).toBe(1);
    expect((await record(thirdId)).state).toBe('drawn');
    expect(await overlaps(t)).toBe(0);
  });
});
