/**
 * The counter's printout as a resident holds it: the town's blank form with the values in its
 * boxes (read back with `pdftotext -bbox`, and seen as pixels with `pdftoppm`), the tablet's
 * signature in the signature box, the plain layout that says it is not the town's form, and
 * the page count of a visit. Without poppler-utils the rendering checks are skipped, unless
 * YAKUBA_REQUIRE_BROWSER is set (CI), where a missing tool is a failure.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, rgb } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { loadDefinitions } from '../applications/index.js';
import { sampleData } from '../applications/testing.js';
import { fitText, printForms, type PrintItem } from './print.js';
import { eraDate } from './print-plain.js';
import { boxOf, hasPoppler, pdfText as text, pdfWords as words, PT, renderPage as render, type Word } from './pdf-testing.js';


const shipped = loadConfig({ NODE_ENV: 'test' }).proceduresDir;
const catalog = loadDefinitions(shipped);
const procedure = (code: string) => catalog.procedures.get(code)!;

/** A tablet signature: a thick blue stroke on a transparent background, so its pixels are easy to tell from ink. */
function signaturePng(): Uint8Array {
  const png = new PNG({ width: 400, height: 120 });
  for (let x = 20; x < 380; x++) {
    const y = Math.round(60 + 35 * Math.sin(x / 25));
    for (let d = -4; d <= 4; d++) {
      const i = ((y + d) * 400 + x) * 4;
      png.data.set([20, 40, 230, 255], i);
    }
  }
  return PNG.sync.write(png);
}

const SIGNATURE = signaturePng();
const APPLICANT = { fullName: '髙橋 一郎', address: '広島県みどり町大字みどり1234番地5' };
const RESIDENCE = {
  person: { fullName: '髙橋 﨑子', birthDate: '1956-09-29', address: '広島県みどり町大字みどり1234番地5' },
  certificateType: 'copy',
  scope: 'some',
  listedMembers: [
    { fullName: '髙橋 﨑子', relation: '世帯主', include: true },
    { fullName: '髙橋 一郎', relation: '夫', include: false },
    { fullName: '髙橋 陽翔', relation: '孫', include: true },
  ],
  includeItems: ['head-relation'],
  purpose: 'pension',
  submitTo: '日本年金機構',
  copies: 2,
  receiveMethod: 'counter',
  contact: { phone: '090-1234-5678' },
};
const residence = (more: Partial<PrintItem> = {}): PrintItem => ({ procedure: procedure('residence-certificate-request'), data: RESIDENCE, applicant: APPLICANT, ...more });
const print = (items: PrintItem[], more: { demo?: boolean; proceduresDir?: string } = {}) =>
  printForms({ items, proceduresDir: more.proceduresDir ?? shipped, townName: 'みどり町', date: '2026-04-01', demo: more.demo ?? true });


describe('dates and text fitting', () => {
  it('writes dates in 和暦, the first year of an era as 元年, or one part for forms that print 年月日', () => {
    expect(eraDate('2024-04-01')).toBe('令和6年4月1日');
    expect(eraDate('2019-05-01')).toBe('令和元年5月1日');
    expect(eraDate('1956-09-29', 'full-western')).toBe('昭和31年（1956年）9月29日');
    expect(['era', 'year', 'month', 'day'].map((p) => eraDate('1989-01-08', p as 'era'))).toEqual(['平成', '元', '1', '8']);
    expect(eraDate('someday')).toBe('someday');
  });

  it('shrinks a line to fit a low box, wraps in a tall one, and cuts what cannot fit', () => {
    const width = (s: string, size: number) => [...s].length * size; // a square font
    // 50 points inside the padding: five characters of 10 points.
    expect(fitText('あいうえお', { x: 0, y: 0, width: 53, height: 20 }, 12, 6, width)).toEqual({ size: 10, lines: ['あいうえお'], overflow: false });
    expect(fitText('あいうえおかきくけこさし', { x: 0, y: 0, width: 53, height: 60 }, 10, 6, width)).toEqual({ size: 10, lines: ['あいうえお', 'かきくけこ', 'さし'], overflow: false });
    // A low box shrinks the line first; only a line that would be smaller than minSize is wrapped, at the largest size that fits.
    expect(fitText('あいうえおかきくけこ', { x: 0, y: 0, width: 53, height: 24 }, 10, 5, width)).toEqual({ size: 5, lines: ['あいうえおかきくけこ'], overflow: false });
    expect(fitText('あいうえおかきくけこ', { x: 0, y: 0, width: 53, height: 24 }, 10, 8, width)).toEqual({ size: 10, lines: ['あいうえお', 'かきくけこ'], overflow: false });
    const cut = fitText('あいうえおかきくけこさしすせそ', { x: 0, y: 0, width: 23, height: 10 }, 10, 5, width);
    expect(cut.overflow).toBe(true);
    expect(cut.lines).toEqual(['あいう…']);
  });
});

describe.skipIf(!hasPoppler)('the printed forms (needs poppler-utils: pdftotext, pdftoppm)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'yakuba-print-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('writes the name inside the name box, on the row of the blank form’s printed 「氏名」', async () => {
    const p = procedure('residence-certificate-request');
    const { pdf } = await print([residence()]);
    const box = boxOf(p, '/person/fullName');
    const inBox = (w: Word) => w.xMin >= box.x - 0.5 && w.xMax <= box.x + box.width + 0.5 && w.yMin >= box.y - 0.5 && w.yMax <= box.y + box.height + 0.5;
    const filled = words(pdf, 1);
    const name = filled.filter((w) => ['髙橋', '﨑子'].includes(w.text) && inBox(w));
    expect(name.map((w) => w.text)).toEqual(['髙橋', '﨑子']);
    expect(filled.some((w) => w.text === '一郎' && inBox(w))).toBe(false); // the applicant's name is in its own box
    // The label as the town's blank form prints it, found in the blank itself.
    const blank = new Uint8Array(readFileSync(join(shipped, 'forms', p.paperForm.file!)));
    const middle = (w: Word) => (w.yMin + w.yMax) / 2;
    const label = words(blank, 1).find((w) => w.text === '氏名' && middle(w) > box.y && middle(w) < box.y + box.height && w.xMax <= box.x);
    expect(label).toBeDefined();
    for (const w of name) expect(Math.abs(middle(w) - middle(label!))).toBeLessThan(3);
  });

  it('shows ink inside the name box on the rendered page, where the blank form has none', async () => {
    const p = procedure('residence-certificate-request');
    const box = boxOf(p, '/person/fullName');
    const filled = render((await print([residence()])).pdf, 1, 50);
    const blank = render(new Uint8Array(readFileSync(join(shipped, 'forms', p.paperForm.file!))), 1, 50);
    expect(blank.count(box, blank.dark)).toBe(0);
    expect(filled.count(box, filled.dark)).toBeGreaterThan(20);
  });

  it('writes dates in 和暦 and choices as their labels, circles the chosen option and ticks the members listed', async () => {
    const p = procedure('residence-certificate-request');
    const { pdf } = await print([residence({ reference: '2026-000123-1' })]);
    const out = text(pdf);
    for (const expected of ['昭和31年9月29日', '年金の手続き', '日本年金機構', '2026-000123-1', '令和', '髙橋 陽翔']) expect(out).toContain(expected);
    const page = render(pdf, 1, 100);
    expect(page.ring(boxOf(p, '/certificateType', 'copy'))).toBeGreaterThanOrEqual(0.75);
    expect(page.ring(boxOf(p, '/certificateType', 'statement'))).toBeLessThanOrEqual(0.25);
    expect(page.ring(boxOf(p, '/receiveMethod', 'counter'))).toBeGreaterThanOrEqual(0.75);
    expect(page.ring(boxOf(p, '/receiveMethod', 'mail'))).toBeLessThanOrEqual(0.25);
    expect(page.count(boxOf(p, '/listedMembers/0/include'), page.dark, 2)).toBeGreaterThan(3);
    expect(page.count(boxOf(p, '/listedMembers/1/include'), page.dark, 2)).toBe(0);
  });

  it('prints nothing of a field its condition hides', async () => {
    const { pdf } = await print([residence({ data: { ...RESIDENCE, scope: 'self' } })]);
    expect(text(pdf)).not.toContain('陽翔');
  });

  it('places the tablet’s signature inside the signature box, on the page the box is on', async () => {
    const ltc = procedure('long-term-care-certification');
    const data = sampleData(ltc, {}, { all: true });
    const { pdf } = await print([residence({ signature: SIGNATURE }), { procedure: ltc, data, applicant: APPLICANT, signature: SIGNATURE }]);
    for (const [p, page] of [
      [procedure('residence-certificate-request'), 1],
      [ltc, 3],
    ] as const) {
      const s = p.paperForm.signature!;
      const box = { x: s.x * PT, y: s.y * PT, width: s.width * PT, height: s.height * PT };
      const rendered = render(pdf, page, 72);
      const blue = rendered.all(rendered.blue);
      expect(blue.length).toBeGreaterThan(100);
      for (const at of blue) {
        expect(at.x).toBeGreaterThanOrEqual(box.x - 1);
        expect(at.x).toBeLessThanOrEqual(box.x + box.width + 1);
        expect(at.y).toBeGreaterThanOrEqual(box.y - 1);
        expect(at.y).toBeLessThanOrEqual(box.y + box.height + 1);
      }
    }
    const page2 = render(pdf, 2, 72);
    expect(page2.all(page2.blue)).toEqual([]); // the first page of the care form has no signature box
  });

  it('prints the plain layout for a procedure without an official form, saying so, with the signature beside 「署名」', async () => {
    const p = procedure('pregnancy-notification');
    expect(p.paperForm.file).toBeUndefined();
    const data = sampleData(p, {}, { all: true });
    const { pdf, pages } = await print([{ procedure: p, data, applicant: APPLICANT, signature: SIGNATURE }]);
    const all = text(pdf).replace(/\s+/g, '');
    for (const expected of [p.paperForm.title, 'みどり町には、この手続の公式の様式（定められた用紙）がありません。この用紙は、窓口でお聞きした内容から自動で作成したものです。', '公式の様式がないため自動で作成', '髙橋一郎', '上記の内容に相違ありません。']) {
      expect(all).toContain(expected.replace(/\s+/g, ''));
    }
    for (let page = 1; page <= pages; page++) expect(text(pdf, page)).toContain('公式の様式がないため自動で作成');
    const label = words(pdf, pages).find((w) => w.text === '署名')!;
    expect(label).toBeDefined();
    const rendered = render(pdf, pages, 72);
    const blue = rendered.all(rendered.blue);
    expect(blue.length).toBeGreaterThan(100);
    const row = (label.yMin + label.yMax) / 2;
    for (const at of blue) {
      expect(at.x).toBeGreaterThan(label.xMax);
      expect(Math.abs(at.y - row)).toBeLessThan(31);
    }
  });

  it('counts the pages of a visit: a one-page form, a two-page form and the plain layout', async () => {
    const ltc = procedure('long-term-care-certification');
    const plain = procedure('pregnancy-notification');
    const plainItem = { procedure: plain, data: sampleData(plain, {}, { all: true }), applicant: APPLICANT };
    const alone = await print([plainItem]);
    const visit = await print([residence(), { procedure: ltc, data: sampleData(ltc, {}, { all: true }), applicant: APPLICANT }, plainItem]);
    expect(visit.pages).toBe(1 + 2 + alone.pages);
    expect((await PDFDocument.load(visit.pdf)).getPageCount()).toBe(visit.pages);
    expect(text(visit.pdf, 1)).toContain('住民票の写し等交付請求書');
    expect(text(visit.pdf, 3)).toContain('（2枚目）');
    expect(text(visit.pdf, 4)).toContain(plain.paperForm.title);
  });

  it('marks every page of a demo printout 「デモ（架空のデータ）」, and no page of a real one', async () => {
    const plain = procedure('pregnancy-notification');
    const items = [residence(), { procedure: plain, data: sampleData(plain, {}, { all: true }), applicant: APPLICANT }];
    const demo = await print(items, { demo: true });
    for (let page = 1; page <= demo.pages; page++) expect(text(demo.pdf, page)).toContain('デモ（架空のデータ）');
    const real = await print(items, { demo: false });
    expect(text(real.pdf)).not.toContain('デモ（架空のデータ）');
  });

  it('reads a blank form from disk once', async () => {
    const procedures = join(dir, 'procedures');
    cpSync(shipped, procedures, { recursive: true });
    await print([residence()], { proceduresDir: procedures });
    rmSync(join(procedures, 'forms', 'residence-certificate-request.pdf'));
    const again = await print([residence()], { proceduresDir: procedures });
    expect(again.pages).toBe(1);
  });

  it('writes in the right place on a blank form of another paper size (A3 landscape)', async () => {
    const procedures = join(dir, 'a3');
    cpSync(shipped, procedures, { recursive: true });
    const blank = await PDFDocument.create();
    blank.addPage([1190.55, 841.89]).drawRectangle({ x: 800, y: 500, width: 300, height: 40, borderColor: rgb(0, 0, 0), borderWidth: 1 });
    writeFileSync(join(procedures, 'forms', 'a3-form.pdf'), await blank.save());
    const p = structuredClone(procedure('residence-certificate-request'));
    p.paperForm = { title: 'A3の様式', file: 'a3-form.pdf', fields: [{ value: '/person/fullName', page: 1, x: 300, y: 100, width: 100, height: 12, size: 14 }] };
    const { pdf } = await print([{ procedure: p, data: RESIDENCE, applicant: APPLICANT }], { proceduresDir: procedures });
    const name = words(pdf, 1).filter((w) => ['髙橋', '﨑子'].includes(w.text));
    expect(name.map((w) => w.text)).toEqual(['髙橋', '﨑子']);
    for (const w of name) {
      expect(w.xMin).toBeGreaterThanOrEqual(300 * PT);
      expect(w.xMax).toBeLessThanOrEqual(400 * PT);
      expect(w.yMin).toBeGreaterThanOrEqual(100 * PT);
      expect(w.yMax).toBeLessThanOrEqual(112 * PT);
      expect(w.yMax - w.yMin).toBeGreaterThan(10); // 14 pt, not shrunk by the scaling
    }
  });

  it('cuts text that cannot fit its box even at the smallest size, and reports it', async () => {
    const long = '提出先が指定する様式に、世帯全員の氏名、生年月日、続柄、住所を定めた日、前住所、本籍及び筆頭者を記載して証明してください。'.repeat(4);
    const { pdf, overflows } = await print([residence({ data: { ...RESIDENCE, certificateType: 'statement', statementItems: long } })]);
    expect(overflows).toEqual([{ procedure: 'residence-certificate-request', value: '/statementItems' }]);
    expect(text(pdf)).toContain('…');
  });

  it('refuses a signature that is not a PNG, a malformed date, and nothing to print', async () => {
    await expect(print([residence({ signature: new Uint8Array([1, 2, 3]) })])).rejects.toMatchObject({ code: 'validation', message: 'the signature is not a PNG image' });
    await expect(printForms({ items: [residence()], proceduresDir: shipped, townName: 'みどり町', date: '1 April', demo: true })).rejects.toMatchObject({ code: 'validation' });
    await expect(print([])).rejects.toMatchObject({ code: 'validation', message: 'there is nothing to print' });
  });
});
