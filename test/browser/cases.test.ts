/**
 * 電子決裁 end to end in Chromium, in the demo town: the officer proposes a decision on a case
 * in review, the 係長 and the 課長 approve it from their 決裁待ち lists, the officer issues the
 * notice; the resident then sees the decision and downloads the sealed notice. Every page is
 * checked with axe-core; the staff pages at 1280 px, the resident's at 360 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { deriveKey, randomToken, signToken } from '../../src/platform/crypto.js';
import { loadConfig } from '../../src/platform/config.js';
import { expectNoAxeViolations, expectNoHorizontalScroll, hasBrowser, openDemoTown, type DemoTown } from './browser.js';

describe.skipIf(!hasBrowser)('a decision approved at two levels, in a browser', () => {
  let town: DemoTown;
  let caseId: string;
  let reference: string;
  let applicantId: string;
  const staff = new Map<string, BrowserContext>();

  beforeAll(async () => {
    town = await openDemoTown();
    // A seeded case in review on a two-level route (係長 → 課長), applied for by a resident who signed in.
    const [row] = await town.db.query<{ id: string; reference: string; applicant_person_id: string }>(
      `SELECT id, reference, applicant_person_id FROM cases.cases
        WHERE state = 'in-review' AND applicant_person_id IS NOT NULL
          AND procedure_code IN ('long-term-care-certification', 'child-allowance-claim', 'disaster-relief-grant', 'childcare-facility-application', 'child-medical-subsidy', 'disaster-certificate', 'funeral-expenses')
        ORDER BY received_at LIMIT 1`,
    );
    expect(row, 'the demo history leaves a case in review on a two-level route').toBeDefined();
    ({ id: caseId, reference, applicant_person_id: applicantId } = row!);
  }, 120_000);
  afterAll(async () => {
    for (const c of staff.values()) await c.close();
    await town?.close();
  });

  async function check(page: Page) {
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);
  }

  /** A staff member signed in at 1280 px with the purpose 申請の審査, by keyboard and mouse as a person would. */
  async function staffPage(login: string): Promise<Page> {
    let context = staff.get(login);
    if (!context) {
      context = await town.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
      staff.set(login, context);
      const page = await context.newPage();
      await page.goto(`${town.base}/staff/sign-in`);
      await page.getByLabel('ログインID').fill(login);
      await page.getByLabel('パスワード').fill('yakuba-demo');
      await page.getByRole('button', { name: 'サインイン' }).click();
      await page.goto(`${town.base}/staff/cases`);
      await expect.poll(() => page.url()).toContain('/staff/purpose');
      await page.getByLabel('申請の審査').check();
      await page.getByRole('button', { name: 'この目的で始める' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/staff/cases');
      return page;
    }
    return context.newPage();
  }

  async function act(page: Page, action: string, comment?: string) {
    const form = page.locator(`form#act-${action}`);
    if (comment) await form.locator('textarea').fill(comment);
    await form.getByRole('button').click();
    await expect.poll(() => page.url()).toContain(`done=${action}`);
  }

  const stateOf = async () => (await town.db.query<{ state: string }>('SELECT state FROM cases.cases WHERE id = $1', [caseId]))[0]!.state;

  it('the officer proposes; the 係長 and the 課長 approve from their lists; the officer issues the notice', async () => {
    const officer = await staffPage('shinsa');
    await officer.goto(`${town.base}/staff/cases/${caseId}`);
    expect(await officer.locator('h1').textContent()).toContain(reference);
    await check(officer);
    // Nothing to approve for the officer: only an officer's actions are offered.
    expect(await officer.locator('form#act-approve').count()).toBe(0);
    await officer.locator('#outcome-propose-approve').check();
    await act(officer, 'propose', '要件を満たすため承認する。');
    expect(await stateOf()).toBe('proposed');
    await officer.screenshot({ path: '/tmp/cases-browser-proposed.png', fullPage: true });

    for (const [login, after] of [['kessai', 'proposed'], ['kacho', 'approved']] as const) {
      const approver = await staffPage(login);
      await approver.goto(`${town.base}/staff/cases/approvals`);
      await check(approver);
      await approver.getByRole('link', { name: reference }).click();
      await expect.poll(() => new URL(approver.url()).pathname).toBe(`/staff/cases/${caseId}`);
      await act(approver, 'approve');
      expect(await stateOf()).toBe(after);
      await check(approver);
    }

    await officer.goto(`${town.base}/staff/cases/${caseId}`);
    await act(officer, 'issue-notice');
    expect(await stateOf()).toBe('completed');
    const timeline = await officer.locator('main').textContent();
    expect(timeline).toContain('決裁 和子');
    expect(timeline).toContain('課長 正子');
    await check(officer);
    await officer.screenshot({ path: '/tmp/cases-browser-completed.png', fullPage: true });
  });

  it('the resident sees the decision and downloads the sealed notice', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    const session = signToken(deriveKey(config.secret, 'cookie'), { k: 'resident', id: applicantId, demo: true, sid: randomToken(16) }, 3600);
    const context = await town.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ja-JP', bypassCSP: true });
    await context.addCookies([{ name: 'yk_session', value: session, url: town.base }]);
    const page = await context.newPage();
    await page.goto(`${town.base}/me/applications`);
    await page.getByRole('link', { name: /決定しました/ }).first().click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/me\/cases\//);
    await page.goto(`${town.base}/me/cases/${caseId}`);
    expect(await page.locator('main').textContent()).toContain('決定しました（承認）');
    await check(page);
    const link = page.getByRole('link', { name: '決定通知書をダウンロード（PDF）' });
    const pdf = await context.request.get(new URL((await link.getAttribute('href'))!, town.base).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // The verify page says the town issued it.
    await page.getByRole('link', { name: 'この通知書が町の発行したものか確かめる' }).click();
    expect(await page.locator('main').textContent()).toContain(reference);
    await check(page);
    await context.close();
  });
});
