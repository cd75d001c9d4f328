/**
 * The resident's case page in Chromium at 360 px (the pages carry no script): the town's question
 * and the answer (with its error), withdrawal's confirmation, and the decision with the
 * notice to download. axe-core finds no violations and nothing scrolls sideways.
 * Screenshots: /tmp/cases-resident-*.png.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../src/testing/server.js';
import { dateInJapan, type CasesRuntime } from '../../src/modules/cases/runtime.js';
import { performAction, type ActionInput, type CaseActor } from '../../src/modules/cases/service.js';
import { caseTown, staffActor, testRuntime, type CaseTown } from '../../src/modules/cases/testing.js';
import { expectNoAxeViolations, expectNoHorizontalScroll, hasBrowser, launch } from './browser.js';

describe.skipIf(!hasBrowser)('a resident follows their case in a browser', () => {
  let t: TestServer;
  let town: CaseTown;
  let rt: CasesRuntime;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let clock = new Date();

  beforeAll(async () => {
    const opts = { today: () => dateInJapan(clock), now: () => clock };
    t = await startTestServer({}, opts);
    town = await caseTown(t);
    rt = testRuntime(t, { today: opts.today, now: opts.now, townName: () => 'テスト町' });
    await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.server.app.server.address() as AddressInfo).port}`;
    browser = await launch();
    // These pages carry no script; JavaScript is on only so that axe-core can run (past the page's CSP).
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ja-JP', bypassCSP: true });
    // The resident's session as the sign-in would leave it.
    await context.addCookies(
      town.resident.cookie.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), url: base };
      }),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const asStaff = staffActor;
  const stateOf = async (id: string) => (await t.db.query<{ state: string; lock_version: number }>('SELECT state, lock_version FROM cases.cases WHERE id = $1', [id]))[0]!;
  const act = async (actor: CaseActor, id: string, input: Omit<ActionInput, 'version'>) => performAction(rt, actor, id, { ...input, version: (await stateOf(id)).lock_version });
  const officer = () => asStaff(town.officer, ['case-officer']);

  const check = async (page: Page) => {
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);
  };

  it('answers the town’s question, sees the decision and downloads the notice', async () => {
    const { caseId } = await town.apply();
    await act(officer(), caseId, { action: 'start-review' });
    await act(officer(), caseId, { action: 'request-info', comment: '健康保険証の写しが読み取れませんでした。\nもう一度、鮮明な写しをお送りいただけますか。' });
    clock = new Date(clock.getTime() + 2 * 86_400_000);
    const page = await context.newPage();
    await page.goto(`${base}/me/applications`);
    await check(page);
    await page.screenshot({ path: '/tmp/cases-resident-my-applications.png', fullPage: true });
    await page.getByRole('link', { name: /確認事項があります/ }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/me/cases/${caseId}`);
    await check(page);
    await page.screenshot({ path: '/tmp/cases-resident-waiting.png', fullPage: true });

    // Only spaces: the browser lets it through (the field is not empty), the server does not.
    await page.getByRole('textbox', { name: /^回答/ }).fill('   ');
    await page.getByRole('button', { name: '回答を送る' }).click();
    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    await check(page);
    await page.screenshot({ path: '/tmp/cases-resident-answer-error.png', fullPage: true });
    await page.getByRole('link', { name: '回答を入力してください' }).click();
    await page.getByRole('textbox', { name: /^回答/ }).fill('本日、窓口に写しを持参しました。');
    await page.getByRole('button', { name: '回答を送る' }).click();
    await expect.poll(() => page.url()).toContain('done=answered');
    expect(await page.locator('.confirmation').textContent()).toContain('回答を送りました');
    expect((await stateOf(caseId)).state).toBe('in-review');
    await check(page);

    await act(officer(), caseId, { action: 'propose', outcome: 'approve', comment: '要件を確認した。' });
    await act(asStaff(town.chief, ['approver']), caseId, { action: 'approve' });
    if ((await stateOf(caseId)).state === 'proposed') await act(asStaff(town.manager, ['approver']), caseId, { action: 'approve' });
    await act(officer(), caseId, { action: 'issue-notice' });
    await page.goto(`${base}/me/cases/${caseId}`);
    expect(await page.locator('main').textContent()).toContain('決定しました（承認）');
    await check(page);
    await page.screenshot({ path: '/tmp/cases-resident-completed.png', fullPage: true });
    const href = await page.getByRole('link', { name: '決定通知書をダウンロード（PDF）' }).getAttribute('href');
    const pdf = await page.request.get(`${base}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await page.getByRole('link', { name: 'この通知書が町の発行したものか確かめる' }).getAttribute('href')).toMatch(/^\/verify\/[0-9a-f]+/);
    await page.close();
  });

  it('withdraws after confirming, by keyboard', async () => {
    const { caseId } = await town.apply(); // the first case is closed, so the son may apply again
    const page = await context.newPage();
    await page.goto(`${base}/me/cases/${caseId}`);
    await page.getByRole('link', { name: 'この申請を取り下げる' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/me/cases/${caseId}/withdraw`);
    await check(page);
    await page.screenshot({ path: '/tmp/cases-resident-withdraw.png', fullPage: true });
    await page.getByRole('textbox', { name: /取り下げる理由/ }).fill('他の制度を利用するため');
    await page.getByRole('button', { name: '取り下げる', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('done=withdrawn');
    expect((await stateOf(caseId)).state).toBe('withdrawn');
    await check(page);
    await page.close();
  });
});
