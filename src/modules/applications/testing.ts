/** Factories for applications tests and benchmarks: valid data for any definition, families in the register. */
import type { Field, InputField, Procedure } from './definition-schema.js';
import { isGroup } from './definitions.js';
import { isVisible, type FormData } from './form.js';

const TEXT_CANDIDATES = ['テスト', 'テスト タロウ', 'テスト記入', '1234567', '090-1234-5678', '123-4567', '12', 'A1', 'test', '0000000001', '0001', '001', '12345678', '123456'];

function sampleInput(f: InputField): unknown {
  switch (f.type) {
    case 'number':
      return Math.max(f.min ?? 1, Math.min(f.max ?? 1, 1));
    case 'date':
      return '2026-11-01';
    case 'email':
      return 'resident@example.jp';
    case 'tel':
      return '0829-00-1234';
    case 'postal-code':
      return '739-0000';
    case 'select':
    case 'radio':
      return f.options![0]!.value;
    case 'checkbox':
      return true;
    case 'checkboxes':
      return [f.options![0]!.value];
    case 'notice':
      return undefined;
    default: {
      const re = f.pattern ? new RegExp(f.pattern, 'u') : undefined;
      const fits = (s: string) => (!re || re.test(s)) && s.length >= (f.minLength ?? 0) && s.length <= (f.maxLength ?? 200);
      return TEXT_CANDIDATES.find(fits) ?? 'テスト';
    }
  }
}

function fill(fields: readonly Field[], into: FormData, top: FormData, all: boolean): void {
  for (const f of fields) {
    // Links to the register are the register's to give.
    if (f.type === 'notice' || into[f.id] !== undefined || f.prefill === 'member.personId') continue;
    if (!isVisible(f.visibleWhen, into, top)) continue;
    if (!all && !f.required) continue;
    if (isGroup(f)) {
      if (f.repeat) {
        if (f.repeat.min === 0 && !f.required) continue;
        const entry: FormData = {};
        fill(f.fields, entry, top, all);
        into[f.id] = [entry];
      } else {
        const group: FormData = {};
        fill(f.fields, group, top, all);
        into[f.id] = group;
      }
      continue;
    }
    // A checkbox that opens more questions stays off unless it must be ticked.
    if (f.type === 'checkbox' && !f.required) continue;
    into[f.id] = sampleInput(f);
  }
}

/**
 * Valid data for a procedure: what is given (e.g. the pre-fill) kept, the rest filled —
 * required fields only, or every visible field with `all`. Entries of repeatable groups
 * already given are completed too.
 */
export function sampleData(p: Procedure, given: FormData = {}, opts: { all?: boolean } = {}): FormData {
  const data: FormData = structuredClone(given);
  for (const f of p.fields) {
    if (isGroup(f) && f.repeat && Array.isArray(data[f.id])) {
      for (const e of data[f.id] as FormData[]) fill(f.fields, e, data, opts.all ?? false);
    } else if (isGroup(f) && !f.repeat && data[f.id] && typeof data[f.id] === 'object') {
      fill(f.fields, data[f.id] as FormData, data, opts.all ?? false);
    }
  }
  fill(p.fields, data, data, opts.all ?? false);
  return data;
}

/** A tiny valid file of each kind the attachments accept. */
export const SAMPLE_FILES = {
  'application/pdf': Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
  'image/png': Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a40000000049454e44ae426082', 'hex'),
  'image/jpeg': Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex'),
} as const;

/** The no-JavaScript page client, for other modules' page tests. */
export { formFields, pageClient, withValues, multipart, flatten, html, type PageClient, type Fields, type Res } from './page-testing.js';
export { isVisible } from './form.js';
