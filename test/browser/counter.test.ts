/**
 * The write-free counter in Chromium (done-when of issue 5): a resident prepares three
 * procedures at home and gets a QR code; at the counter the code — decoded from its PNG and
 * typed as a USB scanner types it — opens the visit; the clerk answers what remains, the
 * resident signs on the tablet (pointer events), the three forms print on the town's layouts
 * with the resident's name in the name box (read back with pdftotext and seen as pixels);
 * a visit started with the simulated card reader does the same; the metrics dashboard shows
 * each visit's duration. axe-core runs on every page. Screenshots: /tmp/counter-*.png.
 */
import type { AddressInfo } from 'node:net';
import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../src/testing/server.js';
import { caseTown, type CaseTown } from '../../src/modules/cases/testing.js';
import { counterClerk, decodeQr, sampleAnswers, type Clerk } from '../../src/modules/counter/testing.js';
import { SAMPLE_FILES } from '../../src/modules/applications/testing.js';
import { boxOf, hasPoppler, inBox, pdfWords, renderPage } from '../../src/modules/counter/pdf-testing.js';
import { expectNoAxeViolations, expectNoHorizontalScroll, hasBrowser, launch } from './browser.js';

const TODAY = '2026-11-23';
const THREE = ['residence-certificate-request', 'child-medical-subsidy', 'long-term-care-certification'];

describe.skipIf(!hasBrowser || !hasPoppler)('the write-free counter in a browser', () => {
  let t: TestServer;
  let town: CaseTown;
  let clerk: Clerk;
  let base: string;
  let browser: Browser;
  let residentCtx: BrowserContext;
  let clerkCtx: BrowserContext;
  const references: string[] = [];

  const cookies = (cookie: string) =>
    cookie.split('; ').map((pair) => {
      const [name, ...value] = pair.split('=');
      return { name: name!, value: value.join('='), url: base };
    });
  const check = async (page: Page, shot: string) => {
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `/tmp/counter-${shot}.png`, fullPage: true });
  };

  beforeAll(async () => {
    t = await startTestServer({}, { today: () => TODAY });
    town = await caseTown(t);
    await t.server.registry.seedDemoTown({ residents: 80, seed: 5, today: TODAY });
    clerk = await counterClerk(t);
    await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.server.app.server.address() as AddressInfo).port}`;
    browser = await launch();
    // JavaScript on (the signature pad); bypassCSP only so that axe-core can be injected.
    residentCtx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ja-JP', bypassCSP: true });
    await residentCtx.addCookies(cookies(town.resident.cookie));
    clerkCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true, hasTouch: true });
    await clerkCtx.addCookies(cookies(clerk.cookie));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Answers the visit's open questions in the page as a clerk would (radios, selects, text), until none is left. */
  async function answer(page: Page) {
    for (let round = 0; round < 4; round += 1) {
      const answers = await sampleAnswers(t, await page.content());
      if (answers.length === 0) return;
      for (const [name, value] of answers) {
        const input = page.locator(`[name="${name}"]`).first();
        const tag = await input.evaluate((el) => `${el.tagName}:${(el as HTMLInputElement).type}`);
        if (tag === 'SELECT:select-one') await input.selectOption(value);
        else if (tag === 'INPUT:radio' || tag === 'INPUT:checkbox') await page.locator(`[name="${name}"][value="${value}"]`).check();
        else await input.fill(value);
      }
      await page.click('#save-answers');
      await page.waitForLoadState('load');
    }
    throw new Error('questions left after four rounds');
  }

  /** Attaches the scans of the documents a procedure needs, on its full form, and comes back to the visit. */
  async function attachDocuments(page: Page) {
    for (let round = 0; round < 4; round += 1) {
      const link = page.locator('a[data-attach]').first();
      if ((await link.count()) === 0) return;
      const slot = (await link.getAttribute('href'))!.split('#a-')[1]!;
      await link.click();
      await page.waitForURL(/\/applications\/drafts\/[0-9a-f-]{36}/);
      const input = page.locator(`input[name="file:${slot}"]`);
      const type = (await input.getAttribute('accept'))!.includes('application/pdf') ? 'application/pdf' : 'image/png';
      await page.setInputFiles(`input[name="file:${slot}"]`, { name: type === 'image/png' ? 'scan.png' : 'scan.pdf', mimeType: type, buffer: SAMPLE_FILES[type] });
      await page.click(`button[value="upload:${slot}"]`);
      await page.waitForLoadState('load');
      await page.click('#to-review');
      await page.waitForURL(/\/staff\/counter\/visits\/[0-9a-f-]{36}$/);
    }
  }

  /** The visit's forms as printed now (the print button posts and opens the PDF in a new tab; here it is fetched the same way). */
  async function print(page: Page, visitUrl: string): Promise<Buffer> {
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const res = await clerkCtx.request.post(`${base}${visitUrl}/print`, { form: { _csrf: csrf } });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    return Buffer.from(await res.body());
  }

  /** The residence form's page of the printout has the person's name inside the 氏名 box, on the row of the blank's printed label. */
  function expectNameInBox(pdf: Buffer, page: number, familyName: string, givenName: string, shot: string) {
    const p = t.server.applications.catalog.procedures.get('residence-certificate-request')!;
    const box = boxOf(p, '/person/fullName');
    const words = pdfWords(pdf, page);
    const name = words.filter((w) => [familyName, givenName].includes(w.text) && inBox(w, box));
    expect(name.map((w) => w.text)).toEqual([familyName, givenName]);
    const label = words.find((w) => w.text === '氏名' && w.yMin < box.y + box.height && w.yMax > box.y && w.xMax <= box.x);
    expect(label, 'the blank form’s 「氏名」 on the same row, left of the box').toBeDefined();
    const pixels = renderPage(pdf, page, 60);
    expect(pixels.count(box, pixels.dark)).toBeGreaterThan(20);
    copyFileSync(pixels.path, `/tmp/counter-${shot}.png`);
  }

  /** Signs on the tablet page with the pointer (pointer events on the canvas). */
  async function signOnTablet(page: Page) {
    await page.click('#sign-tablet');
    await page.waitForURL(/\/sign$/);
    await check(page, 'sign');
    const pad = page.locator('canvas[data-sign-pad]');
    const b = (await pad.boundingBox())!;
    await page.mouse.move(b.x + 40, b.y + b.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 30; i += 1) await page.mouse.move(b.x + 40 + i * 12, b.y + b.height / 2 + Math.sin(i / 3) * 40);
    await page.mouse.up();
    await page.click('#sign-submit');
    await page.waitForURL(/\/staff\/counter\/visits\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('img.counter-sign-img').count()).toBe(1);
  }

  async function sendAndEnd(page: Page) {
    await page.click('#send-visit');
    await page.waitForLoadState('load');
    await expect.poll(() => page.locator('main').innerText()).toContain('受け付けました');
    await check(page, 'sent');
    const main = await page.locator('main').innerText();
    references.push(/V-\d{4}-\d{6}/.exec(main)![0]);
    await page.click('#end-visit');
    await page.waitForURL(/\/staff\/counter\?ended=/);
  }

  it('runs a visit from a home pre-entry through printing three procedures, with the name in the right box', async () => {
    // At home: choose three procedures (the child's for the child), fill one answer, get the QR code.
    const home = await residentCtx.newPage();
    await home.goto(`${base}/me/pre-entries`);
    await check(home, 'pre-entries');
    await expectNoHorizontalScroll(home);
    for (const code of THREE) await home.check(`#p-${code}`);
    await home.selectOption('#s-child-medical-subsidy', town.family[2]!);
    await home.click('form[action="/me/pre-entries"] button[type=submit]');
    await home.waitForURL(/\/me\/pre-entries\/[0-9a-f-]{36}$/);
    await check(home, 'pre-entry');
    await expectNoHorizontalScroll(home);
    await home.click('a[href^="/applications/drafts/"] >> nth=0');
    await home.waitForURL(/\/applications\/drafts\//);
    await home.fill('[name="d:/contact/phone"]', '090-2222-3333');
    await home.click('#to-review');
    await home.waitForURL(/\/me\/pre-entries\/[0-9a-f-]{36}$/);
    const qrSrc = await home.locator('#pre-entry-qr').getAttribute('src');
    const png = await residentCtx.request.get(`${base}${qrSrc}`);
    expect(png.headers()['content-type']).toBe('image/png');
    const code = decodeQr(Buffer.from(await png.body()));
    expect(code).toMatch(/^YK1-/);
    expect(await home.locator('.counter-qr .code').innerText()).toBe(code);

    // At the counter: the scanner types the code and Enter.
    const desk = await clerkCtx.newPage();
    await desk.goto(`${base}/staff/counter`);
    await check(desk, 'start');
    await desk.focus('#code');
    await desk.keyboard.type(code!);
    await desk.keyboard.press('Enter');
    await desk.waitForURL(`${base}/staff/counter/code`);
    await check(desk, 'confirm');
    expect(await desk.locator('main').innerText()).toContain('髙橋 一郎');
    await desk.click('#start-visit');
    await desk.waitForURL(/\/staff\/counter\/visits\/[0-9a-f-]{36}/);
    const visitUrl = new URL(desk.url()).pathname;
    await expect.poll(() => desk.locator('.desk-item').count()).toBe(3);
    await check(desk, 'visit');
    await answer(desk);
    expect(await desk.locator('[name^="q:"]').count()).toBe(0);
    await attachDocuments(desk);

    // Printed to check, signed on the tablet, printed again with the signature: three procedures.
    const draft = await print(desk, visitUrl);
    expect(draft.subarray(0, 5).toString()).toBe('%PDF-');
    await signOnTablet(desk);
    const signed = await print(desk, visitUrl);
    // residence (1 page) + child medical subsidy (1) + long-term care (2): the templates' pages.
    const pages = (await t.db.query<{ pages_printed: number; prints: number }>('SELECT pages_printed, prints FROM counter.visits WHERE id = $1', [visitUrl.split('/').pop()]))[0]!;
    expect(pages).toEqual({ pages_printed: 8, prints: 2 });
    // The forms print in the visit's order: the 住民票 form's page follows the pages of those before it.
    const order = await desk.locator('.desk-item h3').allInnerTexts();
    const pagesOf = (h: string) => (h.includes('要介護') ? 2 : 1);
    const residencePage = 1 + order.slice(0, order.findIndex((h) => h.includes('住民票'))).reduce((n, h) => n + pagesOf(h), 0);
    expectNameInBox(signed, residencePage, '髙橋', '一郎', 'printed-pre-entry');
    await sendAndEnd(desk);
    const cases = await t.db.query<{ channel: string }>(`SELECT channel FROM cases.cases WHERE channel = 'counter'`);
    expect(cases.length).toBe(3);
  });

  it('runs a visit started with the simulated card reader the same way', async () => {
    const desk = await clerkCtx.newPage();
    await desk.goto(`${base}/staff/counter`);
    // A demo resident of 40 or more (要介護認定 is for 40 and over).
    const options = await desk.locator('#card option').evaluateAll((els) => els.map((e) => ({ value: (e as HTMLOptionElement).value, label: e.textContent ?? '' })));
    const holder = options.find((o) => Number(/（(\d{4})-/.exec(o.label)?.[1]) <= 1980)!;
    await desk.selectOption('#card', holder.value);
    await desk.fill('#pin', '1234');
    await desk.click('form[action="/staff/counter/card"] button[type=submit]');
    await desk.waitForURL(`${base}/staff/counter/card`);
    await check(desk, 'card-confirm');
    expect(await desk.locator('main').innerText()).toContain('カードの4情報が住民記録と一致しました');
    await desk.click('#start-visit');
    await desk.waitForURL(/\/staff\/counter\/visits\/[0-9a-f-]{36}/);
    const visitUrl = new URL(desk.url()).pathname;
    for (const code of ['residence-certificate-request', 'long-term-care-certification', 'disaster-certificate']) {
      await desk.selectOption('#procedure', code);
      await desk.click(`form[action="${visitUrl}/procedures"] button[type=submit]`);
      await desk.waitForLoadState('load');
    }
    await expect.poll(() => desk.locator('.desk-item').count()).toBe(3);
    await answer(desk);
    await attachDocuments(desk);
    // Printed, then signed on the printout (the no-tablet way).
    const pdf = await print(desk, visitUrl);
    await desk.reload();
    await desk.click(`form[action="${visitUrl}/sign"] button[type=submit]`);
    await desk.waitForLoadState('load');
    await expect.poll(() => desk.locator('main').innerText()).toContain('印刷した申請書に署名済み');
    const [family, given] = holder.label.split('（')[0]!.split(' ');
    expectNameInBox(pdf, 1, family!, given!, 'printed-card');
    // The third has no official layout: its plain page says so.
    const last = (await t.db.query<{ pages_printed: number }>('SELECT pages_printed FROM counter.visits WHERE id = $1', [visitUrl.split('/').pop()]))[0]!;
    expect(last.pages_printed).toBeGreaterThanOrEqual(4);
    await desk.selectOption('#certificate', 'seal-registration');
    await desk.click(`form[action="${visitUrl}/certificates"] button[type=submit]`);
    await desk.waitForLoadState('load');
    // The 住民票's own fee (1通) is counted before it is received, and the certificate's beside it.
    await expect.poll(() => desk.locator('.counter-total').innerText()).toContain('600円');
    await sendAndEnd(desk);
  });

  it('shows each visit’s duration on the metrics dashboard', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
    await ctx.addCookies(cookies(town.manager.headers.cookie!));
    const page = await ctx.newPage();
    await page.goto(`${base}/staff/metrics?preset=custom&from=${TODAY}&to=${TODAY}`);
    const section = page.locator('#counter-metrics');
    await expect.poll(() => section.count()).toBe(1);
    const text = await section.innerText();
    expect(text).toContain('所要時間（中央値）');
    for (const ref of references) {
      const row = section.locator('tr', { hasText: ref });
      expect(await row.innerText()).toMatch(/\d+分\d+秒/);
    }
    expect(text).toMatch(/手書きしなかった申請書\s*6件/);
    await check(page, 'metrics');
    await ctx.close();
  });
});
