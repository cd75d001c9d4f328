/**
 * Staff pages of online applications (the departmental inbox is the cases module's): one application as sent
 * (pre-filled values marked, corrections highlighted, attachments to download), and paper
 * forms keyed in for a registered applicant — the same form, then sent with `applicantId`.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import { startDraft } from './drafts.js';
import { localized } from './form.js';
import { readApplication } from './read.js';
import { actorOf, STAFF_PURPOSES } from './routes.js';
import { procedureOf, readContext, type ApplicationsRuntime } from './runtime.js';
import * as store from './store.js';
import { NewPaperPage, StaffApplicationPage, type PaperForm } from './views/staff.js';

const STAFF_ROLES = ['counter-clerk', 'case-officer', 'approver'];
/** Who works on cases (the cases module's inbox and case pages). */
const CASE_ROLES = ['case-officer', 'approver'];
const KEYING_ROLES = ['counter-clerk', 'case-officer'];
const Opt = (n = 64) => Type.Optional(Type.String({ maxLength: n }));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CHANNELS = ['online', 'paper', 'counter'] as const;

export function registerStaffApplicationPages(app: App, rt: ApplicationsRuntime, _townName: () => string): void {
  /** The signed-in staff member working under a purpose that covers applications; else a redirect. */
  function staffCtx(req: FastifyRequest, reply: FastifyReply, roles = STAFF_ROLES) {
    if (!rt.access.staffPage(req, reply, { purposes: STAFF_PURPOSES, roles })) return undefined;
    return rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: STAFF_PURPOSES });
  }

  /** The old inbox: the departmental inbox is now the cases module's; its filters carry over. */
  app.get(
    '/staff/applications',
    { config: { page: true }, schema: { querystring: Type.Object({ department: Opt(), procedure: Opt(), channel: Opt(16), after: Opt(120), lang: Opt(10) }) } },
    async (req, reply) => {
      const staff = rt.access.staffPage(req, reply, { roles: STAFF_ROLES });
      if (!staff) return reply;
      if (!CASE_ROLES.some((r) => staff.roles.includes(r))) return reply.redirect('/staff/applications/new', 303);
      const q = req.query;
      const channel = CHANNELS.find((c) => c === q.channel);
      const params = new URLSearchParams({ ...(q.department ? { department: q.department } : {}), ...(q.procedure ? { procedure: q.procedure } : {}), ...(channel ? { channel } : {}) });
      return reply.redirect(`/staff/cases${params.size ? `?${params.toString()}` : ''}`, 303);
    },
  );

  function paperForm(req: FastifyRequest, reply: FastifyReply, form: PaperForm, status = 200) {
    return sendPage(reply, NewPaperPage({ ctx: pageContext(req), procedures: [...rt.catalog.procedures.values()], form }), status);
  }

  app.get('/staff/applications/new', { config: { page: true }, schema: { querystring: Type.Object({ procedure: Opt(), applicantId: Opt(40), lang: Opt(10) }) } }, async (req, reply) => {
    if (!staffCtx(req, reply, KEYING_ROLES)) return reply;
    return paperForm(req, reply, { procedure: req.query.procedure ?? '', applicantId: req.query.applicantId ?? '', subjectId: '', errors: [] });
  });

  app.post(
    '/staff/applications/new',
    { config: { page: true }, schema: { body: Type.Object({ _csrf: Opt(200), procedure: Opt(), applicantId: Opt(100), subjectId: Opt(100) }) } },
    async (req, reply) => {
      if (!staffCtx(req, reply, KEYING_ROLES)) return reply;
      const { t } = req;
      const form: PaperForm = { procedure: req.body.procedure ?? '', applicantId: (req.body.applicantId ?? '').trim(), subjectId: (req.body.subjectId ?? '').trim(), errors: [] };
      if (!rt.catalog.procedures.has(form.procedure)) form.errors.push({ field: 'procedure', message: t('applications.page.paper.procedureRequired') });
      if (!UUID.test(form.applicantId)) form.errors.push({ field: 'applicantId', message: t('applications.page.paper.idInvalid', { field: t('applications.page.paper.applicant') }) });
      if (form.subjectId && !UUID.test(form.subjectId)) form.errors.push({ field: 'subjectId', message: t('applications.page.paper.idInvalid', { field: t('applications.page.paper.subject') }) });
      if (form.errors.length) return paperForm(req, reply, form, 400);
      try {
        const d = await startDraft(rt, actorOf(rt, req), form.procedure, { applicantId: form.applicantId, ...(form.subjectId ? { subjectId: form.subjectId } : {}) });
        return reply.redirect(`/applications/drafts/${d.row.id}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || !['forbidden', 'not-found', 'validation'].includes(err.code)) throw err;
        form.errors.push({ field: 'applicantId', message: t('applications.page.paper.refused') });
        return paperForm(req, reply, form, err.code === 'forbidden' ? 403 : 400);
      }
    },
  );

  /** After keying in: the submission's applications, and the receipt to print for the resident. */
  app.get('/staff/applications/submissions/:id', { config: { page: true }, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } }, async (req, reply) => {
    if (!staffCtx(req, reply)) return reply;
    const apps = await store.applicationsOfSubmission(rt.db, req.params.id);
    if (apps.length === 0) throw notFound(`submission ${req.params.id}`);
    return reply.redirect(`/staff/applications/${apps[0]!.id}?sent=1`, 303);
  });

  app.get(
    '/staff/applications/:id',
    { config: { page: true }, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }), querystring: Type.Object({ sent: Opt(2), lang: Opt(10) }) } },
    async (req, reply) => {
      const ctx = staffCtx(req, reply);
      if (!ctx) return reply;
      const { row, view } = await readApplication(rt, ctx, req.params.id);
      const ids = [...new Set([row.applicant_person_id, row.subject_person_id].filter((x): x is string => !!x))];
      const names = ids.length ? await rt.registry.readNames(readContext(rt, ctx), ids) : new Map<string, string>();
      const submission = row.submission_id ? await store.findSubmission(rt.db, row.submission_id) : undefined;
      const p = procedureOf(rt, row.procedure_code);
      return sendPage(
        reply,
        StaffApplicationPage({
          ctx: pageContext(req),
          m: {
            row,
            view,
            procedure: p,
            submission,
            applicantName: row.applicant_person_id ? names.get(row.applicant_person_id) : undefined,
            subjectName: row.subject_person_id ? names.get(row.subject_person_id) : undefined,
            bundleName: row.bundle ? localized(rt.catalog.bundles.get(row.bundle)?.names ?? p.names, req.locale) : undefined,
            justSent: req.query.sent === '1',
          },
        }),
      );
    },
  );
}
