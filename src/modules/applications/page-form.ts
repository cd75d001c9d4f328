/**
 * The draft form as HTML sends it and shows it: field names are the data's JSON pointers
 * (`d:/children/0/birthDate`), corrections `corrections[/claimant/fullName]`, an entry left
 * out `remove:/children/1`, a file `file:<slot>`. Posted forms come urlencoded or multipart
 * (files); the CSRF token is checked here for both, before any file is read.
 */
import type { FastifyRequest } from 'fastify';
import '@fastify/multipart';
import { safeEqual } from '../../platform/crypto.js';
import type { DomainError } from '../../platform/errors.js';
import type { ActableMember } from '../registry/index.js';
import type { Locale, Translate } from '../../platform/i18n.js';
import type { Field, GroupField, InputField, Procedure } from './definition-schema.js';
import { isGroup } from './definitions.js';
import { cleanData, describeIssue, isVisible, localized, type FormData, type FormIssue } from './form.js';
import type { Correction } from './prepare.js';
import { describeAttachment } from './words.js';
import * as store from './store.js';
import { withinAge } from './prefill.js';
import type { AttachmentMeta } from './store.js';
import type { Draft } from './drafts.js';
import { procedureOf, readContext, type Actor, type ApplicationProgress, type ApplicationsRuntime } from './runtime.js';
import type { Candidate } from './views/life-events.js';
import type { ReviewItem, SubmitProblem } from './views/review.js';
import type { ReceiptModel } from './views/receipt.js';

export const inputName = (pointer: string): string => `d:${pointer}`;
export const correctionName = (pointer: string): string => `corrections[${pointer}]`;
export const removeName = (pointer: string): string => `remove:${pointer}`;
export const fileField = (slot: string): string => `file:${slot}`;
/** The element id of a field (or group, entry, slot): what error-summary links point at. */
export const domId = (pointer: string): string => `f${pointer.replace(/[^A-Za-z0-9]+/g, '-')}`;
export const slotId = (slot: string): string => `a-${slot}`;

/** The personId link of an entry filled from the household is a hidden field, never typed. */
export const isMemberLink = (g: GroupField, f: Field): boolean => !!g.members && (f.id === 'personId' || f.prefill === 'member.personId');

export interface PostedFile {
  slot: string;
  filename: string;
  content: Buffer;
  truncated: boolean;
}

export interface PostedForm {
  fields: Map<string, string[]>;
  files: PostedFile[];
}

const csrfRefused = () => Object.assign(new Error('csrf'), { statusCode: 403, code: 'YK_CSRF' });
const MAX_INDEX = 60;

/**
 * Reads a posted form (urlencoded, or multipart with files) and checks its CSRF token. In a
 * multipart form the token must come before any file: a forged upload is refused unread.
 */
export async function readPostedForm(req: FastifyRequest, maxBytes = Number.POSITIVE_INFINITY): Promise<PostedForm> {
  const fields = new Map<string, string[]>();
  let total = 0;
  const count = (n: number) => {
    total += n;
    if (total > maxBytes) throw Object.assign(new Error('the form is larger than this server accepts'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  };
  const add = (k: string, v: string) => {
    count(k.length + v.length);
    fields.set(k, [...(fields.get(k) ?? []), v]);
  };
  const files: PostedFile[] = [];
  if (typeof req.isMultipart === 'function' && req.isMultipart()) {
    let trusted = false;
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        const value = typeof part.value === 'string' ? part.value : '';
        if (part.fieldname === '_csrf') {
          if (!safeEqual(value, req.csrfToken)) throw csrfRefused();
          trusted = true;
        } else {
          add(part.fieldname, value);
        }
        continue;
      }
      if (!trusted) throw csrfRefused();
      const content = await part.toBuffer();
      count(content.length);
      if (!part.filename && content.length === 0) continue;
      if (part.fieldname.startsWith('file:')) files.push({ slot: part.fieldname.slice(5), filename: part.filename, content, truncated: part.file.truncated });
    }
    if (!trusted) throw csrfRefused();
    return { fields, files };
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (typeof body._csrf !== 'string' || !safeEqual(body._csrf, req.csrfToken)) throw csrfRefused();
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    for (const x of [v].flat()) if (typeof x === 'string') add(k, x);
  }
  return { fields, files };
}

export const first = (form: PostedForm, name: string): string | undefined => form.fields.get(name)?.[0];

function readInput(f: InputField, fields: ReadonlyMap<string, string[]>, pointer: string): unknown {
  return fields.has(inputName(pointer)) ? readPostedValue(f, fields, inputName(pointer)) : undefined;
}

/** A field's value as posted under `name`: a list for checkboxes, a boolean for a checkbox, else the last string. */
export function readPostedValue(f: InputField, fields: ReadonlyMap<string, string[]>, name: string): unknown {
  const v = fields.get(name);
  if (!v) return f.type === 'checkbox' ? false : f.type === 'checkboxes' ? [] : undefined;
  if (f.type === 'checkboxes') return v.filter((x) => x !== '');
  if (f.type === 'checkbox') return v.includes('true');
  return v[v.length - 1];
}

function readObject(fields: readonly Field[], posted: Map<string, string[]>, base: string, group: GroupField | undefined): FormData {
  const out: FormData = {};
  for (const f of fields) {
    if (f.type === 'notice' || isGroup(f)) continue;
    const pointer = `${base}/${f.id}`;
    const v = group && isMemberLink(group, f) ? posted.get(inputName(pointer))?.[0] : readInput(f, posted, pointer);
    if (v !== undefined && v !== '') out[f.id] = v;
  }
  if (group?.members && out.personId === undefined) {
    const link = posted.get(inputName(`${base}/personId`))?.[0];
    if (link) out.personId = link;
  }
  return out;
}

/** The entry numbers a repeatable group was posted with, in order. */
function postedIndexes(posted: Map<string, string[]>, groupId: string): number[] {
  const found = new Set<number>();
  const re = new RegExp(`^(?:d:|remove:)/${groupId}/(\\d{1,2})(?:/|$)`);
  for (const name of posted.keys()) {
    const m = re.exec(name);
    if (m && Number(m[1]) < MAX_INDEX) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

export interface ParsedDraft {
  /** The data as typed (before the service cleans it). */
  raw: FormData;
  corrections: Correction[];
  /** Entries left out ("この人は申請に含めない"). */
  removed: number;
}

/** Turns the posted fields into the draft's data; entries marked to leave out are dropped and corrections follow the entries. */
export function parseDraftForm(p: Procedure, posted: Map<string, string[]>): ParsedDraft {
  const raw: FormData = {};
  const moved = new Map<string, string | null>();
  let removed = 0;
  for (const f of p.fields) {
    if (f.type === 'notice') continue;
    if (!isGroup(f)) {
      const v = readInput(f, posted, `/${f.id}`);
      if (v !== undefined && v !== '') raw[f.id] = v;
      continue;
    }
    if (!f.repeat) {
      // A required group is there even when nothing in it was typed (its own fields say what
      // is missing); so is one with pre-filled fields, which the service restores into it.
      const obj = readObject(f.fields, posted, `/${f.id}`, f);
      if (Object.keys(obj).length || f.required || f.fields.some((x) => x.prefill)) raw[f.id] = obj;
      continue;
    }
    const entries: FormData[] = [];
    for (const i of postedIndexes(posted, f.id)) {
      if (posted.has(removeName(`/${f.id}/${i}`))) {
        moved.set(`/${f.id}/${i}/`, null);
        removed += 1;
        continue;
      }
      moved.set(`/${f.id}/${i}/`, `/${f.id}/${entries.length}/`);
      entries.push(readObject(f.fields, posted, `/${f.id}/${i}`, f));
    }
    if (entries.length) raw[f.id] = entries;
  }
  const corrections: Correction[] = [];
  for (const [name, values] of posted) {
    const m = /^corrections\[(\/[A-Za-z0-9/]{1,200})\]$/.exec(name);
    const note = values[values.length - 1]?.trim();
    if (!m || !note) continue;
    let path: string | null = m[1]!;
    for (const [from, to] of moved) {
      if (path.startsWith(from)) {
        path = to === null ? null : to + path.slice(from.length);
        break;
      }
    }
    if (path) corrections.push({ path, note });
  }
  return { raw, corrections, removed };
}

function overlay(saved: FormData, typed: FormData): FormData {
  const out: FormData = { ...saved };
  for (const [k, v] of Object.entries(typed)) {
    if (out[k] !== undefined || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
    out[k] = v;
  }
  return out;
}

/**
 * What the form shows after a post: the saved draft, plus what was typed but not kept —
 * fields whose condition is not met (yet) and blank entries — so nothing typed disappears
 * from the page. Saved entries keep their numbers (issues point at them); blank ones follow.
 */
export function displayData(p: Procedure, saved: FormData, raw: FormData | undefined): FormData {
  if (!raw) return saved;
  const out = overlay(saved, raw);
  for (const f of p.fields) {
    if (!isGroup(f)) continue;
    if (!f.repeat) {
      if (raw[f.id] && typeof raw[f.id] === 'object') out[f.id] = overlay((saved[f.id] as FormData | undefined) ?? {}, raw[f.id] as FormData);
      continue;
    }
    const kept = (saved[f.id] as FormData[] | undefined) ?? [];
    const typed = (raw[f.id] as FormData[] | undefined) ?? [];
    const entries: FormData[] = [];
    const blank: FormData[] = [];
    let k = 0;
    for (const e of typed) {
      const stays = ((cleanData(p, { ...raw, [f.id]: [e] })[f.id] as unknown[] | undefined) ?? []).length === 1;
      if (stays && k < kept.length) entries.push(overlay(kept[k++]!, e));
      else blank.push(e);
    }
    while (k < kept.length) entries.push(kept[k++]!);
    out[f.id] = [...entries, ...blank];
  }
  return out;
}

export interface ShownIssue {
  /** A data pointer (`/children/0/birthDate`) or `attachments/<slot>`. */
  path: string;
  message: string;
}

export const targetOf = (path: string): string => (path.startsWith('attachments/') ? slotId(path.slice(12)) : domId(path));

export function describeIssues(p: Procedure, issues: readonly FormIssue[], locale: Locale, t: Translate): ShownIssue[] {
  return issues.map((i) => ({ path: i.path, message: describeIssue(p, i, locale, t) }));
}

/** Required attachments not yet given (the service checks them again at submission). */
export function attachmentIssues(p: Procedure, data: FormData, stored: readonly AttachmentMeta[], locale: Locale, t: Translate): ShownIssue[] {
  return p.attachments
    .filter((a) => a.required && isVisible(a.visibleWhen, data, data) && !stored.some((s) => s.slot === a.id))
    .map((a) => ({ path: `attachments/${a.id}`, message: describeAttachment(p, a.id, 'required', locale, t) }));
}

/** Issues worth showing on a plain save: what was typed wrongly, not what is still missing. */
export const typedWrongly = (i: FormIssue): boolean => i.code !== 'required' && i.code !== 'repeatMin';

// ---- whom a form is for, and drafts and refusals as the pages show them -------------------

/** The resident's household as they may choose from it (one audited read). */
export async function householdOf(rt: ApplicationsRuntime, req: FastifyRequest): Promise<ActableMember[]> {
  const ctx = rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['application-intake'], defaultPurpose: 'application-intake' });
  return rt.registry.listHouseholdForApplication(readContext(rt, ctx), req.principal!.id);
}

/** Whom the signed-in resident may apply for: themself, household members, registered principals. */
export async function candidatesFor(rt: ApplicationsRuntime, req: FastifyRequest, p: Procedure, members: readonly ActableMember[], opts = { agents: true }): Promise<Candidate[]> {
  const me = req.principal!.id;
  const { t } = req;
  const fits = (status: string) => (p.subjectStatus === 'deceased' ? status === 'deceased' : status === 'resident');
  // Only people the procedure's age rules admit (a newborn for 出生連絡票, 40 and over for 要介護認定),
  // and not someone whose application for it is still open.
  const ages = p.rules.filter((r) => r.kind === 'subject-age');
  const open = new Set<string>();
  for (const m of members) if (await store.findOpen(rt.db, p.code, m.id)) open.add(m.id);
  const out: Candidate[] = members
    .filter((m) => fits(m.status) && (m.id === me ? p.applicants.includes('self') : p.applicants.includes('household')))
    .filter((m) => !open.has(m.id) && ages.every((r) => withinAge(r, m.birthDate, rt.today())))
    .map((m) => ({
      id: m.id,
      name: `${m.familyName} ${m.givenName}`,
      relation:
        m.id === me
          ? t('applications.page.who.you')
          : m.relationToHead === '本人' && m.status !== 'deceased'
            ? t('applications.page.who.head')
            : t(m.status === 'deceased' ? 'applications.page.who.relationDeceased' : 'applications.page.who.relation', { relation: m.relationToHead }),
      birthDate: m.birthDate,
    }));
  if (opts.agents && p.applicants.includes('agent') && p.subjectStatus !== 'deceased') {
    const principals = (await store.principalsOf(rt.db, me, rt.today())).filter((x) => !out.some((c) => c.id === x.principal_person_id));
    if (principals.length) {
      const ctx = rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['application-intake'], defaultPurpose: 'application-intake' });
      const names = await rt.registry.readNames(readContext(rt, ctx), principals.map((x) => x.principal_person_id));
      for (const x of principals) out.push({ id: x.principal_person_id, name: names.get(x.principal_person_id) ?? '', relation: t(`applications.page.who.agentFor.${x.kind}`) });
    }
  }
  return out;
}

/** A sensible first choice: the resident when they may apply for themself, else the youngest (a newborn). */
export function defaultSubject(p: Procedure, candidates: readonly Candidate[], me: string): string | undefined {
  if (p.applicants.includes('self') && candidates.some((c) => c.id === me)) return me;
  const others = candidates.filter((c) => c.id !== me).sort((a, b) => (b.birthDate ?? '').localeCompare(a.birthDate ?? ''));
  return others[0]?.id ?? candidates[0]?.id;
}

export async function subjectNames(rt: ApplicationsRuntime, a: Actor, drafts: readonly Draft[]): Promise<Map<string, string>> {
  const ids = [...new Set(drafts.map((d) => d.row.subject_person_id).filter((x): x is string => !!x))];
  return a.kind === 'anonymous' || ids.length === 0 ? new Map() : rt.registry.readNames(readContext(rt, a.ctx), ids);
}

export async function reviewItems(rt: ApplicationsRuntime, _req: FastifyRequest, a: Actor, drafts: readonly Draft[]): Promise<ReviewItem[]> {
  const atts = await store.attachmentsOf(rt.db, drafts.map((d) => d.row.id));
  const others = drafts.filter((d) => d.row.subject_person_id && d.row.subject_person_id !== d.row.applicant_person_id);
  const names = await subjectNames(rt, a, others);
  return drafts.map((d) => ({
    draftId: d.row.id,
    procedure: d.procedure,
    data: d.row.data,
    prefilled: d.prefilled,
    corrections: new Map(d.row.corrections.map((c) => [c.path, c.note])),
    attachments: atts.filter((x) => x.application_id === d.row.id),
    subjectName: others.includes(d) ? names.get(d.row.subject_person_id!) : undefined,
  }));
}

/** A refusal at sending, as the review page shows it: rule violations (422), an open duplicate (409), not allowed (403). */
export async function submitProblem(rt: ApplicationsRuntime, req: FastifyRequest, a: Actor, drafts: readonly Draft[], err: DomainError): Promise<{ problem: SubmitProblem; status: number } | undefined> {
  const { t, locale } = req;
  const href = (field: string) => {
    const m = /^(?:applications\/(\d+)\/)?data(\/.+)$/.exec(field);
    const d = m ? drafts[Number(m[1] ?? 0)] : undefined;
    return d ? `/applications/drafts/${d.row.id}#${domId(m![2]!)}` : undefined;
  };
  if (err.code === 'unprocessable') {
    return { status: 422, problem: { title: t('applications.page.submit.rules'), messages: (err.issues ?? []).map((i) => ({ text: i.message, ...(href(i.field) ? { href: href(i.field)! } : {}) })) } };
  }
  if (err.code === 'forbidden') return { status: 403, problem: { title: t('applications.page.submit.failed'), messages: [{ text: t('applications.page.submit.forbidden') }] } };
  if (err.code !== 'conflict') return undefined;
  const open = err.detail?.openApplication as { id: string; reference: string | null } | undefined;
  if (!open) return { status: 409, problem: { title: t('applications.page.submit.failed'), messages: [{ text: t('applications.page.submit.conflict') }] } };
  const row = await store.findApplication(rt.db, open.id);
  const name = row ? localized(procedureOf(rt, row.procedure_code).names, locale) : '';
  const link = a.kind === 'resident' && row?.submission_id ? `/me/applications/${row.submission_id}` : a.kind === 'staff' ? `/staff/applications/${open.id}` : undefined;
  return {
    status: 409,
    problem: {
      title: t('applications.page.submit.duplicateTitle'),
      messages: [{ text: t('applications.page.submit.duplicate', { name }) }],
      ...(link ? { open: { href: link, reference: open.reference ?? '' } } : {}),
    },
  };
}

type ReceiptApp = { id: string; reference: string | null; procedure: { code: string }; subjectId: string | null; status: string; dueDate: string | null };

/** A submission as its receipt page shows it; `progress`: where each application's case stands (by application id). */
export function receiptModel(
  rt: ApplicationsRuntime,
  req: FastifyRequest,
  s: store.SubmissionRow,
  apps: readonly ReceiptApp[],
  names: ReadonlyMap<string, string>,
  pdfHref: string,
  secretLink: boolean,
  progress: ReadonlyMap<string, ApplicationProgress> = new Map(),
): ReceiptModel {
  const bundle = s.bundle ? rt.catalog.bundles.get(s.bundle) : undefined;
  return {
    reference: s.reference,
    submittedAt: s.submitted_at,
    bundleName: bundle ? localized(bundle.names, req.locale) : undefined,
    items: apps.map((x) => ({ reference: x.reference ?? '', procedure: procedureOf(rt, x.procedure.code), subjectName: x.subjectId ? names.get(x.subjectId) : undefined, status: x.status, dueDate: x.dueDate, progress: progress.get(x.id) })),
    pdfHref,
    secretLink,
    justSent: (req.query as { sent?: string }).sent === '1',
  };
}
