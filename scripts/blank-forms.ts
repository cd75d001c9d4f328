/**
 * Draws the demo town みどり町's blank official forms (fictional layouts, marked as such) into
 * `procedures/forms/<code>.pdf`: A4, BIZ UDPGothic as a subset, labelled boxes, a signature box
 * and the town's own section. A real town puts its own blank PDFs there instead.
 *
 *   npx tsx scripts/blank-forms.ts           writes the PDFs
 *   npx tsx scripts/blank-forms.ts --yaml    also prints each form's `paperForm.fields` and `signature`
 *                                            (where the values go) to paste into the procedure's YAML
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rgb } from 'pdf-lib';
import { A4, createPdf, type PdfWriter } from '../src/platform/pdf.js';

const OUT = join(import.meta.dirname, '..', 'procedures', 'forms');
const TOWN = 'みどり町';
const AUTHOR = 'みどり町（架空のデモ自治体）';
const DRAWN = new Date('2026-04-01T00:00:00+09:00'); // a fixed date: the same drawing gives the same file
const INK = rgb(0.1, 0.1, 0.1);
const LABEL_FILL = rgb(0.92, 0.93, 0.95);
const RED = rgb(0.75, 0.1, 0.1);
const pt = (mm: number) => (mm * 72) / 25.4;
const L = 15; // left edge of the tables, mm
const R = 195; // right edge
const round = (n: number) => Math.round(n * 10) / 10;

type Slot = {
  value: string;
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
  size?: number;
  minSize?: number;
  align?: 'center' | 'right';
  datePart?: 'era' | 'year' | 'month' | 'day';
  mark?: string | boolean;
  markStyle?: 'tick';
};
type Box = { x: number; y: number; w: number; h: number };

/** One blank form being drawn: the pen (mm, from the top-left) and the value boxes it leaves. */
class Sheet {
  page = 1;
  readonly slots: Slot[] = [];
  signature: (Box & { page: number }) | undefined;
  constructor(readonly pdf: PdfWriter) {}

  newPage() {
    this.pdf.y = A4.height; // past the bottom: the writer starts a page
    this.pdf.ensureSpace(1);
    this.page += 1;
  }
  rect(b: Box, opts: { fill?: boolean; width?: number } = {}) {
    this.pdf.box(pt(b.x), pt(b.y), pt(b.w), pt(b.h), { borderColor: INK, borderWidth: opts.width ?? 0.6, ...(opts.fill ? { fill: LABEL_FILL } : {}) });
  }
  /** Text whose middle is at `cy` (mm); `align` against `x` (left), or the middle/right of `w`. */
  text(s: string, x: number, cy: number, size: number, opts: { bold?: boolean; color?: ReturnType<typeof rgb>; align?: 'left' | 'center' | 'right'; w?: number } = {}) {
    const width = this.pdf.widthOf(s, size, opts.bold);
    const left = opts.align === 'center' ? pt(x) + (pt(opts.w ?? 0) - width) / 2 : opts.align === 'right' ? pt(x) + pt(opts.w ?? 0) - width : pt(x);
    this.pdf.textAt(s, left, pt(cy) - size * 0.75, { size, ...(opts.bold ? { bold: true } : {}), ...(opts.color ? { color: opts.color } : {}) });
  }
  /** A shaded label cell; `\n` stacks lines. */
  label(b: Box, s: string, size = 9) {
    this.rect(b, { fill: true });
    const lines = s.split('\n');
    lines.forEach((line, i) => this.text(line, b.x, b.y + b.h / 2 + (i - (lines.length - 1) / 2) * size * 0.5, size, { align: 'center', w: b.w }));
  }
  /** A section label written top to bottom in a narrow cell. */
  vertical(b: Box, s: string) {
    this.rect(b, { fill: true });
    const step = Math.min(5, (b.h - 2) / s.length);
    const top = b.y + b.h / 2 - (step * s.length) / 2 + step / 2;
    [...s].forEach((ch, i) => this.text(ch, b.x, top + i * step, 9.5, { align: 'center', w: b.w, bold: true }));
  }
  /** An empty cell whose inside takes a value. */
  cell(b: Box, value?: string, opts: Omit<Slot, 'value' | 'page' | 'x' | 'y' | 'width' | 'height'> = {}) {
    this.rect(b);
    if (value) this.slot(value, { x: b.x + 1, y: b.y + 0.8, w: b.w - 2, h: b.h - 1.6 }, opts);
  }
  slot(value: string, b: Box, opts: Omit<Slot, 'value' | 'page' | 'x' | 'y' | 'width' | 'height'> = {}) {
    this.slots.push({ value, page: this.page, x: round(b.x), y: round(b.y), width: round(b.w), height: round(b.h), ...opts });
  }
  /** Printed choices in a row, each with the box a ○ goes around; `marks` pairs them with option values. */
  choices(value: string, x: number, cy: number, items: readonly (readonly [string, string | boolean])[], size = 9.5, gap = 5) {
    let at = x;
    for (const [text, mark] of items) {
      const w = this.pdf.widthOf(text, size) / pt(1);
      this.text(text, at, cy, size);
      this.slot(value, { x: at - 1.5, y: cy - 3.3, w: w + 3, h: 6.6 }, { mark });
      at += w + gap;
    }
    return at;
  }
  /** A small □ for a ✓. */
  tickBox(value: string, x: number, cy: number, mark: string | boolean = true) {
    this.rect({ x, y: cy - 1.8, w: 3.6, h: 3.6 }, { width: 0.5 });
    this.slot(value, { x, y: cy - 1.8, w: 3.6, h: 3.6 }, { mark, markStyle: 'tick' });
  }
  /** 「令和 年 月 日」 with the parts of a date in their gaps. */
  dateLine(value: string, right: number, cy: number) {
    const parts: [Slot['datePart'], number, string][] = [['era', 11, ''], ['year', 8, '年'], ['month', 7, '月'], ['day', 7, '日']];
    let x = right - parts.reduce((n, [, w, s]) => n + w + (s ? 4 : 0), 0);
    for (const [part, w, suffix] of parts) {
      this.slot(value, { x, y: cy - 3, w, h: 6 }, { datePart: part, align: 'center', size: 10.5 });
      x += w;
      if (suffix) this.text(suffix, x + 0.5, cy, 10.5);
      x += suffix ? 4 : 0;
    }
  }
  signatureBox(x: number, y: number, w = 70, h = 20) {
    this.label({ x, y, w: 16, h }, '署名');
    this.rect({ x: x + 16, y, w, h });
    this.signature = { page: this.page, x: x + 16.5, y: y + 0.5, w: w - 1, h: h - 1 };
  }
}

/** 「デモ（架空の様式）」 at the top left of every page (the top right stays free for the printed data's own mark). */
function demoMark(s: Sheet) {
  const mark = 'デモ（架空の様式）';
  const w = s.pdf.widthOf(mark, 10, true) / pt(1) + 6;
  s.pdf.box(pt(L), pt(7), pt(w), pt(7.5), { borderColor: RED, borderWidth: 1.2 });
  s.text(mark, L + 3, 10.75, 10, { bold: true, color: RED });
}

/** The header every form shares: the demo mark, the form number, the title, the date, the addressee. */
function header(s: Sheet, number: string, title: string, date = true) {
  demoMark(s);
  s.text(number, L, 19.5, 8);
  s.text(title, 0, 27, 17, { bold: true, align: 'center', w: 210 });
  if (!date) return;
  s.text(TOWN + '長\u3000様', L, 38, 11);
  s.dateLine('$today', R, 38);
}

function footer(s: Sheet, note: string) {
  s.text(note, L, 283, 7.5);
  s.text(AUTHOR + '\u3000この様式は架空のものです。', L, 288, 7.5, { color: rgb(0.4, 0.4, 0.4) });
}

/** The town's own part: filled in by staff, and the reference number once sent. */
function officeUse(s: Sheet, y: number, rows: readonly string[]) {
  s.text('町使用欄', L, y - 3, 9, { bold: true });
  s.rect({ x: L, y, w: R - L, h: 9 * (rows.length + 1) }, { width: 1.2 });
  s.label({ x: L, y, w: 25, h: 9 }, '受付番号');
  s.cell({ x: L + 25, y, w: 55, h: 9 }, '$reference', { size: 11 });
  s.label({ x: L + 80, y, w: 20, h: 9 }, '受付者');
  s.cell({ x: L + 100, y, w: 80, h: 9 });
  rows.forEach((r, i) => {
    s.label({ x: L, y: y + 9 * (i + 1), w: 25, h: 9 }, r.split('|')[0]!);
    s.cell({ x: L + 25, y: y + 9 * (i + 1), w: 155, h: 9 });
    if (r.includes('|')) s.text(r.split('|')[1]!, L + 28, y + 9 * (i + 1) + 4.5, 9);
  });
}

/** 住民票の写し等交付請求書 (住民課). */
function residenceCertificate(s: Sheet) {
  header(s, '様式第1号（第2条関係）', '住民票の写し等交付請求書');
  s.text('次のとおり請求します。', L, 45, 9.5);
  let y = 49;
  s.vertical({ x: L, y, w: 9, h: 22 }, '請求者');
  s.label({ x: L + 9, y, w: 24, h: 11 }, '住所');
  s.cell({ x: L + 33, y, w: 147, h: 11 }, '$applicant.address');
  s.label({ x: L + 9, y: y + 11, w: 24, h: 11 }, '氏名');
  s.cell({ x: L + 33, y: y + 11, w: 77, h: 11 }, '$applicant.fullName', { size: 12 });
  s.label({ x: L + 110, y: y + 11, w: 20, h: 11 }, '電話番号');
  s.cell({ x: L + 130, y: y + 11, w: 50, h: 11 }, '/contact/phone');
  y += 26;
  s.vertical({ x: L, y, w: 9, h: 24 }, '必要な方');
  s.label({ x: L + 9, y, w: 24, h: 11 }, '住所');
  s.cell({ x: L + 33, y, w: 147, h: 11 }, '/person/address');
  s.label({ x: L + 9, y: y + 11, w: 24, h: 13 }, '氏名');
  s.cell({ x: L + 33, y: y + 11, w: 77, h: 13 }, '/person/fullName', { size: 13 });
  s.label({ x: L + 110, y: y + 11, w: 20, h: 13 }, '生年月日');
  s.cell({ x: L + 130, y: y + 11, w: 50, h: 13 }, '/person/birthDate');
  y += 28;
  s.vertical({ x: L, y, w: 9, h: 82 }, '請求の内容');
  const row = (h: number, label: string) => {
    s.label({ x: L + 9, y, w: 33, h }, label, 8.5);
    s.rect({ x: L + 42, y, w: 138, h });
    const cy = y + h / 2;
    y += h;
    return cy;
  };
  let cy = row(10, '証明書の種類');
  s.choices('/certificateType', L + 45, cy, [['住民票の写し', 'copy'], ['住民票記載事項証明書', 'statement']]);
  s.label({ x: L + 135, y: y - 10, w: 15, h: 10 }, '通数');
  s.cell({ x: L + 150, y: y - 10, w: 22, h: 10 }, '/copies', { align: 'center', size: 12 });
  s.text('通', L + 173.5, cy, 10);
  cy = row(10, '記載が必要な方');
  s.choices('/scope', L + 45, cy, [['本人のみ', 'self'], ['世帯全員', 'household'], ['世帯の一部の方', 'some']], 9.5, 8);
  const top = y;
  row(18, '世帯の一部の場合\n記載する方に✓');
  for (let i = 0; i < 6; i++) {
    const x = L + 45 + (i % 3) * 45;
    const my = top + 4.5 + Math.floor(i / 3) * 9;
    s.tickBox(`/listedMembers/${i}/include`, x, my);
    s.slot(`/listedMembers/${i}/fullName`, { x: x + 5, y: my - 3.5, w: 38, h: 7 }, { size: 9.5 });
    s.pdf.lineAt(pt(x + 5), pt(my + 3.5), pt(x + 42), pt(my + 3.5), { thickness: 0.3, color: rgb(0.5, 0.5, 0.5) });
  }
  cy = row(10, '記載する事項\n（○の事項を記載）');
  s.choices('/includeItems', L + 45, cy, [['世帯主の氏名・続柄', 'head-relation'], ['本籍・筆頭者', 'domicile'], ['個人番号', 'my-number']], 9.5, 7);
  row(14, '証明が必要な事項\n（記載事項証明書）');
  s.slot('/statementItems', { x: L + 43, y: y - 13.2, w: 136, h: 12.4 }, { size: 9.5, minSize: 7 });
  row(10, '使用目的');
  s.slot('/purpose', { x: L + 43, y: y - 9.2, w: 38, h: 8.4 }, { size: 9.5 });
  s.slot('/purposeDetail', { x: L + 82, y: y - 9.2, w: 36, h: 8.4 }, { size: 9 });
  s.label({ x: L + 119, y: y - 10, w: 15, h: 10 }, '提出先');
  s.slot('/submitTo', { x: L + 135, y: y - 9.2, w: 44, h: 8.4 }, { size: 9.5 });
  cy = row(10, '受け取り方法');
  s.choices('/receiveMethod', L + 45, cy, [['郵送（住民登録の住所へ）', 'mail'], ['窓口', 'counter']], 9.5, 8);
  y += 6;
  s.text('上記の内容に相違ありません。', L, y + 10, 10);
  s.signatureBox(R - 86, y);
  officeUse(s, 224, ['本人確認|□ マイナンバーカード　□ 運転免許証　□ その他（　　　　　　）', '手数料|300円 ×　　　通 ＝　　　　　円']);
  footer(s, '※ 個人番号が記載された住民票の写しは、代理人の方に窓口でお渡しできません（住民登録の住所へ郵送します）。');
}

/** 子ども医療費受給資格証交付申請書 (こども家庭課). */
function childMedicalSubsidy(s: Sheet) {
  header(s, '様式第3号（第4条関係）', '子ども医療費受給資格証交付申請書');
  s.text('みどり町子ども医療費助成条例の規定により、次のとおり申請します。', L, 45, 9.5);
  const person = (y: number, title: string, who: string, address: string, height = 30) => {
    s.vertical({ x: L, y, w: 9, h: height }, title);
    s.label({ x: L + 9, y, w: 22, h: 7 }, 'フリガナ');
    s.cell({ x: L + 31, y, w: 79, h: 7 }, `${who}/fullNameKana`, { size: 8.5 });
    s.label({ x: L + 9, y: y + 7, w: 22, h: 12 }, '氏名');
    s.cell({ x: L + 31, y: y + 7, w: 79, h: 12 }, `${who}/fullName`, { size: 13 });
    s.label({ x: L + 110, y: y + 7, w: 20, h: 12 }, '生年月日');
    s.cell({ x: L + 130, y: y + 7, w: 50, h: 12 }, `${who}/birthDate`);
    s.label({ x: L + 9, y: y + 19, w: 22, h: 11 }, '住所');
    s.cell({ x: L + 31, y: y + 19, w: 149, h: 11 }, address);
  };
  person(49, '申請者', '/guardian', '$applicant.address', 39);
  s.label({ x: L + 110, y: 49, w: 20, h: 7 }, '続柄', 8.5);
  s.rect({ x: L + 130, y: 49, w: 50, h: 7 });
  s.choices('/guardian/relation', L + 133, 52.5, [['父', 'father'], ['母', 'mother'], ['その他', 'other']], 9, 6);
  s.label({ x: L + 9, y: 79, w: 22, h: 9 }, '電話番号');
  s.cell({ x: L + 31, y: 79, w: 149, h: 9 }, '/contact/phone');
  person(93, '子ども', '/child', '/child/address');
  s.label({ x: L + 110, y: 93, w: 20, h: 7 }, '性別', 8.5);
  s.rect({ x: L + 130, y: 93, w: 50, h: 7 });
  s.choices('/child/sex', L + 133, 96.5, [['男', '1'], ['女', '2']], 9, 8);
  let y = 128;
  s.vertical({ x: L, y, w: 9, h: 54 }, '健康保険');
  const row = (h: number, label: string) => {
    s.label({ x: L + 9, y, w: 30, h }, label, 8.5);
    s.rect({ x: L + 39, y, w: 141, h });
    const cy = y + h / 2;
    y += h;
    return cy;
  };
  let cy = row(9, '加入の状況');
  s.choices('/insuranceStatus', L + 42, cy, [['加入している', 'enrolled'], ['加入の手続き中', 'pending']], 9.5, 8);
  cy = row(9, '保険の種類');
  s.choices('/insurance/type', L + 42, cy, [['国民健康保険', 'nhi'], ['健康保険', 'employee'], ['共済組合', 'mutual-aid'], ['その他', 'other']], 9.5, 6);
  row(9, '保険者名');
  s.slot('/insurance/insurer', { x: L + 40, y: y - 8.2, w: 84, h: 7.4 });
  s.label({ x: L + 125, y: y - 9, w: 20, h: 9 }, '保険者番号', 8);
  s.slot('/insurance/insurerNumber', { x: L + 146, y: y - 8.2, w: 33, h: 7.4 }, { align: 'center' });
  row(9, '記号・番号・枝番');
  s.slot('/insurance/symbol', { x: L + 40, y: y - 8.2, w: 44, h: 7.4 });
  s.text('・', L + 85, y - 4.5, 9.5);
  s.slot('/insurance/number', { x: L + 89, y: y - 8.2, w: 54, h: 7.4 });
  s.text('・', L + 144, y - 4.5, 9.5);
  s.slot('/insurance/branch', { x: L + 148, y: y - 8.2, w: 14, h: 7.4 }, { align: 'center' });
  row(9, '被保険者の氏名');
  s.slot('/insurance/insuredName', { x: L + 40, y: y - 8.2, w: 84, h: 7.4 });
  cy = row(9, '資格証の受け取り');
  s.choices('/receiveMethod', L + 42, cy, [['郵送（住民登録の住所へ）', 'mail'], ['窓口（こども家庭課）', 'counter']], 9.5, 8);
  y += 5;
  s.text('受給資格の認定のため、子どもと保護者の住民記録と健康保険の', L, y + 5, 9);
  s.text('加入状況を町が確認することに同意します。', L, y + 10, 9);
  s.signatureBox(R - 86, y);
  officeUse(s, 224, ['資格証番号|', '資格の開始日|令和　　年　　月　　日']);
  footer(s, '※ 子どもと保護者の個人番号（マイナンバー）は、町の記録から確認します。');
}

/** 介護保険 要介護認定・要支援認定 申請書 (介護保険課), two pages. */
function longTermCare(s: Sheet) {
  header(s, '様式第5号（第7条関係）', '介護保険 要介護認定・要支援認定 申請書');
  s.text('次のとおり申請します。', L, 45, 9.5);
  let y = 49;
  const row = (h: number, label: string, labelW = 30, x0 = L + 9, size = 8.5) => {
    s.label({ x: x0, y, w: labelW, h }, label, size);
    s.rect({ x: x0 + labelW, y, w: R - x0 - labelW, h });
    const cy = y + h / 2;
    y += h;
    return cy;
  };
  s.label({ x: L, y, w: 39, h: 9 }, '申請の区分');
  s.rect({ x: L + 39, y, w: 141, h: 9 });
  s.choices('/applicationType', L + 42, y + 4.5, [['新規', 'new'], ['更新', 'renewal'], ['区分変更', 'change'], ['転入', 'transfer']], 10, 9);
  y += 13;
  s.vertical({ x: L, y, w: 9, h: 48 }, '被保険者');
  row(8, '被保険者番号');
  s.slot('/insured/insuredNumber', { x: L + 40, y: y - 7.2, w: 50, h: 6.4 }, { size: 10.5 });
  row(7, 'フリガナ');
  s.slot('/insured/fullNameKana', { x: L + 40, y: y - 6.4, w: 80, h: 5.8 }, { size: 8.5 });
  s.label({ x: L + 122, y: y - 7, w: 16, h: 7 }, '性別', 8.5);
  s.choices('/insured/sex', L + 143, y - 3.5, [['男', '1'], ['女', '2']], 9, 8);
  row(12, '氏名');
  s.slot('/insured/fullName', { x: L + 40, y: y - 11.2, w: 81, h: 10.4 }, { size: 13 });
  s.label({ x: L + 122, y: y - 12, w: 16, h: 12 }, '生年月日', 8);
  s.slot('/insured/birthDate', { x: L + 139, y: y - 11.2, w: 40, h: 5 }, { size: 9 });
  s.slot('/insured/age', { x: L + 150, y: y - 5.8, w: 16, h: 5 }, { size: 9, align: 'right' });
  s.text('歳', L + 167, y - 3.3, 9);
  row(12, '住所');
  s.slot('/insured/address', { x: L + 40, y: y - 11.2, w: 139, h: 10.4 });
  row(9, '電話番号');
  s.slot('/contact/phone', { x: L + 40, y: y - 8.2, w: 60, h: 7.4 });
  y += 4;
  s.vertical({ x: L, y, w: 9, h: 34 }, '認定の状況');
  row(9, '要介護状態区分\n（更新・変更・転入）', 30, L + 9, 7.5);
  s.slot('/previous/careLevel', { x: L + 40, y: y - 8.2, w: 40, h: 7.4 });
  s.label({ x: L + 82, y: y - 9, w: 20, h: 9 }, '有効期間', 8.5);
  s.slot('/previous/validFrom', { x: L + 103, y: y - 8.2, w: 35, h: 7.4 }, { size: 9 });
  s.text('から', L + 139, y - 4.5, 8.5);
  s.slot('/previous/validTo', { x: L + 146, y: y - 8.2, w: 33, h: 7.4 }, { size: 9 });
  row(25, '区分変更の理由');
  s.slot('/changeReason', { x: L + 40, y: y - 24.2, w: 139, h: 23.4 }, { size: 9.5, minSize: 7 });
  y += 4;
  s.vertical({ x: L, y, w: 9, h: 36 }, '現在の居場所');
  const cy = row(9, '居場所');
  s.choices('/whereabouts', L + 42, cy, [['自宅', 'home'], ['病院・診療所に入院中', 'hospital'], ['施設に入所中', 'facility'], ['その他', 'other']], 9, 5);
  row(9, '入院・入所先の名称');
  s.slot('/placement/name', { x: L + 40, y: y - 8.2, w: 80, h: 7.4 });
  s.label({ x: L + 122, y: y - 9, w: 16, h: 9 }, '電話番号', 8);
  s.slot('/placement/phone', { x: L + 139, y: y - 8.2, w: 40, h: 7.4 });
  row(9, '所在地');
  s.slot('/placement/address', { x: L + 40, y: y - 8.2, w: 139, h: 7.4 });
  row(9, '退院・退所の予定日');
  s.slot('/placement/expectedDischarge', { x: L + 40, y: y - 8.2, w: 50, h: 7.4 });
  y += 4;
  s.vertical({ x: L, y, w: 9, h: 45 }, '主治医');
  const cy2 = row(9, '主治医の有無');
  s.choices('/doctor/hasDoctor', L + 42, cy2, [['いる', 'yes'], ['いない（町が指定する医師の診察を受けます）', 'no']], 9.5, 8);
  row(9, '医師の氏名');
  s.slot('/doctor/name', { x: L + 40, y: y - 8.2, w: 50, h: 7.4 });
  s.label({ x: L + 92, y: y - 9, w: 22, h: 9 }, '医療機関名', 8.5);
  s.slot('/doctor/clinic', { x: L + 115, y: y - 8.2, w: 64, h: 7.4 });
  row(9, '診療科');
  s.slot('/doctor/department', { x: L + 40, y: y - 8.2, w: 50, h: 7.4 });
  s.label({ x: L + 92, y: y - 9, w: 22, h: 9 }, '電話番号', 8.5);
  s.slot('/doctor/phone', { x: L + 115, y: y - 8.2, w: 64, h: 7.4 });
  row(9, '所在地');
  s.slot('/doctor/address', { x: L + 40, y: y - 8.2, w: 139, h: 7.4 });
  row(9, '最後に受診した日');
  s.slot('/doctor/lastVisit', { x: L + 40, y: y - 8.2, w: 50, h: 7.4 });
  footer(s, '※ 裏面（2枚目）に続きます。被保険者の個人番号（マイナンバー）は、町の記録から確認します。');

  s.newPage();
  demoMark(s);
  s.text('介護保険 要介護認定・要支援認定 申請書（2枚目）', L, 21, 11, { bold: true });
  y = 27;
  s.vertical({ x: L, y, w: 9, h: 27 }, '第2号');
  row(12, '特定疾病名\n（40〜64歳の方）', 30, L + 9, 8);
  s.slot('/specifiedDisease', { x: L + 40, y: y - 11.2, w: 139, h: 10.4 }, { size: 9.5, minSize: 7 });
  row(15, '医療保険の\n保険者・記号・番号', 30, L + 9, 7.5);
  s.slot('/medicalInsurance/insurer', { x: L + 40, y: y - 14.2, w: 139, h: 6.4 });
  s.slot('/medicalInsurance/symbol', { x: L + 40, y: y - 7.2, w: 60, h: 6.4 });
  s.slot('/medicalInsurance/number', { x: L + 102, y: y - 7.2, w: 77, h: 6.4 });
  y += 4;
  s.vertical({ x: L, y, w: 9, h: 32 }, '調査の連絡先');
  row(9, '氏名');
  s.slot('/visitContact/name', { x: L + 40, y: y - 8.2, w: 50, h: 7.4 });
  s.label({ x: L + 92, y: y - 9, w: 22, h: 9 }, '本人との関係', 8);
  s.slot('/visitContact/relation', { x: L + 115, y: y - 8.2, w: 64, h: 7.4 });
  row(9, '電話番号');
  s.slot('/visitContact/phone', { x: L + 40, y: y - 8.2, w: 60, h: 7.4 });
  row(14, '日程などの希望');
  s.slot('/visitContact/wishes', { x: L + 40, y: y - 13.2, w: 139, h: 12.4 }, { size: 9.5, minSize: 7 });
  y += 4;
  s.vertical({ x: L, y, w: 9, h: 36 }, '申請者');
  const cy3 = row(9, '申請者');
  s.choices('/applicantType', L + 42, cy3, [['本人', 'self'], ['家族', 'family'], ['申請代行（事業者・施設など）', 'proxy']], 9.5, 8);
  row(9, '氏名');
  s.slot('/applicantDetails/fullName', { x: L + 40, y: y - 8.2, w: 50, h: 7.4 });
  s.label({ x: L + 92, y: y - 9, w: 22, h: 9 }, '本人との続柄', 8);
  s.slot('/applicantDetails/relation', { x: L + 115, y: y - 8.2, w: 64, h: 7.4 });
  row(9, '住所');
  s.slot('/applicantDetails/address', { x: L + 40, y: y - 8.2, w: 139, h: 7.4 });
  row(9, '事業者・施設の名称');
  s.slot('/applicantDetails/organization', { x: L + 40, y: y - 8.2, w: 139, h: 7.4 });
  y += 5;
  s.tickBox('/consent', L, y + 2.5);
  const consent = [
    '介護サービス計画の作成などに必要な場合、認定調査の結果、主治医意見書、介護認定審査会の判定結果・意見を、',
    '地域包括支援センター、居宅介護支援事業者、介護保険施設、主治医、サービス事業者に示すことに同意します。',
  ];
  consent.forEach((line, i) => s.text(line, L + 6, y + 2.5 + i * 4.5, 8.5));
  y += 13;
  s.text('上記のとおり申請します。', L, y + 5, 10);
  s.signatureBox(R - 86, y);
  officeUse(s, 200, ['認定調査の日|令和　　年　　月　　日']);
  footer(s, '※ 更新の申請は、有効期間が終わる日の60日前から受け付けます。');
}

const FORMS = [
  { code: 'residence-certificate-request', title: '住民票の写し等交付請求書', draw: residenceCertificate },
  { code: 'child-medical-subsidy', title: '子ども医療費受給資格証交付申請書', draw: childMedicalSubsidy },
  { code: 'long-term-care-certification', title: '介護保険 要介護認定・要支援認定 申請書', draw: longTermCare },
] as const;

function yamlOf(code: string, s: Sheet): string {
  const plain = (v: string) => /^[a-z/][A-Za-z0-9/-]*$/.test(v) && !/^(true|false|yes|no|on|off|null)$/i.test(v);
  const entry = (o: Record<string, unknown>) => `{ ${Object.entries(o).map(([k, v]) => `${k}: ${typeof v === 'string' && !plain(v) ? `'${v}'` : String(v)}`).join(', ')} }`;
  const lines = [`# ${code}`, 'paperForm:', `  file: ${code}.pdf`, '  fields:', ...s.slots.map((x) => `    - ${entry(x)}`)];
  if (s.signature) lines.push(`  signature: ${entry({ page: s.signature.page, x: round(s.signature.x), y: round(s.signature.y), width: round(s.signature.w), height: round(s.signature.h) })}`);
  return lines.join('\n');
}

for (const form of FORMS) {
  const pdf = await createPdf({ title: form.title, subject: 'デモ（架空の様式）', author: AUTHOR, createdAt: DRAWN, lang: 'ja' });
  const sheet = new Sheet(pdf);
  form.draw(sheet);
  const bytes = await pdf.save();
  await writeFile(join(OUT, `${form.code}.pdf`), bytes);
  process.stdout.write(`${form.code}.pdf: ${sheet.page} page(s), ${bytes.length} bytes, ${sheet.slots.length} boxes\n`);
  if (process.argv.includes('--yaml')) process.stdout.write(`${yamlOf(form.code, sheet)}\n\n`);
}
