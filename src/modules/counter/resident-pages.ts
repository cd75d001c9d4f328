/**
 * The resident's pre-entry pages (`/me/pre-entries`): choose procedures and for whom, fill
 * them on the ordinary form (drafts), get the QR code to show at the counter.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { DomainError } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { AccessContext } from '../access/index.js';
import { createPreEntry, deletePreEntry, ownPreEntry, preEntryState, tokenOf } from './pre-entry.js';
import { qrPng } from './qr.js';
import { readContext, type CounterRuntime } from './runtime.js';
import * as store from './store.js';
import { PreEntryListPage, PreEntryPage, type PreEntryListModel } from './views/pre-entry.js';

const Opt = (n = 200) => Type.Optional(Type.String({ maxLength: n }));
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const page = { page: true } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JST_DATE = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Tokyo' });

export function registerResidentPages(app: App, rt: CounterRuntime): void {
  const signIn = (next: string) => `/auth/sign-in?next=${encodeURIComponent(next)}`;
  /** The resident's context for their own drafts (applying names its purpose itself). */
  const residentCtx = (req: FastifyRequest): AccessContext => rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['application-intake'], defaultPurpose: 'application-intake' });
  const names = (req: FastifyRequest, codes: string[]) => codes.map((c) => rt.applications.catalog.procedures.get(c)?.names[req.locale] ?? c);

  async function listPage(req: FastifyRequest, reply: FastifyReply, o: { problem?: string; notice?: string } = {}, status = 200) {
    const ctx = residentCtx(req);
    const personId = ctx.principal.id;
    const rows = await store.preEntriesOf(rt.db, personId);
    const entries: PreEntryListModel['entries'] = [];
    for (const r of rows) {
      const choices = await rt.applications.desk.choicesOf({ personId }, r.draft_group);
      entries.push({ id: r.id, createdOn: JST_DATE.format(r.created_at), expiresOn: r.expires_on, state: preEntryState(rt, r), procedures: names(req, choices.map((c) => c.procedure)) });
    }
    const household = await rt.registry.listHouseholdForApplication(readContext(rt, ctx), personId);
    const members = household.filter((m) => m.status === 'resident');
    const me = members.find((m) => m.id === personId);
    const ordered = me ? [me, ...members.filter((m) => m.id !== personId)] : members;
    const choices = [...rt.applications.catalog.procedures.values()]
      .filter((p) => p.signIn === 'required' && (p.subjectStatus ?? 'resident') === 'resident')
      .map((p) => ({
        code: p.code,
        name: p.names[req.locale],
        summary: p.summary[req.locale],
        subjects: (p.applicants.includes('household') ? ordered : ordered.filter((m) => m.id === personId)).map((m) => ({ id: m.id, name: `${m.familyName} ${m.givenName}（${m.relationToHead}）` })),
      }));
    return sendPage(reply, PreEntryListPage({ ctx: pageContext(req), m: { entries, choices, ...o } }), status);
  }

  app.get('/me/pre-entries', { config: page, schema: { querystring: Type.Object({ lang: Opt(10), deleted: Opt(2) }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn('/me/pre-entries'), 303);
    return listPage(req, reply, req.query.deleted === '1' ? { notice: req.t('counter.pre.deleted') } : {});
  });

  app.post('/me/pre-entries', { config: page }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn('/me/pre-entries'), 303);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const picked = [body.procedures].flat().filter((x): x is string => typeof x === 'string' && rt.applications.catalog.procedures.has(x)).slice(0, 10);
    if (picked.length === 0) return listPage(req, reply, { problem: req.t('counter.pre.noneChosen') }, 400);
    const choices = [...new Set(picked)].map((procedure) => {
      const s = body[`subject:${procedure}`];
      return { procedure, ...(typeof s === 'string' && UUID.test(s) ? { subjectId: s } : {}) };
    });
    try {
      const row = await createPreEntry(rt, residentCtx(req), choices);
      return reply.redirect(`/me/pre-entries/${row.id}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || !['conflict', 'forbidden', 'validation', 'unprocessable'].includes(err.code)) throw err;
      const code = (err.detail as { procedure?: string } | undefined)?.procedure;
      const name = code ? names(req, [code])[0]! : '';
      const open = !!(err.detail as { openApplication?: unknown } | undefined)?.openApplication;
      const problem = !name ? req.t('counter.pre.refused') : req.t(open ? 'counter.pre.refused.open' : 'counter.pre.refused.one', { name });
      return listPage(req, reply, { problem }, err.code === 'conflict' ? 409 : err.code === 'forbidden' ? 403 : 400);
    }
  });

  app.get('/me/pre-entries/:id', { config: page, schema: { params: Id, querystring: Type.Object({ lang: Opt(10) }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn(req.url), 303);
    const ctx = residentCtx(req);
    const row = await ownPreEntry(rt, ctx.principal.id, req.params.id);
    const state = preEntryState(rt, row);
    const items = state === 'used' ? [] : await rt.applications.desk.items(ctx, row.draft_group);
    const household = new Map((await rt.registry.listHouseholdForApplication(readContext(rt, ctx), ctx.principal.id)).map((m) => [m.id, `${m.familyName} ${m.givenName}`]));
    const used = state === 'used' ? await store.visitApplications(rt.db, row.used_by_visit ?? '') : [];
    const m = {
      id: row.id,
      townName: rt.townName(),
      state,
      expiresOn: row.expires_on,
      token: tokenOf(rt, row),
      items: [
        ...items.map((i) => ({ draftId: i.draftId, name: i.procedure.names[req.locale], ...(i.subjectId && i.subjectId !== ctx.principal.id ? { subject: household.get(i.subjectId) ?? '' } : {}), left: i.issues.length })),
        ...used.map((u) => ({ draftId: u.application_id, name: `${u.reference} ${names(req, [u.procedure_code])[0]}`, left: 0 })),
      ],
    };
    return sendPage(reply, PreEntryPage({ ctx: pageContext(req), m }));
  });

  app.get('/me/pre-entries/:id/qr.png', { config: page, schema: { params: Id } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.code(401).type('text/plain').send('sign in');
    const row = await ownPreEntry(rt, req.principal.id, req.params.id);
    if (preEntryState(rt, row) !== 'usable') return reply.code(410).type('text/plain').send('this code can no longer be used');
    return reply.header('content-type', 'image/png').header('cache-control', 'no-store').send(await qrPng(tokenOf(rt, row)));
  });

  app.post('/me/pre-entries/:id/delete', { config: page, schema: { params: Id, body: Type.Object({ _csrf: Opt() }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect(signIn('/me/pre-entries'), 303);
    try {
      await deletePreEntry(rt, req.principal.id, req.params.id);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'conflict') throw err;
      return listPage(req, reply, { problem: req.t('counter.pre.inUse') }, 409);
    }
    return reply.redirect('/me/pre-entries?deleted=1', 303);
  });
}
