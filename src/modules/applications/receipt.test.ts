/**
 * The receipt as a resident holds it: the text a PDF reader extracts (pdftotext) and the page
 * as rendered (pdftoppm), with registered variant characters intact. Without poppler-utils
 * the rendering checks are skipped, unless YAKUBA_REQUIRE_BROWSER is set (CI), where a
 * missing tool is a failure.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import { translator, type Locale } from '../../platform/i18n.js';
import { receivedAtText, renderReceipt, type ReceiptData } from './receipt.js';

const hasPoppler = ['pdftotext', 'pdftoppm'].every((tool) => !spawnSync(tool, ['-v']).error);
if (!hasPoppler && process.env.YAKUBA_REQUIRE_BROWSER) {
  throw new Error('receipt rendering tests need poppler-utils (pdftotext, pdftoppm): apt-get install poppler-utils');
}

const RECEIPT: ReceiptData = {
  reference: '2026-000123',
  submittedAt: new Date('2026-11-22T05:05:00Z'), // 14:05 in Japan
  townName: 'みどり町',
  demo: true,
  applicantName: '髙橋 﨑子',
  bundleName: '出生に関する手続',
  items: [
    { reference: '2026-000123-1', procedureName: '出生届', subjectName: '髙橋 陽翔', department: '住民課', standardPeriodDays: 0, feeYen: 0 },
    { reference: '2026-000123-2', procedureName: '児童手当 認定請求', subjectName: '髙橋 陽翔', department: '子育て支援課', standardPeriodDays: 30, feeYen: 0 },
    { reference: '2026-000123-3', procedureName: '住民票の写しの交付請求（世帯全員）', subjectName: '渡邊 花子', department: '住民課', standardPeriodDays: 1, feeYen: 300 },
  ],
  statusUrl: 'https://midori.example.lg.jp/me/applications/2026-000123',
  channel: 'online',
};

const render = (data: ReceiptData, locale: Locale = 'ja') => renderReceipt(data, translator(locale), locale);

describe('the receipt PDF', () => {
  it('is small thanks to the font subset, and says what it is in its metadata', async () => {
    const bytes = await render(RECEIPT);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    expect(bytes.length).toBeLessThan(200_000);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe('申請受付票 2026-000123');
    expect(doc.getAuthor()).toBe('みどり町');
    expect(doc.getCreator()).toBe('yakuba');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-11-22T05:05:00.000Z');
    expect(String(doc.catalog.get(PDFName.of('Lang')))).toBe('(ja)');
  });

  it('dates the receipt in the era with the western year, on Japan time', () => {
    const ja = translator('ja');
    expect(receivedAtText(RECEIPT.submittedAt, ja, 'ja')).toBe('令和8年（2026年）11月22日　14時05分');
    // 15:30 UTC on New Year's Eve is already New Year's Day in Japan.
    expect(receivedAtText(new Date('2026-12-31T15:30:00Z'), ja, 'ja')).toBe('令和9年（2027年）1月1日　0時30分');
    expect(receivedAtText(RECEIPT.submittedAt, translator('en'), 'en')).toBe('22 Nov 2026, 14:05 (JST)');
  });
});

describe.skipIf(!hasPoppler)('the receipt as a reader sees it (needs poppler-utils: pdftotext, pdftoppm)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'yakuba-receipt-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function text(bytes: Uint8Array, name: string): string {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, bytes);
    const out = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    return out.stdout;
  }

  it('carries the registered name with its variant characters, the references and the schedule', async () => {
    const out = text(await render(RECEIPT), 'ja');
    for (const expected of [
      '申請受付票',
      'みどり町',
      '2026-000123',
      '髙橋 﨑子', // 髙 (U+9AD9) and 﨑 (U+FA11), not 高 and 崎
      '渡邊 花子',
      '令和8年（2026年）11月22日',
      '14時05分',
      '出生に関する手続',
      '2026-000123-2',
      '子育て支援課',
      '標準処理期間',
      '30日',
      '300円',
      '手数料の合計：300円',
      RECEIPT.statusUrl,
      'デモ（架空のデータ）',
      '1 / 1 ページ',
    ]) {
      expect(out).toContain(expected);
    }
    expect(out).not.toContain('高橋 崎子');
  });

  it('has no demo mark outside a demo, and English labels with names as registered in English', async () => {
    const real = text(await render({ ...RECEIPT, demo: false, channel: 'paper' }), 'real');
    expect(real).not.toContain('デモ');
    expect(real).toContain('窓口（書面）');
    const en = text(await render(RECEIPT, 'en'), 'en');
    for (const expected of ['Application receipt', 'Reference number', '22 Nov 2026', '髙橋 﨑子', 'Usual time', '30 days', '1 day', '¥300', 'DEMO (fictional data)']) {
      expect(en).toContain(expected);
    }
  });

  it('continues on a new page with the table header repeated when the procedures do not fit', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ ...RECEIPT.items[2]!, reference: `2026-000123-${i + 1}` }));
    const bytes = await render({ ...RECEIPT, items });
    const pages = (await PDFDocument.load(bytes)).getPageCount();
    expect(pages).toBeGreaterThanOrEqual(2);
    const out = text(bytes, 'long');
    expect(out).toContain('2026-000123-40');
    expect(out).toContain(`${pages} / ${pages} ページ`);
    expect(out).toContain('手数料の合計：12,000円');
    // One table header per page, and twice in the paragraph on what happens next.
    expect(out.split('標準処理期間').length - 1).toBe(pages + 2);
  });

  it('renders to an image', async () => {
    const file = join(dir, 'receipt.pdf');
    writeFileSync(file, await render(RECEIPT));
    const out = spawnSync('pdftoppm', ['-png', '-r', '80', file, join(dir, 'page')], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    const pngs = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(pngs).toHaveLength(1);
    const png = readFileSync(join(dir, pngs[0]!));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
  });
});
