/**
 * Browser tests drive Debian's Chromium through playwright-core. Without Chromium they are
 * skipped (a fresh developer machine), unless YAKUBA_REQUIRE_BROWSER is set (CI), where a
 * missing browser is a failure.
 */
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { buildServer, type Server } from '../../src/server.js';
import { installDemo } from '../../src/demo.js';
import { openTestDb, type TestDb } from '../../src/testing/db.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser && process.env.YAKUBA_REQUIRE_BROWSER) {
  throw new Error(`browser tests need Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.x A/AA rules) on the page and fails with the violations listed. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; help: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
  });
  expect(violations, `axe-core on ${page.url()}`).toEqual([]);
}

/** Fails when the page is wider than its viewport (horizontal scrolling at 360 px). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(0);
}

export interface DemoTown {
  db: TestDb;
  server: Server;
  /** Where the server listens, e.g. http://127.0.0.1:41234. */
  base: string;
  browser: Browser;
  /** 360 px, Japanese, JavaScript off. */
  noJs: BrowserContext;
  /** 360 px, Japanese, JavaScript on; axe-core is injected as a script, so the context lets it past the page's CSP. */
  withJs: BrowserContext;
  close(): Promise<void>;
}

/** A small demo town (300 residents, seed 11) served on a free port, and Chromium to visit it. */
export async function openDemoTown(opts: { today?: string } = {}): Promise<DemoTown> {
  const today = opts.today ?? '2026-11-22';
  const db = await openTestDb();
  const config = loadConfig({ NODE_ENV: 'test' });
  const seeding = await buildServer(config, db);
  await installDemo(db, seeding, { residents: 300, seed: 11, today });
  await seeding.close();
  const server = await buildServer(config, db, opts.today ? { today: () => today } : {});
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  const browser = await launch();
  const viewport = { width: 360, height: 740 };
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport, locale: 'ja-JP' });
  const withJs = await browser.newContext({ viewport, locale: 'ja-JP', bypassCSP: true });
  return {
    db,
    server,
    base,
    browser,
    noJs,
    withJs,
    async close() {
      await browser.close();
      await server.close();
      await db.close();
    },
  };
}
