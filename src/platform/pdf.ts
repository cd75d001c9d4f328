/**
 * A small PDF writer for Japanese documents (receipts, notices): A4, BIZ UDPGothic (a
 * universal-design font with the variant characters of the registry, 髙 﨑 邊 …) embedded
 * as a subset, so a one-page document stays in the tens of kilobytes. The writer flows
 * content down the page from a cursor and starts a new page when it runs out of room.
 * Coordinates are in points, measured from the top-left corner (pdf-lib's are bottom-left).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

export const A4 = { width: 595.28, height: 841.89 } as const;
const MARGIN = 50;
const FOOTER_SIZE = 8;
const INK = rgb(0.1, 0.1, 0.1);
const GREY = rgb(0.45, 0.45, 0.45);
const RULE = rgb(0.7, 0.7, 0.7);

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf',
  bold: '@expo-google-fonts/biz-udpgothic/700Bold/BIZUDPGothic_700Bold.ttf',
} as const;
const fontBytes = new Map<keyof typeof FONT_FILES, Promise<Uint8Array>>();

/** The font files are 4.5 MB each: read once per process, resolved from the package wherever the process started. */
function loadFont(weight: keyof typeof FONT_FILES): Promise<Uint8Array> {
  if (!fontBytes.has(weight)) fontBytes.set(weight, readFile(require.resolve(FONT_FILES[weight])));
  return fontBytes.get(weight)!;
}

type TtfSubsetInternals = { glyf: Uint8Array[]; offset: number; _addGlyph(gid: number): number };
const PATCHED = Symbol.for('yakuba.pdf.evenGlyphRecords');

/**
 * @pdf-lib/fontkit 1.1.1 writes a subset's `loca` in the short format (offsets halved) but
 * copies glyph records unpadded. BIZ UDPGothic has odd-length records, so every glyph after
 * the first odd one is read a byte off and renders blank (pdf-lib#1232; fixed upstream by
 * foliojs/fontkit#191, never in this fork). Padding each record to an even length, as the
 * spec recommends, keeps the short offsets exact. Applied once, to the subsetter's prototype.
 */
let padded = false;
function padGlyphRecords(fontBytes: Uint8Array): void {
  if (padded) return;
  padded = true;
  const proto = Object.getPrototypeOf(fontkit.create(fontBytes).createSubset()) as TtfSubsetInternals & { [PATCHED]?: true };
  if (proto[PATCHED] || typeof proto._addGlyph !== 'function') return;
  const addGlyph = proto._addGlyph;
  proto._addGlyph = function (this: TtfSubsetInternals, gid: number) {
    const id = addGlyph.call(this, gid);
    const last = this.glyf.length - 1;
    const record = this.glyf[last]!;
    if (record.length % 2 === 1) {
      // The bundle checks for its own Buffer polyfill: pad with the record's own class.
      const Bytes = record.constructor as typeof Buffer;
      this.glyf[last] = Bytes.concat([record, Bytes.alloc(1)]);
      this.offset += 1;
    }
    return id;
  };
  proto[PATCHED] = true;
}

export interface PdfInfo {
  title: string;
  subject?: string;
  /** Who issues the document, e.g. the town. */
  author?: string;
  /** BCP 47; default `ja`. */
  lang?: string;
  createdAt?: Date;
  /** The footer line of each page, given its number and the page count. */
  footer?: (page: number, pages: number) => string;
  /** A boxed label at the top right of every page, e.g. 「デモ（架空のデータ）」. */
  mark?: string;
  /** Default `japanese`; `spaces` for やさしい日本語. */
  lineBreaks?: LineBreaks;
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: RGB;
  /** Courier, for strings a reader copies character by character (hashes, codes); ASCII only. */
  mono?: boolean;
}

/** How a shape is drawn: its outline, its fill, or both. */
export interface ShapeStyle {
  borderColor?: RGB;
  borderWidth?: number;
  fill?: RGB;
}

export interface Column {
  /** Share of the content width (the shares of a table add up to 1). */
  share: number;
  align?: 'left' | 'right';
}

export interface PdfWriter {
  readonly contentWidth: number;
  readonly left: number;
  /** The cursor: distance of the next line's top from the page's top edge. */
  y: number;
  /** One line at a position (x from the left edge, y of the line's top from the top edge); no wrapping. */
  textAt(text: string, x: number, y: number, style?: TextStyle & { align?: 'left' | 'right' }): void;
  /** Text wrapped to the content width at the cursor; `\n` starts a new line. */
  paragraph(text: string, style?: TextStyle & { indent?: number; gapAfter?: number }): void;
  heading(text: string, size?: number): void;
  rule(gap?: number): void;
  space(points: number): void;
  /** Labels and values in two columns, a rule under each row. */
  keyValue(rows: readonly (readonly [string, string])[], opts?: { keyShare?: number; size?: number }): void;
  /** Rows of wrapped cells with a header row; the header repeats on a new page. */
  table(columns: readonly Column[], header: readonly string[], rows: readonly (readonly string[])[], opts?: { size?: number }): void;
  /** Starts a new page unless `height` points still fit above the footer. */
  ensureSpace(height: number): void;
  /** A circle on the current page, its centre measured from the top-left corner. */
  circle(cx: number, cy: number, radius: number, style: ShapeStyle): void;
  /** A rectangle on the current page, its top-left corner measured from the page's top-left corner. */
  box(x: number, y: number, width: number, height: number, style: ShapeStyle): void;
  /** A straight line between two points measured from the top-left corner. */
  lineAt(x1: number, y1: number, x2: number, y2: number, style?: { thickness?: number; color?: RGB }): void;
  widthOf(text: string, size: number, bold?: boolean, mono?: boolean): number;
  save(): Promise<Uint8Array>;
}

const lineHeight = (size: number) => size * 1.5;
/** Characters that must not start a line (行頭禁則), kept with the one before. */
const NO_LINE_START = new Set('、。，．,.）」』】〕〉》!?！？：；:;ー…ゃゅょっぁぃぅぇぉャュョッァィゥェォ々');
/** Characters that must not end a line (行末禁則), kept with the one after. */
const NO_LINE_END = new Set('（「『【〔〈《(');

/**
 * How lines may break: `japanese` between any two characters (latin words kept whole, 禁則
 * respected); `spaces` only at spaces, for text written with spaces between words (やさしい日本語).
 */
export type LineBreaks = 'japanese' | 'spaces';

/** Splits text into unbreakable pieces: latin words whole, other characters one by one, 禁則 pairs joined. */
export function segments(text: string, breaks: LineBreaks = 'japanese'): string[] {
  const out: string[] = [];
  const pattern = breaks === 'spaces' ? /\S+|\s/gu : /[\p{Script=Latin}\d@#&%+\-_/.:=~'"$]+|\s|./gsu;
  for (const m of text.matchAll(pattern)) {
    const piece = m[0];
    const prev = out[out.length - 1];
    if (prev !== undefined && (NO_LINE_START.has(piece[0]!) || NO_LINE_END.has(prev[prev.length - 1]!))) {
      out[out.length - 1] = prev + piece;
    } else out.push(piece);
  }
  return out;
}

/** Wraps text to `width` using `measure`; a piece wider than a line is broken the Japanese way, then per character. */
export function wrapText(text: string, width: number, measure: (s: string) => number, breaks: LineBreaks = 'japanese'): string[] {
  const lines: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    let line = '';
    const push = (piece: string, mode: LineBreaks | 'chars') => {
      if (line === '' && /^\s$/.test(piece)) return; // no space at a line start
      if (measure(line + piece) <= width) {
        line += piece;
        return;
      }
      if (line !== '') lines.push(line.trimEnd());
      line = '';
      if (/^\s$/.test(piece)) return;
      if (measure(piece) <= width || mode === 'chars') line = piece;
      else if (mode === 'spaces') for (const sub of segments(piece, 'japanese')) push(sub, 'japanese');
      else for (const ch of piece) push(ch, 'chars');
    };
    for (const piece of segments(para, breaks)) push(piece, breaks);
    lines.push(line.trimEnd());
  }
  return lines;
}

export async function createPdf(info: PdfInfo): Promise<PdfWriter> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const [regularBytes, boldBytes] = await Promise.all([loadFont('regular'), loadFont('bold')]);
  padGlyphRecords(regularBytes);
  const regular = await doc.embedFont(regularBytes, { subset: true });
  const bold = await doc.embedFont(boldBytes, { subset: true });
  const created = info.createdAt ?? new Date();
  doc.setTitle(info.title, { showInWindowTitleBar: true });
  if (info.subject) doc.setSubject(info.subject);
  if (info.author) doc.setAuthor(info.author);
  doc.setCreator('yakuba');
  doc.setProducer('yakuba (pdf-lib)');
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  doc.setLanguage(info.lang ?? 'ja');

  const contentWidth = A4.width - 2 * MARGIN;
  const breaks = info.lineBreaks ?? 'japanese';
  const bottom = A4.height - MARGIN - (info.footer ? lineHeight(FOOTER_SIZE) + 6 : 0);
  let courier: PDFFont | undefined;
  const fontOf = (isBold?: boolean, isMono?: boolean): PDFFont => (isMono ? (courier ??= doc.embedStandardFont(StandardFonts.Courier)) : isBold ? bold : regular);
  const widthOf = (text: string, size: number, isBold?: boolean, isMono?: boolean) => fontOf(isBold, isMono).widthOfTextAtSize(text, size);
  let page: PDFPage = doc.addPage([A4.width, A4.height]);

  /** Draws one line in a box of lineHeight(size) whose top is `top` (the font's ascent is 0.88 em, descent 0.12). */
  function draw(p: PDFPage, text: string, x: number, top: number, style: TextStyle = {}) {
    const size = style.size ?? 10.5;
    const baseline = A4.height - top - (lineHeight(size) - size) / 2 - size * 0.88;
    p.drawText(text, { x, y: baseline, size, font: fontOf(style.bold, style.mono), color: style.color ?? INK });
  }

  function line(x1: number, x2: number, top: number, thickness = 0.5, color = RULE) {
    page.drawLine({ start: { x: x1, y: A4.height - top }, end: { x: x2, y: A4.height - top }, thickness, color });
  }

  const w: PdfWriter = {
    contentWidth,
    left: MARGIN,
    y: MARGIN,
    textAt(text, x, y, style = {}) {
      const dx = style.align === 'right' ? widthOf(text, style.size ?? 10.5, style.bold, style.mono) : 0;
      draw(page, text, x - dx, y, style);
    },
    paragraph(text, style = {}) {
      const size = style.size ?? 10.5;
      const indent = style.indent ?? 0;
      for (const l of wrapText(text, contentWidth - indent, (s) => widthOf(s, size, style.bold, style.mono), breaks)) {
        w.ensureSpace(lineHeight(size));
        draw(page, l, MARGIN + indent, w.y, style);
        w.y += lineHeight(size);
      }
      w.y += style.gapAfter ?? size * 0.5;
    },
    heading(text, size = 13) {
      w.ensureSpace(lineHeight(size) * 3); // keep a heading with what follows
      w.y += size * 0.4;
      w.paragraph(text, { size, bold: true, gapAfter: size * 0.3 });
    },
    rule(gap = 8) {
      w.ensureSpace(gap * 2);
      w.y += gap;
      line(MARGIN, MARGIN + contentWidth, w.y);
      w.y += gap;
    },
    space(points) {
      w.y += points;
    },
    keyValue(rows, opts = {}) {
      const share = opts.keyShare ?? 0.3;
      w.table([{ share }, { share: 1 - share }], [], rows, opts.size === undefined ? {} : { size: opts.size });
    },
    table(columns, header, rows, opts = {}) {
      const size = opts.size ?? 10;
      const pad = 4;
      const widths = columns.map((c) => c.share * contentWidth);
      const drawRow = (cells: readonly string[], isHeader: boolean) => {
        const wrapped = cells.map((c, i) => wrapText(c, widths[i]! - 2 * pad, (s) => widthOf(s, size, isHeader), breaks));
        const height = Math.max(1, ...wrapped.map((l) => l.length)) * lineHeight(size) + 2 * pad;
        if (w.y + height > bottom && w.y > MARGIN) {
          newPage();
          line(MARGIN, MARGIN + contentWidth, w.y, 1, GREY);
          if (!isHeader && header.length > 0) drawRow(header, true);
        }
        let x = MARGIN;
        wrapped.forEach((lines, i) => {
          const col = columns[i]!;
          lines.forEach((l, n) => {
            const lx = col.align === 'right' ? x + widths[i]! - pad - widthOf(l, size, isHeader) : x + pad;
            draw(page, l, lx, w.y + pad + n * lineHeight(size), { size, bold: isHeader || (header.length === 0 && i === 0), color: isHeader ? GREY : INK });
          });
          x += widths[i]!;
        });
        w.y += height;
        line(MARGIN, MARGIN + contentWidth, w.y, isHeader ? 1 : 0.5, isHeader ? GREY : RULE);
      };
      line(MARGIN, MARGIN + contentWidth, w.y, 1, GREY);
      if (header.length > 0) drawRow(header, true);
      for (const r of rows) drawRow(r, false);
      w.y += size;
    },
    ensureSpace(height) {
      if (w.y + height > bottom && w.y > MARGIN) newPage(); // what cannot fit on a fresh page overflows it
    },
    circle(cx, cy, radius, style) {
      page.drawCircle({ x: cx, y: A4.height - cy, size: radius, ...shape(style) });
    },
    box(x, y, width, height, style) {
      page.drawRectangle({ x, y: A4.height - y - height, width, height, ...shape(style) });
    },
    lineAt(x1, y1, x2, y2, style = {}) {
      page.drawLine({ start: { x: x1, y: A4.height - y1 }, end: { x: x2, y: A4.height - y2 }, thickness: style.thickness ?? 0.5, color: style.color ?? INK });
    },
    widthOf,
    async save() {
      const pages = doc.getPages();
      pages.forEach((p, i) => {
        if (info.footer) {
          const text = info.footer(i + 1, pages.length);
          draw(p, text, MARGIN, A4.height - MARGIN - lineHeight(FOOTER_SIZE), { size: FOOTER_SIZE, color: GREY });
        }
        if (info.mark) stampMark(p, info.mark);
      });
      return doc.save({ useObjectStreams: true });
    },
  };

  /** Only the parts given are drawn: a border needs its colour, a fill its own (pdf-lib fills black when given neither). */
  function shape(style: ShapeStyle) {
    return {
      ...(style.fill ? { color: style.fill } : {}),
      ...(style.borderColor ? { borderColor: style.borderColor, borderWidth: style.borderWidth ?? 1 } : {}),
    };
  }

  function newPage() {
    page = doc.addPage([A4.width, A4.height]);
    w.y = MARGIN;
  }

  /** The mark sits in the top margin, so it never covers content. */
  function stampMark(p: PDFPage, text: string) {
    const size = 11;
    const width = widthOf(text, size, true) + 16;
    const x = A4.width - MARGIN - width;
    const top = MARGIN - lineHeight(size) - 12;
    const red = rgb(0.75, 0.1, 0.1);
    p.drawRectangle({ x, y: A4.height - top - lineHeight(size) - 4, width, height: lineHeight(size) + 4, borderColor: red, borderWidth: 1.5 });
    draw(p, text, x + 8, top + 2, { size, bold: true, color: red });
  }

  return w;
}
