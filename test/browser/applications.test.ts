/**
 * Online applications as residents use them, in Chromium at 360 px: 児童手当 with the
 * children filled from the records — by keyboard alone with JavaScript on, and again with
 * JavaScript off — and the 出生 life event sending its procedures under one receipt.
 * axe-core finds no violations on the list, the form (with its errors), the review and the receipt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Server } from '../../src/server.js';
import type { TestDb } from '../../src/testing/db.js';
import { expectNoAxeViolations, expectNoHorizontalScroll, hasBrowser, openDemoTown, type DemoTown } from './browser.js';

const TODAY = '2026-11-22';

describe.skipIf(!hasBrowser)('online applications in a browser', () => {
  let town: DemoTown;
  let db: TestDb;
  let server: Server;
  let base: string;
  let noJs: BrowserContext;
  let withJs: BrowserContext;
  /** Demo heads of household (the demo sign-in offers them) with children under 18. */
  let parents: { id: string; name: string; child: string }[] = [];

  beforeAll(async () => {
    town = await openDemoTown({ today: TODAY });
    ({ db, server, base, noJs, withJs } = town);
    const offered = (await server.registry.listDemoResidents(20)).map((r) => r.id);
    parents = await db.query<{ id: string; name: string; child: string }>(
      `SELECT p.id, p.family_name || ' ' || p.given_name AS name,
              (SELECT c.family_name || ' ' || c.given_name FROM registry.persons c
                WHERE c.household_id = p.household_id AND c.relation_to_head = '子' AND c.status = 'resident' AND c.birth_date >= '2008-04-02'
                ORDER BY c.birth_date LIMIT 1) AS child
         FROM registry.persons p WHERE p.id = ANY($1::uuid[])
          AND EXISTS (SELECT 1 FROM registry.persons c WHERE c.household_id = p.household_id AND c.relation_to_head = '子' AND c.status = 'resident' AND c.birth_date >= '2008-04-02')
        ORDER BY p.id`,
      [offered],
    );
    expect(parents.length, 'demo heads with children under 18 among those offered').toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => town?.close());

  async function signIn(page: Page, personId: string, next: string) {
    await page.context().clearCookies();
    await page.goto(`${base}/auth/demo?next=${encodeURIComponent(next)}`);
    await page.locator(`form:has(input[value="${personId}"]) button`).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(next.split('?')[0]);
  }

  const check = async (page: Page) => {
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);
  };

  /** Presses Tab until the element with this id has focus (keyboard only). */
  async function tabTo(page: Page, id: string) {
    const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
    for (let i = 0; i < 250 && (await focused()) !== id; i += 1) await page.keyboard.press('Tab');
    expect(await focused()).toBe(id);
  }

  it('finds 児童手当 and completes it by keyboard alone, with the children filled in (JavaScript on)', async () => {
    const parent = parents[0]!;
    const page = await withJs.newPage();
    await signIn(page, parent.id, '/procedures');
    await check(page);
    await page.screenshot({ path: '/tmp/applications-list.png', fullPage: true });
    await page.getByLabel('キーワード').fill('児童手当');
    await page.getByRole('button', { name: '検索' }).click();
    await page.getByRole('link', { name: '児童手当 認定請求' }).click();
    await check(page);
    await page.getByRole('button', { name: '申請をはじめる' }).click();
    await expect.poll(() => page.url()).toMatch(/\/applications\/drafts\/[0-9a-f-]{36}$/);
    // The claimant and the children come from the records.
    expect(await page.locator('#f-claimant .record-box').textContent()).toContain(parent.name);
    expect(await page.locator('#f-children').textContent()).toContain(parent.child);
    expect(await page.locator('#f-children .badge').first().textContent()).toBe('世帯の記録から');
    // The spouse's part shows once it applies (JavaScript hides it until then).
    expect(await page.locator('#f-spouse').isHidden()).toBe(true);
    await page.keyboard.press('Tab'); // the skip link
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('本文へ移動');

    // Sending it empty: the summary names each field and links to it.
    await tabTo(page, 'to-review');
    await page.keyboard.press('Enter');
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toContain('「請求者が加入している年金」: 選んでください。');
    await page.screenshot({ path: '/tmp/applications-form-errors.png', fullPage: true });
    await check(page);
    expect(await page.locator('input[name="d:/pension"]').first().getAttribute('aria-invalid')).toBe('true');

    await tabTo(page, 'f-pension');
    await page.keyboard.press('Space'); // 厚生年金
    await tabTo(page, 'f-hasSpouse');
    await page.keyboard.press('Space'); // いる
    await expect.poll(() => page.locator('#f-spouse').isVisible()).toBe(true);
    await page.keyboard.press('ArrowDown'); // いない
    await expect.poll(() => page.locator('#f-spouse').isHidden()).toBe(true);
    await tabTo(page, 'f-januaryAddressSame');
    await page.keyboard.press('Space');
    const typeInto = async (id: string, text: string) => {
      await tabTo(page, id);
      await page.keyboard.press('Control+A');
      await page.keyboard.type(text);
    };
    await typeInto('f-bankAccount-bankName', 'みどり信用金庫');
    await typeInto('f-bankAccount-branchName', '本店');
    await tabTo(page, 'f-bankAccount-accountType');
    await page.keyboard.press('Space');
    await typeInto('f-bankAccount-accountNumber', '1234567');
    await typeInto('f-bankAccount-accountHolderKana', 'ミドリ タロウ');
    await typeInto('f-contact-phone', '090-1234-5678');
    const autosaved = page.waitForResponse(
      (r) => r.request().headers()['x-autosave'] === '1' && (r.request().postDataBuffer() ?? Buffer.alloc(0)).toString().includes('090-1234-5678'),
      { timeout: 25_000 },
    );
    // Saved as it goes: the script posts the form in the background, the live region says so,
    // and a reload (or another device) finds what was typed.
    expect((await autosaved).status()).toBe(200);
    await expect.poll(() => page.locator('#save-status').textContent(), { timeout: 20_000 }).toMatch(/保存しました \d{2}:\d{2}/);
    // Opened again (a GET, as on another device: reloading a posted page would post it again).
    await page.goto(page.url().split('#')[0]!.split('?')[0]!);
    expect(await page.locator('#f-bankAccount-bankName').inputValue()).toBe('みどり信用金庫');
    expect(await page.locator('#f-contact-phone').inputValue()).toBe('090-1234-5678');
    await page.screenshot({ path: '/tmp/applications-form.png', fullPage: true });

    await tabTo(page, 'to-review');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/\/review$/);
    expect(await page.locator('main').textContent()).toContain('みどり信用金庫');
    await check(page);
    await page.screenshot({ path: '/tmp/applications-review.png', fullPage: true });
    await tabTo(page, 'send');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/\/me\/applications\/[0-9a-f-]{36}\?sent=1$/);
    expect(await page.locator('h1').textContent()).toBe('申請を受け付けました');
    expect(await page.locator('.reference').textContent()).toMatch(/^\d{4}-\d{6}$/);
    expect(await page.locator('main').textContent()).toContain('受け付けました');
    await check(page);
    await page.screenshot({ path: '/tmp/applications-receipt.png', fullPage: true });
    const pdf = await page.request.get(await page.getByRole('link', { name: '受付票（PDF）をダウンロード' }).getAttribute('href').then((h) => `${base}${h}`));
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await page.close();
  });

  it('completes 児童手当 with JavaScript off: every conditional part shown, saying when it applies', async () => {
    const parent = parents[1]!;
    const page = await noJs.newPage();
    await signIn(page, parent.id, '/procedures/child-allowance-claim');
    await page.getByRole('button', { name: '申請をはじめる' }).click();
    await expect.poll(() => page.url()).toMatch(/\/applications\/drafts\/[0-9a-f-]{36}$/);
    expect(await page.locator('#f-children').textContent()).toContain(parent.child);
    expect(await page.locator('#f-spouse').isVisible()).toBe(true);
    expect(await page.locator('#f-spouse .when-hint').textContent()).toBe('「いる」を選んだ場合に記入してください。');
    await page.getByLabel('国民年金').check();
    await page.getByLabel('いない', { exact: true }).check();
    await page.getByLabel('現在の住所と同じ').check();
    await page.locator('#f-bankAccount-bankName').fill('ゆうちょ銀行');
    await page.locator('#f-bankAccount-branchName').fill('〇一八');
    await page.getByLabel('普通').check();
    await page.locator('#f-bankAccount-accountNumber').fill('７６５４３２１'); // full-width digits are fine
    await page.locator('#f-bankAccount-accountHolderKana').fill('ミドリ ハナコ');
    await page.locator('#f-contact-phone').fill('0829-00-1234');
    await page.getByRole('button', { name: '一時保存' }).click();
    expect(await page.locator('#save-status').textContent()).toMatch(/保存しました/);
    expect(await page.locator('#f-bankAccount-bankName').inputValue()).toBe('ゆうちょ銀行');
    await page.getByRole('button', { name: '確認へ進む' }).click();
    await expect.poll(() => page.url()).toMatch(/\/review$/);
    expect(await page.locator('main').textContent()).toContain('7654321');
    await page.getByRole('button', { name: '送信する' }).click();
    await expect.poll(() => page.url()).toContain('/me/applications/');
    expect(await page.locator('h1').textContent()).toBe('申請を受け付けました');
    const js = await withJs.newPage();
    await js.context().addCookies(await noJs.cookies());
    await js.goto(page.url());
    await check(js);
    await js.goto(`${base}/me/applications`);
    await check(js);
    await js.close();
    await page.close();
  });

  it('sends the 出生 life event’s procedures under one receipt', async () => {
    const parent = parents[2]!;
    // The birth is registered first (the core system sends it to the hub).
    const [row] = await db.query<{ household_id: string; family_name: string; family_name_kana: string }>(
      'SELECT household_id, family_name, family_name_kana FROM registry.persons WHERE id = $1',
      [parent.id],
    );
    const { household_id, family_name, family_name_kana } = row!;
    const token = await fetch(`${base}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-spoke', client_secret: 'demo-spoke-secret' }) }).then((r) => r.json() as Promise<{ access_token: string }>);
    const born = await fetch(`${base}/api/v1/registry/changes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'x-purpose': 'registry-maintenance', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'birth', sourceRef: `birth-${Date.now()}`, effectiveDate: '2026-11-10', householdId: household_id, person: { familyName: family_name, givenName: 'みらい', familyNameKana: family_name_kana, givenNameKana: 'ミライ', sex: 2, birthDate: '2026-11-10', relationToHead: '子' } }),
    });
    expect(born.status, await born.clone().text()).toBe(201);

    const page = await withJs.newPage();
    await signIn(page, parent.id, '/life-events/birth');
    await check(page);
    // Also the page asking whom a single procedure is for.
    await page.goto(`${base}/procedures/child-medical-subsidy/start`);
    expect(await page.getByRole('group', { name: 'どなたについての申請ですか' }).textContent()).toContain('みらい');
    await check(page);
    await page.goto(`${base}/life-events/birth`);
    await page.screenshot({ path: '/tmp/applications-life-event.png', fullPage: true });
    expect(await page.getByLabel('「子ども医療費受給資格証の交付申請」の対象の方').locator('option:checked').textContent()).toContain('みらい');
    await page.getByRole('button', { name: '選んだ手続の入力をはじめる' }).click();
    await expect.poll(() => page.url()).toMatch(/\/applications\/bundles\/[0-9a-f-]{36}$/);
    const hub = page.url();
    await check(page);
    await page.screenshot({ path: '/tmp/applications-hub.png', fullPage: true });
    const links = await page.locator('ol.hub h2 a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links).toHaveLength(3);
    for (const link of links) {
      await page.goto(link);
      const done = page.getByRole('button', { name: '入力を終えて手続の一覧へ' });
      for (let round = 0; round < 5; round += 1) {
        await Promise.all([page.waitForNavigation(), done.click()]);
        if (page.url() === hub) break;
        await answerErrors(page);
      }
      expect(page.url()).toBe(hub);
    }
    expect(await page.locator('ol.hub').textContent()).not.toMatch(/未入力|入力中/);
    await page.getByRole('link', { name: 'まとめて確認へ' }).click();
    await check(page);
    await page.getByRole('button', { name: 'まとめて送信する' }).click();
    await expect.poll(() => page.url()).toContain('/me/applications/');
    const refs = await page.locator('.card dd').allTextContents();
    const references = refs.filter((r) => /^\d{4}-\d{6}-\d{2}$/.test(r));
    expect(references).toHaveLength(3);
    expect(new Set(references.map((r) => r.slice(0, 11))).size).toBe(1);
    expect(await page.locator('main').textContent()).toContain('子どもが生まれたとき');
    await check(page);
    await page.close();
  });

  it('shows staff the applications as cases in the inbox, one application and the paper key-in form, accessibly at 360 px', async () => {
    const page = await withJs.newPage();
    await page.context().clearCookies();
    await page.goto(`${base}/staff/sign-in`);
    await page.getByLabel('ログインID').fill('shinsa');
    await page.getByLabel('パスワード').fill('yakuba-demo');
    await page.getByRole('button', { name: 'サインイン' }).click();
    // The old inbox address leads to the cases inbox (after choosing the purpose).
    await page.goto(`${base}/staff/applications`);
    await expect.poll(() => page.url()).toContain('/staff/purpose');
    await page.getByLabel('申請の審査').check();
    await page.getByRole('button', { name: 'この目的で始める' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/staff/cases');
    // The address changes before the page has loaded: wait for the rows, do not count at once.
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(5);
    await check(page);
    await page.screenshot({ path: '/tmp/applications-inbox.png', fullPage: true });
    // An application sent above is a case of its department, and its content one link away.
    const [sent] = await db.query<{ id: string; reference: string }>(
      "SELECT id, reference FROM applications.applications WHERE applicant_person_id = $1 AND status = 'submitted' ORDER BY submitted_at DESC, reference LIMIT 1",
      [parents[2]!.id],
    );
    await page.goto(`${base}/staff/cases/by-application/${sent!.id}`);
    await expect.poll(() => page.locator('h1').textContent()).toContain(sent!.reference);
    expect(await page.locator('main').textContent()).toContain(parents[2]!.name);
    await check(page);
    await page.getByRole('link', { name: '申請内容を見る' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain(sent!.reference);
    await check(page);
    await page.goto(`${base}/staff/applications/new`);
    await check(page);
    await page.close();
  });

  /** Answers each question the error summary names, as a resident would. */
  async function answerErrors(page: Page) {
    const issues = await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => ({ id: (a as HTMLAnchorElement).hash.slice(1), text: a.textContent ?? '' })));
    for (const { id, text } of issues) {
      const el = page.locator(`[id="${id}"]`);
      if ((await el.count()) === 0) continue;
      const kind = await el.evaluate((e) => (e instanceof HTMLInputElement ? e.type : e.tagName.toLowerCase()));
      const limit = /(\d+)(以上|以下)/.exec(text)?.[1];
      const digits = /(\d+)桁の数字/.exec(text)?.[1];
      if (kind === 'radio' || kind === 'checkbox') await el.check();
      else if (kind === 'select') await el.selectOption({ index: 1 });
      else if (kind === 'date') await el.fill('2026-11-10');
      else if (kind === 'tel') await el.fill('090-1234-5678');
      else if (kind === 'email') await el.fill('resident@example.jp');
      else if (digits) await el.fill('1234567890'.slice(0, Number(digits)));
      else if ((await el.getAttribute('inputmode')) === 'numeric') await el.fill(limit ?? '30');
      else if (kind === 'input' || kind === 'text' || kind === 'textarea') await el.fill('テスト');
    }
  }
});
