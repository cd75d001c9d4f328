/**
 * What the staff case pages share: the staff member working under `application-review`,
 * names of departments, procedures, officers and applicants (names read through the
 * register, audited), and the proposals awaiting a person's approval.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAccess } from '../../platform/audit.js';
import type { Locale } from '../../platform/i18n.js';
import type { Principal } from '../../platform/auth/principal.js';
import type { AccessContext } from '../access/index.js';
import { approvalCheck, departmentsOf, isApprover, roundApprovals, type Authority } from './approval.js';
import { staffAuthority, toCaseView } from './read.js';
import { readContext, type CasesRuntime } from './runtime.js';
import type { Position } from './states.js';
import * as store from './store.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import { ApprovalsPage, type ApprovalRowModel, type CaseRowModel } from './views/staff-inbox.js';
import { nameIn, type PageError } from './views/staff-common.js';

export const CASE_PAGE_ROLES = ['case-officer', 'approver'];
export const REVIEW_PURPOSE = 'application-review';
export const page = { page: true } as const;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** A page's query: `lang` and the named optional strings with their longest length. */
export const Query = (props: Record<string, number> = {}) =>
  Type.Object(Object.fromEntries([['lang', 10], ...Object.entries(props)].map(([k, n]) => [k, Type.Optional(Type.String({ maxLength: n as number }))])));
export const Opt = (n = 200) => Type.Optional(Type.String({ maxLength: n }));

export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
export interface StaffCtx {
  staff: StaffPrincipal;
  ctx: AccessContext;
}

/** The signed-in officer or approver working on application review; otherwise a redirect (sign-in, purpose) or 403. */
export function staffContext(rt: CasesRuntime, req: FastifyRequest, reply: FastifyReply): StaffCtx | undefined {
  const staff = rt.access.staffPage(req, reply, { purposes: [REVIEW_PURPOSE], roles: CASE_PAGE_ROLES });
  if (!staff) return undefined;
  return { staff, ctx: rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [REVIEW_PURPOSE] }) };
}

/** Department codes with their names, from the procedures that name them. */
export function departmentNames(rt: CasesRuntime, locale: Locale): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of rt.applications.catalog.procedures.values()) if (!out.has(p.department.code)) out.set(p.department.code, nameIn(p.department.names, locale));
  return out;
}

export function procedureName(rt: CasesRuntime, code: string, locale: Locale): string {
  const p = rt.applications.catalog.procedures.get(code);
  return p ? nameIn(p.names, locale) : code;
}

/** Names of staff members by id (active or not: a timeline names who acted then). */
export async function staffNames(rt: CasesRuntime, ids: readonly (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x && UUID.test(x)))];
  return wanted.length ? new Map((await rt.access.staffDirectory(wanted)).map((s) => [s.id, s.name])) : new Map();
}

/** The active officers (担当) of some departments, by name. */
export async function officersOf(rt: CasesRuntime, departments: readonly string[]): Promise<{ id: string; name: string }[]> {
  const ids = [...new Set((await Promise.all(departments.map((d) => store.staffIn(rt.db, d, 'officer')))).flat())];
  if (ids.length === 0) return [];
  return (await rt.access.staffDirectory(ids)).filter((s) => s.active).map((s) => ({ id: s.id, name: s.name })).sort((a, b) => a.name.localeCompare(b.name, 'ja'));
}

/** Applicants' names (one audited read for the page), keyed by person id. */
export async function applicantNames(rt: CasesRuntime, ctx: AccessContext, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  return wanted.length ? rt.registry.readNames(readContext(rt, ctx), wanted) : new Map();
}

export const isApproverAnywhere = (a: Authority) => departmentsOf(a).some((d) => isApprover(a, d));

export interface Awaiting {
  row: store.CaseRow;
  level: number;
  position: Position;
  onBehalfOf: { id: string; name: string } | undefined;
}

/** More proposals than anyone approves in a sitting; the list says how many there are. */
const AWAITING_LIMIT = 500;

/**
 * Proposals at a level this person approves (their position, or one they stand in for),
 * not their own, and not where their authority already approved a level of the same round.
 */
export async function awaitingApproval(rt: CasesRuntime, a: Authority): Promise<Awaiting[]> {
  const departments = departmentsOf(a).filter((d) => isApprover(a, d));
  if (departments.length === 0) return [];
  const { rows } = await store.listCases(rt.db, { departments, state: 'proposed', limit: AWAITING_LIMIT, offset: 0 });
  const steps = await store.stepsOfCases(rt.db, rows.filter((r) => r.approved_levels > 0).map((r) => r.id));
  const out: Awaiting[] = [];
  for (const row of rows) {
    const check = approvalCheck(a, row, roundApprovals(steps.get(row.id) ?? []), 'approve');
    if ('refused' in check) continue;
    out.push({ row, level: check.level, position: check.position, onBehalfOf: check.onBehalfOf });
  }
  return out;
}

/** The awaiting proposals as the 決裁待ち list shows them: one audit entry for the listing, names through the register. */
export async function approvalRows(rt: CasesRuntime, ctx: AccessContext, awaiting: Awaiting[], locale: Locale): Promise<ApprovalRowModel[]> {
  if (awaiting.length === 0) return [];
  const rows = awaiting.map((w) => w.row);
  const subjects = [...new Set(rows.flatMap((r) => [r.subject_person_id, r.applicant_person_id]).filter((x): x is string => !!x))];
  if (subjects.length) await recordAccess(rt.db, rt.access.auditEntry(ctx, 'case.list', subjects, ['case']));
  const staff = await staffNames(rt, rows.flatMap((r) => [r.assignee, r.proposed_by]));
  const names = await applicantNames(rt, ctx, rows.map((r) => r.applicant_person_id));
  return Promise.all(
    awaiting.map(async (w): Promise<ApprovalRowModel> => ({
      ...(await caseRow(rt, w.row, staff, names, locale)),
      proposer: (w.row.proposed_by && staff.get(w.row.proposed_by)) || '—',
      level: w.level,
      position: w.position,
      onBehalfOf: w.onBehalfOf?.name,
    })),
  );
}

/** The 決裁待ち page, with an error when a bulk approval was posted without a case. */
export async function renderApprovals(rt: CasesRuntime, req: FastifyRequest, reply: FastifyReply, s: StaffCtx, errors: PageError[], comment: string, status: number) {
  const a = await staffAuthority(rt, s.ctx);
  const rows = await approvalRows(rt, s.ctx, await awaitingApproval(rt, a), req.locale);
  const shown = rows.length && errors.length ? errors.map((e) => ({ ...e, field: `case-${rows[0]!.view.id}` })) : errors;
  return sendPage(reply, ApprovalsPage({ ctx: pageContext(req), m: { rows, errors: shown, comment } }), status);
}

async function caseRow(rt: CasesRuntime, row: store.CaseRow, staff: Map<string, string>, names: Map<string, string>, locale: Locale): Promise<CaseRowModel> {
  return {
    view: await toCaseView(rt, row, [], [], staff),
    procedureName: procedureName(rt, row.procedure_code, locale),
    applicantName: row.applicant_person_id ? names.get(row.applicant_person_id) : undefined,
  };
}
