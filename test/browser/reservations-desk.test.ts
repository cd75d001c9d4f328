/**
 * The lottery and the facilities desk in Chromium at 360 px: a resident applies to a lottery by
 * the form and, after the draw, reads the result and the record; the desk opens a round, draws
 * it, edits a facility, closes a unit, checks a booker in, reads occupancy and revenue — with
 * axe-core on every page and no page wider than the phone. Screenshots: /tmp/desk-*.png.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../src/testing/server.js';
import { desk, facilitiesOf, residents, testClock, type Resident } from '../../src/modules/reservations/testing.js';
import { expectNoAxeViolations, expectNoHorizontalScroll, hasBrowser, launch } from './browser.js';

const clock = testClock('2026-11-23T10:00:00+09:00');

describe.skipIf(!hasBrowser)('the lottery and the facilities desk in a browser', () => {
  let t: TestServer;
  let me: Resident;
  let base: string;
  let browser: Browser;
  let resident: BrowserContext;
  let staff: BrowserContext;

  const check = async (page: Page, shot: string) => {
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await page.screenshot({ path: `/tmp/desk-${shot}.png`, fullPage: true });
  };
  const withCookies = async (cookie: string) => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ja-JP', bypassCSP: true });
    await ctx.addCookies(
      cookie.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), url: base };
      }),
    );
    return ctx;
  };

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now });
    await facilitiesOf(t, '2026-11-23');
    me = (await residents(t))[0]!;
    await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.server.app.server.address() as AddressInfo).port}`;
    browser = await launch();
    resident = await withCookies(me.cookie);
    staff = await withCookies((await desk(t)).headers.cookie!);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens a round at the desk, takes an application by the form, draws it and shows the record', async () => {
    const s = await staff.newPage();
    await s.goto(`${base}/staff/facilities`);
    await check(s, 'home');
    await s.click('a[href="/staff/facilities/lotteries"]');
    await check(s, 'rounds');
    await s.click('a[href="/staff/facilities/lotteries/new"]');
    await check(s, 'new-pick');
    await s.selectOption('#facility', 'kominkan-hall');
    await s.click('form[action="/staff/facilities/lotteries/new"] button[type=submit]');
    await s.waitForURL(/facility=kominkan-hall/);
    await check(s, 'new');
    await s.fill('#nameJa', '2027年1月 土日分');
    await s.fill('#appliesFromDate', '2026-11-23');
    await s.fill('#appliesFromTime', '09:00');
    await s.fill('#appliesUntilDate', '2026-11-30');
    await s.fill('#drawsAtDate', '2026-12-01');
    await s.fill('#from', '2027-01-09');
    await s.fill('#to', '2027-01-10');
    await s.click('form[action="/staff/facilities/lotteries"] button[type=submit]');
    await s.waitForURL(/\/staff\/facilities\/lotteries\/[0-9a-f-]{36}\?opened=1$/);
    await check(s, 'round-open');
    const id = /lotteries\/([0-9a-f-]{36})/.exec(s.url())![1]!;

    const r = await resident.newPage();
    await r.goto(`${base}/lotteries`);
    await check(r, 'list');
    await r.click(`a[href="/lotteries/${id}"]`);
    await check(r, 'round');
    await r.selectOption('#slot', { index: 2 });
    await r.fill('#people', '120');
    await r.fill('#purposeOfUse', '町民音楽祭');
    await r.fill('#contactEmail', 'me@example.jp');
    await r.click(`form[action="/lotteries/${id}/entries"] button[type=submit]`);
    await r.waitForURL(/applied=1/);
    expect(await r.textContent('main')).toContain('抽選に申し込みました');
    await check(r, 'applied');

    clock.set('2026-12-01T10:00:00+09:00');
    await s.goto(`${base}/staff/facilities/lotteries/${id}`);
    await s.click(`form[action="/staff/facilities/lotteries/${id}/draw"] button[type=submit]`);
    await s.waitForURL(/drawn=1$/);
    await check(s, 'round-drawn');
    await r.goto(`${base}/lotteries/${id}`);
    expect(await r.textContent('main')).toContain('当選');
    await check(r, 'result');
  });

  it('edits a facility, closes a unit, checks in, and reads occupancy and revenue', async () => {
    const s = await staff.newPage();
    await s.goto(`${base}/staff/facilities/kominkan/setup`);
    await check(s, 'setup');
    await s.fill('#fee-kaigi-1', '450');
    await s.click('form[action="/staff/facilities/kominkan/units"] button[type=submit]');
    await s.waitForURL(/saved=units/);
    await check(s, 'setup-saved');
    await s.goto(`${base}/staff/facilities/kominkan/blocks`);
    await s.selectOption('#unit', 'kaigi-2');
    await s.fill('#fromDate', '2026-12-15');
    await s.fill('#toDate', '2026-12-15');
    await s.check('#reason-maintenance');
    await s.click('form[action="/staff/facilities/kominkan/blocks"] button[type=submit]');
    await s.waitForURL(/done=added/);
    await check(s, 'blocks');
    await t.inject({ method: 'POST', url: '/api/v1/bookings', headers: me.headers, payload: { facility: 'tennis', unit: 'court-1', start: '2026-12-01T14:00:00+09:00', people: 2, purposeOfUse: 'テニス' } });
    await s.goto(`${base}/staff/facilities/checkin?facility=tennis&date=2026-12-01`);
    await check(s, 'checkin');
    await s.click('form[action^="/staff/facilities/checkin/"] button[type=submit]');
    await s.waitForURL(/done=checked-in/);
    await check(s, 'checked-in');
    await s.goto(`${base}/staff/facilities/occupancy?facility=tennis&from=2026-12-01&to=2026-12-07`);
    await check(s, 'occupancy');
    await s.goto(`${base}/staff/facilities/revenue?from=2026-12-01&to=2026-12-01`);
    expect(await s.textContent('main')).toContain('窓口収納');
    await check(s, 'revenue');
  });
});
