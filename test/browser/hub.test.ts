/**
 * The hub as people use it, in Chromium: staff sign in, choose a purpose, find a resident,
 * open them and see that look in the log — with JavaScript off, by keyboard, at 360 px —
 * and a resident sees who looked. axe-core finds no violations on any page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Server } from '../../src/server.js';
import { DEMO_PASSWORD } from '../../src/demo.js';
import type { TestDb } from '../../src/testing/db.js';
import { findEntries } from '../../src/platform/audit.js';
import { expectNoAxeViolations, expectNoHorizontalScroll, hasBrowser, openDemoTown, type DemoTown } from './browser.js';

describe.skipIf(!hasBrowser)('the hub in a browser', () => {
  let town: DemoTown;
  let db: TestDb;
  let server: Server;
  let base: string;
  let noJs: BrowserContext;
  let withJs: BrowserContext;

  beforeAll(async () => {
    town = await openDemoTown();
    ({ db, server, base, noJs, withJs } = town);
  });
  afterAll(async () => town?.close());

  async function staffSignIn(page: Page, login: string) {
    await page.goto(`${base}/staff/sign-in`);
    await page.getByLabel('ログインID').fill(login);
    await page.getByLabel('パスワード').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'サインイン' }).click();
  }

  it('staff find a resident and see their own look in the access log (JavaScript off)', async () => {
    const page = await noJs.newPage();
    await staffSignIn(page, 'madoguchi');
    await page.goto(`${base}/staff/residents`);
    // Asked for the purpose of this task first.
    await expect.poll(() => page.url()).toContain('/staff/purpose');
    await page.getByLabel('窓口での手続').check();
    await page.getByRole('button', { name: 'この目的で始める' }).click();
    await expect.poll(() => page.url()).toContain('/staff/residents');

    const [target] = await server.registry.listDemoResidents(1);
    await page.getByLabel('氏名・フリガナ・生年月日').fill(target!.familyNameKana);
    await page.getByRole('button', { name: '検索' }).click();
    await page.getByRole('link', { name: `${target!.familyName} ${target!.givenName}` }).first().click();
    await expect.poll(() => page.url()).toContain(`/staff/residents/${target!.id}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('住民の詳細');
    expect(await page.locator('.notice').textContent()).toContain('窓口での手続');

    // The look just made is in the table on the same page, and in the trail.
    const log = page.getByRole('table', { name: /アクセス記録/ });
    await expect.poll(() => log.locator('tbody tr').first().textContent()).toContain('窓口 花子');
    expect(await log.locator('tbody tr').first().textContent()).toContain('住民詳細の閲覧');
    const [entry] = await findEntries(db, { personId: target!.id, limit: 1 });
    expect(entry).toMatchObject({ actorName: '窓口 花子', purpose: 'counter-service', action: 'person.read-file' });
    await page.close();
  });

  it('staff sign in by keyboard alone, starting from the skip link', async () => {
    const page = await withJs.newPage();
    await page.goto(`${base}/staff/sign-in`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('本文へ移動');
    const focusable = async () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.id ?? document.activeElement?.tagName);
    for (let i = 0; i < 30 && (await focusable()) !== 'login'; i += 1) await page.keyboard.press('Tab');
    expect(await focusable()).toBe('login');
    await page.keyboard.type('kansa');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/\/staff$/);
    await page.close();
  });

  it('every page passes axe-core and fits 360 px', async () => {
    const page = await withJs.newPage();
    const check = async (path: string) => {
      await page.goto(`${base}${path}`);
      await expectNoAxeViolations(page);
      await expectNoHorizontalScroll(page);
    };
    await check('/');
    await check('/staff/sign-in');
    await staffSignIn(page, 'kansa');
    await check('/staff');
    await check('/staff/purpose');
    await page.getByLabel('監査').check();
    await page.getByRole('button', { name: 'この目的で始める' }).click();
    await check('/staff/audit');
    await check('/staff/audit?verify=1');
    expect(await page.getByRole('status').textContent()).toContain('正常');
    // The auditor filters by a staff login and sees whose data each entry touched.
    await check('/staff/audit?actorId=madoguchi');
    const rows = await page.locator('table tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.includes('窓口 花子'))).toBe(true);
    await check('/staff/webhooks');
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await staffSignIn(page, 'madoguchi');
    await page.goto(`${base}/staff/purpose`);
    await page.getByLabel('窓口での手続').check();
    await page.getByRole('button', { name: 'この目的で始める' }).click();
    const [target] = await server.registry.listDemoResidents(1);
    await check(`/staff/residents?q=${encodeURIComponent(target!.familyNameKana)}`);
    await check(`/staff/residents/${target!.id}`);
    await check('/staff/residents?q=');
    await check('/no-such-page');
    for (const lang of ['ja-easy', 'en']) await check(`/staff/residents/${target!.id}?lang=${lang}`);
    await page.close();
  });

  it('a resident signs in (demo), sees their household and who looked at their data', async () => {
    const page = await noJs.newPage();
    const [target] = await server.registry.listDemoResidents(1);
    await page.goto(`${base}/auth/demo`);
    await page.locator(`form:has(input[value="${target!.id}"]) button`).click();
    await expect.poll(() => page.url()).toContain('/me');
    expect(await page.locator('h2#person-facts').textContent()).toContain(`${target!.familyName} ${target!.givenName}`);
    await page.getByRole('link', { name: 'わたしの情報を誰がいつ見たか' }).click();
    const rows = page.locator('table tbody tr');
    // The counter clerk's look from the first test is listed, by role, not by name.
    await expect.poll(() => rows.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('職員（窓口担当）')]));
    expect((await rows.allTextContents()).join()).not.toContain('窓口 花子');
    expect((await rows.allTextContents()).join()).not.toContain('デモ住民の一覧表示');
    const js = await withJs.newPage();
    await js.context().addCookies(await noJs.cookies());
    for (const path of ['/auth/demo', '/me', '/me/access-log', '/auth/sign-in']) {
      await js.goto(`${base}${path}`);
      await expectNoAxeViolations(js);
      await expectNoHorizontalScroll(js);
    }
    await js.close();
    await page.close();
  });
});
