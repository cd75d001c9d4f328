/**
 * The counter's start screen and the ways into a visit: a pre-entry code (scanner, camera or
 * typed), a card read, or a search — each ending on a confirmation the clerk gives against
 * the visitor's ID. Names and card data travel only in POST bodies, never in addresses.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { DomainError } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { AccessContext } from '../access/index.js';
import { CardReadError } from './card/types.js';
import { demoCard, variantGlyphName } from './card/demo.js';
import { SimulatedCardReader, type SimulatedCard } from './card/simulated.js';
import { preEntryFromCode, PreEntryRefused } from './pre-entry.js';
import { readContext, type CounterRuntime } from './runtime.js';
import * as store from './store.js';
import { identification, startVisit, type Refused } from './visits.js';
import { randomToken } from '../../platform/crypto.js';
import { ConfirmPage, ResultsPage, StartPage, type ConfirmModel, type StartModel } from './views/start.js';

export const PURPOSE = 'counter-service';
export const ROLES = ['counter-clerk'];
const Opt = (n = 200) => Type.Optional(Type.String({ maxLength: n }));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEARCH_LIMIT = 30;
/** The simulated cards' PIN (demo and development only). */
export const DEMO_PIN = '1234';

/** What could not be added, for the visit screen's notices: procedure codes, reasons and references (no personal data). */
export const refusedQuery = (refused: readonly Refused[]): string =>
  refused.length ? `?refused=${encodeURIComponent(refused.map((r) => [r.procedure, r.reason, r.reference ?? ''].join(':')).join(','))}` : '';

export function registerStartPages(app: App, rt: CounterRuntime): void {
  /** The clerk on a counter page with the counter purpose, or undefined after a redirect. */
  const clerk = (req: FastifyRequest, reply: FastifyReply): AccessContext | undefined => {
    const staff = rt.access.staffPage(req, reply, { purposes: [PURPOSE], roles: ROLES });
    return staff ? rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [PURPOSE] }) : undefined;
  };
  // One card per demo person and variant, so a locked card stays locked (this process only).
  const cards = new Map<string, SimulatedCard>();

  /** The simulated reader's cards: demo residents, with some whose names have another glyph (to try a key match). */
  async function demoCards(): Promise<{ id: string; label: string }[]> {
    const people = await rt.registry.listDemoResidents(300);
    const variants = people.filter((r) => variantGlyphName(`${r.familyName}${r.givenName}`) !== undefined).slice(0, 4);
    const chosen = [...people.slice(0, 12), ...variants.filter((v) => !people.slice(0, 12).includes(v))];
    return chosen.map((r) => ({ id: r.id, label: `${r.familyName} ${r.givenName}（${r.birthDate}）` }));
  }

  async function start(req: FastifyRequest, reply: FastifyReply, ctx: AccessContext, o: Partial<StartModel> = {}, status = 200) {
    const reader: StartModel['reader'] = rt.config.counter.cardReader === 'simulated' ? { kind: 'simulated', pin: DEMO_PIN, cards: await demoCards() } : { kind: 'none' };
    const rows = await store.openVisitsOf(rt.db, ctx.principal.id);
    const names = rows.length ? await rt.registry.readNames(readContext(rt, ctx), [...new Set(rows.map((v) => v.person_id))]) : new Map<string, string>();
    const open = rows.map((v) => ({ id: v.id, reference: v.reference, startedAt: v.started_at, state: v.state, startedBy: v.started_by, name: names.get(v.person_id) ?? '' }));
    const m: StartModel = { purpose: ctx.purpose, code: '', query: '', reader, open, ...o };
    return sendPage(reply, StartPage({ ctx: pageContext(req), m }), status);
  }

  app.get('/staff/counter', { config: { page: true }, schema: { querystring: Type.Object({ lang: Opt(10), ended: Opt(40), abandoned: Opt(40) }) } }, async (req, reply) => {
    const ctx = clerk(req, reply);
    if (!ctx) return reply;
    const q = req.query;
    const ref = (x: string | undefined) => (x && /^V-\d{4}-\d{6}$/.test(x) ? x : undefined);
    const notice = ref(q.ended) ? req.t('counter.ended', { reference: q.ended! }) : ref(q.abandoned) ? req.t('counter.abandoned', { reference: q.abandoned! }) : undefined;
    return start(req, reply, ctx, { notice });
  });

  // ---- 1. a pre-entry code ------------------------------------------------------------------

  app.post('/staff/counter/code', { config: { page: true }, schema: { body: Type.Object({ _csrf: Opt(), code: Opt(200) }) } }, async (req, reply) => {
    const ctx = clerk(req, reply);
    if (!ctx) return reply;
    const code = req.body.code ?? '';
    try {
      const pre = await preEntryFromCode(rt, code);
      const person = await rt.registry.personForCounter(readContext(rt, ctx), pre.person_id);
      const choices = await rt.applications.desk.choicesOf({ personId: pre.person_id }, pre.draft_group);
      const names = choices.map((c) => rt.applications.catalog.procedures.get(c.procedure)?.names[req.locale] ?? c.procedure);
      if (person.status !== 'resident') throw new PreEntryRefused('unknown');
      const m: ConfirmModel = { person, how: 'pre-entry', key: randomToken(18), preEntry: { code: code.trim(), expiresOn: pre.expires_on, procedures: names } };
      return sendPage(reply, ConfirmPage({ ctx: pageContext(req), m }));
    } catch (err) {
      if (err instanceof PreEntryRefused) {
        const message = req.t(`counter.code.${err.problem}`, { date: err.expiresOn ?? '' });
        return start(req, reply, ctx, { problem: { way: 'code', message }, code: code.slice(0, 200) }, err.problem === 'used' ? 409 : 422);
      }
      throw err;
    }
  });

  // ---- 2. the card ----------------------------------------------------------------------------

  app.post(
    '/staff/counter/card',
    { config: { page: true }, schema: { body: Type.Object({ _csrf: Opt(), card: Opt(64), variant: Opt(20), pin: Opt(20) }) } },
    async (req, reply) => {
      const ctx = clerk(req, reply);
      if (!ctx) return reply;
      const { t } = req;
      const fail = (message: string, status = 422) => start(req, reply, ctx, { problem: { way: 'card', message } }, status);
      if (rt.config.counter.cardReader !== 'simulated') return fail(t('counter.start.card.none'), 409);
      const pin = req.body.pin ?? '';
      if (!/^\d{4}$/.test(pin)) return fail(t('counter.card.error.pin'), 400);
      const id = req.body.card ?? '';
      const variant = (['exact', 'variant-kanji', 'old-address'] as const).find((v) => v === req.body.variant) ?? 'exact';
      let card = cards.get(`${id}|${variant}`);
      if (!card) {
        // Only the demo town's people have simulated cards.
        const holder = UUID.test(id) ? await rt.registry.personForCounter(readContext(rt, ctx), id).catch((err: unknown) => {
              if (err instanceof DomainError && err.code === 'not-found') return undefined;
              throw err;
            }) : undefined;
        if (!holder?.demo) return fail(t('counter.card.error.no-card'), 400);
        card = demoCard(holder, { variant, pin: DEMO_PIN });
        cards.set(`${id}|${variant}`, card);
      }
      let fields;
      try {
        fields = await new SimulatedCardReader(card).read(pin);
      } catch (err) {
        if (!(err instanceof CardReadError)) throw err;
        return fail(t(err.reason === 'wrong-pin' && err.triesLeft === 1 ? 'counter.card.error.last-try' : `counter.card.error.${err.reason}`, { left: err.triesLeft ?? 0 }));
      }
      const match = await rt.registry.matchCard(readContext(rt, ctx), fields);
      const only = match.people.length === 1 ? match.people[0] : undefined;
      if (match.how !== 'none' && only) {
        const person = await rt.registry.personForCounter(readContext(rt, ctx), only.id);
        const m: ConfirmModel = { person, how: 'card', key: randomToken(18), ident: identification(rt, ctx, person.id, 'card'), card: { fields, candidate: only, how: match.how } };
        return sendPage(reply, ConfirmPage({ ctx: pageContext(req), m }));
      }
      // Several or nobody: never picked for the clerk — a search, started from what the card says.
      const query = `${fields.name} ${fields.birthDate}`.trim();
      const people = match.how === 'none' ? await rt.registry.searchForCounter(readContext(rt, ctx), fields.birthDate, SEARCH_LIMIT) : match.people;
      const notice = t(match.how === 'none' ? 'counter.card.none' : 'counter.card.several');
      return sendPage(reply, ResultsPage({ ctx: pageContext(req), m: { query, people, limit: SEARCH_LIMIT, notice, card: fields, how: 'card', ident: (id) => identification(rt, ctx, id, 'card') } }));
    },
  );

  // ---- 3. a search ----------------------------------------------------------------------------

  app.post('/staff/counter/search', { config: { page: true }, schema: { body: Type.Object({ _csrf: Opt(), q: Opt(100) }) } }, async (req, reply) => {
    const ctx = clerk(req, reply);
    if (!ctx) return reply;
    const query = (req.body.q ?? '').trim();
    if (!query) return start(req, reply, ctx, { problem: { way: 'search', message: req.t('counter.search.empty') } }, 400);
    const people = await rt.registry.searchForCounter(readContext(rt, ctx), query, SEARCH_LIMIT);
    return sendPage(reply, ResultsPage({ ctx: pageContext(req), m: { query, people, limit: SEARCH_LIMIT, how: 'search', ident: (id) => identification(rt, ctx, id, 'search') } }));
  });

  app.post(
    '/staff/counter/confirm',
    { config: { page: true }, schema: { body: Type.Object({ _csrf: Opt(), personId: Type.String({ format: 'uuid' }), how: Opt(20), ident: Opt(600) }) } },
    async (req, reply) => {
      const ctx = clerk(req, reply);
      if (!ctx) return reply;
      const person = await rt.registry.personForCounter(readContext(rt, ctx), req.body.personId);
      const how = req.body.how === 'card' ? 'card' : 'search';
      // The proof given with the results travels on to the start (a hit of this clerk's own search or card read).
      return sendPage(reply, ConfirmPage({ ctx: pageContext(req), m: { person, how, key: randomToken(18), ...(req.body.ident ? { ident: req.body.ident } : {}) } }));
    },
  );

  // ---- the visit opens ------------------------------------------------------------------------

  app.post(
    '/staff/counter/visits',
    {
      config: { page: true },
      schema: {
        body: Type.Object({ _csrf: Opt(), personId: Type.String({ format: 'uuid' }), startedBy: Type.Enum(['pre-entry', 'card', 'search']), code: Opt(200), ident: Opt(600), key: Opt(64) }),
      },
    },
    async (req, reply) => {
      const ctx = clerk(req, reply);
      if (!ctx) return reply;
      const b = req.body;
      try {
        const key = b.key && /^[A-Za-z0-9_-]{16,64}$/.test(b.key) ? b.key : undefined;
        const { visit, refused } = await startVisit(rt, ctx, { personId: b.personId, startedBy: b.startedBy, ...(b.code ? { code: b.code } : {}), ...(b.ident ? { ident: b.ident } : {}), ...(key ? { key } : {}) });
        return reply.redirect(`/staff/counter/visits/${visit.id}${refusedQuery(refused)}`, 303);
      } catch (err) {
        if (err instanceof PreEntryRefused) {
          return start(req, reply, ctx, { problem: { way: 'code', message: req.t(`counter.code.${err.problem}`, { date: err.expiresOn ?? '' }) } }, err.code === 'conflict' ? 409 : 422);
        }
        if (err instanceof DomainError && err.code === 'not-found') return start(req, reply, ctx, { problem: { way: 'search', message: req.t('counter.search.gone') } }, 404);
        if (err instanceof DomainError && err.code === 'unprocessable') return start(req, reply, ctx, { problem: { way: 'search', message: req.t('counter.start.identify') } }, 422);
        throw err;
      }
    },
  );
}
