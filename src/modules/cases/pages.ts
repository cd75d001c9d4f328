/**
 * Staff pages of case processing: the inbox of a staff member's departments (filters,
 * countdown, overdue first), the proposals awaiting their approval, one case with its route,
 * timeline, notices and the actions they may take now. Delegations and bulk jobs have
 * their own files.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { recordAccess } from '../../platform/audit.js';
import { DomainError, notFound, validationError } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import './page-messages.js';
import { approvalCheck, departmentsOf, isApprover, isOfficer, roundApprovals, type Authority } from './approval.js';
import { registerDelegationPages } from './delegation-pages.js';
import type { JobRunner } from './jobs.js';
import { registerJobPages } from './job-pages.js';
import { inbox, readCase, staffAuthority, type CaseView, type TimelineEntry } from './read.js';
import type { CasesRuntime } from './runtime.js';
import { performAction } from './service.js';
import { ACTIONS, actionsIn, DEFAULT_ROUTE, nextState, RULES, STATES, type CaseAction, type CaseState, type Party } from './states.js';
import * as store from './store.js';
import {
  applicantNames, awaitingApproval, DATE, departmentNames, Id, isApproverAnywhere, officersOf, Opt, page, procedureName, Query, renderApprovals, staffContext, staffNames, UUID, type StaffCtx,
} from './staff-page-kit.js';
import { CasePage, type ActionForm, type Posted } from './views/staff-case.js';
import { STAFF_CSS, STAFF_CSS_HREF, type PageError } from './views/staff-common.js';
import { InboxPage } from './views/staff-inbox.js';

const PAGE_SIZE = 50;
/** The order a case page offers actions in: the next step of the work first, assignment and withdrawal last. */
const ACTION_ORDER: readonly CaseAction[] = ['approve', 'send-back', 'start-review', 'propose', 'issue-notice', 'resume', 'request-info', 'reopen', 'answer', 'assign', 'withdraw'];
const CHANNELS = ['online', 'paper', 'counter'] as const;
const InboxQuery = Type.Object({
  lang: Opt(10), department: Opt(64), procedure: Opt(64), state: Opt(16), channel: Opt(16), assignee: Opt(40), dueBy: Opt(10), overdue: Opt(2), offset: Opt(7),
});
const ActionBody = Type.Object({ _csrf: Opt(), action: Type.String({ maxLength: 32 }), version: Type.String({ maxLength: 12 }), comment: Opt(20_000), outcome: Opt(16), assignee: Opt(40) });

export function registerCasePages(app: App, rt: CasesRuntime, jobs: JobRunner): void {
  app.get(STAFF_CSS_HREF, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STAFF_CSS));

  app.get('/staff/cases', { config: page, schema: { querystring: InboxQuery } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    const q = req.query;
    const state = q.state === 'all' ? undefined : (STATES as readonly string[]).includes(q.state ?? '') ? (q.state as CaseState) : 'open';
    const channel = CHANNELS.find((c) => c === q.channel);
    const assignee = q.assignee === 'me' ? s.staff.id : q.assignee === 'none' || UUID.test(q.assignee ?? '') ? q.assignee : undefined;
    const dueBy = DATE.test(q.dueBy ?? '') && !Number.isNaN(Date.parse(q.dueBy!)) ? q.dueBy : undefined;
    const overdue = q.overdue === '1';
    const offset = Math.min(Math.max(0, Number.parseInt(q.offset ?? '0', 10) || 0), 1_000_000);
    const result = await inbox(rt, s.ctx, {
      department: q.department || undefined, procedure: q.procedure || undefined, state, channel, assignee, dueBy, overdueOn: overdue ? rt.today() : undefined, limit: PAGE_SIZE, offset,
    });
    const names = await applicantNames(rt, s.ctx, result.rows.map((r) => r.applicantId));
    const depts = departmentNames(rt, req.locale);
    const filter = {
      department: q.department ?? '', procedure: q.procedure ?? '', state: q.state === 'all' ? 'all' : state ?? 'open', channel: channel ?? '',
      assignee: q.assignee === 'me' || q.assignee === 'none' ? q.assignee : assignee ?? '', dueBy: dueBy ?? '', overdue,
    };
    const params = new URLSearchParams(Object.entries({ ...filter, overdue: overdue ? '1' : '', state: filter.state === 'open' ? '' : filter.state }).filter(([, v]) => v !== ''));
    const at = (o: number) => {
      const query = new URLSearchParams([...params, ...(o > 0 ? [['offset', String(o)]] : [])]).toString();
      return query ? `/staff/cases?${query}` : '/staff/cases';
    };
    const awaiting = isApproverAnywhere(result.authority) ? (await awaitingApproval(rt, result.authority)).length : 0;
    return sendPage(
      reply,
      InboxPage({
        ctx: pageContext(req),
        m: {
          filter,
          departments: result.departments.map((code) => ({ code, name: depts.get(code) ?? code })),
          procedures: [...rt.applications.catalog.procedures.values()].filter((p) => result.departments.includes(p.department.code)).map((p) => ({ code: p.code, name: procedureName(rt, p.code, req.locale) })),
          officers: await officersOf(rt, result.departments),
          rows: result.rows.map((view) => ({ view, procedureName: procedureName(rt, view.procedure.code, req.locale), applicantName: view.applicantId ? names.get(view.applicantId) : undefined })),
          total: result.total,
          offset,
          prevHref: offset > 0 ? at(Math.max(0, offset - PAGE_SIZE)) : undefined,
          nextHref: offset + PAGE_SIZE < result.total ? at(offset + PAGE_SIZE) : undefined,
          approver: isApproverAnywhere(result.authority),
          awaiting,
          purpose: s.ctx.purpose,
          today: rt.today(),
        },
      }),
    );
  });

  app.get('/staff/cases/approvals', { config: page, schema: { querystring: Query() } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    return renderApprovals(rt, req, reply, s, [], '', 200);
  });

  app.get('/staff/cases/by-application/:id', { config: page, schema: { params: Id } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    const [c] = await store.casesOfApplications(rt.db, [req.params.id]);
    const a = await staffAuthority(rt, s.ctx);
    if (!c || !departmentsOf(a).includes(c.department)) throw notFound(`the case of application ${req.params.id}`);
    return reply.redirect(`/staff/cases/${c.id}`, 303);
  });

  app.get('/staff/cases/:id', { config: page, schema: { params: Id, querystring: Type.Object({ lang: Opt(10), done: Opt(32) }) } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    const done = ACTIONS.find((a) => a === req.query.done);
    return renderCase(rt, req, reply, s, req.params.id, { done, errors: [], posted: undefined }, 200);
  });

  app.post('/staff/cases/:id/actions', { config: page, schema: { params: Id, body: ActionBody } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    const b = req.body;
    const action = ACTIONS.find((a) => a === b.action);
    const version = /^\d{1,9}$/.test(b.version) ? Number(b.version) : undefined;
    if (!action || version === undefined) throw validationError('the form names no action or version', [{ field: 'action', message: 'unknown' }]);
    const outcome = b.outcome === 'approve' || b.outcome === 'reject' ? b.outcome : undefined;
    const assignee = action === 'assign' ? (UUID.test(b.assignee ?? '') ? b.assignee! : null) : undefined;
    try {
      await performAction(rt, { kind: 'staff', ctx: s.ctx, id: s.staff.id, name: s.staff.name }, req.params.id, { action, version, comment: b.comment, outcome, assignee });
      return reply.redirect(`/staff/cases/${req.params.id}?done=${action}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || !['validation', 'forbidden', 'conflict', 'precondition-failed'].includes(err.code)) throw err;
      const posted: Posted = { action, comment: b.comment ?? '', outcome: b.outcome ?? '', assignee: b.assignee ?? '', fieldErrors: {} };
      const errors = await refusal(rt, req, s, err, posted, req.params.id);
      const status = { validation: 400, forbidden: 403, conflict: 409 }[err.code as string] ?? 412;
      return renderCase(rt, req, reply, s, req.params.id, { done: undefined, errors, posted }, status);
    }
  });

  app.get('/staff/cases/:id/notices/:file', { config: page, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }), file: Type.String({ maxLength: 48 }) }) } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    const noticeId = /^([0-9a-f-]{36})\.pdf$/.exec(req.params.file)?.[1];
    const c = await store.findCase(rt.db, req.params.id);
    const a = await staffAuthority(rt, s.ctx);
    if (!c || !noticeId || !departmentsOf(a).includes(c.department)) throw notFound('this notice');
    const notice = (await store.noticesOf(rt.db, [c.id])).find((n) => n.id === noticeId);
    const pdf = notice ? await store.noticePdf(rt.db, notice.id) : undefined;
    if (!pdf) throw notFound('this notice');
    const subjects = [...new Set([c.subject_person_id, c.applicant_person_id].filter((x): x is string => !!x))];
    await recordAccess(rt.db, rt.access.auditEntry(s.ctx, 'case.read-notice', subjects, ['case']));
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="notice-${c.reference}.pdf"`)
      .type('application/pdf')
      .send(Buffer.from(pdf));
  });

  registerDelegationPages(app, rt);
  registerJobPages(app, rt, jobs);
}

/** What a refusal says, in the page's words; fills the posted form's field errors. */
async function refusal(rt: CasesRuntime, req: FastifyRequest, s: StaffCtx, err: DomainError, posted: Posted, caseId: string): Promise<PageError[]> {
  const { t } = req;
  const act = t(`cases.action.${posted.action}`);
  if (err.code === 'validation') {
    const out: PageError[] = [];
    for (const i of err.issues ?? []) {
      if (i.field === 'comment') {
        posted.fieldErrors.comment = /at most/.test(i.message) ? t('cases.staff.error.commentLong', { n: 2000 }) : t('cases.staff.error.comment', { action: act });
        out.push({ field: `comment-${posted.action}`, message: posted.fieldErrors.comment });
      } else if (i.field === 'outcome') {
        posted.fieldErrors.outcome = t('cases.staff.error.outcome');
        out.push({ field: 'outcome-propose-approve', message: posted.fieldErrors.outcome });
      } else if (i.field === 'assignee') {
        posted.fieldErrors.assignee = t('cases.staff.error.assignee');
        out.push({ field: 'assignee-assign', message: posted.fieldErrors.assignee });
      }
    }
    return out.length ? out : [{ message: t('cases.staff.error.invalid') }];
  }
  if (err.code === 'conflict') {
    const d = err.detail ?? {};
    const states = (v: unknown) => String(v ?? '').split(' | ').map((x) => t(`cases.state.${x}`)).join(t('cases.staff.error.or'));
    return [{ field: 'actions', message: t('cases.staff.error.conflict', { state: states(d.currentState), target: states(d.targetState) }) }];
  }
  if (err.code === 'precondition-failed') {
    return [{ field: 'actions', message: t('cases.staff.error.stale', { version: String(err.detail?.currentVersion ?? '') }) }];
  }
  // 403: say why, from what the page itself knows of the case.
  const c = await store.findCase(rt.db, caseId);
  if (c && (posted.action === 'approve' || posted.action === 'send-back')) {
    const check = approvalCheck(await staffAuthority(rt, s.ctx), c, roundApprovals(await store.stepsOf(rt.db, c.id)), posted.action);
    if ('refused' in check) {
      if (check.why === 'own-proposal') return [{ field: 'actions', message: t('cases.staff.error.ownProposal') }];
      if (check.why === 'position' && check.position) return [{ field: 'actions', message: t('cases.staff.error.position', { position: t(`cases.position.${check.position}`) }) }];
      if (check.why === 'two-levels') return [{ field: 'actions', message: t('cases.staff.error.twoLevels') }];
    }
  }
  return [{ field: 'actions', message: t('cases.staff.error.forbidden') }];
}

interface Extra {
  done: CaseAction | undefined;
  errors: PageError[];
  posted: Posted | undefined;
}

async function renderCase(rt: CasesRuntime, req: FastifyRequest, reply: FastifyReply, s: StaffCtx, id: string, extra: Extra, status: number) {
  const view = await readCase(rt, s.ctx, id);
  const a = await staffAuthority(rt, s.ctx);
  const p = rt.applications.catalog.procedures.get(view.procedure.code);
  const names = await applicantNames(rt, s.ctx, [view.applicantId, view.subjectId]);
  const lastPropose = [...view.timeline].reverse().find((x) => x.action === 'propose');
  const round = view.route.length && lastPropose ? view.timeline.filter((x) => x.action === 'approve' && x.seq > lastPropose.seq) : [];
  const comments = await timelineComments(rt, view.timeline);
  return sendPage(
    reply,
    CasePage({
      ctx: pageContext(req),
      m: {
        view,
        procedureName: procedureName(rt, view.procedure.code, req.locale),
        departmentName: departmentNames(rt, req.locale).get(view.department) ?? view.department,
        applicantName: view.applicantId ? names.get(view.applicantId) : undefined,
        subjectName: view.subjectId ? names.get(view.subjectId) : undefined,
        plannedRoute: [...(p?.approvalRoute ?? DEFAULT_ROUTE)],
        approvedBy: new Map(round.map((x) => [x.level ?? 0, x])),
        proposedBy: view.route.length ? lastPropose : undefined,
        comments,
        actions: await actionForms(rt, view, a, lastPropose, round),
        ownProposal: view.state === 'proposed' && lastPropose?.actor.id === s.staff.id,
        approvalBlocked: view.state === 'proposed' && isApprover(a, view.department) ? blockedText(req.t, a, view, lastPropose, round) : undefined,
        ...extra,
      },
    }),
    status,
  );
}

/** Why an approver of the department is not offered 決裁 on this proposal, in words. */
function blockedText(t: FastifyRequest['t'], a: Authority, c: CaseView, lastPropose: TimelineEntry | undefined, rounds: TimelineEntry[]): string | undefined {
  const level = c.route.filter((r) => r.approved).length;
  const asCase = { department: c.department, route: c.route.map((r) => r.position), approved_levels: level, proposed_by: lastPropose?.actor.id ?? null };
  const check = approvalCheck(a, asCase, rounds.map((r) => ({ actorId: r.actor.id ?? '', onBehalfOf: r.onBehalfOf?.id ?? null })), 'approve');
  if (!('refused' in check)) return undefined;
  if (check.why === 'own-proposal') return t('cases.staff.error.ownProposal');
  if (check.why === 'two-levels') return t('cases.staff.error.twoLevels');
  return check.position ? t('cases.staff.error.position', { position: t(`cases.position.${check.position}`) }) : undefined;
}

/** The actions this person may take now: the table's, for the parties they are, and approval only with the right for the current level. */
async function actionForms(rt: CasesRuntime, c: CaseView, a: Authority, lastPropose: TimelineEntry | undefined, rounds: TimelineEntry[]): Promise<ActionForm[]> {
  const parties: Party[] = [...(isOfficer(a, c.department) ? (['officer'] as const) : []), ...(isApprover(a, c.department) ? (['approver'] as const) : [])];
  const level = c.route.filter((r) => r.approved).length;
  const asCase = { department: c.department, route: c.route.map((r) => r.position), approved_levels: level, proposed_by: lastPropose?.actor.id ?? null };
  const round = rounds.map((r) => ({ actorId: r.actor.id ?? '', onBehalfOf: r.onBehalfOf?.id ?? null }));
  const checks = {
    approve: approvalCheck(a, asCase, round, 'approve'),
    'send-back': approvalCheck(a, asCase, round, 'send-back'),
  };
  const actions = ACTION_ORDER.filter((x) => parties.some((p) => actionsIn(c.state, p).includes(x))).filter(
    (x) => (x !== 'approve' && x !== 'send-back') || !('refused' in checks[x]),
  );
  const officers = actions.includes('assign') ? await officersOf(rt, [c.department]) : [];
  const shape = { approvedLevels: level, routeLength: c.route.length, proposal: c.proposal?.outcome ?? null };
  return actions.map((action) => ({
    action,
    to: nextState(action, c.state, shape, 'officer'),
    comment: RULES[action].comment === 'required' || action === 'withdraw' ? 'required' : 'optional',
    toResident: action === 'request-info' || action === 'withdraw',
    ...(action === 'approve' || action === 'send-back' ? { onBehalfOf: (checks[action] as { onBehalfOf?: { name: string } }).onBehalfOf?.name } : {}),
    ...(action === 'assign' ? { officers } : {}),
  }));
}

/** Comments as the timeline shows them: an assignment names the officer, not their id. */
async function timelineComments(rt: CasesRuntime, steps: TimelineEntry[]): Promise<Map<number, string | null>> {
  const ASSIGN = /^→ ([0-9a-f-]{36}|-)(?: ([\s\S]*))?$/;
  const ids = steps.filter((x) => x.action === 'assign').map((x) => ASSIGN.exec(x.comment ?? '')?.[1]);
  const names = await staffNames(rt, ids);
  return new Map(
    steps.map((x) => {
      const m = x.action === 'assign' ? ASSIGN.exec(x.comment ?? '') : null;
      if (!m) return [x.seq, x.comment];
      const who = m[1] === '-' ? '—' : names.get(m[1]!) ?? '—';
      return [x.seq, [`→ ${who}`, m[2]].filter(Boolean).join(' ')];
    }),
  );
}
