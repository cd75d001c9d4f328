/**
 * Printing a visit's forms: one PDF with, for each procedure, the town's own blank form (the
 * PDF its definition names) with the values drawn in the boxes the definition gives, in BIZ
 * UDPGothic (a Japanese UD font, embedded as a subset), choices circled or ticked, and the
 * signature from the tablet scaled into the signature box; or, for a procedure without an
 * official form, the plain layout that says so. Blank forms are read from disk once.
 *
 * The values are written on an overlay drawn with the platform's PDF writer (one A4 page per
 * page of a blank form, scaled when the blank is another size) and laid over the copied page.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PDFDocument, rgb, type PDFImage, type PDFPage } from 'pdf-lib';
import { unprocessable, validationError } from '../../platform/errors.js';
import { A4, createPdf, wrapText, type PdfWriter } from '../../platform/pdf.js';
import type { Procedure } from '../applications/index.js';
import { translator } from '../../platform/i18n.js';
import { eraDate, isEmpty, marks, paperText, renderPlain, valueAt } from './print-plain.js';
import './print-messages.js';

export interface PrintItem {
  procedure: Procedure;
  /** The form data (a draft's or a submitted application's). */
  data: Record<string, unknown>;
  /** Who came to the counter, as registered. */
  applicant: { fullName: string; address: string };
  /** The application's reference number, once submitted. */
  reference?: string;
  /** The signature taken on the tablet, a PNG. */
  signature?: Uint8Array;
}

export interface PrintInput {
  items: readonly PrintItem[];
  /** The procedures folder: blank forms are under its `forms/`. */
  proceduresDir: string;
  townName: string;
  /** The day of printing, YYYY-MM-DD (what `$today` prints, in 和暦). */
  date: string;
  /** Demo installations mark every page 「デモ（架空のデータ）」. */
  demo: boolean;
}

/** A text that did not fit its box even at the smallest size, and was cut short with 「…」. */
export interface PrintOverflow {
  procedure: string;
  value: string;
}

export interface PrintedForms {
  pdf: Uint8Array;
  pages: number;
  overflows: PrintOverflow[];
}

type PaperField = NonNullable<Procedure['paperForm']['fields']>[number];
type Box = { x: number; y: number; width: number; height: number };

const INK = rgb(0.05, 0.05, 0.05);
const RED = rgb(0.75, 0.1, 0.1);
const POINTS_PER_MM = 72 / 25.4;
const DEFAULT_SIZE = 10.5;
const DEFAULT_MIN_SIZE = 7;
const LINE = 1.2; // line spacing of wrapped text, in text sizes
const t = translator('ja'); // printed documents are in Japanese

// ---- blank forms, read once ---------------------------------------------------------------

const templates = new Map<string, Promise<PDFDocument>>();

function blankForm(path: string): Promise<PDFDocument> {
  let doc = templates.get(path);
  if (!doc) {
    doc = readFile(path).then((bytes) => PDFDocument.load(bytes, { updateMetadata: false }));
    templates.set(path, doc);
    doc.catch(() => templates.delete(path)); // a file put right later is read then
  }
  return doc;
}

// ---- what goes in a box -------------------------------------------------------------------

function boxContent(item: PrintItem, f: PaperField, date: string): { text: string } | { marked: boolean } {
  switch (f.value) {
    case '$today':
      return { text: eraDate(date, f.datePart ?? 'full') };
    case '$reference':
      return { text: item.reference ?? '' };
    case '$applicant.fullName':
      return { text: item.applicant.fullName };
    case '$applicant.address':
      return { text: item.applicant.address };
  }
  const { field, value } = valueAt(item.procedure, item.data, f.value);
  if (f.mark !== undefined) return { marked: !!field && marks(value, f.mark) };
  return { text: field && !isEmpty(value) ? paperText(field, value, f.datePart ?? 'full') : '' };
}

/**
 * Text in a box. A box of one or two lines takes the text on one line at the largest size up to
 * `size`, made smaller down to `minSize`, and only then wraps it. A box with room for three lines
 * or more is written like a paragraph: wrapped at the largest size that fits. What does not fit
 * at `minSize` is cut with 「…」 (and reported).
 */
export function fitText(text: string, box: Box, size: number, minSize: number, widthOf: (s: string, size: number) => number): { size: number; lines: string[]; overflow: boolean } {
  const pad = Math.min(1.5, box.width * 0.05);
  const room = box.width - 2 * pad;
  const largest = Math.max(Math.min(size, box.height * 0.85), 1);
  const smallest = Math.min(minSize, largest);
  const steps: number[] = [];
  for (let s = largest; s > smallest; s -= 0.25) steps.push(s);
  steps.push(smallest);
  const wrapped = (s: number) => {
    const lines = wrapText(text, room, (x) => widthOf(x, s));
    return (lines.length - 1) * s * LINE + s <= box.height ? lines : undefined;
  };
  const paragraph = box.height >= largest * (1 + 2 * LINE);
  for (const s of steps) {
    if (!text.includes('\n') && widthOf(text, s) <= room) return { size: s, lines: [text], overflow: false };
    const lines = paragraph ? wrapped(s) : undefined;
    if (lines) return { size: s, lines, overflow: false };
  }
  for (const s of steps) {
    const lines = wrapped(s);
    if (lines) return { size: s, lines, overflow: false };
  }
  const lines = wrapText(text, room, (x) => widthOf(x, smallest));
  const fit = Math.max(1, Math.floor((box.height - smallest) / (smallest * LINE)) + 1);
  if (lines.length <= fit) return { size: smallest, lines, overflow: false };
  const kept = lines.slice(0, fit);
  let last = kept[fit - 1]!;
  while (last && widthOf(`${last}…`, smallest) > room) last = [...last].slice(0, -1).join('');
  kept[fit - 1] = `${last}…`;
  return { size: smallest, lines: kept, overflow: true };
}

/** Draws fitted text: one line centred on the box's height, wrapped lines from its top. */
function drawText(pdf: PdfWriter, text: string, box: Box, f: PaperField, scale: number): boolean {
  const { size, lines, overflow } = fitText(text, box, (f.size ?? DEFAULT_SIZE) / scale, (f.minSize ?? DEFAULT_MIN_SIZE) / scale, (s, n) => pdf.widthOf(s, n));
  const pad = Math.min(1.5, box.width * 0.05);
  const block = (lines.length - 1) * size * LINE + size;
  const top = lines.length === 1 ? box.y + (box.height - size) / 2 : box.y + Math.min(pad, (box.height - block) / 2);
  lines.forEach((line, i) => {
    const width = pdf.widthOf(line, size);
    const x = f.align === 'center' ? box.x + (box.width - width) / 2 : f.align === 'right' ? box.x + box.width - pad - width : box.x + pad;
    // The writer places a line by the top of its line box, a quarter of the size above the glyphs.
    pdf.textAt(line, x, top + i * size * LINE - size * 0.25, { size, color: INK });
  });
  return overflow;
}

/** The demo mark at the page's top right, inside the margin every form leaves. */
function demoMark(pdf: PdfWriter, pageWidth: number, scale: number) {
  const text = t('counter.print.demo');
  const size = 11 / scale;
  const width = pdf.widthOf(text, size, true) + 16 / scale;
  const x = pageWidth - 42 / scale - width;
  pdf.box(x, 20 / scale, width, size * 1.5 + 4 / scale, { borderColor: RED, borderWidth: 1.5 / scale });
  pdf.textAt(text, x + 8 / scale, 22 / scale, { size, bold: true, color: RED });
}

// ---- drawing on the copied pages ----------------------------------------------------------

/** A box given in points from a page's top-left corner, in pdf-lib's coordinates (from the bottom-left of the visible area). */
function onPage(page: PDFPage, b: Box): Box {
  const crop = page.getCropBox();
  return { x: crop.x + b.x, y: crop.y + crop.height - b.y - b.height, width: b.width, height: b.height };
}

const mmBox = (f: { x: number; y: number; width: number; height: number }): Box => ({ x: f.x * POINTS_PER_MM, y: f.y * POINTS_PER_MM, width: f.width * POINTS_PER_MM, height: f.height * POINTS_PER_MM });

function drawMark(page: PDFPage, f: PaperField) {
  const b = onPage(page, mmBox(f));
  if (f.markStyle === 'tick') {
    const at = (u: number, v: number) => ({ x: b.x + u * b.width, y: b.y + (1 - v) * b.height });
    const thickness = Math.max(1, Math.min(b.width, b.height) * 0.14);
    page.drawLine({ start: at(0.12, 0.5), end: at(0.4, 0.82), thickness, color: INK });
    page.drawLine({ start: at(0.4, 0.82), end: at(0.92, 0.1), thickness, color: INK });
    return;
  }
  page.drawEllipse({ x: b.x + b.width / 2, y: b.y + b.height / 2, xScale: b.width / 2, yScale: b.height / 2, borderColor: INK, borderWidth: 1.1 });
}

async function signatureImage(out: PDFDocument, png: Uint8Array, cache: Map<Uint8Array, PDFImage>): Promise<PDFImage> {
  const known = cache.get(png);
  if (known) return known;
  const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const problem = () => validationError('the signature is not a PNG image', [{ field: 'signature', message: 'must be a PNG image' }]);
  if (!PNG.every((byte, i) => png[i] === byte)) throw problem();
  let image: PDFImage;
  try {
    image = await out.embedPng(png);
  } catch {
    throw problem();
  }
  cache.set(png, image);
  return image;
}

/** The signature scaled to fit the box, keeping its proportions, centred. */
function drawSignature(page: PDFPage, image: PDFImage, box: Box) {
  const b = onPage(page, box);
  const scale = Math.min(b.width / image.width, b.height / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  page.drawImage(image, { x: b.x + (b.width - width) / 2, y: b.y + (b.height - height) / 2, width, height });
}

// ---- the visit's PDF ----------------------------------------------------------------------

type Planned =
  | { kind: 'form'; item: PrintItem; blank: PDFDocument; overlay: number }
  | { kind: 'plain'; item: PrintItem; bytes: Uint8Array; signature: Box };

export async function printForms(input: PrintInput): Promise<PrintedForms> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date) || Number.isNaN(Date.parse(`${input.date}T00:00:00Z`))) throw validationError('the date must be YYYY-MM-DD', [{ field: 'date', message: 'must be YYYY-MM-DD' }]);
  if (input.items.length === 0) throw validationError('there is nothing to print', [{ field: 'items', message: 'must not be empty' }]);
  const formsDir = join(resolve(input.proceduresDir), 'forms');
  const overflows: PrintOverflow[] = [];
  const planned: Planned[] = [];
  let overlay: PdfWriter | undefined;
  let overlayPages = 0;

  for (const item of input.items) {
    const form = item.procedure.paperForm;
    if (!form.file) {
      const plain = await renderPlain(item, input);
      planned.push({ kind: 'plain', item, bytes: plain.bytes, signature: plain.signature });
      continue;
    }
    const blank = await blankForm(join(formsDir, form.file)).catch(() => {
      throw unprocessable(`the blank form ${form.file} of ${item.procedure.code} cannot be read`, { procedure: item.procedure.code, file: form.file });
    });
    overlay ??= await createPdf({ title: form.title, lang: 'ja' });
    planned.push({ kind: 'form', item, blank, overlay: overlayPages });
    blank.getPages().forEach((page, i) => {
      if (overlayPages > 0) {
        overlay!.y = A4.height; // past the bottom: the writer starts the next page
        overlay!.ensureSpace(1);
      }
      overlayPages += 1;
      const crop = page.getCropBox();
      const scale = Math.max(crop.width / A4.width, crop.height / A4.height);
      if (input.demo) demoMark(overlay!, crop.width / scale, scale);
      for (const f of form.fields ?? []) {
        if (f.page !== i + 1 || f.mark !== undefined) continue;
        const content = boxContent(item, f, input.date);
        if (!('text' in content) || content.text === '') continue;
        const b = mmBox(f);
        const box = { x: b.x / scale, y: b.y / scale, width: b.width / scale, height: b.height / scale };
        if (drawText(overlay!, content.text, box, f, scale)) overflows.push({ procedure: item.procedure.code, value: f.value });
      }
    });
  }

  const out = await PDFDocument.create();
  const titles = [...new Set(input.items.map((i) => i.procedure.paperForm.title))];
  out.setTitle(t('counter.print.title'), { showInWindowTitleBar: true });
  out.setSubject(titles.join('、'));
  out.setAuthor(input.townName);
  out.setCreator('yakuba');
  out.setProducer('yakuba (pdf-lib)');
  out.setLanguage('ja');
  out.setCreationDate(new Date());
  const overlays = overlay ? await out.embedPdf(await overlay.save(), [...Array(overlayPages).keys()]) : [];
  const images = new Map<Uint8Array, PDFImage>();

  for (const plan of planned) {
    const { item } = plan;
    const image = item.signature ? await signatureImage(out, item.signature, images) : undefined;
    if (plan.kind === 'plain') {
      const source = await PDFDocument.load(plan.bytes);
      const pages = await out.copyPages(source, source.getPageIndices());
      pages.forEach((page) => out.addPage(page));
      if (image) drawSignature(pages[pages.length - 1]!, image, plan.signature);
      continue;
    }
    const form = item.procedure.paperForm;
    const pages = await out.copyPages(plan.blank, plan.blank.getPageIndices());
    pages.forEach((page, i) => {
      out.addPage(page);
      const crop = page.getCropBox();
      const scale = Math.max(crop.width / A4.width, crop.height / A4.height);
      page.drawPage(overlays[plan.overlay + i]!, { x: crop.x, y: crop.y + crop.height - A4.height * scale, xScale: scale, yScale: scale });
      for (const f of form.fields ?? []) {
        if (f.page !== i + 1 || f.mark === undefined) continue;
        const content = boxContent(item, f, input.date);
        if ('marked' in content && content.marked) drawMark(page, f);
      }
      if (image && form.signature?.page === i + 1) drawSignature(page, image, mmBox(form.signature));
    });
  }
  const pdf = await out.save({ useObjectStreams: true });
  return { pdf, pages: out.getPageCount(), overflows };
}
