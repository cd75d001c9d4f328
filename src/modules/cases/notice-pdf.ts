/**
 * The decision notice as a page (A4, BIZ UDPGothic, 和暦): who issues it and to whom, what
 * was decided, the approvers' electronic seals (印影 drawn as vectors: a vermilion ring with
 * the family name, the signer and the time beneath), for a refusal the reasons and how to
 * appeal (教示), and at the foot the address and number anyone can check it by.
 * Issued in Japanese: the notice is an administrative document, kept as issued.
 */
import { rgb } from 'pdf-lib';
import { createPdf, wrapText, type PdfWriter } from '../../platform/pdf.js';
import { translator } from '../../platform/i18n.js';
import { formatDate } from '../../platform/views/dates.js';
import './messages.js';
import './notice-messages.js';
import type { NoticeFacts, NoticeSeal } from './notice.js';
import { dateInJapan } from './runtime.js';

export interface NoticeDocument {
  facts: NoticeFacts;
  /** The applicant as registered; null for an application made without sign-in. */
  addressee: { name: string; postalCode: string; address: string } | null;
  /** Whom the application was about, when not the addressee (a child, a parent in care). */
  subjectName?: string | null;
  receivedAt: Date;
  /** The reasons of a refusal (the proposal's comment); null for an approval. */
  reason: string | null;
  hash: string;
  verifyUrl: string;
}

const t = translator('ja');
const SEAL_RED = rgb(0.84, 0.12, 0.1);
const FRAME = rgb(0.35, 0.35, 0.35);
const MUTED = rgb(0.3, 0.3, 0.3);

const eraDay = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Tokyo' });
const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Tokyo' });

/** 令和8年（2026年）11月22日: the day in Japan, in the era with the western year. */
export const dayText = (at: Date): string => formatDate(dateInJapan(at), 'ja');
/** 令和8年11月22日 and 14:05, in Japan: short enough to sit under a seal. */
export const sealTime = (at: Date): { day: string; time: string } => ({ day: eraDay.format(at), time: clock.format(at) });
/** The seal shows the family name: the first word of the name as staff are registered (「決裁 和子」). */
export const familyName = (name: string): string => name.trim().split(/[\s\u3000]+/)[0] ?? name;
/** The hash in eight groups of eight, easier to read aloud and compare. */
export const groupedHash = (hash: string): string => hash.match(/.{1,8}/g)?.join(' ') ?? hash;

const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}々〆ヶー]+$/u;

/** A line centred on `cx`, made smaller until it fits `max` points. */
function centred(pdf: PdfWriter, text: string, cx: number, top: number, size: number, max: number, style: { bold?: boolean; color?: ReturnType<typeof rgb> } = {}): void {
  let s = size;
  while (s > 4 && pdf.widthOf(text, s, style.bold) > max) s -= 0.25;
  pdf.textAt(text, cx - pdf.widthOf(text, s, style.bold) / 2, top, { size: s, ...style });
}

/**
 * A round seal (丸印): a ring with the family name inside, written top to bottom when it is
 * up to three Japanese characters, across (made to fit) otherwise. A seal made in someone's
 * place (代決) carries a small 「代」 at its shoulder.
 */
export function drawSeal(pdf: PdfWriter, cx: number, cy: number, r: number, family: string, deputy: boolean): void {
  pdf.circle(cx, cy, r, { borderColor: SEAL_RED, borderWidth: 1.8 });
  const chars = [...family];
  if (CJK.test(family) && chars.length <= 3) {
    const size = Math.min(chars.length === 1 ? 24 : 18, (2 * r * 0.74) / chars.length);
    const step = size * 1.04;
    const top = cy - (step * chars.length) / 2;
    // textAt places a line box of 1.5 em whose glyphs start 0.25 em below its top.
    chars.forEach((ch, i) => pdf.textAt(ch, cx - pdf.widthOf(ch, size, true) / 2, top + i * step + (step - size) / 2 - size * 0.25, { size, bold: true, color: SEAL_RED }));
  } else {
    let size = 13;
    while (size > 4 && pdf.widthOf(family, size, true) > 2 * r * 0.82) size -= 0.25;
    pdf.textAt(family, cx - pdf.widthOf(family, size, true) / 2, cy - size * 0.75, { size, bold: true, color: SEAL_RED });
  }
  if (deputy) {
    const dx = cx + r * 0.78;
    const dy = cy - r * 0.78;
    pdf.circle(dx, dy, 7.5, { borderColor: SEAL_RED, borderWidth: 1, fill: rgb(1, 1, 1) });
    const mark = t('cases.notice.seal.deputy');
    pdf.textAt(mark, dx - pdf.widthOf(mark, 9, true) / 2, dy - 9 * 0.75, { size: 9, bold: true, color: SEAL_RED });
  }
}

const BOX_WIDTH = 86;
const HEAD_HEIGHT = 17;
const SEAL_HEIGHT = 68;
const SEAL_RADIUS = 25;
const UNDER_HEIGHT = 46;

/** The approval boxes (決裁欄), in the order the decision went: 担当, then each level of the route. */
function drawSeals(pdf: PdfWriter, seals: readonly NoticeSeal[]): void {
  const height = HEAD_HEIGHT + SEAL_HEIGHT + UNDER_HEIGHT;
  pdf.ensureSpace(height + 20);
  const top = pdf.y;
  const right = pdf.left + pdf.contentWidth;
  const x0 = right - seals.length * BOX_WIDTH;
  // What the boxes are, to their left.
  const leadWidth = x0 - pdf.left - 16;
  pdf.textAt(t('cases.notice.seals.heading'), pdf.left, top, { size: 10.5, bold: true });
  wrapText(t('cases.notice.seals.lead'), leadWidth, (s) => pdf.widthOf(s, 8.5)).forEach((line, i) => pdf.textAt(line, pdf.left, top + 18 + i * 12.75, { size: 8.5, color: MUTED }));
  seals.forEach((seal, i) => {
    const x = x0 + i * BOX_WIDTH;
    const cx = x + BOX_WIDTH / 2;
    pdf.box(x, top, BOX_WIDTH, HEAD_HEIGHT + SEAL_HEIGHT, { borderColor: FRAME, borderWidth: 0.8 });
    pdf.lineAt(x, top + HEAD_HEIGHT, x + BOX_WIDTH, top + HEAD_HEIGHT, { thickness: 0.8, color: FRAME });
    centred(pdf, t(`cases.position.${seal.position}`), cx, top + (HEAD_HEIGHT - 13.5) / 2, 9, BOX_WIDTH - 6);
    drawSeal(pdf, cx, top + HEAD_HEIGHT + SEAL_HEIGHT / 2, SEAL_RADIUS, familyName(seal.name), seal.onBehalfOf !== null);
    let y = top + HEAD_HEIGHT + SEAL_HEIGHT + 2;
    centred(pdf, seal.name, cx, y, 8, BOX_WIDTH - 4);
    y += 12;
    if (seal.onBehalfOf !== null) {
      centred(pdf, t('cases.notice.seal.onBehalf', { name: seal.onBehalfOf }), cx, y, 6.5, BOX_WIDTH - 4, { color: MUTED });
      y += 9.75;
    }
    const at = sealTime(new Date(seal.at));
    centred(pdf, at.day, cx, y, 6.5, BOX_WIDTH - 4, { color: MUTED });
    centred(pdf, at.time, cx, y + 9.75, 6.5, BOX_WIDTH - 4, { color: MUTED });
  });
  pdf.y = top + height + 8;
}

export async function renderNotice(d: NoticeDocument): Promise<Uint8Array> {
  const f = d.facts;
  const issuedAt = new Date(f.issuedAt);
  const title = t('cases.notice.title', { procedure: f.procedure.name });
  const pdf = await createPdf({
    title: `${t('cases.notice.document')} ${f.reference}`,
    subject: title,
    author: f.issuer,
    lang: 'ja',
    createdAt: issuedAt,
    footer: (page, pages) => t('cases.notice.footer', { town: f.issuer, reference: f.reference, page, pages }),
    ...(f.demo ? { mark: t('cases.notice.demo') } : {}),
  });
  const right = pdf.left + pdf.contentWidth;

  // Number and date, top right.
  pdf.textAt(t('cases.notice.number', { reference: f.reference }), right, pdf.y, { size: 10.5, align: 'right' });
  pdf.textAt(dayText(issuedAt), right, pdf.y + 16, { size: 10.5, align: 'right' });
  pdf.space(40);

  // To whom.
  if (d.addressee) {
    if (d.addressee.postalCode) pdf.paragraph(t('cases.notice.postal', { code: d.addressee.postalCode }), { size: 11, gapAfter: 0 });
    if (d.addressee.address) pdf.paragraph(d.addressee.address, { size: 11, gapAfter: 4 });
    pdf.paragraph(t('cases.notice.addressee', { name: d.addressee.name }), { size: 14, gapAfter: 10 });
  } else {
    pdf.paragraph(t('cases.notice.anonymous'), { size: 14, gapAfter: 0 });
    pdf.paragraph(t('cases.notice.anonymousAddress'), { size: 9.5, gapAfter: 10 });
  }

  // From whom.
  pdf.textAt(t('cases.notice.issuer', { town: f.issuer }), right, pdf.y, { size: 12.5, align: 'right' });
  pdf.textAt(t('cases.notice.issuerDepartment', { department: f.department.name }), right, pdf.y + 20, { size: 9.5, align: 'right' });
  pdf.space(44);

  // What it is.
  const titleSize = pdf.widthOf(title, 17, true) <= pdf.contentWidth ? 17 : 14;
  if (pdf.widthOf(title, titleSize, true) <= pdf.contentWidth) {
    pdf.textAt(title, pdf.left + (pdf.contentWidth - pdf.widthOf(title, titleSize, true)) / 2, pdf.y, { size: titleSize, bold: true });
    pdf.space(titleSize * 1.5 + 14);
  } else {
    pdf.paragraph(title, { size: titleSize, bold: true, gapAfter: 14 });
  }
  pdf.paragraph(t('cases.notice.body', { received: dayText(d.receivedAt), procedure: f.procedure.name }), { size: 11, gapAfter: 10 });

  // The procedure is in the title, the department under the issuer, the day of each approval under its seal.
  const rows: [string, string][] = [
    [t('cases.notice.row.reference'), f.reference],
    ...(d.subjectName ? [[t('cases.notice.row.subject'), `${d.subjectName}\u3000様`] as [string, string]] : []),
    [t('cases.notice.row.received'), dayText(d.receivedAt)],
    [t('cases.notice.row.decision'), t(`cases.notice.decision.${f.decision}`)],
  ];
  if (d.reason) rows.push([t('cases.notice.row.reason'), d.reason]);
  pdf.keyValue(rows, { keyShare: 0.22, size: 10.5 });

  drawSeals(pdf, f.seals);

  if (f.decision === 'rejected') {
    pdf.heading(t('cases.notice.appeal.heading'), 11);
    for (const key of ['cases.notice.appeal.review', 'cases.notice.appeal.suit', 'cases.notice.appeal.afterReview']) {
      pdf.paragraph(t(key, { town: f.issuer }), { size: 8.5, gapAfter: 3 });
    }
  }

  // How to check it: the address, and the number in full.
  pdf.ensureSpace(84);
  pdf.rule(6);
  pdf.paragraph(t('cases.notice.verify'), { size: 9, gapAfter: 1 });
  pdf.paragraph(d.verifyUrl, { size: 8.5, mono: true, indent: 10, gapAfter: 5 });
  pdf.paragraph(t('cases.notice.hash'), { size: 9, gapAfter: 1 });
  pdf.paragraph(groupedHash(d.hash), { size: 10, mono: true, bold: true, indent: 10, gapAfter: 0 });
  return pdf.save();
}
