/**
 * The desk's lottery pages (`/staff/facilities/lotteries`): the rounds, opening one for a
 * facility let by lottery (slots by dates, weekdays and units), and one round — how many
 * applied per slot, drawing it once applications have closed (or cancelling it), and after
 * the draw each slot's winning booking by reference (no names).
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { DomainError } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import * as bookings from './booking-store.js';
import * as facilities from './facility-store.js';
import { cancelRound, drawRound, openRound, type StoredDraw } from './lottery.js';
import { slotKey } from './lottery-draw.js';
import * as store from './lottery-store.js';
import type { ReservationsRuntime } from './runtime.js';
import { deskOf, fieldProblems, formOf } from './staff-pages.js';
import { isDate, jst } from './time.js';
import { nameIn, whenText } from './words.js';
import type { Problem } from './views/common.js';
import { NewRoundPage, StaffRoundPage, StaffRoundsPage, type NewRoundModel, type StaffRoundModel } from './views/staff-lottery.js';

const page = { page: true } as const;
const Opt = (n = 200) => Type.Optional(Type.String({ maxLength: n }));
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function registerStaffLotteryPages(app: App, rt: ReservationsRuntime): void {
  const desk = deskOf(rt);

  app.get('/staff/facilities/lotteries', { config: page, schema: { querystring: Type.Object({ lang: Opt(10), cancelled: Opt(2) }) } }, async (req, reply) => {
    if (!desk(req, reply)) return reply;
    const rows = await store.listRounds(rt.db, { limit: 200 });
    const fs = await facilities.loadFacilities(rt.db, { ids: [...new Set(rows.map((r) => r.facility_id))], includeInactive: true });
    const rounds = [];
    for (const r of rows) {
      const counts = await store.entryCounts(rt.db, r.id);
      rounds.push({
        id: r.id, facility: nameIn(fs.find((f) => f.id === r.facility_id)!, req.locale), name: req.locale === 'en' ? r.name_en : r.name_ja, state: r.state,
        appliesUntil: r.applies_until, drawsAt: r.draws_at, slots: (await store.slotsOf(rt.db, r.id)).length, entries: [...counts.values()].reduce((a, b) => a + b, 0),
      });
    }
    const notice = req.query.cancelled === '1' ? req.t('reservations.desk.lottery.cancelled') : undefined;
    return sendPage(reply, StaffRoundsPage({ ctx: pageContext(req), m: { rounds, ...(notice ? { notice } : {}) } }));
  });

  async function showNew(req: FastifyRequest, reply: FastifyReply, code: string, o: Partial<NewRoundModel> = {}, status = 200) {
    const fs = (await facilities.loadFacilities(rt.db)).filter((f) => f.lottery && f.kind !== 'bus');
    const f = fs.find((x) => x.code === code);
    const units = f ? f.units.filter((u) => u.kind === 'space').map((u) => ({ code: u.code, name: nameIn(u, req.locale) })) : [];
    const m: NewRoundModel = {
      facilities: fs.map((x) => ({ code: x.code, name: nameIn(x, req.locale) })), code: f?.code ?? '', units, values: {}, weekdays: [0, 6], chosenUnits: units.map((u) => u.code),
      fieldErrors: {}, problems: [], ...o,
    };
    return sendPage(reply, NewRoundPage({ ctx: pageContext(req), m }), status);
  }

  app.get('/staff/facilities/lotteries/new', { config: page, schema: { querystring: Type.Object({ lang: Opt(10), facility: Opt(63) }) } }, async (req, reply) => {
    if (!desk(req, reply)) return reply;
    return showNew(req, reply, req.query.facility ?? '');
  });

  app.post('/staff/facilities/lotteries', { config: page }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    const { s, has } = formOf(req);
    const code = s('facility', 63);
    const f = (await facilities.loadFacilities(rt.db, { codes: [code] }))[0];
    if (!f) return showNew(req, reply, '', {}, 404);
    const keys = ['nameJa', 'nameEn', 'appliesFromDate', 'appliesFromTime', 'appliesUntilDate', 'appliesUntilTime', 'drawsAtDate', 'drawsAtTime', 'from', 'to', 'holdHours', 'maxWins'];
    const values = Object.fromEntries(keys.map((k) => [k, s(k, 100)]));
    const weekdays = [0, 1, 2, 3, 4, 5, 6].filter((w) => has(`weekday-${w}`));
    const chosenUnits = f.units.filter((u) => u.kind === 'space' && has(`unit-${u.code}`)).map((u) => u.code);
    const fieldErrors: Record<string, string> = {};
    const at = (d: string, tm: string, field: string) => {
      if (!isDate(d) || !TIME.test(tm)) {
        fieldErrors[field] = req.t('reservations.desk.error.when');
        return new Date(NaN);
      }
      return jst(d, tm);
    };
    const appliesFrom = at(values.appliesFromDate!, values.appliesFromTime || '09:00', 'appliesFrom');
    const appliesUntil = at(values.appliesUntilDate!, values.appliesUntilTime || '17:00', 'appliesUntil');
    const drawsAt = at(values.drawsAtDate!, values.drawsAtTime || '10:00', 'drawsAt');
    if (!values.nameJa) fieldErrors.nameJa = req.t('reservations.desk.error.required');
    if (!isDate(values.from!) || !isDate(values.to!)) fieldErrors.from = req.t('reservations.desk.error.when');
    if (weekdays.length === 0 || chosenUnits.length === 0) fieldErrors.slots = req.t('reservations.desk.error.slots');
    const holdHours = /^\d+$/.test(values.holdHours!) ? Number(values.holdHours) : 72;
    const maxWins = /^\d+$/.test(values.maxWins!) ? Number(values.maxWins) : 1;
    if (holdHours < 1 || holdHours > 336) fieldErrors.holdHours = req.t('reservations.desk.error.field', { message: '1–336' });
    if (maxWins < 1 || maxWins > 100) fieldErrors.maxWins = req.t('reservations.desk.error.field', { message: '1–100' });
    const again = (problems: Problem[], fe: Record<string, string>, status: number) => showNew(req, reply, f.code, { values, weekdays, chosenUnits, fieldErrors: fe, problems }, status);
    const first = (fe: Record<string, string>) => Object.entries(fe).map(([field, message]) => ({ field: field === 'appliesFrom' || field === 'appliesUntil' || field === 'drawsAt' ? `${field}Date` : field === 'slots' ? 'from' : field, message }));
    if (Object.keys(fieldErrors).length) return again(first(fieldErrors), fieldErrors, 400);
    try {
      const round = await openRound(rt, ctx, {
        facility: f.code, nameJa: values.nameJa!, nameEn: values.nameEn, appliesFrom, appliesUntil, drawsAt, holdHours, maxWins,
        pattern: { from: values.from!, to: values.to!, weekdays, units: chosenUnits },
      });
      return reply.redirect(`/staff/facilities/lotteries/${round.id}?opened=1`, 303);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'conflict') {
        const slots = Array.isArray(err.detail?.slots) ? (err.detail.slots as string[]).join('、') : '';
        const key = err.detail?.reason === 'slot-in-other-round' ? 'reservations.desk.error.otherRound' : 'reservations.desk.error.slotTaken';
        return again([{ message: req.t(key, { slots }) }], {}, 409);
      }
      const p = fieldProblems(err, req.t);
      if (!p) throw err;
      return again(first(p.fieldErrors), p.fieldErrors, 400);
    }
  });

  async function showRound(req: FastifyRequest, reply: FastifyReply, id: string, o: { problems?: Problem[]; notice?: string } = {}, status = 200) {
    const round = await store.findRound(rt.db, id);
    if (!round) throw new DomainError('not-found', `lottery ${id}`);
    const f = (await facilities.loadFacilityById(rt.db, round.facility_id))!;
    const slots = await store.slotsOf(rt.db, round.id);
    const counts = await store.entryCounts(rt.db, round.id);
    const stored = round.state === 'drawn' ? (round.result as StoredDraw) : undefined;
    const winners = new Map<string, { reference: string; state: string }>();
    if (stored) {
      for (const e of await store.entriesOf(rt.db, round.id, ['won'])) {
        const b = e.booking_id ? await bookings.findBooking(rt.db, e.booking_id) : undefined;
        const unit = f.units.find((u) => u.id === e.unit_id);
        if (b) winners.set(slotKey(unit?.code ?? e.unit_id, e.starts_at), { reference: b.reference, state: b.state });
      }
    }
    const now = rt.now();
    const m: StaffRoundModel = {
      id: round.id, title: `${nameIn(f, req.locale)} ${req.locale === 'en' ? round.name_en : round.name_ja}`, state: round.state,
      appliesFrom: round.applies_from, appliesUntil: round.applies_until, drawsAt: round.draws_at,
      slots: slots.map((s) => {
        const unit = f.units.find((u) => u.id === s.unit_id);
        const key = slotKey(unit?.code ?? s.unit_id, s.starts_at);
        const w = winners.get(key);
        return { key, when: whenText(s.starts_at, s.ends_at, req.locale), unit: unit ? nameIn(unit, req.locale) : '', entries: counts.get(`${s.unit_id}|${s.starts_at.toISOString()}`) ?? 0, ...(w ? { winner: w } : {}) };
      }),
      entries: [...counts.values()].reduce((a, b) => a + b, 0),
      canDraw: round.state === 'open' && now >= round.applies_until,
      canCancel: round.state === 'open',
      ...(stored && round.seed && round.drawn_at ? { draw: { seed: round.seed, digest: stored.inputsDigest, winners: stored.winners.length, drawnAt: round.drawn_at } } : {}),
      problems: o.problems ?? [],
      ...(o.notice ? { notice: o.notice } : {}),
    };
    return sendPage(reply, StaffRoundPage({ ctx: pageContext(req), m }), status);
  }

  app.get('/staff/facilities/lotteries/:id', { config: page, schema: { params: Id, querystring: Type.Object({ lang: Opt(10), opened: Opt(2), drawn: Opt(2) }) } }, async (req, reply) => {
    if (!desk(req, reply)) return reply;
    const notice = req.query.opened === '1' ? req.t('reservations.desk.lottery.opened') : req.query.drawn === '1' ? req.t('reservations.desk.lottery.drawn') : undefined;
    return showRound(req, reply, req.params.id, notice ? { notice } : {});
  });

  app.post('/staff/facilities/lotteries/:id/draw', { config: page, schema: { params: Id } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    try {
      await drawRound(rt, req.params.id, { staffId: ctx.principal.id });
      return reply.redirect(`/staff/facilities/lotteries/${req.params.id}?drawn=1`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || (err.code !== 'conflict' && err.code !== 'unprocessable')) throw err;
      const key = err.code === 'unprocessable' ? 'reservations.desk.lottery.notYet' : err.detail?.reason === 'slot-taken' ? 'reservations.desk.error.drawTaken' : 'reservations.desk.error.drawnAlready';
      return showRound(req, reply, req.params.id, { problems: [{ message: req.t(key) }] }, err.code === 'unprocessable' ? 422 : 409);
    }
  });

  app.post('/staff/facilities/lotteries/:id/cancel', { config: page, schema: { params: Id } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    try {
      await cancelRound(rt, ctx, req.params.id);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'conflict') throw err;
      return showRound(req, reply, req.params.id, { problems: [{ message: req.t('reservations.desk.error.drawnAlready') }] }, 409);
    }
    return reply.redirect('/staff/facilities/lotteries?cancelled=1', 303);
  });
}
