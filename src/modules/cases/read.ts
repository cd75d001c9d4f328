/**
 * Reading cases: one case with its timeline and notices, and a department's inbox. Staff
 * see the cases of departments where they hold a position; a resident sees the cases of
 * applications they may see, with the steps inside the town hall folded into 「審査中」.
 */
import { recordAccess } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { AccessContext } from '../access/index.js';
import { authorityOf, departmentsOf, type Authority } from './approval.js';
import { daysLeft, residentStatus, type CaseState, type ResidentStatus } from './states.js';
import { dateInJapan, type CasesRuntime } from './runtime.js';
import * as store from './store.js';

export interface TimelineEntry {
  seq: number;
  action: string;
  from: CaseState | null;
  to: CaseState;
  at: string;
  actor: { kind: 'staff' | 'resident' | 'system'; id: string | null; name: string | null };
  onBehalfOf: { id: string; name: string | null } | null;
  level: number | null;
  position: string | null;
  comment: string | null;
}

export interface CaseView {
  id: string;
  reference: string;
  applicationId: string;
  procedure: { code: string; name: string };
  department: string;
  channel: store.Channel;
  state: CaseState;
  residentStatus: ResidentStatus;
  assignee: { id: string; name: string } | null;
  applicantId: string | null;
  subjectId: string | null;
  receivedAt: string;
  standardDays: number;
  dueDate: string;
  /** Days until the due date (negative: overdue); null once closed. */
  daysLeft: number | null;
  paused: boolean;
  pausedDays: number;
  /** The latest step's action: an answer from the resident or a send-back is worth a look. */
  lastAction: string | null;
  route: { level: number; position: string; approved: boolean }[];
  proposal: { outcome: 'approve' | 'reject'; proposedBy: string | null } | null;
  decision: 'approved' | 'rejected' | null;
  decidedAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  version: number;
  timeline: TimelineEntry[];
  notices: { id: string; hash: string; decision: string; issuedAt: string; verifyHref: string }[];
  demo?: boolean;
}

export const etagOf = (version: number) => `"${version}"`;

/** The version an If-Match header names, or undefined when it names none we can read. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(header?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

export async function toCaseView(rt: CasesRuntime, c: store.CaseRow, steps: store.StepRow[], notices: store.NoticeRow[], staffNames: Map<string, string>): Promise<CaseView> {
  // A procedure retired from the definitions still names its cases, by code.
  const p = rt.applications.catalog.procedures.get(c.procedure_code);
  return {
    id: c.id,
    reference: c.reference,
    applicationId: c.application_id,
    procedure: { code: c.procedure_code, name: p?.names.ja ?? c.procedure_code },
    department: c.department,
    channel: c.channel,
    state: c.state,
    residentStatus: residentStatus(c.state),
    assignee: c.assignee ? { id: c.assignee, name: staffNames.get(c.assignee) ?? '' } : null,
    applicantId: c.applicant_person_id,
    subjectId: c.subject_person_id,
    receivedAt: c.received_at.toISOString(),
    standardDays: c.standard_days,
    dueDate: c.due_date,
    // While paused the countdown stands still where the wait began.
    daysLeft: c.closed_at ? null : daysLeft(c.due_date, c.paused_since ? dateInJapan(c.paused_since) : rt.today()),
    paused: c.paused_since !== null,
    pausedDays: c.paused_days,
    lastAction: c.last_action ?? steps[steps.length - 1]?.action ?? null,
    route: c.route.map((position, i) => ({ level: i + 1, position, approved: i < c.approved_levels })),
    proposal: c.proposal_outcome ? { outcome: c.proposal_outcome, proposedBy: c.proposed_by ? staffNames.get(c.proposed_by) ?? null : null } : null,
    decision: c.decision,
    decidedAt: c.decided_at?.toISOString() ?? null,
    completedAt: c.completed_at?.toISOString() ?? null,
    closedAt: c.closed_at?.toISOString() ?? null,
    version: c.lock_version,
    timeline: steps.map((s) => ({
      seq: s.seq,
      action: s.action,
      from: s.from_state,
      to: s.to_state,
      at: s.at.toISOString(),
      actor: { kind: s.actor_kind, id: s.actor_kind === 'resident' ? null : s.actor_id, name: s.actor_name },
      onBehalfOf: s.on_behalf_of ? { id: s.on_behalf_of, name: s.on_behalf_name } : null,
      level: s.level,
      position: s.position,
      comment: s.comment,
    })),
    notices: notices.map((n) => ({ id: n.id, hash: n.hash, decision: n.decision, issuedAt: n.issued_at.toISOString(), verifyHref: `/verify/${n.hash}` })),
    ...(c.demo ? { demo: true } : {}),
  };
}

async function namesOfStaff(rt: CasesRuntime, rows: store.CaseRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((r) => [r.assignee, r.proposed_by]).filter((x): x is string => !!x))];
  return ids.length ? new Map((await rt.access.staffDirectory(ids)).map((s) => [s.id, s.name])) : new Map();
}

const subjectsOf = (c: store.CaseRow) => [...new Set([c.subject_person_id, c.applicant_person_id].filter((x): x is string => !!x))];

/** A staff member's authority, and the 404 for a case of a department they do not work in. */
export async function staffAuthority(rt: CasesRuntime, ctx: AccessContext): Promise<Authority> {
  const p = ctx.principal;
  if (p.kind !== 'staff') throw notFound('this case');
  return authorityOf(rt.db, rt.access, { id: p.id, name: p.name }, rt.today());
}

/** One case for staff (its department's) or a resident (their own or household's); audited. */
export async function readCase(rt: CasesRuntime, ctx: AccessContext, id: string, opts: { audit?: boolean } = {}): Promise<CaseView> {
  const c = await store.findCase(rt.db, id);
  if (!c) throw notFound(`case ${id}`);
  if (ctx.principal.kind === 'staff') {
    const a = await staffAuthority(rt, ctx);
    if (!departmentsOf(a).includes(c.department)) throw notFound(`case ${id}`);
  } else if (ctx.principal.kind === 'resident') {
    if (!(await rt.applications.residentMaySee(ctx.principal.id, c.application_id))) throw notFound(`case ${id}`);
  }
  const [steps, notices, names] = await Promise.all([store.stepsOf(rt.db, c.id), store.noticesOf(rt.db, [c.id]), namesOfStaff(rt, [c])]);
  // A caller whose own entry covers this look (an action's answer, a notice download) passes audit: false.
  if (opts.audit !== false) await recordAccess(rt.db, rt.access.auditEntry(ctx, 'case.read', subjectsOf(c), ['case']));
  const view = await toCaseView(rt, c, steps, notices, names);
  return ctx.principal.kind === 'resident' ? forResident(view) : view;
}

/** What a resident sees of a case: their own words and the town's questions and decisions, no staff workings. */
export function forResident(v: CaseView): CaseView {
  const shown = new Set(['receive', 'start-review', 'request-info', 'answer', 'resume', 'issue-notice', 'withdraw']);
  return {
    ...v,
    // Inside the town hall a proposal or a decision not yet notified is still 「審査中」.
    state: (['received', 'waiting', 'completed', 'withdrawn', 'in-review'] as const).find((s) => s === v.state) ?? 'in-review',
    assignee: null,
    lastAction: null,
    route: [],
    proposal: null,
    decision: v.state === 'completed' ? v.decision : null,
    decidedAt: v.state === 'completed' ? v.decidedAt : null,
    timeline: v.timeline
      .filter((s) => shown.has(s.action))
      .map((s) => ({ ...s, actor: { kind: s.actor.kind, id: null, name: null }, onBehalfOf: null, comment: s.action === 'request-info' || s.action === 'answer' || s.action === 'withdraw' ? s.comment : null })),
  };
}

export interface InboxQuery extends Omit<store.CaseFilter, 'departments'> {
  department?: string | undefined;
}

/** A staff member's inbox: the cases of their departments, overdue first; one audit entry for the listing. */
export async function inbox(rt: CasesRuntime, ctx: AccessContext, q: InboxQuery): Promise<{ rows: CaseView[]; total: number; departments: string[]; authority: Authority }> {
  const a = await staffAuthority(rt, ctx);
  const mine = departmentsOf(a);
  const departments = q.department ? mine.filter((d) => d === q.department) : mine;
  const { rows, total } = departments.length ? await store.listCases(rt.db, { ...q, departments }) : { rows: [], total: 0 };
  const names = await namesOfStaff(rt, rows);
  const subjects = [...new Set(rows.flatMap(subjectsOf))];
  if (subjects.length) await recordAccess(rt.db, rt.access.auditEntry(ctx, 'case.list', subjects, ['case']));
  return { rows: await Promise.all(rows.map((r) => toCaseView(rt, r, [], [], names))), total, departments: mine, authority: a };
}

/** Where each application stands, for the resident's status pages (no audit: ids the caller already read). */
export async function progressOf(rt: CasesRuntime, applicationIds: readonly string[]): Promise<Map<string, { caseId: string; status: ResidentStatus; decision: string | null }>> {
  const rows = await store.casesOfApplications(rt.db, applicationIds);
  return new Map(rows.map((r) => [r.application_id, { caseId: r.id, status: residentStatus(r.state), decision: r.state === 'completed' ? r.decision : null }]));
}
