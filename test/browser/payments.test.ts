/**
 * The simulated provider's page and the payments pages in Chromium at 360 px, without
 * JavaScript: a payer follows the link, sees what is paid, presses 「支払う」 and is back where
 * they came from with the payment done; a QR-code and a convenience-store payment; the same
 * page in やさしい日本語 and English; the accounting desk's reconciliation. axe-core runs on
 * every page (with JavaScript on, only to run axe). Screenshots: /tmp/payments-*.png.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../src/testing/server.js';
import { accountant, samplePayment } from '../../src/modules/payments/testing.js';
import { expectNoAxeViolations, expectNoHorizontalScroll, hasBrowser, launch } from './browser.js';

describe.skipIf(!hasBrowser)('paying with the simulated provider in a browser', () => {
  let t: TestServer;
  let base: string;
  let browser: Browser;
  let noJs: BrowserContext;
  let axeCtx: BrowserContext;

  /** Checks a page as a person with a screen reader would meet it: axe-core on the same URL, no sideways scrolling. */
  async function check(page: Page, shot: string) {
    await expectNoHorizontalScroll(page);
    await page.screenshot({ path: `/tmp/payments-${shot}.png`, fullPage: true });
    const same = await axeCtx.newPage();
    await same.goto(page.url());
    await expectNoAxeViolations(same);
    await same.close();
  }

  beforeAll(async () => {
    t = await startTestServer();
    await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.server.app.server.address() as AddressInfo).port}`;
    browser = await launch();
    const viewport = { width: 360, height: 740 };
    noJs = await browser.newContext({ javaScriptEnabled: false, viewport, locale: 'ja-JP' });
    axeCtx = await browser.newContext({ viewport, locale: 'ja-JP', bypassCSP: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a payer pays by card and comes back with the payment done', async () => {
    const { id, nextUrl } = await t.server.payments.createPayment(undefined, samplePayment(new Date(), { amount: 1200, returnUrl: '/' }));
    const page = await noJs.newPage();
    await page.goto(`${base}${nextUrl}`);
    expect(page.url()).toMatch(/\/payments\/simulated\/sim_[a-z0-9]{24}$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('お支払い（模擬決済）');
    await expect(page.locator('main').textContent()).resolves.toContain('1,200円');
    await check(page, 'card');
    await page.getByRole('button', { name: '支払う', exact: true }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/');
    expect((await t.server.payments.paymentOf(id))!.state).toBe('succeeded');
    // The link again: the payment is done.
    await page.goto(`${base}${nextUrl}`);
    await expect(page.locator('main [role="status"]').textContent()).resolves.toBe('このお支払いは完了しています。');
    await check(page, 'done');
    await page.close();
  });

  it('a QR-code payment and a convenience-store payment, in やさしい日本語 and English', async () => {
    const qr = await t.server.payments.createPayment(undefined, samplePayment(new Date(), { method: 'qr', returnUrl: '/' }));
    const page = await noJs.newPage();
    await page.goto(`${base}${qr.nextUrl}`);
    await expect(page.getByRole('img', { name: /QRコード/ }).count()).resolves.toBe(1);
    await check(page, 'qr');
    await page.goto(`${page.url()}?lang=ja-easy`);
    await check(page, 'qr-easy');

    const konbini = await t.server.payments.createPayment(undefined, samplePayment(new Date(), { method: 'konbini', amount: 5500, returnUrl: '/' }));
    await page.goto(`${base}${konbini.nextUrl}?lang=en`);
    await expect(page.locator('main').textContent()).resolves.toContain('Payment number');
    await check(page, 'konbini-en');
    await page.getByRole('link', { name: 'Note the number and go back' }).click();
    expect((await t.server.payments.paymentOf(konbini.id))!.state).toBe('started');
    await page.close();
  });

  it('the accounting desk reads the day’s reconciliation', async () => {
    const clerk = await accountant(t);
    const ctx = [noJs, axeCtx];
    for (const c of ctx) {
      await c.addCookies(clerk.cookie.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), url: base };
      }));
    }
    const page = await noJs.newPage();
    await page.goto(`${base}/staff/payments?lang=ja`);
    await expect(page.locator('h1').textContent()).resolves.toBe('収納の照合（日次）');
    await expect(page.getByRole('table').first().locator('tr.total').textContent()).resolves.toContain('1,200円');
    await check(page, 'reconciliation');
    await page.close();
  });
});
