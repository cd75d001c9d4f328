/**
 * Reading a printed PDF back as a person would see it, for tests: the words with their boxes
 * (`pdftotext -bbox`) and the pixels of a page (`pdftoppm`). Needs poppler-utils.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Procedure } from '../applications/index.js';

export const hasPoppler = ['pdftotext', 'pdftoppm'].every((tool) => !spawnSync(tool, ['-v']).error);
if (!hasPoppler && process.env.YAKUBA_REQUIRE_BROWSER) throw new Error('print tests need poppler-utils (pdftotext, pdftoppm): apt-get install poppler-utils');

/** Points per millimetre (definitions place boxes in mm). */
export const PT = 72 / 25.4;
let dir: string | undefined;
let n = 0;

function file(bytes: Uint8Array): string {
  dir ??= mkdtempSync(join(tmpdir(), 'yakuba-pdf-'));
  const path = join(dir, `${(n += 1)}.pdf`);
  writeFileSync(path, bytes);
  return path;
}

function run(tool: string, args: string[]): string {
  const out = spawnSync(tool, args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${tool} failed: ${out.stderr}`);
  return out.stdout;
}

export type Word = { text: string; xMin: number; yMin: number; xMax: number; yMax: number };

/** The words of one page with their boxes in points from the top-left (`pdftotext -bbox`). */
export function pdfWords(bytes: Uint8Array, page: number): Word[] {
  const out = run('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', file(bytes), '-']);
  return [...out.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[5]!, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]),
  }));
}

/** The text of a page (or all pages). */
export function pdfText(bytes: Uint8Array, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return run('pdftotext', [...range, '-enc', 'UTF-8', file(bytes), '-']);
}

type Pixel = { r: number; g: number; b: number };
type Box = { x: number; y: number; width: number; height: number };

/** One page as pixels (`pdftoppm -png`, kept at `<path>.png`), and ways to ask about the pixels inside a box given in points. */
export function renderPage(bytes: Uint8Array, page: number, dpi: number) {
  const prefix = file(bytes).replace(/\.pdf$/, `-p${page}`);
  run('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', '-png', file(bytes), prefix]);
  const path = `${prefix}.png`;
  const png = PNG.sync.read(readFileSync(path));
  const px = (points: number) => (points * dpi) / 72;
  const pixel = (x: number, y: number): Pixel => {
    const i = (Math.round(y) * png.width + Math.round(x)) * 4;
    return { r: png.data[i]!, g: png.data[i + 1]!, b: png.data[i + 2]! };
  };
  const dark = (p: Pixel) => p.r + p.g + p.b < 300;
  const blue = (p: Pixel) => p.b > 150 && p.r < 120 && p.g < 140;
  const count = (box: Box, test: (p: Pixel) => boolean, inset = 1) => {
    let c = 0;
    for (let y = Math.ceil(px(box.y)) + inset; y < Math.floor(px(box.y + box.height)) - inset; y++) for (let x = Math.ceil(px(box.x)) + inset; x < Math.floor(px(box.x + box.width)) - inset; x++) if (test(pixel(x, y))) c += 1;
    return c;
  };
  const all = (test: (p: Pixel) => boolean) => {
    const found: { x: number; y: number }[] = [];
    for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) if (test(pixel(x, y))) found.push({ x: (x * 72) / dpi, y: (y * 72) / dpi });
    return found;
  };
  /** Share of points on the ellipse inscribed in a box that have ink within a pixel: a ○ drawn around the box. */
  const ring = (box: Box) => {
    const angles = [0, 10, 350, 170, 180, 190, 90, 270];
    const inked = angles.filter((a) => {
      const cx = px(box.x + box.width / 2 + (box.width / 2) * Math.cos((a * Math.PI) / 180));
      const cy = px(box.y + box.height / 2 + (box.height / 2) * Math.sin((a * Math.PI) / 180));
      return [-1, 0, 1].some((dx) => [-1, 0, 1].some((dy) => dark(pixel(cx + dx, cy + dy))));
    });
    return inked.length / angles.length;
  };
  return { path, count, all, ring, dark, blue };
}

/** The box of a value on a procedure's blank form, in points from the top-left. */
export function boxOf(p: Procedure, value: string, mark?: string | boolean) {
  const f = p.paperForm.fields!.find((x) => x.value === value && (mark === undefined || x.mark === mark))!;
  return { page: f.page, x: f.x * PT, y: f.y * PT, width: f.width * PT, height: f.height * PT };
}

/** Whether a word lies inside a box (half a point of slack). */
export const inBox = (w: Word, box: Box): boolean => w.xMin >= box.x - 0.5 && w.xMax <= box.x + box.width + 0.5 && w.yMin >= box.y - 0.5 && w.yMax <= box.y + box.height + 0.5;
