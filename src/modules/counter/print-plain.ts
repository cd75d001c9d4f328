/**
 * How a form's value reads on paper (和暦 dates, option labels, はい/いいえ), shared by both
 * layouts, and the plain layout printed for a procedure the town has no official form for:
 * the title, the answers in a table, a signature box, and on every page the sentence saying
 * that the town has no official layout and this one was generated.
 */
import { rgb } from 'pdf-lib';
import { createPdf } from '../../platform/pdf.js';
import { translator } from '../../platform/i18n.js';
import type { Procedure } from '../applications/index.js';
import './print-messages.js';

type Field = Procedure['fields'][number];
export type GroupField = Extract<Field, { type: 'group' }>;
export type InputField = Exclude<Field, { type: 'group' }>;
type Condition = NonNullable<Field['visibleWhen']>;
type Data = Record<string, unknown>;
export type DatePart = 'full' | 'full-western' | 'era' | 'year' | 'month' | 'day';

/** Printed documents are administrative documents: in Japanese. */
const t = translator('ja');

const eraParts = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'UTC' });
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date in 和暦 as forms write it: 令和6年4月1日, 令和元年5月1日, or one part of it. Anything not a date is returned as it is. */
export function eraDate(iso: string, part: DatePart = 'full'): string {
  const m = ISO_DATE.exec(iso);
  const date = m ? new Date(`${iso}T00:00:00Z`) : undefined;
  if (!m || !date || Number.isNaN(date.getTime())) return iso;
  const of = (type: Intl.DateTimeFormatPartTypes) => eraParts.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  const year = of('year') === '1' ? '元' : of('year');
  const [era, month, day] = [of('era'), String(Number(m[2])), String(Number(m[3]))];
  switch (part) {
    case 'era':
      return era;
    case 'year':
      return year;
    case 'month':
      return month;
    case 'day':
      return day;
    case 'full-western':
      return `${era}${year}年（${m[1]}年）${month}月${day}日`;
    default:
      return `${era}${year}年${month}月${day}日`;
  }
}

const isRecord = (v: unknown): v is Data => !!v && typeof v === 'object' && !Array.isArray(v);
export const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Whether a field's condition holds: the same rule the form applies (a sibling in the group first, else a top-level field). */
function shown(c: Condition | undefined, scope: Data, top: Data): boolean {
  if (!c) return true;
  const value = c.field in scope ? scope[c.field] : top[c.field];
  if (c.in) return c.in.some((v) => String(v) === String(value));
  if (typeof c.equals === 'boolean') return (value === true || value === 'true') === c.equals;
  return String(value) === String(c.equals);
}

/**
 * The field a pointer names (`/a`, `/group/b`, `/repeatable/0/b`) and its value in the data;
 * a field hidden by its condition (a draft keeps what was typed before) has no value.
 */
export function valueAt(p: Procedure, data: Data, pointer: string): { field?: InputField; value?: unknown } {
  const [a, b, c] = pointer.split('/').slice(1);
  const top = p.fields.find((f) => f.id === a);
  if (!top || !shown(top.visibleWhen, data, data)) return {};
  if (top.type !== 'group') return { field: top, value: data[top.id] };
  const raw = data[top.id];
  const scope = top.repeat ? (Array.isArray(raw) ? raw[Number(b)] : undefined) : raw;
  const inner = top.fields.find((f) => f.id === (top.repeat ? c : b));
  if (!inner || !isRecord(scope)) return inner ? { field: inner } : {};
  return shown(inner.visibleWhen, scope, data) ? { field: inner, value: scope[inner.id] } : { field: inner };
}

/** Whether a choice holds the marked value: the option chosen, among those ticked, or the checkbox's state. */
export function marks(value: unknown, mark: string | boolean): boolean {
  if (typeof mark === 'boolean') return (value === true || value === 'true') === mark && value !== undefined;
  return Array.isArray(value) ? value.map(String).includes(mark) : String(value) === mark && value !== undefined;
}

/** A value as the paper shows it; empty when there is nothing to write. */
export function paperText(f: InputField, v: unknown, datePart: DatePart = 'full'): string {
  if (f.type === 'checkbox') return v === true ? t('counter.print.yes') : v === false ? t('counter.print.no') : '';
  if (isEmpty(v)) return '';
  const label = (x: unknown) => f.options?.find((o) => o.value === String(x))?.label.ja ?? String(x);
  if (f.type === 'select' || f.type === 'radio') return label(v);
  if (f.type === 'checkboxes') return (Array.isArray(v) ? v : [v]).map(label).join('、');
  if (f.type === 'date' && typeof v === 'string') return eraDate(v, datePart);
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

export interface PlainItem {
  procedure: Procedure;
  data: Data;
  applicant: { fullName: string; address: string };
  reference?: string;
}

/** Where the signature goes on the plain layout's last page, in points from the top-left corner. */
export interface PlainPdf {
  bytes: Uint8Array;
  signature: { x: number; y: number; width: number; height: number };
}

/** The rows of the answers: one table of the top-level answers in order, a titled table per group (per entry of a repeatable one). */
function sections(p: Procedure, data: Data): { title?: string; rows: [string, string][] }[] {
  const out: { title?: string; rows: [string, string][] }[] = [];
  const loose = (): [string, string][] => {
    const last = out[out.length - 1];
    if (last && last.title === undefined) return last.rows;
    out.push({ rows: [] });
    return out[out.length - 1]!.rows;
  };
  const rowsOf = (g: GroupField, scope: Data): [string, string][] =>
    g.fields
      .filter((f) => f.type !== 'notice' && f.prefill !== 'member.personId' && shown(f.visibleWhen, scope, data))
      .map((f): [string, string] => [f.label.ja, paperText(f, scope[f.id], 'full-western')])
      .filter(([, text]) => text !== '');
  for (const f of p.fields) {
    if (f.type === 'notice' || !shown(f.visibleWhen, data, data)) continue;
    if (f.type !== 'group') {
      const text = paperText(f, data[f.id], 'full-western');
      if (text) loose().push([f.label.ja, text]);
      continue;
    }
    const raw = data[f.id];
    const entries = f.repeat ? (Array.isArray(raw) ? raw.filter(isRecord) : []) : isRecord(raw) ? [raw] : [];
    entries.forEach((entry, i) => {
      const rows = rowsOf(f, entry);
      if (rows.length) out.push({ title: f.repeat ? t('counter.print.entry', { group: f.label.ja, n: i + 1 }) : f.label.ja, rows });
    });
  }
  return out;
}

const FRAME = rgb(0.35, 0.35, 0.35);

/** The plain layout of one procedure, as a PDF of its own (A4, BIZ UDPGothic subset). */
export async function renderPlain(item: PlainItem, opts: { townName: string; date: string; demo: boolean }): Promise<PlainPdf> {
  const p = item.procedure;
  const title = p.paperForm.title;
  const town = opts.townName;
  const pdf = await createPdf({
    title,
    subject: p.names.ja,
    author: town,
    lang: 'ja',
    footer: (page, pages) => t('counter.print.footer', { town, title, page, pages }),
    ...(opts.demo ? { mark: t('counter.print.demo') } : {}),
  });
  const right = pdf.left + pdf.contentWidth;
  pdf.textAt(title, pdf.left + (pdf.contentWidth - pdf.widthOf(title, 17, true)) / 2, pdf.y, { size: 17, bold: true });
  pdf.space(17 * 1.5 + 8);
  pdf.textAt(eraDate(opts.date, 'full-western'), right, pdf.y, { align: 'right' });
  pdf.textAt(t('counter.print.addressee', { town }), pdf.left, pdf.y, { size: 11 });
  pdf.space(11 * 1.5 + 10);

  // The sentence saying there is no official form, framed so nobody takes this page for one.
  const top = pdf.y;
  pdf.space(6);
  pdf.paragraph(t('counter.print.noOfficialLayout', { town }), { size: 9.5, indent: 8, gapAfter: 2 });
  pdf.box(pdf.left, top, pdf.contentWidth, pdf.y - top + 4, { borderColor: FRAME, borderWidth: 1 });
  pdf.space(14);

  const head: [string, string][] = [];
  if (item.reference) head.push([t('counter.print.reference'), item.reference]);
  head.push([t('counter.print.name'), item.applicant.fullName], [t('counter.print.address'), item.applicant.address]);
  pdf.heading(t('counter.print.applicant'), 11.5);
  pdf.keyValue(head, { keyShare: 0.32 });
  pdf.heading(t('counter.print.contents'), 11.5);
  for (const s of sections(p, item.data)) {
    if (s.title) pdf.paragraph(s.title, { size: 10, bold: true, gapAfter: 3 });
    pdf.keyValue(s.rows, { keyShare: 0.32 });
  }

  const height = 62;
  pdf.ensureSpace(height + 40);
  pdf.space(6);
  pdf.paragraph(t('counter.print.confirm'), { size: 10.5, gapAfter: 8 });
  const labelWidth = 56;
  const boxWidth = 250;
  const x = right - boxWidth - labelWidth;
  pdf.box(x, pdf.y, labelWidth, height, { borderColor: FRAME, fill: rgb(0.92, 0.93, 0.95) });
  pdf.textAt(t('counter.print.signature'), x + (labelWidth - pdf.widthOf(t('counter.print.signature'), 10)) / 2, pdf.y + height / 2 - 7.5, { size: 10 });
  pdf.box(x + labelWidth, pdf.y, boxWidth, height, { borderColor: FRAME });
  const signature = { x: x + labelWidth + 2, y: pdf.y + 2, width: boxWidth - 4, height: height - 4 };
  pdf.space(height);
  return { bytes: await pdf.save(), signature };
}
