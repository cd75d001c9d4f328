/**
 * Submitting: one procedure, or several under a life event, under one receipt. The order is
 * the rule's order: who may act (403), is the form complete (400), does it meet the rules
 * against the register (422), is the same thing already open (409) — all before anything is
 * written — then one transaction writes the submission, its applications and attachments,
 * the Idempotency-Key, the audit entry, the events and the receipt mail.
 */
import { createHash } from 'node:crypto';
import { recordAccess } from '../../platform/audit.js';
import type { Queryable } from '../../platform/db/db.js';
import { conflict, DomainError, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { emitEvent } from '../../platform/outbox.js';
import { queueMail } from '../../platform/mail.js';
import type { Locale } from '../../platform/i18n.js';
import { sha256Hex } from '../../platform/crypto.js';
import type { Procedure } from './definition-schema.js';
import type { FormData, FormIssue } from './form.js';
import type { Violation } from './eligibility.js';
import { checkAttachment, safeFilename } from './attachments.js';
import { checkCorrectionPaths, prepareForm, resolveParties, type Correction, type Prepared } from './prepare.js';
import { addDays, addYears, ownerKeyOf, type Actor, type ApplicationsRuntime, type SubmittedApplication } from './runtime.js';
import { isVisible } from './form.js';
import * as store from './store.js';

export interface NewFile {
  slot: string;
  filename: string;
  content: Buffer;
}

export interface SubmitItem {
  procedure: Procedure;
  /** Page flow: the draft being submitted (its stored attachments go with it). */
  draftId?: string;
  subjectId?: string;
  data: FormData;
  corrections: Correction[];
  /** API: files sent with the request. */
  files: NewFile[];
}

export interface SubmitRequest {
  items: SubmitItem[];
  bundle: string | null;
  channel: store.Channel;
  /** Paper forms keyed in by staff: the registered person who signed the form. */
  applicantId?: string;
  idempotencyKey?: string;
  /** Hash of the request as sent, so a key reused for another body is refused. */
  requestHash: string;
  /** API callers: corrections on fields that were not pre-filled are refused (pages drop them). */
  strictCorrections?: boolean;
  /** Runs last in the submitting transaction (the counter records the visit's applications with them). */
  alsoWrite?: (tx: Queryable, apps: SubmittedApplication[], submissionId: string) => Promise<void>;
  /** Words for errors and the receipt mail, in the reader's language. */
  describe: {
    /** The reader's language (later mails about the application are written in it). */
    locale: Locale;
    issue(p: Procedure, issue: FormIssue): string;
    violation(p: Procedure, v: Violation): string;
    attachment(p: Procedure, slot: string, problem: string): string;
    /** `statusPath`: the resident's status page, or the secret one of a submission without sign-in. */
    receiptMail(s: store.SubmissionRow, apps: { reference: string; procedure: Procedure }[], statusPath: string): { subject: string; text: string };
  };
}

export interface Submitted {
  submission: store.SubmissionRow;
  applications: store.ApplicationRow[];
  replayed: boolean;
  /** For submissions without sign-in: the secret of the status page (shown once). */
  statusToken?: string;
}

export const hashRequest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

async function replay(rt: ApplicationsRuntime, ownerKey: string, key: string, requestHash: string): Promise<Submitted | undefined> {
  const found = await store.findIdempotencyKey(rt.db, ownerKey, key);
  if (!found) return undefined;
  if (found.request_hash !== requestHash) {
    throw conflict('this Idempotency-Key was already used for a different request; use a new key for a new application');
  }
  const submission = await store.findSubmission(rt.db, found.submission_id);
  if (!submission) throw notFound('the submission of this Idempotency-Key');
  return { submission, applications: await store.applicationsOfSubmission(rt.db, submission.id), replayed: true };
}

interface Checked {
  item: SubmitItem;
  prepared: Prepared;
  subjectId: string | null;
  applicantId: string | null;
  actingAs: store.ActingAs | null;
  applicantRelation: string | null;
  subjectRelation: string | null;
  draft: store.ApplicationRow | undefined;
  files: (NewFile & { contentType: string })[];
}

async function checkItem(rt: ApplicationsRuntime, actor: Actor, req: SubmitRequest, item: SubmitItem, at: string): Promise<Checked> {
  const p = item.procedure;
  let draft: store.ApplicationRow | undefined;
  if (item.draftId) {
    draft = await store.findApplication(rt.db, item.draftId);
    if (!draft || draft.owner_key !== ownerKeyOf(actor) || draft.procedure_code !== p.code) throw notFound(`draft ${item.draftId}`);
    if (draft.status !== 'draft') throw conflict(`draft ${item.draftId} was already submitted`, { reference: draft.reference });
  }
  const { parties, actingAs } = await resolveParties(rt, actor, p, item.subjectId, req.applicantId);
  const prepared = prepareForm(rt, p, parties, item.data, item.corrections);
  if (req.strictCorrections) checkCorrectionPaths(prepared, item.corrections);
  const field = (path: string) => `${at}data${path}`;
  if (prepared.issues.length) {
    throw validationError(`the form of ${p.code} has ${prepared.issues.length} problem(s)`, prepared.issues.map((i) => ({ field: field(i.path), message: req.describe.issue(p, i) })));
  }
  const issues: FieldIssue[] = [];
  const stored = draft ? await store.attachmentsOf(rt.db, [draft.id]) : [];
  const files: Checked['files'] = [];
  for (const f of item.files) {
    const already = stored.filter((s) => s.slot === f.slot).length + files.filter((x) => x.slot === f.slot).length;
    const check = checkAttachment(p, f.slot, f.content, already);
    if (check.problem) issues.push({ field: `${at}attachments/${f.slot}`, message: req.describe.attachment(p, f.slot, check.problem) });
    else files.push({ ...f, filename: safeFilename(f.filename, check.type!), contentType: check.type! });
  }
  for (const slot of p.attachments) {
    const has = stored.some((s) => s.slot === slot.id) || files.some((f) => f.slot === slot.id);
    if (slot.required && !has && isVisible(slot.visibleWhen, prepared.data, prepared.data)) {
      issues.push({ field: `${at}attachments/${slot.id}`, message: req.describe.attachment(p, slot.id, 'required') });
    }
  }
  if (issues.length) throw validationError(`the attachments of ${p.code} have ${issues.length} problem(s)`, issues);
  if (prepared.violations.length) {
    throw new DomainError('unprocessable', `the application for ${p.code} does not meet the procedure’s rules against the town’s records`, {
      issues: prepared.violations.map((v) => ({ field: v.path ? field(v.path) : `${at}subjectId`, message: req.describe.violation(p, v) })),
      detail: { rules: prepared.violations.map((v) => v.rule) },
    });
  }
  const subjectId = parties?.subject.id ?? null;
  if (subjectId) {
    const open = await store.findOpen(rt.db, p.code, subjectId);
    if (open) throw duplicate(p, open);
  }
  return {
    item,
    prepared,
    subjectId,
    applicantId: parties?.applicant.id ?? null,
    actingAs,
    applicantRelation: parties?.applicant.relationToHead ?? null,
    subjectRelation: parties?.subject.relationToHead ?? null,
    draft,
    files,
  };
}

function duplicate(p: Procedure, open: { id: string; reference: string | null }): DomainError {
  return conflict(`an application for ${p.code} for this person is still open (${open.reference ?? 'in progress'}); follow it instead of applying again`, {
    openApplication: { id: open.id, reference: open.reference, href: `/api/v1/applications/${open.id}` },
  });
}

/** A submitted application as the modules that process it see it. */
export function submittedOf(rt: Pick<ApplicationsRuntime, 'catalog'>, a: store.ApplicationRow): SubmittedApplication {
  return {
    id: a.id, reference: a.reference!, procedureCode: a.procedure_code, department: a.department, channel: a.channel,
    applicantId: a.applicant_person_id, subjectId: a.subject_person_id, submittedAt: a.submitted_at!, dueDate: a.due_date!,
    // A procedure retired since keeps the period its due date was set with.
    standardDays: rt.catalog.procedures.get(a.procedure_code)?.standardPeriodDays ?? 0, demo: a.demo,
  };
}

export const emailOf = (data: FormData): string | undefined => {
  const contact = data.contact as FormData | undefined;
  const email = contact?.email ?? data.email;
  return typeof email === 'string' && email.includes('@') ? email : undefined;
};

async function write(rt: ApplicationsRuntime, tx: Queryable, actor: Actor, req: SubmitRequest, checked: Checked[], token: string | undefined): Promise<Submitted> {
  const tokenHash = token ? sha256Hex(token) : null;
  const ownerKey = ownerKeyOf(actor);
  const submission = await store.insertSubmission(tx, {
    id: newId(),
    bundle: req.bundle,
    channel: req.channel,
    applicantId: checked[0]?.applicantId ?? null,
    keyedBy: actor.kind === 'staff' ? actor.staffId : null,
    statusTokenHash: tokenHash,
    demo: rt.demo(),
    locale: req.describe.locale,
  });
  if (req.idempotencyKey) await store.insertIdempotencyKey(tx, ownerKey, req.idempotencyKey, req.requestHash, submission.id);
  const today = rt.today();
  const ids: string[] = [];
  for (const [n, c] of checked.entries()) {
    const p = c.item.procedure;
    const id = c.draft?.id ?? newId();
    // Another tab may have submitted this draft since it was checked: then nothing is written.
    if (c.draft && !(await store.lockDraft(tx, id))) throw conflict(`draft ${id} was already submitted`);
    if (!c.draft) {
      await store.insertDraft(tx, {
        id, procedureCode: p.code, procedureVersion: p.version, department: p.department.code, channel: req.channel, ownerKey,
        applicantId: c.applicantId, subjectId: c.subjectId, data: {}, corrections: [], prefilled: [], keyedBy: actor.kind === 'staff' ? actor.staffId : null,
        bundle: req.bundle, draftGroup: null, demo: rt.demo(),
      });
    }
    const marked = await store.markSubmitted(tx, id, {
      submissionId: submission.id,
      reference: `${submission.reference}-${String(n + 1).padStart(2, '0')}`,
      data: c.prepared.data,
      corrections: c.prepared.corrections,
      prefilled: [...c.prepared.prefilled],
      subjectId: c.subjectId,
      applicantId: c.applicantId,
      actingAs: c.actingAs,
      applicantRelation: c.applicantRelation,
      subjectRelation: c.subjectRelation,
      dueDate: addDays(today, p.standardPeriodDays),
      retainUntil: addYears(today, p.retentionYears),
    });
    if (!marked) throw conflict(`draft ${id} was already submitted`);
    for (const f of c.files) {
      await store.insertAttachment(tx, { id: newId(), applicationId: id, slot: f.slot, filename: f.filename, contentType: f.contentType, content: f.content, sha256: sha256Hex(f.content) });
    }
    const subjects = [...new Set([c.subjectId, c.applicantId].filter((x): x is string => !!x))];
    await emitEvent(tx, 'application.submitted', subjects, {
      applicationId: id, submissionId: submission.id, reference: `${submission.reference}-${String(n + 1).padStart(2, '0')}`,
      procedure: p.code, department: p.department.code, channel: req.channel, lifeEvent: req.bundle,
    });
    ids.push(id);
  }
  if (actor.kind !== 'anonymous') {
    const subjects = [...new Set(checked.flatMap((c) => [c.subjectId, c.applicantId]).filter((x): x is string => !!x))];
    await recordAccess(tx, rt.access.auditEntry(actor.ctx, 'application.submit', subjects, ['application']));
  }
  const applications = await store.findApplications(tx, ids);
  for (const h of rt.hooks.submitted) await h(tx, applications.map((a) => submittedOf(rt, a)));
  if (req.alsoWrite) await req.alsoWrite(tx, applications.map((a) => submittedOf(rt, a)), submission.id);
  const email = checked.map((c) => emailOf(c.prepared.data)).find((e) => e);
  if (email) {
    const statusPath = token ? `/applications/status/${token}` : `/me/applications/${submission.id}`;
    const mail = req.describe.receiptMail(submission, applications.map((a) => ({ reference: a.reference!, procedure: rt.catalog.procedures.get(a.procedure_code)! })), statusPath);
    await queueMail(tx, { to: email, subject: mail.subject, text: mail.text, tag: 'application.receipt', ref: submission.reference });
  }
  return { submission, applications: applications.sort((a, b) => (a.reference ?? '').localeCompare(b.reference ?? '')), replayed: false };
}

const uniqueViolation = (err: unknown, name: string) =>
  (err as { code?: string }).code === '23505' && String((err as Error).message).includes(name);

export async function submitApplications(rt: ApplicationsRuntime, actor: Actor, req: SubmitRequest): Promise<Submitted> {
  const ownerKey = ownerKeyOf(actor);
  if (req.idempotencyKey) {
    const again = await replay(rt, ownerKey, req.idempotencyKey, req.requestHash);
    if (again) return again;
  }
  if (req.items.length === 0) throw validationError('nothing to submit', [{ field: 'applications', message: 'choose at least one procedure' }]);
  const checked: Checked[] = [];
  try {
    for (const [i, item] of req.items.entries()) checked.push(await checkItem(rt, actor, req, item, req.items.length > 1 ? `applications/${i}/` : ''));
  } catch (err) {
    // A retry racing its first attempt finds that attempt's application open: answer as the first.
    if (req.idempotencyKey && err instanceof DomainError && err.code === 'conflict') {
      const again = await replay(rt, ownerKey, req.idempotencyKey, req.requestHash);
      if (again) return again;
    }
    throw err;
  }
  const seen = new Set<string>();
  for (const c of checked) {
    const k = `${c.item.procedure.code}:${c.subjectId ?? newId()}`;
    if (seen.has(k)) throw validationError('the same procedure for the same person is listed twice', [{ field: 'applications', message: c.item.procedure.code }]);
    seen.add(k);
  }
  const token = actor.kind === 'anonymous' ? newId() + newId() : undefined;
  try {
    const result = await rt.db.transaction((tx) => write(rt, tx, actor, req, checked, token));
    return token ? { ...result, statusToken: token } : result;
  } catch (err) {
    if (req.idempotencyKey && uniqueViolation(err, 'idempotency_keys')) {
      const again = await replay(rt, ownerKey, req.idempotencyKey, req.requestHash);
      if (again) return again;
    }
    if (uniqueViolation(err, 'applications_one_open')) {
      const again = req.idempotencyKey ? await replay(rt, ownerKey, req.idempotencyKey, req.requestHash) : undefined;
      if (again) return again;
      for (const c of checked) {
        const open = c.subjectId ? await store.findOpen(rt.db, c.item.procedure.code, c.subjectId) : undefined;
        if (open) throw duplicate(c.item.procedure, open);
      }
    }
    throw err;
  }
}
