/**
 * Reading applications. A resident sees their own (drafts included) and submitted ones
 * about their household; anyone else's is "not found". Staff read through their purpose.
 * Every read of an application's content leaves an audit entry.
 */
import { recordAccess } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { AccessContext } from '../access/index.js';
import type { Procedure } from './definition-schema.js';
import { procedureOf, type ApplicationsRuntime } from './runtime.js';
import * as store from './store.js';

export interface ApplicationView {
  id: string;
  reference: string | null;
  procedure: { code: string; version: number; name: string };
  department: string;
  status: store.Status;
  channel: store.Channel;
  lifeEvent: string | null;
  submissionId: string | null;
  subjectId: string | null;
  applicantId: string | null;
  actingAs: store.ActingAs | null;
  submittedAt: string | null;
  updatedAt: string;
  dueDate: string | null;
  data: Record<string, unknown>;
  corrections: { field: string; note: string }[];
  prefilled: string[];
  attachments: { id: string; slot: string; filename: string; contentType: string; size: number; sha256: string }[];
  demo?: boolean;
}

export function toView(row: store.ApplicationRow, p: Procedure, attachments: store.AttachmentMeta[]): ApplicationView {
  return {
    id: row.id,
    reference: row.reference,
    procedure: { code: p.code, version: row.procedure_version, name: p.names.ja },
    department: row.department,
    status: row.status,
    channel: row.channel,
    lifeEvent: row.bundle,
    submissionId: row.submission_id,
    subjectId: row.subject_person_id,
    applicantId: row.applicant_person_id,
    actingAs: row.acting_as,
    submittedAt: row.submitted_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
    dueDate: row.due_date,
    data: row.data,
    corrections: row.corrections.map((c) => ({ field: c.path, note: c.note })),
    prefilled: row.prefilled,
    attachments: attachments
      .filter((a) => a.application_id === row.id)
      .map((a) => ({ id: a.id, slot: a.slot, filename: a.filename, contentType: a.content_type, size: a.size_bytes, sha256: a.sha256 })),
    ...(row.demo ? { demo: true } : {}),
  };
}

/** Whose data an application holds: applicant, subject, and household members linked in its groups. */
function membersIn(data: Record<string, unknown>): string[] {
  return Object.values(data).flatMap((v) =>
    Array.isArray(v) ? v.map((e) => (e && typeof e === 'object' ? (e as { personId?: unknown }).personId : undefined)).filter((x): x is string => typeof x === 'string') : [],
  );
}
const subjectsOf = (rows: store.ApplicationRow[], withMembers = false) =>
  [...new Set(rows.flatMap((r) => [r.subject_person_id, r.applicant_person_id, ...(withMembers ? membersIn(r.data) : [])]).filter((x): x is string => !!x))];

/** Whether a resident may see an application: theirs, or submitted and about their household. */
export async function residentMaySee(rt: ApplicationsRuntime, personId: string, row: store.ApplicationRow): Promise<boolean> {
  if (row.owner_key === `person:${personId}`) return true;
  if (row.status === 'draft') return false;
  if (row.applicant_person_id === personId) return true;
  const household = await rt.registry.householdMemberIds(personId);
  return !!row.subject_person_id && household.includes(row.subject_person_id);
}

export async function readApplications(rt: ApplicationsRuntime, ctx: AccessContext, ids: readonly string[], action = 'application.read'): Promise<{ row: store.ApplicationRow; view: ApplicationView }[]> {
  const rows = await store.findApplications(rt.db, ids);
  const p = ctx.principal;
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    if (!row) throw notFound(`application ${id}`);
    if (p.kind === 'resident' && !(await residentMaySee(rt, p.id, row))) throw notFound(`application ${id}`);
    if (p.kind !== 'resident' && row.status === 'draft' && row.owner_key !== `staff:${p.id}`) throw notFound(`application ${id}`);
  }
  return rt.db.transaction(async (tx) => {
    const attachments = await store.attachmentsOf(tx, rows.map((r) => r.id));
    await recordAccess(tx, rt.access.auditEntry(ctx, action, subjectsOf(rows, true), ['application']));
    return rows.map((row) => ({ row, view: toView(row, procedureOf(rt, row.procedure_code), attachments) }));
  });
}

export const readApplication = async (rt: ApplicationsRuntime, ctx: AccessContext, id: string) => (await readApplications(rt, ctx, [id]))[0]!;

export interface ListItem {
  id: string;
  reference: string | null;
  procedure: { code: string; name: string };
  status: store.Status;
  channel: store.Channel;
  lifeEvent: string | null;
  submissionId: string | null;
  draftGroup: string | null;
  subjectId: string | null;
  submittedAt: string | null;
  updatedAt: string;
  dueDate: string | null;
}

const toListItem = (rt: ApplicationsRuntime, r: store.ApplicationRow): ListItem => ({
  id: r.id,
  reference: r.reference,
  procedure: { code: r.procedure_code, name: rt.catalog.procedures.get(r.procedure_code)?.names.ja ?? r.procedure_code },
  status: r.status,
  channel: r.channel,
  lifeEvent: r.bundle,
  submissionId: r.submission_id,
  draftGroup: r.draft_group,
  subjectId: r.subject_person_id,
  submittedAt: r.submitted_at?.toISOString() ?? null,
  updatedAt: r.updated_at.toISOString(),
  dueDate: r.due_date,
});

/** A resident's list: their drafts and applications, and submitted ones about their household. */
export async function listForResident(rt: ApplicationsRuntime, ctx: AccessContext, limit = 100): Promise<ListItem[]> {
  const me = ctx.principal.id;
  const rows = await store.listForResident(rt.db, me, await rt.registry.householdMemberIds(me), limit);
  await recordAccess(rt.db, rt.access.auditEntry(ctx, 'application.list', subjectsOf(rows), ['applicationSummary']));
  return rows.map((r) => toListItem(rt, r));
}

/** A page of the inbox, newest first; `next` is the `after` of the following page. */
export async function inbox(rt: ApplicationsRuntime, ctx: AccessContext, filter: store.InboxFilter): Promise<{ items: ListItem[]; rows: store.ApplicationRow[]; next: string | undefined }> {
  const rows = await store.inbox(rt.db, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  await recordAccess(rt.db, rt.access.auditEntry(ctx, 'application.inbox', subjectsOf(page), ['applicationSummary']));
  const next = rows.length > filter.limit ? (page[page.length - 1]?.reference ?? undefined) : undefined;
  return { items: page.map((r) => toListItem(rt, r)), rows: page, next };
}

/** A submission and its applications, for the receipt (scope as for each application). */
export async function readSubmission(rt: ApplicationsRuntime, ctx: AccessContext, id: string): Promise<{ submission: store.SubmissionRow; applications: ApplicationView[] }> {
  const submission = await store.findSubmission(rt.db, id);
  if (!submission) throw notFound(`submission ${id}`);
  const apps = await store.applicationsOfSubmission(rt.db, id);
  if (apps.length === 0) throw notFound(`submission ${id}`);
  const read = await readApplications(rt, ctx, apps.map((a) => a.id), 'application.read-receipt');
  return { submission, applications: read.map((r) => r.view).sort((a, b) => (a.reference ?? '').localeCompare(b.reference ?? '')) };
}

export async function readAttachment(rt: ApplicationsRuntime, ctx: AccessContext, applicationId: string, attachmentId: string) {
  await readApplications(rt, ctx, [applicationId], 'application.read-attachment');
  const file = await store.attachmentContent(rt.db, applicationId, attachmentId);
  if (!file) throw notFound(`attachment ${attachmentId}`);
  return file;
}
