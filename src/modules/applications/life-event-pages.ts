/**
 * Life events (出生, 転入, 死亡, 被災) as one flow: choose the procedures and whom each is for,
 * fill each (a hub shows their state), review them together, send them under one receipt.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { notFound } from '../../platform/errors.js';
import { randomToken } from '../../platform/crypto.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import { bundleDrafts, startBundle, type Draft } from './drafts.js';
import { localized } from './form.js';
import { candidatesFor, defaultSubject, householdOf, reviewItems, subjectNames, type ShownIssue } from './page-form.js';
import { Code, Group, KEY, page, Query, SendBody, type PageKit } from './page-kit.js';
import { procedureOf, type Actor, type ApplicationsRuntime } from './runtime.js';
import * as store from './store.js';
import { BundleHubPage, BundleReviewPage, LifeEventPage, type HubItem } from './views/life-events.js';
import type { SubmitProblem } from './views/review.js';

export function registerLifeEventPages(app: App, rt: ApplicationsRuntime, kit: PageKit): void {
  const { actor, signIn, issuesOf, send, alreadySent } = kit;

  async function lifeEventPage(req: FastifyRequest, reply: FastifyReply, code: string, issues: ShownIssue[], chosen?: Set<string>) {
    const bundle = rt.catalog.bundles.get(code);
    if (!bundle) throw notFound(`life event ${code}`);
    const entries = bundle.procedures.map((x) => ({ procedure: procedureOf(rt, x.code), why: localized(x.why, req.locale), optional: x.optional === true }));
    let choices;
    if (req.principal?.kind === 'resident') {
      const members = await householdOf(rt, req);
      choices = [];
      for (const e of entries) {
        const candidates = await candidatesFor(rt, req, e.procedure, members, { agents: false });
        const checked = chosen ? chosen.has(e.procedure.code) : !e.optional && candidates.length > 0;
        choices.push({ ...e, candidates, subjectId: defaultSubject(e.procedure, candidates, req.principal.id), checked });
      }
    }
    const signInHref = req.principal ? undefined : signIn(`/life-events/${code}`);
    return sendPage(reply, LifeEventPage({ ctx: pageContext(req), m: { bundle, entries, choices, signInHref, issues } }), issues.length ? 400 : 200);
  }

  app.get('/life-events/:code', { config: page, schema: { params: Code, querystring: Query() } }, async (req, reply) => lifeEventPage(req, reply, req.params.code, []));

  app.post('/life-events/:code', { config: page, schema: { params: Code } }, async (req, reply) => {
    const code = req.params.code;
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn(`/life-events/${code}`), 303);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const picked = [body.procedures].flat().filter((x): x is string => typeof x === 'string').slice(0, 20);
    if (picked.length === 0) return lifeEventPage(req, reply, code, [{ path: '/procedures', message: req.t('applications.page.lifeEvent.noneChosen') }], new Set());
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const choices = picked.map((procedure) => {
      const s = body[`subject:${procedure}`];
      return { procedure, ...(typeof s === 'string' && uuid.test(s) ? { subjectId: s } : {}) };
    });
    const group = await startBundle(rt, actor(req, reply), code, choices);
    return reply.redirect(`/applications/bundles/${group}`, 303);
  });

  app.get('/applications/bundles/:group', { config: page, schema: { params: Group, querystring: Query({ check: 2 }) } }, async (req, reply) => {
    const a = actor(req, reply);
    const drafts = await bundleDrafts(rt, a, req.params.group);
    const atts = await store.attachmentsOf(rt.db, drafts.map((d) => d.row.id));
    const names = await subjectNames(rt, a, drafts);
    const items: HubItem[] = [];
    for (const d of drafts) {
      const open = (await issuesOf(req, d, atts.filter((x) => x.application_id === d.row.id))).length;
      const state = open === 0 ? 'ready' : d.row.updated_at.getTime() !== d.row.created_at.getTime() ? 'started' : 'blank';
      items.push({ draftId: d.row.id, procedure: d.procedure, subjectName: d.row.subject_person_id ? names.get(d.row.subject_person_id) : undefined, state });
    }
    const check = (req.query as { check?: string }).check === '1';
    const issues = check ? items.filter((i) => i.state !== 'ready').map((i) => ({ path: i.draftId, message: req.t('applications.page.hub.needsInput', { name: localized(i.procedure.names, req.locale) }) })) : [];
    const bundle = rt.catalog.bundles.get(drafts[0]!.row.bundle ?? '')!;
    return sendPage(reply, BundleHubPage({ ctx: pageContext(req), bundle, group: req.params.group, items, issues }), issues.length ? 400 : 200);
  });

  async function bundleReview(req: FastifyRequest, reply: FastifyReply, a: Actor, drafts: Draft[], problem: SubmitProblem | undefined, status = 200) {
    const bundle = rt.catalog.bundles.get(drafts[0]!.row.bundle ?? '')!;
    const items = await reviewItems(rt, req, a, drafts);
    const group = drafts[0]!.row.draft_group!;
    return sendPage(reply, BundleReviewPage({ ctx: pageContext(req), bundle, group, items, problem, idempotencyKey: randomToken(18) }), status);
  }

  app.get('/applications/bundles/:group/review', { config: page, schema: { params: Group, querystring: Query() } }, async (req, reply) => {
    const a = actor(req, reply);
    const drafts = await bundleDrafts(rt, a, req.params.group);
    const atts = await store.attachmentsOf(rt.db, drafts.map((d) => d.row.id));
    for (const d of drafts) {
      if ((await issuesOf(req, d, atts.filter((x) => x.application_id === d.row.id))).length) return reply.redirect(`/applications/bundles/${req.params.group}?check=1`, 303);
    }
    return bundleReview(req, reply, a, drafts, undefined);
  });

  app.post('/applications/bundles/:group/submit', { config: page, schema: { params: Group, body: SendBody } }, async (req, reply) => {
    const a = actor(req, reply);
    const key = KEY.test(req.body.idempotencyKey ?? '') ? req.body.idempotencyKey : undefined;
    const again = await alreadySent(req, reply, a, key);
    if (again) return again;
    const drafts = await bundleDrafts(rt, a, req.params.group);
    return send(req, reply, a, drafts, drafts[0]!.row.bundle, key, (problem, status) => bundleReview(req, reply, a, drafts, problem, status));
  });
}
