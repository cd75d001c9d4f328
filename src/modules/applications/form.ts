/**
 * A procedure's form: the JSON Schema its data must meet (generated from the definition,
 * published in the API and used to validate, so there is one validator), the clean-up a
 * typed value gets first (full-width digits, spaces, hidden fields), and the issues a
 * resident reads, each naming the field in plain words.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Locale, Translate } from '../../platform/i18n.js';
import type { Condition, Field, GroupField, InputField, Procedure, Text } from './definition-schema.js';
import { isGroup } from './definitions.js';

export type FormData = Record<string, unknown>;
export type JsonSchema = Record<string, unknown>;

export interface FormIssue {
  /** JSON pointer into the data, e.g. `/children/1/birthDate`. */
  path: string;
  code: 'required' | 'type' | 'pattern' | 'minLength' | 'maxLength' | 'min' | 'max' | 'option' | 'date' | 'email' | 'repeatMin' | 'repeatMax' | 'unknown';
  limit?: number;
}

const DEFAULT_PATTERNS: Partial<Record<InputField['type'], string>> = {
  tel: '^0[0-9]{1,4}-?[0-9]{1,4}-?[0-9]{3,4}$',
  'postal-code': '^[0-9]{3}-?[0-9]{4}$',
};
const DEFAULT_MAX: Partial<Record<InputField['type'], number>> = { text: 200, textarea: 4000, tel: 20, email: 254, 'postal-code': 8 };
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

export const takesInput = (f: Field): boolean => f.type !== 'notice';

function constOf(target: Field | undefined, v: string | number | boolean): unknown {
  if (target?.type === 'checkbox') return v === true || v === 'true';
  if (target?.type === 'number') return Number(v);
  return String(v);
}

function conditionSchema(c: Condition, target: Field | undefined): JsonSchema {
  const test = c.in ? { enum: c.in.map((v) => constOf(target, v)) } : { const: constOf(target, c.equals!) };
  return { properties: { [c.field]: test }, required: [c.field] };
}

function inputSchema(f: InputField): JsonSchema {
  switch (f.type) {
    case 'number':
      return { type: 'integer', ...(f.min !== undefined ? { minimum: f.min } : {}), ...(f.max !== undefined ? { maximum: f.max } : {}) };
    case 'checkbox':
      return f.required ? { type: 'boolean', const: true } : { type: 'boolean' };
    case 'checkboxes':
      return { type: 'array', uniqueItems: true, items: { enum: f.options!.map((o) => o.value) }, ...(f.required ? { minItems: 1 } : {}) };
    case 'select':
    case 'radio':
      return { type: 'string', enum: f.options!.map((o) => o.value) };
    case 'date':
      return { type: 'string', format: 'date' };
    default: {
      const pattern = f.pattern ?? DEFAULT_PATTERNS[f.type];
      return {
        type: 'string',
        minLength: Math.max(f.minLength ?? 0, 1),
        maxLength: f.maxLength ?? DEFAULT_MAX[f.type] ?? 200,
        ...(pattern ? { pattern } : {}),
        ...(f.type === 'email' ? { format: 'email' } : {}),
      };
    }
  }
}

/** The object schema of a list of fields; conditions on top-level fields go to `top`. */
function objectSchema(fields: readonly Field[], top: JsonSchema[] | undefined, container: GroupField | undefined, topFields: readonly Field[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const allOf: JsonSchema[] = [];
  const byId = new Map(fields.map((f) => [f.id, f]));
  for (const f of fields) {
    if (!takesInput(f)) continue;
    properties[f.id] = isGroup(f) ? groupSchema(f, allOf, topFields) : inputSchema(f);
    if (!f.required) continue;
    if (!f.visibleWhen) {
      required.push(f.id);
    } else if (byId.has(f.visibleWhen.field)) {
      allOf.push({ if: conditionSchema(f.visibleWhen, byId.get(f.visibleWhen.field)), then: { required: [f.id] } });
    } else if (top && container) {
      const need = container.repeat ? { items: { required: [f.id] } } : { required: [f.id] };
      const target = topFields.find((t) => t.id === f.visibleWhen!.field);
      top.push({ if: conditionSchema(f.visibleWhen, target), then: { properties: { [container.id]: need } } });
    }
  }
  if (container?.members) properties.personId = { type: 'string', pattern: UUID };
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}), ...(allOf.length ? { allOf } : {}) };
}

function groupSchema(g: GroupField, top: JsonSchema[], topFields: readonly Field[]): JsonSchema {
  const item = objectSchema(g.fields, top, g, topFields);
  if (!g.repeat) return item;
  return { type: 'array', minItems: g.required ? Math.max(g.repeat.min, 1) : g.repeat.min, maxItems: g.repeat.max, items: item };
}

/** The JSON Schema (2020-12) of a procedure's data. */
export function toJsonSchema(p: Procedure): JsonSchema {
  const top: JsonSchema[] = [];
  const schema = objectSchema(p.fields, top, undefined, p.fields);
  const allOf = [...((schema.allOf as JsonSchema[] | undefined) ?? []), ...top];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:yakuba:procedure:${p.code}:v${p.version}`,
    title: p.names.ja,
    ...schema,
    ...(allOf.length ? { allOf } : {}),
  };
}

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const compiled = new WeakMap<Procedure, ValidateFunction>();

function validatorFor(p: Procedure): ValidateFunction {
  let v = compiled.get(p);
  if (!v) {
    // Without $id: each server in a process loads its own catalogue into the one Ajv.
    const { $schema: _schema, $id: _id, ...schema } = toJsonSchema(p);
    v = ajv.compile(schema);
    compiled.set(p, v);
  }
  return v;
}

// ---- clean-up before validation -----------------------------------------------------------

const FULL_WIDTH = /[０-９－ー―‐（）＋＠．]/g;
const ASCII_OF: Record<string, string> = { '－': '-', 'ー': '-', '―': '-', '‐': '-', '（': '(', '）': ')', '＋': '+', '＠': '@', '．': '.' };
const toAscii = (s: string) => s.replace(FULL_WIDTH, (c) => ASCII_OF[c] ?? String.fromCharCode(c.charCodeAt(0) - 0xfee0));
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export function isVisible(c: Condition | undefined, scope: FormData, top: FormData): boolean {
  if (!c) return true;
  const value = c.field in scope ? scope[c.field] : top[c.field];
  if (c.in) return c.in.some((v) => String(v) === String(value));
  if (typeof c.equals === 'boolean') return (value === true || value === 'true') === c.equals;
  return String(value) === String(c.equals);
}

function cleanInput(f: InputField, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (f.type === 'checkbox') return v === true || v === 'true' || v === 'on' ? true : v === false || v === 'false' || v === '' ? false : v;
  if (f.type === 'checkboxes') return (Array.isArray(v) ? v : [v]).filter((x) => x !== '' && x !== undefined);
  if (typeof v !== 'string') return v;
  let s = v.replace(CONTROL, '');
  s = f.type === 'textarea' ? s.replace(/\r\n?/g, '\n').trim() : s.replace(/\s+/g, ' ').trim();
  const digits = ['tel', 'postal-code', 'number', 'email', 'date'].includes(f.type) || (f.pattern !== undefined && /\[0-9\]|\\d/.test(f.pattern));
  if (digits) s = toAscii(s).replace(/\s/g, '');
  if (f.type === 'date') s = s.replace(/\//g, '-').replace(/^(\d{4})-(\d{1,2})-(\d{1,2})$/, (_m, y: string, m: string, d: string) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`);
  if (s === '') return undefined;
  if (f.type === 'number' && /^-?\d+$/.test(s)) return Number(s);
  return s;
}

function cleanObject(fields: readonly Field[], raw: FormData, top: FormData, withPersonId: boolean, keepHidden = false): FormData {
  const out: FormData = {};
  for (const [k, v] of Object.entries(raw)) {
    const f = fields.find((x) => x.id === k);
    if (!f) {
      // Unknown keys stay, so validation names them; a member link is kept as given.
      if (!(withPersonId && k === 'personId')) out[k] = v;
      else if (typeof v === 'string' && v !== '') out[k] = v;
      continue;
    }
    if (!takesInput(f) || (!keepHidden && !isVisible(f.visibleWhen, raw, top))) continue;
    const cleaned = isGroup(f) ? cleanGroup(f, v, top, keepHidden) : cleanInput(f, v);
    if (cleaned !== undefined) out[k] = cleaned;
  }
  return out;
}

function cleanGroup(g: GroupField, v: unknown, top: FormData, keepHidden: boolean): unknown {
  if (!g.repeat) return v && typeof v === 'object' && !Array.isArray(v) ? cleanObject(g.fields, v as FormData, top, false, keepHidden) : v;
  const items = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : v;
  if (!Array.isArray(items)) return items;
  return items
    .map((item) => (item && typeof item === 'object' && !Array.isArray(item) ? cleanObject(g.fields, item as FormData, top, !!g.members, keepHidden) : item))
    .filter((item) => !(item && typeof item === 'object' && Object.values(item).every((x) => x === false || (Array.isArray(x) && x.length === 0))));
}

/**
 * Trims, converts full-width digits where digits are expected, and drops empty fields and
 * (unless `keepHidden`, for drafts) the fields whose condition is not met.
 */
export function cleanData(p: Procedure, raw: FormData, opts: { keepHidden?: boolean } = {}): FormData {
  if (opts.keepHidden) return cleanObject(p.fields, raw, raw, false, true);
  // Again on the result, so a field shown by a field that is itself now hidden goes too.
  let data = cleanObject(p.fields, raw, raw, false);
  for (let pass = 0; pass < 3; pass += 1) {
    const next = cleanObject(p.fields, data, data, false);
    if (JSON.stringify(next) === JSON.stringify(data)) break;
    data = next;
  }
  return data;
}

function issueOf(e: ErrorObject): FormIssue | undefined {
  const at = e.instancePath;
  const limit = (e.params as { limit?: number }).limit;
  switch (e.keyword) {
    case 'required':
      return { path: `${at}/${(e.params as { missingProperty: string }).missingProperty}`, code: 'required' };
    case 'const':
      return { path: at, code: 'required' };
    case 'minLength':
      return limit !== undefined && limit <= 1 ? { path: at, code: 'required' } : { path: at, code: 'minLength', limit: limit! };
    case 'maxLength':
      return { path: at, code: 'maxLength', limit: limit! };
    case 'pattern':
      return { path: at, code: 'pattern' };
    case 'format':
      return { path: at, code: (e.params as { format: string }).format === 'email' ? 'email' : 'date' };
    case 'enum':
    case 'uniqueItems':
      return { path: at, code: 'option' };
    case 'minimum':
      return { path: at, code: 'min', limit: limit! };
    case 'maximum':
      return { path: at, code: 'max', limit: limit! };
    case 'minItems':
      return /^\/[^/]+$/.test(at) && limit === 1 ? { path: at, code: 'required' } : { path: at, code: 'repeatMin', limit: limit! };
    case 'maxItems':
      return { path: at, code: 'repeatMax', limit: limit! };
    case 'additionalProperties':
      return { path: `${at}/${(e.params as { additionalProperty: string }).additionalProperty}`, code: 'unknown' };
    case 'type':
      return { path: at, code: 'type' };
    default:
      return undefined; // `if` and the like repeat an error already listed
  }
}

/** Validates cleaned data; every problem once, in form order. */
export function validateData(p: Procedure, data: FormData): FormIssue[] {
  const validate = validatorFor(p);
  if (validate(data)) return [];
  const seen = new Set<string>();
  const issues: FormIssue[] = [];
  for (const e of validate.errors ?? []) {
    const issue = issueOf(e);
    if (!issue || seen.has(issue.path)) continue;
    seen.add(issue.path);
    issues.push(issue);
  }
  const order = fieldOrder(p);
  const rank = (path: string) => order.indexOf(path.replace(/\/\d+(?=\/|$)/g, '').split('/').slice(0, 3).join('/'));
  return issues.sort((a, b) => rank(a.path) - rank(b.path));
}

function fieldOrder(p: Procedure): string[] {
  const out: string[] = [];
  for (const f of p.fields) {
    out.push(`/${f.id}`);
    if (isGroup(f)) for (const g of f.fields) out.push(`/${f.id}/${g.id}`);
  }
  return out;
}

// ---- naming fields for people -------------------------------------------------------------

export const localized = (text: Text, locale: Locale): string => text[locale];

/** The field a pointer names, and its place in a repeatable group. */
export function fieldAt(p: Procedure, path: string): { field?: Field; group?: GroupField; index?: number } {
  const [first, second, third] = path.split('/').slice(1);
  const f = p.fields.find((x) => x.id === first);
  if (!f || !isGroup(f)) return f ? { field: f } : {};
  if (f.repeat) {
    const index = Number(second);
    return { group: f, ...(Number.isInteger(index) ? { index } : {}), ...(third ? { field: f.fields.find((x) => x.id === third) } : { field: f }) };
  }
  return { group: f, field: second ? f.fields.find((x) => x.id === second) : f };
}

/** "子（2人目）の生年月日" style names; the API and the pages both use them. */
export function fieldName(p: Procedure, path: string, locale: Locale, t: Translate): string {
  const { field, group, index } = fieldAt(p, path);
  const label = field ? localized(field.label, locale) : path.split('/').pop() ?? path;
  if (!group || field === group) return label;
  const groupLabel = localized(group.label, locale);
  return index !== undefined ? t('applications.field.inGroupNth', { group: groupLabel, n: index + 1, field: label }) : t('applications.field.inGroup', { group: groupLabel, field: label });
}

export function describeIssue(p: Procedure, issue: FormIssue, locale: Locale, t: Translate): string {
  const { field } = fieldAt(p, issue.path);
  const hint = field && !isGroup(field) && field.patternHint ? localized(field.patternHint, locale) : '';
  const choice = field && !isGroup(field) && ['select', 'radio', 'checkbox', 'checkboxes'].includes(field.type);
  const message =
    issue.code === 'pattern' && hint
      ? t('applications.issue.patternHint', { hint })
      : issue.code === 'required' && choice
        ? t('applications.issue.choose')
        : t(`applications.issue.${issue.code}`, issue.limit !== undefined ? { limit: issue.limit } : {});
  return t('applications.issue.line', { field: fieldName(p, issue.path, locale, t), message });
}
