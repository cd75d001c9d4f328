/**
 * The lottery pages: the rounds and one round's slots, how many applied, and after the draw
 * which slots were won and the record to check the draw with — for anyone; applying and
 * withdrawing, and one's own entries with their outcome, for a signed-in resident. Forms post
 * and answer with pages: no script needed.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { recordAccess } from '../../platform/audit.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { AccessContext } from '../access/index.js';
import { ruleOf } from './booking.js';
import * as facilities from './facility-store.js';
import * as groups from './group-store.js';
import { applyForSlot, withdrawEntry, type StoredDraw } from './lottery.js';
import { slotKey } from './lottery-draw.js';
import * as store from './lottery-store.js';
import type { ReservationsRuntime } from './runtime.js';
import { nameIn, whenText } from './words.js';
import { LotteryListPage, LotteryRoundPage, type RoundModel } from './views/lottery.js';
import type { Problem } from './views/common.js';

const page = { page: true } as const;
const Opt = (n = 200) => Type.Optional(Type.String({ maxLength: n }));
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

type Values = NonNullable<RoundModel['form']>['values'];
const blank: Values = { slot: '', people: '', purposeOfUse: '', reduction: '', groupId: '', contactEmail: '' };

export function registerLotteryPages(app: App, rt: ReservationsRuntime): void {
  const ctxOf = (req: FastifyRequest): AccessContext => rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['self-service'], defaultPurpose: 'self-service' });
  const signIn = (req: FastifyRequest, reply: FastifyReply) => reply.redirect(`/auth/sign-in?next=${encodeURIComponent(req.url.split('?')[0]!)}`, 303);
  const accepting = (r: store.RoundRow) => r.state === 'open' && rt.now() >= r.applies_from && rt.now() < r.applies_until;

  app.get('/lotteries', { config: page, schema: { querystring: Type.Object({ lang: Opt(10) }) } }, async (req, reply) => {
    const rows = await store.listRounds(rt.db, { since: new Date(rt.now().getTime() - 90 * 86_400_000) });
    const fs = await facilities.loadFacilities(rt.db, { ids: [...new Set(rows.map((r) => r.facility_id))], includeInactive: true });
    const rounds = rows
      .filter((r) => r.state !== 'cancelled')
      .map((r) => ({
        id: r.id, facility: nameIn(fs.find((f) => f.id === r.facility_id)!, req.locale), name: req.locale === 'en' ? r.name_en : r.name_ja, state: r.state,
        appliesFrom: r.applies_from, appliesUntil: r.applies_until, drawsAt: r.draws_at, accepting: accepting(r),
      }));
    return sendPage(reply, LotteryListPage({ ctx: pageContext(req), rounds }));
  });

  /** The round page's model; the form's values and problems when answering a post. */
  async function model(req: FastifyRequest, round: store.RoundRow, o: { values?: Values; problems?: Problem[]; fieldErrors?: Record<string, string>; notice?: string } = {}): Promise<RoundModel> {
    const locale = req.locale;
    const f = (await facilities.loadFacilityById(rt.db, round.facility_id))!;
    const slots = await store.slotsOf(rt.db, round.id);
    const counts = await store.entryCounts(rt.db, round.id);
    const stored = round.state === 'drawn' ? (round.result as StoredDraw) : undefined;
    const wonSlots = new Set(stored ? stored.inputs.entries.filter((e) => stored.winners.includes(e.id)).map((e) => e.slot) : []);
    const unitOf = (id: string) => f.units.find((u) => u.id === id);
    const m: RoundModel = {
      id: round.id,
      facility: { code: f.code, name: nameIn(f, locale) },
      name: locale === 'en' ? round.name_en : round.name_ja,
      state: round.state,
      appliesFrom: round.applies_from,
      appliesUntil: round.applies_until,
      drawsAt: round.draws_at,
      holdHours: round.hold_hours,
      maxWins: round.max_wins,
      accepting: accepting(round),
      slots: slots.map((s) => {
        const unit = unitOf(s.unit_id);
        const key = slotKey(unit?.code ?? s.unit_id, s.starts_at);
        return { key, unit: unit?.code ?? '', unitName: unit ? nameIn(unit, locale) : '', start: s.starts_at, end: s.ends_at, entries: counts.get(`${s.unit_id}|${s.starts_at.toISOString()}`) ?? 0, won: wonSlots.has(key) };
      }),
      signInHref: `/auth/sign-in?next=${encodeURIComponent(`/lotteries/${round.id}`)}`,
      problems: o.problems ?? [],
      ...(o.notice ? { notice: o.notice } : {}),
      ...(stored && round.seed && round.drawn_at
        ? { draw: { seed: round.seed, drawnAt: round.drawn_at, inputsDigest: stored.inputsDigest, entries: stored.inputs.entries.length, winners: stored.winners.length } }
        : {}),
    };
    if (req.principal?.kind === 'resident') {
      const ctx = ctxOf(req);
      const me = ctx.principal.id;
      const mine = await rt.db.transaction(async (tx) => {
        const rows = await store.entriesOfPerson(tx, me, round.id);
        await recordAccess(tx, rt.access.auditEntry(ctx, 'lottery.read', [me], ['lottery-entry']));
        return rows;
      });
      m.mine = mine.map((e) => {
        const unit = unitOf(e.unit_id);
        return { id: e.id, what: unit ? nameIn(unit, locale) : '', when: whenText(e.starts_at, e.ends_at, locale), state: e.state, bookingId: e.booking_id };
      });
      if (m.accepting) {
        const spaces = f.units.filter((u) => slots.some((s) => s.unit_id === u.id));
        m.form = {
          capacity: Math.max(...spaces.map((u) => u.capacity ?? f.capacity), 1),
          reductions: (await facilities.reductions(rt.db)).filter((r) => r.basis !== 'group').map((r) => ({ code: r.code, name: nameIn(r, locale), percent: r.percent })),
          groups: (await groups.groupsOf(rt.db, me)).filter((g) => g.state === 'approved').map((g) => ({ id: g.id, name: g.name })),
          values: o.values ?? blank,
          fieldErrors: o.fieldErrors ?? {},
        };
      }
    }
    return m;
  }

  async function roundOr404(id: string): Promise<store.RoundRow> {
    const r = await store.findRound(rt.db, id);
    if (!r || r.state === 'cancelled') throw notFound(`lottery ${id}`);
    return r;
  }

  app.get('/lotteries/:id', { config: page, schema: { params: Id, querystring: Type.Object({ lang: Opt(10), applied: Opt(2), withdrawn: Opt(2) }) } }, async (req, reply) => {
    const round = await roundOr404(req.params.id);
    const notice = req.query.applied === '1' ? req.t('reservations.lottery.applied') : req.query.withdrawn === '1' ? req.t('reservations.lottery.withdrawn') : undefined;
    return sendPage(reply, LotteryRoundPage({ ctx: pageContext(req), m: await model(req, round, notice ? { notice } : {}) }));
  });

  app.post('/lotteries/:id/entries', { config: page, schema: { params: Id } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    const ctx = ctxOf(req);
    const round = await roundOr404(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const s = (k: string, n = 320) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, n) : '');
    const values: Values = { slot: s('slot', 120), people: s('people', 6), purposeOfUse: s('purposeOfUse', 200), reduction: s('reduction', 40), groupId: s('groupId', 40), contactEmail: s('contactEmail').trim() };
    const fieldErrors: Record<string, string> = {};
    const at = values.slot.lastIndexOf('@');
    const unit = at > 0 ? values.slot.slice(0, at) : '';
    const start = at > 0 ? values.slot.slice(at + 1) : '';
    if (!unit || Number.isNaN(Date.parse(start))) fieldErrors.slot = req.t('reservations.lottery.error.slot');
    if (!/^\d+$/.test(values.people) || Number(values.people) < 1) fieldErrors.people = req.t('reservations.book.error.people');
    if (!values.purposeOfUse.trim()) fieldErrors.purposeOfUse = req.t('reservations.book.error.purpose');
    if (values.contactEmail && !EMAIL.test(values.contactEmail)) fieldErrors.contactEmail = req.t('reservations.book.error.email');
    const answer = async (problems: Problem[], status: number) =>
      sendPage(reply, LotteryRoundPage({ ctx: pageContext(req), m: await model(req, round, { values, problems, fieldErrors }) }), status);
    if (Object.keys(fieldErrors).length) return answer(Object.entries(fieldErrors).map(([field, message]) => ({ field, message })), 400);
    try {
      await applyForSlot(rt, ctx, ctx.principal.id, round.id, {
        unit, start, people: Number(values.people), purposeOfUse: values.purposeOfUse, reduction: values.reduction || undefined,
        groupId: UUID.test(values.groupId) ? values.groupId : undefined, contactEmail: values.contactEmail || undefined, locale: req.locale,
      });
      return reply.redirect(`/lotteries/${round.id}?applied=1#mine`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const rule = ruleOf(err) ?? (err.code === 'unprocessable' && typeof err.detail?.rule === 'string' ? err.detail.rule : undefined);
      if (rule) {
        const d = err.detail ?? {};
        const key = rule.startsWith('lottery-') ? `reservations.lottery.rule.${rule}` : `reservations.rule.${rule}`;
        const message = req.t(key, { capacity: String(d.capacity ?? ''), limit: String(d.limit ?? ''), opensAt: '', lastDate: '' });
        if (rule === 'over-capacity') fieldErrors.people = message;
        if (rule === 'reduction-not-eligible') fieldErrors.reduction = message;
        return answer([{ message, ...(rule === 'over-capacity' ? { field: 'people' } : rule === 'reduction-not-eligible' ? { field: 'reduction' } : {}) }], 422);
      }
      if (err.code === 'conflict') return answer([{ message: req.t('reservations.lottery.already') }], 409);
      if (err.code === 'not-found' || err.code === 'validation') {
        fieldErrors.slot = req.t('reservations.lottery.error.slot');
        return answer([{ field: 'slot', message: fieldErrors.slot }], 400);
      }
      throw err;
    }
  });

  app.post('/lotteries/:id/entries/:entry/withdraw', { config: page, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }), entry: Type.String({ format: 'uuid' }) }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    const round = await roundOr404(req.params.id);
    try {
      await withdrawEntry(rt, ctxOf(req), req.params.entry);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'conflict') {
        return sendPage(reply, LotteryRoundPage({ ctx: pageContext(req), m: await model(req, round, { problems: [{ message: req.t('reservations.lottery.cannotWithdraw') }] }) }), 409);
      }
      throw err;
    }
    return reply.redirect(`/lotteries/${round.id}?withdrawn=1#mine`, 303);
  });
}
