/**
 * The definition check of the official paper forms (`paperForm` of a procedure): the blank
 * PDF a definition names is there and readable, every box sits on a page the PDF has and
 * inside it, and every value names a field of the definition that can be printed the way
 * the box asks (a mark for a choice, a part of a date). Run at server start and by
 * `yakuba procedures check`, so a broken layout is named before anyone prints it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { PAPER_SPECIALS, type Field, type GroupField, type InputField, type PaperFormField, type Procedure } from './definition-schema.js';
import { DefinitionError, type Catalog } from './definitions.js';

export interface PaperFormProblem {
  /** The procedure's code. */
  procedure: string;
  /** The definition file, as `DefinitionError` names it (e.g. `procedures/residence-certificate-request.yaml`). */
  file: string;
  /** Where in the definition: `/paperForm/file`, `/paperForm/fields/3/value`, `/paperForm/signature`. */
  path: string;
  /** What is wrong, in words a developer acts on. */
  problem: string;
}

/** A page of a blank form in millimetres. */
export interface PageSize {
  width: number;
  height: number;
}

const MM_PER_POINT = 25.4 / 72;
const EPSILON = 0.01; // mm: a box may touch the page's edge
const OPTION_TYPES = new Set(['select', 'radio', 'checkboxes']);

/** The visible pages (crop box) of a PDF in millimetres; throws when pdf-lib cannot read it or a page is turned. */
export async function pageSizes(path: string): Promise<PageSize[]> {
  const doc = await PDFDocument.load(await readFile(path), { updateMetadata: false });
  return doc.getPages().map((page, i) => {
    const angle = page.getRotation().angle % 360;
    if (angle !== 0) throw new Error(`page ${i + 1} is turned by /Rotate ${angle}; save the form upright`);
    const box = page.getCropBox();
    return { width: box.width * MM_PER_POINT, height: box.height * MM_PER_POINT };
  });
}

/** The field a value pointer names: `/a`, `/group/b`, `/repeatable/0/b`. */
export function paperFieldAt(p: Procedure, pointer: string): { field?: InputField; group?: GroupField; index?: number; problem?: string } {
  const parts = pointer.split('/').slice(1);
  const top = p.fields.find((f) => f.id === parts[0]);
  if (!top) return { problem: `"${pointer}" names no field of the definition` };
  if (top.type !== 'group') {
    if (parts.length > 1) return { problem: `"${pointer}": "${top.id}" is not a group` };
    return leaf(top, pointer);
  }
  const group = top;
  const repeat = group.repeat;
  const index = repeat ? Number(parts[1]) : undefined;
  const example = (group.fields.find((f) => f.type !== 'notice' && f.prefill !== 'member.personId') ?? group.fields[0]!).id;
  if (repeat && (parts.length !== 3 || !Number.isInteger(index))) return { problem: `"${pointer}": "${group.id}" repeats; name an entry by index, e.g. /${group.id}/0/${example}` };
  if (!repeat && parts.length !== 2) return { problem: `"${pointer}" is a group; name one of its fields, e.g. /${group.id}/${example}` };
  if (repeat && index! >= repeat.max) return { problem: `"${pointer}": "${group.id}" holds at most ${repeat.max} entries (the first is 0)` };
  const inner = group.fields.find((f) => f.id === parts[parts.length - 1]);
  if (!inner) return { problem: `"${pointer}" names no field of the definition` };
  const found = leaf(inner, pointer);
  return { ...found, group, ...(index === undefined ? {} : { index }) };
}

function leaf(f: Field, pointer: string): { field?: InputField; problem?: string } {
  if (f.type === 'group') return { problem: `"${pointer}" is a group; name one of its fields` };
  if (f.type === 'notice') return { problem: `"${pointer}" is a notice, which takes no value` };
  return { field: f };
}

/** Problems of one box's value, independent of the PDF. */
function valueProblems(p: Procedure, f: PaperFormField): string[] {
  const out: string[] = [];
  if (f.size !== undefined && f.minSize !== undefined && f.minSize > f.size) out.push('minSize is larger than size');
  if ((PAPER_SPECIALS as readonly string[]).includes(f.value)) {
    if (f.mark !== undefined) out.push(`${f.value} is text; a mark needs a choice field`);
    if (f.datePart !== undefined && f.value !== '$today') out.push(`${f.value} is not a date`);
    return out;
  }
  const { field, problem } = paperFieldAt(p, f.value);
  if (problem || !field) return [...out, problem ?? `"${f.value}" names no field`];
  if (f.datePart !== undefined && field.type !== 'date') out.push(`"${f.value}" is a ${field.type} field, not a date`);
  if (f.mark !== undefined) {
    if (field.type === 'checkbox') {
      if (typeof f.mark !== 'boolean') out.push(`"${f.value}" is a checkbox: mark it with true or false`);
    } else if (OPTION_TYPES.has(field.type)) {
      if (typeof f.mark !== 'string' || !field.options?.some((o) => o.value === f.mark)) out.push(`"${String(f.mark)}" is not an option of "${f.value}"`);
    } else out.push(`"${f.value}" is a ${field.type} field; only choices (select, radio, checkbox, checkboxes) are marked`);
  }
  return out;
}

type Box = { page: number; x: number; y: number; width: number; height: number };

function boxProblem(box: Box, pages: readonly PageSize[], file: string): string | undefined {
  const size = pages[box.page - 1];
  if (!size) return `page ${box.page} is beyond the ${pages.length} page${pages.length === 1 ? '' : 's'} of ${file}`;
  const right = box.x + box.width;
  const bottom = box.y + box.height;
  if (right > size.width + EPSILON || bottom > size.height + EPSILON) {
    const mm = (n: number) => Math.round(n * 10) / 10;
    return `the box (x ${mm(box.x)}–${mm(right)} mm, y ${mm(box.y)}–${mm(bottom)} mm) falls off page ${box.page} of ${file} (${mm(size.width)} × ${mm(size.height)} mm)`;
  }
  return undefined;
}

/** The definition file's name as `loadDefinitions` reports it. */
function definitionLabel(proceduresDir: string, code: string): string {
  const yml = join(proceduresDir, `${code}.yml`);
  return relative(join(proceduresDir, '..'), existsSync(yml) ? yml : join(proceduresDir, `${code}.yaml`));
}

/** Checks one procedure's paper form against its blank PDF (read from `formsDir`). */
export async function checkPaperForm(p: Procedure, formsDir: string, file: string): Promise<PaperFormProblem[]> {
  const problems: PaperFormProblem[] = [];
  const add = (path: string, problem: string) => problems.push({ procedure: p.code, file, path, problem });
  const form = p.paperForm;
  (form.fields ?? []).forEach((f, i) => {
    for (const problem of valueProblems(p, f)) add(`/paperForm/fields/${i}`, problem);
  });
  if (!form.file) {
    if (form.fields?.length) add('/paperForm/fields', 'positions need the blank form they are on: give `file`');
    if (form.signature) add('/paperForm/signature', 'a signature box needs the blank form it is on: give `file`');
    return problems;
  }
  const path = join(formsDir, form.file);
  if (!existsSync(path)) {
    add('/paperForm/file', `no file ${form.file} in ${formsDir}`);
    return problems;
  }
  let pages: PageSize[];
  try {
    pages = await pageSizes(path);
  } catch (e) {
    add('/paperForm/file', `${form.file} cannot be read as a PDF (${(e as Error).message.split('\n')[0]})`);
    return problems;
  }
  if (pages.length === 0) add('/paperForm/file', `${form.file} has no pages`);
  (form.fields ?? []).forEach((f, i) => {
    const problem = boxProblem(f, pages, form.file!);
    if (problem) add(`/paperForm/fields/${i}`, `${f.value}: ${problem}`);
  });
  if (form.signature) {
    const problem = boxProblem(form.signature, pages, form.file);
    if (problem) add('/paperForm/signature', problem);
  }
  return problems;
}

/**
 * Every problem of every procedure's paper form, in catalogue order: a missing or unreadable
 * blank form, a page the PDF does not have, a box off its page, a value naming no field.
 */
export async function checkPaperForms(catalog: Catalog, proceduresDir: string): Promise<PaperFormProblem[]> {
  const formsDir = join(proceduresDir, 'forms');
  const out: PaperFormProblem[] = [];
  for (const p of catalog.procedures.values()) out.push(...(await checkPaperForm(p, formsDir, definitionLabel(proceduresDir, p.code))));
  return out;
}

/** The first problem as the `DefinitionError` the server stops with (naming file and field), saying how many more there are. */
export function paperFormError(problems: readonly PaperFormProblem[]): DefinitionError | undefined {
  const first = problems[0];
  if (!first) return undefined;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more paper-form problem${problems.length === 2 ? '' : 's'})` : '';
  return new DefinitionError(first.file, first.path, `${first.problem}${more}`);
}

/** Throws the `DefinitionError` of the first problem, if there is one. */
export async function assertPaperForms(catalog: Catalog, proceduresDir: string): Promise<void> {
  const error = paperFormError(await checkPaperForms(catalog, proceduresDir));
  if (error) throw error;
}
