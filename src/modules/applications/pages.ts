/**
 * Resident pages of online applications: find a procedure, start it (for whom), fill the
 * form (drafts saved on every post), review, send once, the receipt and status pages.
 * Server-rendered; works without JavaScript. Life events: life-event-pages.ts; staff: staff-pages.ts.
 */
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import { safeNext } from '../access/index.js';
import './page-messages.js';
import { departments, searchProcedures } from './catalog.js';
import { AttachmentRefused, attachToDraft, discardDraft, loadDraft, removeFromDraft, saveDraft, startDraft, type Draft } from './drafts.js';
import { localized } from './form.js';
import { candidatesFor, receiptModel, describeIssues, displayData, first, householdOf, parseDraftForm, readPostedForm, reviewItems, typedWrongly, type ShownIssue } from './page-form.js';
import { Code, createPageKit, Id, KEY, MAX_FILE, Opt, page, Query, secretPage, SendBody } from './page-kit.js';
import { registerLifeEventPages } from './life-event-pages.js';
import { listForResident, readSubmission } from './read.js';
import { receiptPdf } from './receipt-data.js';
import { ownerKeyOf, procedureOf, readContext, type Actor, type ApplicationProgress, type ApplicationsRuntime } from './runtime.js';
import { registerStaffApplicationPages } from './staff-pages.js';
import { describeAttachment } from './words.js';
import * as store from './store.js';
import { clockText } from './views/common.js';
import { FORM_SCRIPT } from './views/enhance.js';
import { ProcedurePage, ProceduresPage, StartPage } from './views/catalog.js';
import { DraftFormPage, type DraftFormModel } from './views/form.js';
import { MyApplicationsPage, ReceiptPage } from './views/receipt.js';
import { ReviewPage } from './views/review.js';

export function registerApplicationPages(app: App, rt: ApplicationsRuntime, townName: () => string): void {
  const kit = createPageKit(rt, townName);
  const { actor, home, signIn, issuesOf, afterSend, send, alreadySent } = kit;

  /** A counter group's drafts (a visit, a pre-entry) return to where the group is listed. */
  const deskHomeOf = (req: FastifyRequest, a: Actor, row: store.ApplicationRow) =>
    row.channel === 'counter' && row.draft_group && rt.hooks.deskHome && a.kind !== 'anonymous' ? rt.hooks.deskHome(row.draft_group, a.kind, req.t) : undefined;
  const groupHref = (req: FastifyRequest, a: Actor, row: store.ApplicationRow) => deskHomeOf(req, a, row)?.href ?? `/applications/bundles/${row.draft_group}`;

  async function formPage(req: FastifyRequest, reply: FastifyReply, a: Actor, d: Draft, o: Partial<DraftFormModel> & { raw?: Record<string, unknown>; status?: number }) {
    const atts = await store.attachmentsOf(rt.db, [d.row.id]);
    const bundle = d.row.draft_group && d.row.bundle ? rt.catalog.bundles.get(d.row.bundle) : undefined;
    const desk = deskHomeOf(req, a, d.row);
    const m: DraftFormModel = {
      id: d.row.id,
      procedure: d.procedure,
      data: displayData(d.procedure, d.row.data, o.raw),
      prefilled: d.prefilled,
      corrections: new Map(d.row.corrections.map((c) => [c.path, c.note])),
      issues: o.issues ?? [],
      attachments: atts,
      extra: o.extra ?? {},
      bundle: desk ?? (bundle ? { href: `/applications/bundles/${d.row.draft_group}`, name: localized(bundle.names, req.locale) } : undefined),
      savedAt: o.savedAt,
      notice: o.notice,
      home: home(a),
    };
    return sendPage(reply, DraftFormPage({ ctx: pageContext(req), m }), o.status ?? 200);
  }

  // ---- finding and starting ---------------------------------------------------------------

  app.get('/procedures', { config: page, schema: { querystring: Query({ q: 100, department: 64 }) } }, async (req, reply) => {
    const q = (req.query as { q?: string }).q?.trim() ?? '';
    const department = (req.query as { department?: string }).department ?? '';
    const results = searchProcedures(rt.catalog, { q, department: department || undefined });
    const m = { q, department, lifeEvents: [...rt.catalog.bundles.values()], departments: departments(rt.catalog), results, filtered: !!(q || department) };
    return sendPage(reply, ProceduresPage({ ctx: pageContext(req), m }));
  });

  app.get('/procedures/:code', { config: page, schema: { params: Code, querystring: Query() } }, async (req, reply) => {
    const p = procedureOf(rt, req.params.code);
    const who = req.principal?.kind;
    const start =
      who === 'staff'
        ? { kind: 'staff' as const, href: `/staff/applications/new?procedure=${p.code}` }
        : p.signIn === 'required' && who !== 'resident'
          ? { kind: 'sign-in' as const, href: signIn(`/procedures/${p.code}/start`) }
          : who === 'resident' && p.signIn === 'required' && p.applicants.some((x) => x !== 'self')
            ? { kind: 'choose' as const, href: `/procedures/${p.code}/start` }
            : { kind: 'now' as const };
    const lifeEvents = [...rt.catalog.bundles.values()].filter((b) => b.procedures.some((x) => x.code === p.code));
    return sendPage(reply, ProcedurePage({ ctx: pageContext(req), m: { p, start, lifeEvents } }));
  });

  app.get('/procedures/:code/start', { config: page, schema: { params: Code, querystring: Query() } }, async (req, reply) => {
    const p = procedureOf(rt, req.params.code);
    if (req.principal?.kind === 'staff') return reply.redirect(`/staff/applications/new?procedure=${p.code}`, 303);
    if (p.signIn === 'none') return reply.redirect(`/procedures/${p.code}`, 303);
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn(req.url), 303);
    const candidates = await candidatesFor(rt, req, p, await householdOf(rt, req));
    return sendPage(reply, StartPage({ ctx: pageContext(req), p, candidates, issue: undefined }));
  });

  app.post('/procedures/:code/start', { config: page, schema: { params: Code, body: Type.Object({ _csrf: Opt, subjectId: Type.Optional(Type.String({ format: 'uuid' })) }) } }, async (req, reply) => {
    const p = procedureOf(rt, req.params.code);
    if (req.principal?.kind === 'staff') return reply.redirect(`/staff/applications/new?procedure=${p.code}`, 303);
    if (p.signIn === 'required' && req.principal?.kind !== 'resident') return reply.redirect(signIn(`/procedures/${p.code}/start`), 303);
    const a = actor(req, reply, true);
    const d = await startDraft(rt, a, p.code, req.body.subjectId && p.signIn === 'required' ? { subjectId: req.body.subjectId } : {});
    return reply.redirect(`/applications/drafts/${d.row.id}`, 303);
  });

  // ---- the form -----------------------------------------------------------------------------

  app.get('/applications/assets/form.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(FORM_SCRIPT));

  app.get('/applications/drafts/:id', { config: page, schema: { params: Id, querystring: Query({ check: 2 }) } }, async (req, reply) => {
    const a = actor(req, reply);
    const d = await loadDraft(rt, a, req.params.id);
    const check = (req.query as { check?: string }).check === '1';
    const issues = check ? await issuesOf(req, d, await store.attachmentsOf(rt.db, [d.row.id])) : [];
    return formPage(req, reply, a, d, { issues });
  });

  // Multipart (files) only here, in its own scope; the CSRF token is checked while reading the form.
  void app.register(async (scope) => {
    // Fields hold at most a 4,000-character answer; files as the slots allow; the whole post at most UPLOAD_LIMIT_BYTES.
    await scope.register(multipart, { limits: { fileSize: MAX_FILE + 1, files: 10, fields: 1000, parts: 1010, fieldSize: 16_384 }, throwFileSizeLimit: false });
    const drafts = { page: true, csrf: false, rateLimit: { max: 120, timeWindow: '1 minute' } } as const;
    (scope as unknown as App).post('/applications/drafts/:id', { config: drafts, bodyLimit: rt.config.uploadLimitBytes, schema: { params: Id } }, async (req, reply) => {
      // Whose draft it is is settled before the body is read.
      const a = actor(req, reply);
      const id = req.params.id;
      const p = (await loadDraft(rt, a, id)).procedure;
      const posted = await readPostedForm(req, rt.config.uploadLimitBytes);
      const action = first(posted, 'action') ?? 'save';
      const { raw, corrections } = parseDraftForm(p, posted.fields);
      let d = await saveDraft(rt, a, id, raw, corrections);
      if (action === 'autosave') return reply.header('cache-control', 'no-store').send({ savedAt: clockText(new Date()), issues: d.issues.length });
      const { t, locale } = req;
      const fileIssues: ShownIssue[] = [];
      let notice: string | undefined;
      for (const f of posted.files) {
        if (!p.attachments.some((s) => s.id === f.slot)) continue;
        try {
          if (f.truncated) throw new AttachmentRefused('size');
          await attachToDraft(rt, a, id, f.slot, { filename: f.filename, content: f.content });
          notice = t('applications.page.attachments.added', { name: f.filename });
        } catch (err) {
          if (!(err instanceof AttachmentRefused)) throw err;
          fileIssues.push({ path: `attachments/${f.slot}`, message: describeAttachment(p, f.slot, err.problem, locale, t) });
        }
      }
      if (action.startsWith('upload:') && !posted.files.some((f) => f.slot === action.slice(7))) {
        fileIssues.push({ path: `attachments/${action.slice(7)}`, message: t('applications.page.attachments.noFile') });
      }
      if (action.startsWith('remove-file:')) {
        await removeFromDraft(rt, a, id, action.slice(12)).catch((err: unknown) => {
          if (!(err instanceof DomainError && err.code === 'not-found')) throw err;
        });
        notice = t('applications.page.attachments.removed');
      }
      d = await loadDraft(rt, a, id);
      const extra = action.startsWith('add:') ? { [action.slice(4)]: 1 } : {};
      if (action === 'review') {
        const issues = [...fileIssues, ...(await issuesOf(req, d, await store.attachmentsOf(rt.db, [id])))];
        if (issues.length === 0) return reply.redirect(d.row.draft_group ? groupHref(req, a, d.row) : `/applications/drafts/${id}/review`, 303);
        // A counter group is finished at the counter: back to it, whatever is still open.
        if (deskHomeOf(req, a, d.row)) return reply.redirect(groupHref(req, a, d.row), 303);
        return formPage(req, reply, a, d, { raw, issues, savedAt: new Date(), status: 400 });
      }
      const issues = [...fileIssues, ...describeIssues(p, d.issues.filter(typedWrongly), locale, t)];
      return formPage(req, reply, a, d, { raw, issues, extra, notice, savedAt: new Date(), status: issues.length ? 400 : 200 });
    });
  });

  app.post('/applications/drafts/:id/discard', { config: page, schema: { params: Id, body: Type.Object({ _csrf: Opt, next: Opt }) } }, async (req, reply) => {
    const a = actor(req, reply);
    const d = await loadDraft(rt, a, req.params.id);
    await discardDraft(rt, a, d.row.id);
    const group = d.row.draft_group;
    const left = group ? await store.draftsOfGroup(rt.db, group) : [];
    const next = safeNext(req.body.next, home(a));
    return reply.redirect(group && left.length === 0 ? home(a) : next, 303);
  });

  // ---- review and send ----------------------------------------------------------------------

  app.get('/applications/drafts/:id/review', { config: page, schema: { params: Id, querystring: Query() } }, async (req, reply) => {
    const a = actor(req, reply);
    const d = await loadDraft(rt, a, req.params.id);
    if (d.row.draft_group) return reply.redirect(deskHomeOf(req, a, d.row)?.href ?? `/applications/bundles/${d.row.draft_group}/review`, 303);
    const atts = await store.attachmentsOf(rt.db, [d.row.id]);
    if ((await issuesOf(req, d, atts)).length) return reply.redirect(`/applications/drafts/${d.row.id}?check=1`, 303);
    const [it] = await reviewItems(rt, req, a, [d]);
    return sendPage(reply, ReviewPage({ ctx: pageContext(req), it: it!, problem: undefined, idempotencyKey: randomToken(18) }));
  });

  app.post('/applications/drafts/:id/submit', { config: page, schema: { params: Id, body: SendBody } }, async (req, reply) => {
    const a = actor(req, reply);
    const key = KEY.test(req.body.idempotencyKey ?? '') ? req.body.idempotencyKey : undefined;
    const again = await alreadySent(req, reply, a, key);
    if (again) return again;
    const row = await store.findApplication(rt.db, req.params.id);
    if (!row || row.owner_key !== ownerKeyOf(a)) throw notFound(`draft ${req.params.id}`);
    if (row.status !== 'draft' && row.submission_id) return afterSend(req, reply, a, row.submission_id, undefined);
    const d = await loadDraft(rt, a, row.id);
    // A counter group is sent from the counter (the visit), not one by one.
    if (d.row.draft_group) return reply.redirect(groupHref(req, a, d.row), 303);
    return send(req, reply, a, [d], null, key, async (problem, status) => {
      const [it] = await reviewItems(rt, req, a, [d]);
      return sendPage(reply, ReviewPage({ ctx: pageContext(req), it: it!, problem, idempotencyKey: randomToken(18) }), status);
    });
  });

  // ---- after sending ------------------------------------------------------------------------

  const residentCtx = (req: FastifyRequest) => rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['self-service'] });
  /** Where each sent application stands, as the case processing module says (nothing without it). */
  const progressOf = async (req: FastifyRequest, ids: string[]) => (rt.hooks.progress && ids.length ? rt.hooks.progress(ids, req.t) : new Map<string, ApplicationProgress>());

  app.get('/me/applications', { config: page, schema: { querystring: Query() } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn('/me/applications'), 303);
    const items = (await listForResident(rt, residentCtx(req))).map((i) => ({ ...i, procedure: { code: i.procedure.code, name: localized(procedureOf(rt, i.procedure.code).names, req.locale) } }));
    const sent = items.filter((i) => i.status !== 'draft');
    const progress = await progressOf(req, sent.map((i) => i.id));
    return sendPage(reply, MyApplicationsPage({ ctx: pageContext(req), drafts: items.filter((i) => i.status === 'draft'), sent, progress }));
  });

  app.get('/me/applications/:id', { config: page, schema: { params: Id, querystring: Query({ sent: 2 }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn(req.url), 303);
    const ctx = residentCtx(req);
    const { submission, applications } = await readSubmission(rt, ctx, req.params.id);
    const ids = [...new Set(applications.map((x) => x.subjectId).filter((x): x is string => !!x))];
    const names = ids.length ? await rt.registry.readNames(readContext(rt, ctx), ids) : new Map<string, string>();
    const progress = await progressOf(req, applications.map((x) => x.id));
    const m = receiptModel(rt, req, submission, applications, names, `/me/applications/${submission.id}/receipt.pdf`, false, progress);
    return sendPage(reply, ReceiptPage({ ctx: pageContext(req), m }));
  });

  const sendPdf = (reply: FastifyReply, pdf: Uint8Array) =>
    reply.header('content-type', 'application/pdf').header('content-disposition', 'inline; filename="receipt.pdf"').header('cache-control', 'no-store').send(Buffer.from(pdf));

  app.get('/me/applications/:id/receipt.pdf', { config: page, schema: { params: Id } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn(req.url), 303);
    return sendPdf(reply, await receiptPdf(rt, residentCtx(req), req.params.id, req.t, req.locale, townName()));
  });

  const Token = Type.Object({ token: Type.String({ pattern: '^[0-9a-f-]{36,100}$' }) });
  async function byToken(token: string) {
    const s = await store.findSubmissionByToken(rt.db, sha256Hex(token));
    if (!s) throw notFound('this status page');
    return s;
  }

  // The address is the secret: it is never sent on as a referrer.
  const noReferrer = async (_req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  };

  app.get('/applications/status/:token', { config: secretPage, onSend: noReferrer, schema: { params: Token, querystring: Query({ sent: 2 }) } }, async (req, reply) => {
    const s = await byToken(req.params.token);
    const apps = (await store.applicationsOfSubmission(rt.db, s.id)).map((x) => ({ id: x.id, reference: x.reference, procedure: { code: x.procedure_code }, subjectId: null, status: x.status, dueDate: x.due_date }));
    const m = receiptModel(rt, req, s, apps, new Map(), `/applications/status/${req.params.token}/receipt.pdf`, true, await progressOf(req, apps.map((x) => x.id)));
    return sendPage(reply, ReceiptPage({ ctx: pageContext(req), m }));
  });

  app.get('/applications/status/:token/receipt.pdf', { config: secretPage, onSend: noReferrer, schema: { params: Token } }, async (req, reply) => {
    const s = await byToken(req.params.token);
    return sendPdf(reply, await receiptPdf(rt, undefined, s.id, req.t, req.locale, townName(), `${rt.config.publicUrl}/applications/status/${req.params.token}`));
  });

  registerLifeEventPages(app, rt, kit);
  registerStaffApplicationPages(app, rt, townName);
}
