/**
 * The desk's day and figures: the day's bookings of a facility (or one by its reference) with
 * checking in, taking an unpaid fee at the counter, and recording no-shows; occupancy by
 * weekday × hour; revenue from the payments ledger and the counters. Listing bookings leaves
 * an audit entry; residents' names are not shown (the booker shows the reference).
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { recordAccess } from '../../platform/audit.js';
import { DomainError } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { AccessContext } from '../access/index.js';
import * as bookings from './booking-store.js';
import type { BookingRow } from './booking-store.js';
import * as facilities from './facility-store.js';
import type { Facility } from './facility-store.js';
import { facilityOccupancy } from './occupancy.js';
import { revenueOf } from './revenue.js';
import type { ReservationsRuntime } from './runtime.js';
import { checkIn, markNoShow } from './staff.js';
import { deskOf, formOf } from './staff-pages.js';
import { bookingIdByReference } from './staff-store.js';
import { addDays, daysBetween, isDate, jst } from './time.js';
import { clockRange, nameIn } from './words.js';
import type { Problem } from './views/common.js';
import { CheckinPage, OccupancyPage, RevenuePage, type CheckinRow } from './views/staff-desk.js';

const page = { page: true } as const;
const Opt = (n = 200) => Type.Optional(Type.String({ maxLength: n }));
const REFERENCE = /^R-\d{4}-\d{6}$/;
/** The longest period the figures are worked out for at once. */
export const MAX_DAYS = 92;

export function registerStaffDeskPages(app: App, rt: ReservationsRuntime): void {
  const desk = deskOf(rt);
  const today = () => new Date(rt.now().getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
  const all = async (req: FastifyRequest) => (await facilities.loadFacilities(rt.db, { includeInactive: true })).map((f) => ({ f, code: f.code, name: nameIn(f, req.locale) }));

  function rowOf(req: FastifyRequest, b: BookingRow, f: Facility): CheckinRow {
    const now = rt.now();
    const unit = f.units.find((u) => u.id === b.unit_id);
    const live = b.ends_at > now;
    return {
      id: b.id, reference: b.reference, what: f.kind === 'bus' || !unit ? nameIn(f, req.locale) : nameIn(unit, req.locale), when: clockRange(b.starts_at, b.ends_at, req.locale),
      people: b.people, state: b.state, booker: b.booker_kind === 'non-resident' ? (b.booker_name ?? '') : req.t(b.group_id ? 'reservations.desk.bookerGroup' : 'reservations.desk.bookerResident'),
      amount: b.amount, paidBy: b.paid_by, version: b.lock_version,
      canCheckIn: live && b.state === 'confirmed', canCollect: live && b.state === 'held', canNoShow: b.state === 'confirmed' && b.starts_at <= now,
    };
  }

  async function showCheckin(req: FastifyRequest, reply: FastifyReply, ctx: AccessContext, q: { facility?: string | undefined; date?: string | undefined; reference?: string | undefined }, o: { problems?: Problem[]; notice?: string } = {}, status = 200) {
    const fs = await all(req);
    const reference = (q.reference ?? '').trim().toUpperCase();
    let chosen = fs.find((x) => x.code === q.facility) ?? fs[0];
    let date = q.date && isDate(q.date) ? q.date : today();
    let rows: BookingRow[] = [];
    const problems = [...(o.problems ?? [])];
    if (reference) {
      const id = REFERENCE.test(reference) ? await bookingIdByReference(rt.db, reference) : undefined;
      const b = id ? await bookings.findBooking(rt.db, id) : undefined;
      if (b) {
        chosen = fs.find((x) => x.f.id === b.facility_id) ?? chosen;
        date = new Date(b.starts_at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
        rows = [b];
      } else problems.push({ field: 'reference', message: req.t('reservations.desk.error.reference') });
    } else if (chosen) {
      rows = await bookings.bookingsBetween(rt.db, chosen.f.id, jst(date, '00:00'), jst(addDays(date, 1), '00:00'), ['held', 'confirmed', 'checked-in', 'no-show']);
    }
    if (rows.length) {
      const people = [...new Set(rows.map((r) => r.person_id).filter((x): x is string => !!x))];
      await recordAccess(rt.db, rt.access.auditEntry(ctx, 'booking.list', people, ['booking']));
    }
    const m = {
      facilities: fs.map(({ code, name }) => ({ code, name })), code: chosen?.code ?? '', date, reference,
      rows: chosen ? rows.map((b) => rowOf(req, b, chosen!.f)) : [], problems, ...(o.notice ? { notice: o.notice } : {}),
    };
    return sendPage(reply, CheckinPage({ ctx: pageContext(req), m }), status);
  }

  app.get('/staff/facilities/checkin', { config: page, schema: { querystring: Type.Object({ lang: Opt(10), facility: Opt(63), date: Opt(10), reference: Opt(20), done: Opt(20), ref: Opt(20) }) } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    const q = req.query;
    const notice = q.done && ['checked-in', 'no-show'].includes(q.done) && q.ref && REFERENCE.test(q.ref) ? req.t(`reservations.desk.done.${q.done}`, { reference: q.ref }) : undefined;
    return showCheckin(req, reply, ctx, q, notice ? { notice } : {});
  });

  for (const action of ['check-in', 'no-show'] as const) {
    const path = action === 'check-in' ? '/staff/facilities/checkin/:id' : '/staff/facilities/checkin/:id/no-show';
    app.post(path, { config: page, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } }, async (req, reply) => {
      const ctx = desk(req, reply);
      if (!ctx) return reply;
      const { s } = formOf(req);
      const version = /^\d+$/.test(s('version', 10)) ? Number(s('version', 10)) : undefined;
      try {
        const b = action === 'check-in' ? await checkIn(rt, ctx, req.params.id, { collect: s('collect', 1) === '1', ...(version !== undefined ? { version } : {}) }) : await markNoShow(rt, ctx, req.params.id);
        const f = (await facilities.loadFacilityById(rt.db, b.facility_id))!;
        const date = new Date(b.starts_at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
        return reply.redirect(`/staff/facilities/checkin?facility=${f.code}&date=${date}&done=${action === 'check-in' ? 'checked-in' : 'no-show'}&ref=${b.reference}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'conflict') throw err;
        const b = await bookings.findBooking(rt.db, req.params.id);
        const f = b ? await facilities.loadFacilityById(rt.db, b.facility_id) : undefined;
        const message = req.t(err.detail?.reason === 'unpaid' ? 'reservations.desk.error.unpaid' : 'reservations.desk.error.changed');
        return showCheckin(req, reply, ctx, { facility: f?.code, date: b ? new Date(b.starts_at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10) : undefined }, { problems: [{ message }] }, 409);
      }
    });
  }

  /** A checked period: from and to dates, to not before from, at most MAX_DAYS. */
  const periodOf = (req: FastifyRequest, q: { from?: string | undefined; to?: string | undefined }, back: number) => {
    const from = q.from && isDate(q.from) ? q.from : addDays(today(), -back);
    const to = q.to && isDate(q.to) ? q.to : addDays(from, back);
    const problems: Problem[] = [];
    if (to < from || daysBetween(from, to) >= MAX_DAYS) problems.push({ field: 'to', message: req.t('reservations.desk.error.period', { n: MAX_DAYS }) });
    return { from, to, problems };
  };

  app.get('/staff/facilities/occupancy', { config: page, schema: { querystring: Type.Object({ lang: Opt(10), facility: Opt(63), from: Opt(10), to: Opt(10) }) } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    const fs = await all(req);
    const chosen = fs.find((x) => x.code === req.query.facility) ?? fs[0];
    const p = periodOf(req, req.query, 27);
    const occ = chosen && p.problems.length === 0 ? await facilityOccupancy(rt.db, chosen.f, p.from, p.to) : undefined;
    const m = { facilities: fs.map(({ code, name }) => ({ code, name })), code: chosen?.code ?? '', from: p.from, to: p.to, occ, problems: p.problems };
    return sendPage(reply, OccupancyPage({ ctx: pageContext(req), m }), p.problems.length ? 400 : 200);
  });

  app.get('/staff/facilities/revenue', { config: page, schema: { querystring: Type.Object({ lang: Opt(10), from: Opt(10), to: Opt(10) }) } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    const p = periodOf(req, { from: req.query.from ?? `${today().slice(0, 7)}-01`, to: req.query.to ?? today() }, 30);
    const rev = p.problems.length === 0 ? await revenueOf(rt, p.from, p.to, req.locale) : undefined;
    const financeLink = ctx.principal.kind === 'staff' && ctx.principal.roles.includes('accountant');
    return sendPage(reply, RevenuePage({ ctx: pageContext(req), m: { from: p.from, to: p.to, rev, problems: p.problems, financeLink } }), p.problems.length ? 400 : 200);
  });
}
