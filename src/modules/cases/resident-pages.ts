/**
 * The resident's pages of a case (/me/cases/…): where the application stands, the town's
 * question and the answer form, withdrawal behind a confirmation page, and the decision
 * notice to download. Server-rendered; works without JavaScript. Every action goes through
 * `performAction` with the version the page was rendered from, so a case that moved on
 * meanwhile is shown again as it is now instead of being changed blindly.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { recordAccess } from '../../platform/audit.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { AccessContext } from '../access/index.js';
import './resident-messages.js';
import { readCase, type CaseView } from './read.js';
import { readContext, type CasesRuntime } from './runtime.js';
import { performAction, residentMayAct } from './service.js';
import { RULES } from './states.js';
import * as store from './store.js';
import { ANSWER_MAX, ResidentCasePage, statusLabel, WithdrawPage, type FormIssue, type PageMessage } from './views/resident.js';

const Uuid = Type.String({ format: 'uuid' });
const Id = Type.Object({ id: Uuid });
const NoticeParams = Type.Object({ id: Uuid, noticeId: Uuid });
const Query = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 10 })), done: Type.Optional(Type.String({ maxLength: 20 })) });
/** The comment is checked here, not by the schema, so that a long one is answered with the form and its message. */
const ActionBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  version: Type.String({ pattern: '^[0-9]{1,9}$' }),
  comment: Type.Optional(Type.String({ maxLength: 20_000 })),
});
const page = { page: true } as const;
const DONE = new Set(['answered', 'withdrawn']);

/** Why an action was refused, as the page says it once the case is read again. */
type Refusal = 'changed' | 'answer' | 'withdraw' | 'notYours';

interface Shown {
  message?: PageMessage | undefined;
  refusal?: Refusal | undefined;
  issues?: FormIssue[];
  answer?: string;
  status?: number;
  /** The case when the handler has read it already (one audited read per page). */
  view?: CaseView;
}

export function registerResidentCasePages(app: App, rt: CasesRuntime): void {
  const signIn = (next: string) => `/auth/sign-in?next=${encodeURIComponent(next)}`;
  const residentCtx = (req: FastifyRequest): AccessContext =>
    rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['self-service'], defaultPurpose: 'self-service' });
  const procedureName = (req: FastifyRequest, c: CaseView) => rt.applications.catalog.procedures.get(c.procedure.code)?.names[req.locale] ?? c.procedure.name;

  /** The case if this resident may see it (their own or their household's); otherwise "not found", without an audit entry. */
  async function visibleCase(personId: string, id: string): Promise<store.CaseRow> {
    const c = await store.findCase(rt.db, id);
    if (!c || !(await rt.applications.residentMaySee(personId, c.application_id))) throw notFound(`case ${id}`);
    return c;
  }

  /** The household member an application is about, by their registered name (audited); none when it is the reader. */
  async function subjectName(ctx: AccessContext, c: CaseView): Promise<string | undefined> {
    if (!c.subjectId || c.subjectId === ctx.principal.id) return undefined;
    return (await rt.registry.readNames(readContext(rt, ctx), [c.subjectId])).get(c.subjectId);
  }

  /** Where the application's receipt is: the submission it was sent in. */
  async function applicationHref(_ctx: AccessContext, c: CaseView): Promise<string | undefined> {
    const submissionId = await rt.applications.submissionOf(c.applicationId);
    return submissionId ? `/me/applications/${submissionId}` : undefined;
  }

  async function showCase(req: FastifyRequest, reply: FastifyReply, ctx: AccessContext, id: string, o: Shown = {}) {
    const c = o.view ?? (await readCase(rt, ctx, id));
    const { t } = req;
    const refused: PageMessage | undefined = o.refusal
      ? { kind: 'warn', text: o.refusal === 'changed' ? t('cases.me.changed') : t(`cases.me.conflict.${o.refusal}`, { status: statusLabel(c, t) }) }
      : undefined;
    // Household members see the case; the applicant and the person it is about act on it.
    const mayAct = residentMayAct({ applicant_person_id: c.applicantId, subject_person_id: c.subjectId }, ctx.principal.id);
    const canAnswer = mayAct && RULES.answer.from.includes(c.state);
    const m = {
      c,
      procedureName: procedureName(req, c),
      subjectName: await subjectName(ctx, c),
      applicationHref: await applicationHref(ctx, c),
      canAnswer,
      canWithdraw: mayAct && RULES.withdraw.from.includes(c.state),
      answer: canAnswer ? (o.answer ?? '') : '',
      issues: o.issues ?? [],
      message: refused ?? o.message,
    };
    return sendPage(reply, ResidentCasePage({ ctx: pageContext(req), m }), o.status ?? 200);
  }

  /** Runs a resident's action; a refusal the page can explain comes back as what to show, anything else is thrown. */
  async function act(ctx: AccessContext, id: string, action: 'answer' | 'withdraw', version: number, comment: string): Promise<Shown | undefined> {
    await visibleCase(ctx.principal.id, id);
    try {
      await performAction(rt, { kind: 'resident', ctx, personId: ctx.principal.id }, id, { action, version, comment });
      return undefined;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.code === 'precondition-failed') return { refusal: 'changed', status: 412 };
      if (err.code === 'conflict') return { refusal: action, status: 409 };
      if (err.code === 'forbidden') return { refusal: 'notYours', status: 403 };
      throw err;
    }
  }

  const tooLong = (req: FastifyRequest, key: string, text: string) => (text.length > ANSWER_MAX ? req.t(key, { n: text.length.toLocaleString('ja-JP') }) : undefined);

  app.get('/me/cases/:id', { config: page, schema: { params: Id, querystring: Query } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn(req.url), 303);
    const done = req.query.done;
    const message: PageMessage | undefined = done && DONE.has(done) ? { kind: 'done', text: req.t(`cases.me.done.${done}`) } : undefined;
    return showCase(req, reply, residentCtx(req), req.params.id, { message });
  });

  app.post('/me/cases/:id/answer', { config: page, schema: { params: Id, body: ActionBody } }, async (req, reply) => {
    const id = req.params.id;
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn(`/me/cases/${id}`), 303);
    const ctx = residentCtx(req);
    const typed = req.body.comment ?? '';
    const answer = typed.trim();
    const problem = answer ? tooLong(req, 'cases.me.answer.tooLong', answer) : req.t('cases.me.answer.required');
    if (problem) return showCase(req, reply, ctx, id, { issues: [{ field: 'answer', message: problem }], answer: typed, status: 400 });
    const refused = await act(ctx, id, 'answer', Number(req.body.version), answer);
    if (refused) return showCase(req, reply, ctx, id, { ...refused, answer: typed });
    return reply.redirect(`/me/cases/${id}?done=answered`, 303);
  });

  app.get('/me/cases/:id/withdraw', { config: page, schema: { params: Id, querystring: Query } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn(req.url), 303);
    const ctx = residentCtx(req);
    const c = await readCase(rt, ctx, req.params.id);
    if (!residentMayAct({ applicant_person_id: c.applicantId, subject_person_id: c.subjectId }, ctx.principal.id)) {
      return showCase(req, reply, ctx, c.id, { view: c, refusal: 'notYours', status: 403 });
    }
    if (!RULES.withdraw.from.includes(c.state)) return showCase(req, reply, ctx, c.id, { view: c, refusal: 'withdraw', status: 409 });
    return sendPage(reply, WithdrawPage({ ctx: pageContext(req), m: { c, procedureName: procedureName(req, c), subjectName: await subjectName(ctx, c), reason: '', issues: [] } }));
  });

  app.post('/me/cases/:id/withdraw', { config: page, schema: { params: Id, body: ActionBody } }, async (req, reply) => {
    const id = req.params.id;
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn(`/me/cases/${id}`), 303);
    const ctx = residentCtx(req);
    const typed = req.body.comment ?? '';
    const reason = typed.trim();
    const problem = tooLong(req, 'cases.me.withdraw.tooLong', reason);
    if (problem) {
      const c = await readCase(rt, ctx, id);
      const m = { c, procedureName: procedureName(req, c), reason: typed, issues: [{ field: 'reason', message: problem }] };
      return sendPage(reply, WithdrawPage({ ctx: pageContext(req), m }), 400);
    }
    const refused = await act(ctx, id, 'withdraw', Number(req.body.version), reason);
    if (refused) return showCase(req, reply, ctx, id, refused);
    return reply.redirect(`/me/cases/${id}?done=withdrawn`, 303);
  });

  app.get('/me/cases/:id/notices/:noticeId.pdf', { config: page, schema: { params: NoticeParams } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn(req.url), 303);
    const ctx = residentCtx(req);
    const c = await visibleCase(ctx.principal.id, req.params.id);
    const notice = (await store.noticesOf(rt.db, [c.id])).find((n) => n.id === req.params.noticeId);
    const pdf = notice ? await store.noticePdf(rt.db, notice.id) : undefined;
    if (!pdf) throw notFound('this decision notice');
    const subjects = [...new Set([c.subject_person_id, c.applicant_person_id].filter((x): x is string => !!x))];
    await recordAccess(rt.db, rt.access.auditEntry(ctx, 'case.read-notice', subjects, ['case']));
    const filename = /^[A-Za-z0-9-]{1,40}$/.test(c.reference) ? `notice-${c.reference}.pdf` : 'notice.pdf';
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(pdf));
  });
}
