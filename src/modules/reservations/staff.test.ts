/**
 * The facilities desk's pages, as a browser without script uses them, and its API: only the
 * role facility-manager under the purpose facility-booking gets in; it edits a facility's rules,
 * hours and fees (a new booking costs the new fee), adds a unit, closes a unit for maintenance
 * (refused over a live booking, naming it) and lifts the closure, checks people in (taking an
 * unpaid fee at the counter), records a no-show, and reads occupancy by weekday × hour and the
 * revenue from the payments ledger and the counter. On PGlite, and on PostgreSQL with
 * TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { formFields, pageClient, withValues, type PageClient } from '../applications/testing.js';
import { payAsPayer } from '../payments/testing.js';
import { desk, facilitiesOf, overlaps, residents, testClock, type Resident } from './testing.js';

const clock = testClock('2026-11-23T10:00:00+09:00'); // Monday
const main = (body: string) => body.replace(/^[\s\S]*<main[^>]*>/, '').replace(/<\/main>[\s\S]*$/, '');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('the facilities desk', () => {
  let t: TestServer;
  let c: PageClient;
  let cookie: string;
  let api: Record<string, string>;
  let me: Resident[];

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now });
    await facilitiesOf(t, '2026-11-23');
    c = pageClient(t);
    const d = await desk(t);
    api = d.headers;
    cookie = d.headers.cookie!;
    me = await residents(t);
  });
  afterAll(async () => t?.close());

  const book = async (who: Resident, body: Record<string, unknown>) => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/bookings', headers: who.headers, payload: { people: 4, purposeOfUse: '会議', ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; reference: string; state: string; fee: { amount: number } };
  };
  const pay = async (who: Resident, id: string) => {
    const res = await t.inject({ method: 'POST', url: `/api/v1/bookings/${id}/payment`, headers: who.headers, payload: { method: 'card' } });
    expect(res.statusCode, res.body).toBe(200);
    await payAsPayer(t, (res.json() as { nextUrl: string }).nextUrl, 'pay', who.cookie);
    await t.server.payments.runWorkers();
  };
  const submit = async (url: string, action: string, set: Record<string, string | string[]>, drop: string[] = []) => {
    const page = await c.get(url, cookie);
    expect(page.statusCode, page.body.slice(0, 300)).toBe(200);
    const fields = formFields(page.body, action).filter(([k]) => !drop.includes(k));
    return c.post(action, cookie, withValues(fields, set));
  };

  it('lets in only the facility manager working for facility booking', async () => {
    expect((await c.get('/staff/facilities', '')).headers.location).toMatch(/^\/staff\/sign-in/);
    const clerk = await t.staffCookie({ login: 'madoguchi', roles: ['counter-clerk'], purpose: 'counter-service' });
    expect((await c.get('/staff/facilities', clerk)).statusCode).toBe(403);
    const noPurpose = await t.staffCookie({ login: 'shisetsu2', roles: ['facility-manager'] });
    expect((await c.get('/staff/facilities', noPurpose)).headers.location).toMatch(/^\/staff\/purpose/);
    const home = await c.get('/staff/facilities', cookie);
    expect(home.statusCode).toBe(200);
    const words = text(main(home.body));
    expect(words).toContain('中央公民館');
    expect(home.body).toContain('href="/staff/facilities/kominkan/setup"');
    expect(home.body).toContain('href="/staff/facilities/checkin"');
    expect((await t.inject({ method: 'GET', url: '/api/v1/reservations/revenue?from=2026-11-01&to=2026-11-30', headers: me[0]!.headers })).statusCode).toBe(403);
  });

  it('edits the rules, the hours and the fees; a new booking costs the new fee', async () => {
    const bad = await submit('/staff/facilities/kominkan/setup', '/staff/facilities/kominkan/rules', { nonresidentWindowDays: '200' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="nonresidentWindowDays-error"');
    const ok = await submit('/staff/facilities/kominkan/setup', '/staff/facilities/kominkan/rules', { residentWindowDays: '120', surchargePercent: '100' });
    expect(c.location(ok)).toBe('/staff/facilities/kominkan/setup?saved=rules');
    const detail = (await t.inject({ method: 'GET', url: '/api/v1/facilities/kominkan' })).json() as { rules: { residentWindowDays: number; nonresidentSurchargePercent: number } };
    expect(detail.rules).toMatchObject({ residentWindowDays: 120, nonresidentSurchargePercent: 100 });

    // Sundays closed from now on; a closing time before the opening is refused.
    const wrong = await submit('/staff/facilities/kominkan/setup', '/staff/facilities/kominkan/hours', { 'opens-2': '18:00', 'closes-2': '09:00' });
    expect(wrong.statusCode).toBe(400);
    const hours = await submit('/staff/facilities/kominkan/setup', '/staff/facilities/kominkan/hours', {}, ['open-0']);
    expect(c.location(hours)).toBe('/staff/facilities/kominkan/setup?saved=hours#hours');
    const sunday = (await t.inject({ method: 'GET', url: '/api/v1/facilities/kominkan/availability?from=2026-12-06&days=1' })).json() as { units: { days: { slots: unknown[] }[] }[] };
    expect(sunday.units[0]!.days[0]!.slots).toEqual([]);

    const fees = await submit('/staff/facilities/kominkan/setup', '/staff/facilities/kominkan/units', { 'fee-kaigi-1': '500' });
    expect(c.location(fees)).toBe('/staff/facilities/kominkan/setup?saved=units#units');
    const b = await book(me[0]!, { facility: 'kominkan', unit: 'kaigi-1', start: '2026-12-08T09:00:00+09:00' });
    expect(b.fee.amount).toBe(1500); // three hours at 500

    const added = await submit('/staff/facilities/kominkan/setup', '/staff/facilities/kominkan/units/new', { unitCode: 'kaigi-3', unitNameJa: '第3会議室', unitNameEn: 'Meeting room 3', unitFee: '350', unitCapacity: '12' });
    expect(c.location(added)).toBe('/staff/facilities/kominkan/setup?saved=unit#units');
    const again = await submit('/staff/facilities/kominkan/setup', '/staff/facilities/kominkan/units/new', { unitCode: 'kaigi-3', unitNameJa: '重複', unitFee: '1' });
    expect(again.statusCode).toBe(409);
    const units = ((await t.inject({ method: 'GET', url: '/api/v1/facilities/kominkan' })).json() as { units: { code: string; hourlyFee: number; capacity: number }[] }).units;
    expect(units.find((u) => u.code === 'kaigi-3')).toMatchObject({ hourlyFee: 350, capacity: 12 });
    const setup = await c.get('/staff/facilities/kominkan/setup', cookie);
    expect(text(main(setup.body))).toContain('部屋を追加');
    const log = await t.db.query<{ what: string }>(`SELECT what FROM reservations.setup_log ORDER BY id`);
    expect(log.map((l) => l.what)).toEqual(['rules', 'hours', 'units', 'unit-added']);
  });

  it('closes a unit for maintenance, refuses a closure over a live booking, and lifts it', async () => {
    const closed = await submit('/staff/facilities/kominkan/blocks', '/staff/facilities/kominkan/blocks', { unit: 'kaigi-2', fromDate: '2026-12-09', toDate: '2026-12-09', reason: 'maintenance', noteJa: '空調点検' });
    expect(c.location(closed)).toBe('/staff/facilities/kominkan/blocks?done=added');
    const refused = await t.inject({ method: 'POST', url: '/api/v1/bookings', headers: me[1]!.headers, payload: { facility: 'kominkan', unit: 'kaigi-2', start: '2026-12-09T13:00:00+09:00', people: 3, purposeOfUse: '会議' } });
    expect(refused.json()).toMatchObject({ rule: 'facility-closed' });
    const booked = (await t.db.query<{ reference: string }>(`SELECT reference FROM reservations.bookings WHERE state = 'held' ORDER BY created_at LIMIT 1`))[0]!.reference;
    const over = await submit('/staff/facilities/kominkan/blocks', '/staff/facilities/kominkan/blocks', { unit: '', fromDate: '2026-12-08', toDate: '2026-12-08', reason: 'closed' });
    expect(over.statusCode).toBe(409);
    expect(text(main(over.body))).toContain(booked);
    const page = await c.get('/staff/facilities/kominkan/blocks', cookie);
    expect(text(main(page.body))).toContain('点検・工事（空調点検）');
    const remove = /action="(\/staff\/facilities\/kominkan\/blocks\/[^"]+\/remove)"/.exec(page.body)![1]!;
    expect(c.location(await c.post(remove, cookie, formFields(page.body, remove)))).toBe('/staff/facilities/kominkan/blocks?done=removed');
    await book(me[1]!, { facility: 'kominkan', unit: 'kaigi-2', start: '2026-12-09T13:00:00+09:00', people: 3 });
    expect(await overlaps(t)).toBe(0);
  });

  it('checks people in: a paid booking at once, an unpaid one once the fee is taken at the counter; records no-shows', async () => {
    clock.set('2026-11-24T07:00:00+09:00'); // Tuesday
    const paid = await book(me[0]!, { facility: 'tennis', unit: 'court-1', start: '2026-11-24T10:00:00+09:00', people: 2, purposeOfUse: 'テニス' });
    await pay(me[0]!, paid.id);
    const unpaid = await book(me[1]!, { facility: 'tennis', unit: 'court-2', start: '2026-11-24T10:00:00+09:00', people: 2, purposeOfUse: 'テニス' });
    clock.set('2026-11-24T09:50:00+09:00');
    const day = await c.get('/staff/facilities/checkin?facility=tennis&date=2026-11-24', cookie);
    expect(day.statusCode).toBe(200);
    const words = text(main(day.body));
    expect(words).toContain(paid.reference);
    expect(words).toContain(unpaid.reference);
    expect(words).not.toContain('一郎'); // no names of residents
    const held = await c.post(`/staff/facilities/checkin/${unpaid.id}`, cookie, [['_csrf', c.csrfOf(day.body)]]);
    expect(held.statusCode).toBe(409);
    expect(text(main(held.body))).toContain('まだ支払われていません');
    const collect = await c.post(`/staff/facilities/checkin/${unpaid.id}`, cookie, formFields(day.body, `/staff/facilities/checkin/${unpaid.id}`));
    expect(c.location(collect)).toContain(`done=checked-in&ref=${unpaid.reference}`);
    const found = await c.get(`/staff/facilities/checkin?reference=${paid.reference}`, cookie);
    expect(c.location(await c.post(`/staff/facilities/checkin/${paid.id}`, cookie, formFields(found.body, `/staff/facilities/checkin/${paid.id}`)))).toContain('done=checked-in');
    const rows = await t.db.query<{ id: string; state: string; paid_by: string }>(`SELECT id, state, paid_by FROM reservations.bookings WHERE id = ANY($1::uuid[])`, [[paid.id, unpaid.id]]);
    expect(rows.find((r) => r.id === paid.id)).toMatchObject({ state: 'checked-in', paid_by: 'online' });
    expect(rows.find((r) => r.id === unpaid.id)).toMatchObject({ state: 'checked-in', paid_by: 'counter' });
    // A confirmed booking nobody came to: a no-show once it has started, by the API.
    clock.set('2026-11-24T07:00:00+09:00');
    const third = await book(me[2]!, { facility: 'tennis', unit: 'court-3', start: '2026-11-24T10:00:00+09:00', people: 2, purposeOfUse: 'テニス' });
    await pay(me[2]!, third.id);
    expect((await t.inject({ method: 'POST', url: `/api/v1/bookings/${third.id}/no-show`, headers: api })).statusCode).toBe(409);
    clock.set('2026-11-24T10:30:00+09:00');
    const ns = await t.inject({ method: 'POST', url: `/api/v1/bookings/${third.id}/no-show`, headers: api });
    expect(ns.statusCode, ns.body).toBe(200);
    expect(ns.json()).toMatchObject({ state: 'no-show' });
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit.entries WHERE action IN ('booking.check-in', 'booking.no-show')`);
    expect(audit.map((x) => x.action).sort()).toEqual(['booking.check-in', 'booking.check-in', 'booking.no-show']);
  });

  it('reads occupancy by weekday × hour: a full court fills both halves', async () => {
    clock.set('2026-11-24T10:00:00+09:00');
    await book(me[0]!, { facility: 'taiikukan', unit: 'zenmen', start: '2026-12-08T09:00:00+09:00', people: 20, purposeOfUse: 'バスケットボール' });
    await book(me[1]!, { facility: 'taiikukan', unit: 'hanmen-a', start: '2026-12-08T11:00:00+09:00', people: 10, purposeOfUse: 'バドミントン' });
    const res = await t.inject({ method: 'GET', url: '/api/v1/reservations/occupancy?facility=taiikukan&from=2026-12-08&to=2026-12-08', headers: api });
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json() as { rate: number; cells: { weekday: number; hour: number; openMinutes: number; bookedMinutes: number; rate: number }[] };
    // Two halves open 9:00–21:00: 1,440 unit-minutes; booked 2 × 120 + 120 = 360: 25%.
    expect(o.rate).toBe(25);
    expect(o.cells.find((x) => x.weekday === 2 && x.hour === 9)).toMatchObject({ openMinutes: 120, bookedMinutes: 120, rate: 100 });
    expect(o.cells.find((x) => x.weekday === 2 && x.hour === 11)).toMatchObject({ openMinutes: 120, bookedMinutes: 60, rate: 50 });
    expect(o.cells.find((x) => x.weekday === 2 && x.hour === 15)).toMatchObject({ rate: 0 });
    const page = await c.get('/staff/facilities/occupancy?facility=taiikukan&from=2026-12-08&to=2026-12-08', cookie);
    const words = text(main(page.body));
    expect(words).toContain('期間全体の稼働率は25％です');
    expect(words).toContain('9時台');
    expect(page.body).toContain('<th scope="col">火曜日</th>');
    expect((await c.get('/staff/facilities/occupancy?facility=taiikukan&from=2026-12-08&to=2027-06-08', cookie)).statusCode).toBe(400);
  });

  it('reads revenue from the payments ledger and the counter', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/reservations/revenue?from=2026-11-24&to=2026-11-24', headers: api });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as { ledger: boolean; lines: { facility: string; online: { captured: number; captures: number; fees: number; net: number }; counter: { received: number; receipts: number } }[]; total: { net: number } };
    expect(r.ledger).toBe(true);
    const tennis = r.lines.find((l) => l.facility === 'tennis')!;
    const moves = await t.server.payments.movementsOn('2026-11-24', 'reservation');
    const captured = moves.filter((m) => m.kind === 'capture').reduce((s, m) => s + m.amount, 0);
    const fees = -moves.filter((m) => m.kind === 'fee').reduce((s, m) => s + m.amount, 0);
    expect(captured).toBeGreaterThan(0);
    expect(tennis.online).toMatchObject({ captured, captures: 2, fees, net: captured - fees });
    const counter = (await t.db.query<{ amount: number }>(`SELECT amount FROM reservations.bookings WHERE paid_by = 'counter'`))[0]!.amount;
    expect(tennis.counter).toMatchObject({ received: counter, receipts: 1 });
    expect(r.total.net).toBe(captured - fees + counter);
    const page = await c.get('/staff/facilities/revenue?from=2026-11-24&to=2026-11-24', cookie);
    expect(page.statusCode).toBe(200);
    const words = text(main(page.body));
    expect(words).toContain(`期間の収入の合計（手数料・返金を引いたもの）は${(captured - fees + counter).toLocaleString('ja')}円です`);
    expect(words).toContain('クレジットカード');
  });
});
