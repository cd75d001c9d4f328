/**
 * Facility reservations in Chromium at 360 px (done-when of issue 6): a resident finds a
 * room in the calendar (month, then week), books it by the form, pays by card on the
 * simulated provider's page, comes back to a confirmed booking, cancels within the rules and
 * sees the refund — with axe-core on every page and no page wider than the phone.
 * Screenshots: /tmp/reservations-*.png.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../src/testing/server.js';
import { facilitiesOf, residents, testClock, type Resident } from '../../src/modules/reservations/testing.js';
import { expectNoAxeViolations, expectNoHorizontalScroll, hasBrowser, launch } from './browser.js';

const clock = testClock('2026-11-23T10:00:00+09:00');

describe.skipIf(!hasBrowser)('booking a room in a browser', () => {
  let t: TestServer;
  let me: Resident;
  let base: string;
  let browser: Browser;
  let ctx: BrowserContext;

  const check = async (page: Page, shot: string) => {
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await page.screenshot({ path: `/tmp/reservations-${shot}.png`, fullPage: true });
  };

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now });
    await facilitiesOf(t, '2026-11-23');
    me = (await residents(t))[0]!;
    await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.server.app.server.address() as AddressInfo).port}`;
    browser = await launch();
    // The pages need no script; axe-core is injected as one, so the context lets it past the CSP.
    ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ja-JP', bypassCSP: true });
    await ctx.addCookies(
      me.cookie.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), url: base };
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('books a room, pays with the simulated provider, cancels within the rules and sees the refund', async () => {
    const page = await ctx.newPage();
    await page.goto(`${base}/facilities`);
    await check(page, 'list');
    await page.click('a[href="/facilities/kominkan"]');
    await check(page, 'facility');
    await page.click('a.button[href="/facilities/kominkan/calendar"]');
    await page.waitForURL(/\/calendar$/);
    await check(page, 'month');
    await page.click('a[href="/facilities/kominkan/calendar?month=2026-12"]');
    await page.click('a[href="/facilities/kominkan/week?from=2026-12-01"]');
    await page.waitForURL(/week\?from=2026-12-01/);
    await check(page, 'week');
    // The first free slot of 第1会議室: Tuesday 1 December, morning.
    await page.click('a[href^="/facilities/kominkan/book?unit=kaigi-1&start=2026-12-01T00"]');
    await page.waitForURL(/\/book\?/);
    await check(page, 'form');
    await page.fill('#people', '8');
    await page.fill('#purposeOfUse', '自治会の役員会');
    await page.fill('#contactEmail', 'me@example.jp');
    await page.click('form[action="/facilities/kominkan/book"] button[type=submit]');
    await page.waitForURL(/\/me\/bookings\/[0-9a-f-]{36}\?made=1$/);
    expect(await page.textContent('main')).toContain('仮予約しました');
    await check(page, 'held');
    await page.check('#method-card');
    await page.click('form[action$="/pay"] button[type=submit]');
    await page.waitForURL(/\/payments\/simulated\//);
    expect(await page.textContent('main')).toContain('1,200');
    await check(page, 'provider');
    await page.click('button[name=action][value=pay]');
    await page.waitForURL(/\/me\/bookings\/[0-9a-f-]{36}\?paid=1$/);
    expect(await page.textContent('main')).toContain('お支払いが完了し、予約が確定しました。');
    await check(page, 'confirmed');
    await page.click('a[href$="/cancel"]');
    await page.waitForURL(/\/cancel$/);
    expect(await page.textContent('main')).toContain('1,200円');
    await check(page, 'cancel');
    await page.click('form[action$="/cancel"] button[type=submit]');
    await page.waitForURL(/\?cancelled=1$/);
    const done = (await page.textContent('main')) ?? '';
    expect(done).toContain('予約を取り消しました。1,200円を返金します。');
    expect(done).toContain('返金の手続きをしました');
    await check(page, 'refunded');
    await page.click('a[href="/me/bookings"]');
    await check(page, 'mine');
    await t.server.payments.runWorkers();
    const bookingId = new URL(page.url()).pathname;
    expect(bookingId).toBe('/me/bookings');
  });

  it('shows the town bus’s trips as a list a phone can read', async () => {
    const page = await ctx.newPage();
    await page.goto(`${base}/facilities/bus/week`);
    expect(await page.textContent('main')).toContain('1席予約する');
    await check(page, 'bus');
    await page.goto(`${base}/me/facility-groups`);
    await check(page, 'groups');
  });
});
