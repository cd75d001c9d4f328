/**
 * The counter desk (書かない窓口) and the pre-entry from home, on drafts: a visit's procedures
 * are drafts the clerk holds (channel `counter`) in one group, pre-filled from the register
 * and from what the resident entered at home; the visit screen asks only what is still
 * missing, for every procedure at once, and sends them together under one receipt.
 * A pre-entry is the same kind of group, held by the resident.
 */
import { recordAccess } from '../../platform/audit.js';
import type { Queryable } from '../../platform/db/db.js';
import { conflict, DomainError, forbidden, notFound, validationError } from '../../platform/errors.js';
import type { Locale, Translate } from '../../platform/i18n.js';
import type { InputField, Procedure } from './definition-schema.js';
import { isGroup } from './definitions.js';
import { COUNTER_SHARED, loadDraft, newDraftRow, saveDraft, shareValues, toDraft, type Draft } from './drafts.js';
import { cleanData, fieldAt, isVisible, type FormData, type FormIssue } from './form.js';
import { readPostedValue } from './page-form.js';
import { restorePrefilled } from './prefill.js';
import { ownerKeyOf, procedureOf, type Actor, type ApplicationsRuntime, type SubmittedApplication } from './runtime.js';
import { hashRequest, submitApplications, submittedOf } from './submit.js';
import { describer } from './words.js';
import * as store from './store.js';

export interface DeskQuestion {
  /** Pointer into the draft's data. */
  pointer: string;
  field: InputField;
  issue: FormIssue;
}

/** One procedure of a visit or a pre-entry, as the desk shows it. */
export interface DeskItem {
  draftId: string;
  procedure: Procedure;
  applicantId: string | null;
  subjectId: string | null;
  data: FormData;
  prefilled: ReadonlySet<string>;
  /** Everything still missing or wrong (the form's own check). */
  issues: readonly FormIssue[];
  /** What the desk can ask on its one screen (single fields); the rest needs the full form. */
  questions: readonly DeskQuestion[];
  /** Issues the one screen cannot ask (e.g. a household list short of entries): open the full form. */
  needsFullForm: boolean;
  /** The attached documents' SHA-256 (what a signature covers, with the data). */
  attachments: readonly string[];
  /** Required documents not attached yet (scanned at the counter and attached on the full form). */
  missingAttachments: { slot: string; label: Procedure['attachments'][number]['label'] }[];
}

export interface DeskChoice {
  procedure: string;
  subjectId?: string;
}

const MAX_ITEMS = 10;

/** Name of a question's input on the desk screen: the draft and the field, so many forms share one page. */
export const deskInputName = (draftId: string, pointer: string): string => `q:${draftId}:${pointer}`;

function toItem(d: Draft, attached: ReadonlySet<string>, files: readonly string[]): DeskItem {
  const questions: DeskQuestion[] = [];
  let needsFullForm = false;
  for (const issue of d.issues) {
    const { field } = fieldAt(d.procedure, issue.path);
    if (field && !isGroup(field) && field.type !== 'notice' && issue.code !== 'repeatMin' && issue.code !== 'repeatMax') {
      questions.push({ pointer: issue.path, field, issue });
    } else if (field && isGroup(field) && !field.repeat && issue.code === 'required' && issue.path === `/${field.id}`) {
      // A required section not begun (it may have just come to apply): its required questions.
      for (const g of field.fields) {
        if (isGroup(g) || g.type === 'notice' || !g.required || !isVisible(g.visibleWhen, {}, d.row.data)) continue;
        const pointer = `/${field.id}/${g.id}`;
        questions.push({ pointer, field: g, issue: { path: pointer, code: 'required' } });
      }
    } else needsFullForm = true;
  }
  // A household list to choose from (who appears on a 住民票, say) is chosen on the full form.
  for (const f of d.procedure.fields) {
    if (!isGroup(f) || !f.repeat || !f.members || !isVisible(f.visibleWhen, d.row.data, d.row.data)) continue;
    if (f.fields.some((g) => !isGroup(g) && (g.type === 'checkbox' || g.type === 'radio') && !g.prefill)) needsFullForm = true;
  }
  return {
    draftId: d.row.id,
    procedure: d.procedure,
    applicantId: d.row.applicant_person_id,
    subjectId: d.row.subject_person_id,
    data: d.row.data,
    prefilled: d.prefilled,
    issues: d.issues,
    questions,
    needsFullForm,
    attachments: files,
    missingAttachments: d.procedure.attachments
      .filter((a) => a.required && !attached.has(`${d.row.id}|${a.id}`) && isVisible(a.visibleWhen, d.row.data, d.row.data))
      .map((a) => ({ slot: a.id, label: a.label })),
  };
}

async function groupDrafts(rt: ApplicationsRuntime, db: Queryable, ownerKey: string, group: string): Promise<store.ApplicationRow[]> {
  return (await store.draftsOfGroup(db, group)).filter((r) => r.owner_key === ownerKey && r.channel === 'counter');
}

/** The procedures of a group the actor holds, in the order they were added. */
export async function deskItems(rt: ApplicationsRuntime, actor: Actor, group: string): Promise<DeskItem[]> {
  const rows = await groupDrafts(rt, rt.db, ownerKeyOf(actor), group);
  const files = await store.attachmentsOf(rt.db, rows.map((r) => r.id));
  const attached = new Set(files.map((a) => `${a.application_id}|${a.slot}`));
  return rows.map((r) => toItem(toDraft(rt, r), attached, files.filter((f) => f.application_id === r.id).map((f) => `${f.slot}:${f.sha256}`)));
}

/** Which procedures a group holds and for whom. */
export async function deskChoices(rt: ApplicationsRuntime, ownerKey: string, group: string): Promise<DeskChoice[]> {
  return (await groupDrafts(rt, rt.db, ownerKey, group)).map((r) => ({ procedure: r.procedure_code, ...(r.subject_person_id ? { subjectId: r.subject_person_id } : {}) }));
}

/** What the resident entered at home, to seed the visit: recorded as a read by the clerk. */
async function preEntrySeeds(rt: ApplicationsRuntime, actor: Actor, from: { personId: string; group: string }): Promise<Map<string, { id: string; data: FormData }>> {
  const rows = await groupDrafts(rt, rt.db, `person:${from.personId}`, from.group);
  if (actor.kind === 'staff' && rows.length) {
    const people = [...new Set(rows.flatMap((r) => [r.applicant_person_id, r.subject_person_id]).filter((x): x is string => !!x))];
    await recordAccess(rt.db, rt.access.auditEntry(actor.ctx, 'application.read-pre-entry', people, ['application']));
  }
  return new Map(rows.map((r) => [`${r.procedure_code}|${r.subject_person_id ?? ''}`, { id: r.id, data: r.data }]));
}

/**
 * Adds procedures to a group: one draft each, for its subject, pre-filled from the register,
 * with what a pre-entry holds for the same procedure and person filled in where the register
 * says nothing. Every party is checked before anything is written: all are added, or none.
 */
export async function addDeskItems(
  rt: ApplicationsRuntime,
  actor: Actor,
  group: string,
  opts: { applicantId?: string; choices: readonly DeskChoice[]; preEntry?: { personId: string; group: string }; alsoWrite?: (tx: Queryable) => Promise<void> },
): Promise<void> {
  // A pre-entry seeds only the visit of the person who made it.
  if (opts.preEntry && actor.kind === 'staff' && opts.preEntry.personId !== opts.applicantId) throw forbidden('a pre-entry seeds only its own person’s visit');
  if (opts.choices.length === 0) throw validationError('choose at least one procedure', [{ field: 'procedures', message: 'is required' }]);
  const owner = ownerKeyOf(actor);
  const existing = await groupDrafts(rt, rt.db, owner, group);
  if (existing.length + opts.choices.length > MAX_ITEMS) throw validationError(`at most ${MAX_ITEMS} procedures at once`, [{ field: 'procedures', message: `at most ${MAX_ITEMS}` }]);
  const seeds = opts.preEntry ? await preEntrySeeds(rt, actor, opts.preEntry) : new Map<string, { id: string; data: FormData }>();
  const rows: store.NewDraft[] = [];
  const copies: [string, string][] = [];
  for (const c of opts.choices) {
    try {
      rows.push(await deskRow(rt, actor, group, c, opts.applicantId, existing, rows, seeds, copies));
    } catch (err) {
      // Say which procedure could not be added.
      if (err instanceof DomainError) throw new DomainError(err.code, err.message, { ...(err.issues ? { issues: err.issues } : {}), detail: { ...err.detail, procedure: c.procedure } });
      throw err;
    }
  }
  await rt.db.transaction(async (tx) => {
    for (const r of rows) await store.insertDraft(tx, r);
    // Documents the resident attached at home come along.
    for (const [from, to] of copies) await store.copyAttachments(tx, from, to);
    await opts.alsoWrite?.(tx);
  });
}

/** The draft row of one procedure to add, checked against what the group already holds. */
async function deskRow(
  rt: ApplicationsRuntime,
  actor: Actor,
  group: string,
  c: DeskChoice,
  applicantId: string | undefined,
  existing: readonly store.ApplicationRow[],
  rows: readonly store.NewDraft[],
  seeds: ReadonlyMap<string, { id: string; data: FormData }>,
  copies: [string, string][],
): Promise<store.NewDraft> {
  const p = procedureOf(rt, c.procedure);
  if (p.signIn !== 'required') throw validationError(`${p.code} is not taken at the counter for a named person`, [{ field: 'procedures', message: p.code }]);
  const row = await newDraftRow(rt, actor, p.code, { ...(c.subjectId ? { subjectId: c.subjectId } : {}), ...(applicantId ? { applicantId } : {}), channel: 'counter', draftGroup: group });
  const same = (r: { procedure_code?: string; procedureCode?: string; subject_person_id?: string | null; subjectId?: string | null }) =>
    (r.procedure_code ?? r.procedureCode) === p.code && (r.subject_person_id ?? r.subjectId) === row.subjectId;
  if (existing.some(same) || rows.some(same)) throw conflict(`${p.code} for this person is already part of this visit`);
  const open = row.subjectId ? await store.findOpen(rt.db, p.code, row.subjectId) : undefined;
  if (open) throw conflict(`an application for ${p.code} for this person is still open (${open.reference}); follow it instead of applying again`, { openApplication: { reference: open.reference } });
  const seed = seeds.get(`${p.code}|${row.subjectId ?? ''}`);
  if (seed) {
    copies.push([seed.id, row.id]);
    const data = cleanData(p, structuredClone(seed.data), { keepHidden: true });
    restorePrefilled(p, data, row.data, new Set(row.prefilled));
    row.data = data;
  }
  // The applicant's contact, given for another procedure of the group, is not asked again.
  for (const other of existing) shareValues(procedureOf(rt, other.procedure_code), other.data, p, row.data, new Set(row.prefilled), COUNTER_SHARED);
  return row;
}

/** Takes a procedure out of the group (the resident does not need it after all). */
export async function removeDeskItem(rt: ApplicationsRuntime, actor: Actor, group: string, draftId: string): Promise<void> {
  const row = (await groupDrafts(rt, rt.db, ownerKeyOf(actor), group)).find((r) => r.id === draftId);
  if (!row) throw notFound(`procedure ${draftId} of this visit`);
  await store.deleteDraft(rt.db, row.id);
}

/** Drops every draft of the group (a visit abandoned, a pre-entry used or deleted). */
export async function discardDesk(rt: ApplicationsRuntime, db: Queryable, ownerKey: string, group: string): Promise<number> {
  let n = 0;
  for (const r of await groupDrafts(rt, db, ownerKey, group)) if (await store.deleteDraft(db, r.id)) n += 1;
  return n;
}

function setAt(data: FormData, pointer: string, value: unknown): void {
  const parts = pointer.split('/').slice(1);
  let at: Record<string, unknown> | unknown[] = data;
  for (const [i, key] of parts.entries()) {
    const last = i === parts.length - 1;
    const slot = Array.isArray(at) ? Number(key) : key;
    if (last) {
      if (value === undefined) {
        if (!Array.isArray(at)) delete at[key];
      } else (at as Record<string | number, unknown>)[slot] = value;
      return;
    }
    const next = (at as Record<string | number, unknown>)[slot];
    if (next === undefined || next === null || typeof next !== 'object') (at as Record<string | number, unknown>)[slot] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
    at = (at as Record<string | number, unknown>)[slot] as Record<string, unknown>;
  }
}

/**
 * Saves the answers posted from the desk screen: each question's input is named by
 * `deskInputName`. Only the questions the screen asked are read; what the register filled
 * stays as the register says. Returns the items as they are now.
 */
export async function answerDesk(rt: ApplicationsRuntime, actor: Actor, group: string, posted: ReadonlyMap<string, string[]>): Promise<DeskItem[]> {
  for (const item of await deskItems(rt, actor, group)) {
    const answers = item.questions
      .map((q) => ({ q, value: readPostedValue(q.field, posted, deskInputName(item.draftId, q.pointer)) }))
      // A question left blank changes nothing (it may have been filled from another form meanwhile).
      .filter(({ q, value }) => (q.field.type === 'checkbox' ? posted.has(deskInputName(item.draftId, q.pointer)) : value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)));
    if (answers.length === 0) continue;
    // Read again: a sibling saved a moment ago may have shared a value into this one.
    const draft = await loadDraft(rt, actor, item.draftId);
    const data = structuredClone(draft.row.data);
    for (const { q, value } of answers) setAt(data, q.pointer, value);
    await saveDraft(rt, actor, item.draftId, data, draft.row.corrections);
  }
  return deskItems(rt, actor, group);
}

/**
 * Sends every procedure of the group under one receipt (channel `counter`), after the same
 * checks as online; `alsoWrite` runs in the same transaction (the visit records what it sent).
 */
export async function submitDesk(
  rt: ApplicationsRuntime,
  actor: Actor,
  group: string,
  opts: { locale: Locale; t: Translate; townName: string; idempotencyKey?: string; alsoWrite?: (tx: Queryable, apps: SubmittedApplication[], submissionId: string) => Promise<void> },
): Promise<{ submissionId: string; reference: string; applications: SubmittedApplication[]; replayed: boolean }> {
  const rows = await groupDrafts(rt, rt.db, ownerKeyOf(actor), group);
  if (rows.length === 0) throw validationError('this visit has no procedures to send', [{ field: 'procedures', message: 'add at least one procedure' }]);
  const drafts = rows.map((r) => toDraft(rt, r));
  const res = await submitApplications(rt, actor, {
    items: drafts.map((d) => ({ procedure: d.procedure, draftId: d.row.id, ...(d.row.subject_person_id ? { subjectId: d.row.subject_person_id } : {}), data: d.row.data, corrections: d.row.corrections, files: [] })),
    bundle: null,
    channel: 'counter',
    ...(drafts[0]!.row.applicant_person_id ? { applicantId: drafts[0]!.row.applicant_person_id } : {}),
    ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
    requestHash: hashRequest({ group, drafts: drafts.map((d) => d.row.id).sort() }),
    describe: describer(opts.locale, opts.t, { townName: opts.townName, publicUrl: rt.config.publicUrl }),
    ...(opts.alsoWrite ? { alsoWrite: opts.alsoWrite } : {}),
  });
  return { submissionId: res.submission.id, reference: res.submission.reference, applications: res.applications.map((a) => submittedOf(rt, a)), replayed: res.replayed };
}
