/**
 * The facility pages anyone can read — the list, a facility, its month and week calendars,
 * its public calendar feed (no names) — and the forms a signed-in resident books with or
 * joins the waiting list with. Every form posts and answers with a page: no script needed.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { DomainError } from '../../platform/errors.js';
import { translator } from '../../platform/i18n.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { AccessContext } from '../access/index.js';
import { createBooking, resolveTarget, ruleOf, type BookingInput, type Target } from './booking.js';
import * as bookings from './booking-store.js';
import { summarise, tripDays, unitDays } from './calendar.js';
import * as facilities from './facility-store.js';
import type { Facility } from './facility-store.js';
import * as groups from './group-store.js';
import { calendar, type IcalEvent } from './ical.js';
import { lastChangeOf } from './read.js';
import type { ReservationsRuntime } from './runtime.js';
import { addDays, addMonths, daysInMonth, isDate, monthOf, weekdayOf } from './time.js';
import { joinWaitlist } from './waitlist.js';
import { clockRange, momentText, nameIn, whenText } from './words.js';
import { BookPage, SlotRefusedPage, type BookModel } from './views/book.js';
import { MonthPage, WeekPage, type WeekCell, type WeekModel } from './views/calendar.js';
import { RESERVATIONS_CSS, RESERVATIONS_CSS_HREF, type Problem } from './views/common.js';
import { FacilityListPage, FacilityPage } from './views/facilities.js';

const page = { page: true } as const;
const Opt = (n = 200) => Type.Optional(Type.String({ maxLength: n }));
const CodeParams = Type.Object({ code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function registerFacilityPages(app: App, rt: ReservationsRuntime): void {
  const today = () => new Date(rt.now().getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
  async function facilityOr404(code: string): Promise<Facility> {
    const f = await facilities.loadFacility(rt.db, code);
    if (!f) throw new DomainError('not-found', `facility ${code}`);
    return f;
  }

  app.get(RESERVATIONS_CSS_HREF, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(RESERVATIONS_CSS));

  app.get('/facilities', { config: page, schema: { querystring: Type.Object({ lang: Opt(10) }) } }, async (req, reply) =>
    sendPage(reply, FacilityListPage({ ctx: pageContext(req), facilities: await facilities.loadFacilities(rt.db) })),
  );

  app.get('/facilities/:code', { config: page, schema: { params: CodeParams, querystring: Type.Object({ lang: Opt(10) }) } }, async (req, reply) => {
    const f = await facilityOr404(req.params.code);
    const reductions = (await facilities.reductions(rt.db)).filter((r) => r.basis !== 'group' || f.kind !== 'bus');
    return sendPage(reply, FacilityPage({ ctx: pageContext(req), f, reductions, icsUrl: `/facilities/${f.code}/calendar.ics` }));
  });

  app.get('/facilities/:code/calendar', { config: page, schema: { params: CodeParams, querystring: Type.Object({ lang: Opt(10), month: Opt(7) }) } }, async (req, reply) => {
    const f = await facilityOr404(req.params.code);
    const now = today();
    const asked = req.query.month && /^\d{4}-\d{2}$/.test(req.query.month) && isDate(`${req.query.month}-01`) ? `${req.query.month}-01` : monthOf(now);
    // From this month up to two years on.
    const month = asked < monthOf(now) ? monthOf(now) : asked > addMonths(monthOf(now), 24) ? addMonths(monthOf(now), 24) : asked;
    const n = daysInMonth(month);
    const summaries = new Map<string, ReturnType<typeof summarise>>();
    if (f.kind === 'bus') {
      const trips = await tripDays(rt.db, f, month, n, rt.now());
      for (let i = 0; i < n; i += 1) {
        const date = addDays(month, i);
        summaries.set(date, summarise(date, trips.filter((c) => clockDate(c.trip.departsAt) === date).map((c) => ({ status: c.status, ...(c.opensAt ? { opensAt: c.opensAt } : {}) }))));
      }
    } else {
      const days = await unitDays(rt.db, f, month, n, rt.now());
      for (let i = 0; i < n; i += 1) {
        const date = addDays(month, i);
        summaries.set(date, summarise(date, days.filter((d) => d.date === date).flatMap((d) => d.cells)));
      }
    }
    const weeks: (ReturnType<typeof summarise> | null)[][] = [];
    let week: (ReturnType<typeof summarise> | null)[] = Array.from({ length: weekdayOf(month) }, () => null);
    for (let i = 0; i < n; i += 1) {
      week.push(summaries.get(addDays(month, i))!);
      if (week.length === 7) {
        weeks.push(week);
        week = [];
      }
    }
    if (week.length) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
    const m = { code: f.code, name: nameIn(f, req.locale), month, weeks, prev: month > monthOf(now) ? addMonths(month, -1) : undefined, next: addMonths(month, 1), today: now };
    return sendPage(reply, MonthPage({ ctx: pageContext(req), m }));
  });

  app.get('/facilities/:code/week', { config: page, schema: { params: CodeParams, querystring: Type.Object({ lang: Opt(10), from: Opt(10) }) } }, async (req, reply) => {
    const f = await facilityOr404(req.params.code);
    const now = today();
    const asked = req.query.from && isDate(req.query.from) ? req.query.from : now;
    const from = asked < now ? now : asked > addDays(now, 800) ? addDays(now, 800) : asked;
    const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
    const signedIn = req.principal?.kind === 'resident';
    const hrefs = (kind: 'book' | 'wait', q: Record<string, string>) => `/facilities/${f.code}/${kind}?${new URLSearchParams(q).toString()}`;
    const m: WeekModel = { code: f.code, name: nameIn(f, req.locale), from, days, prev: from > now ? addDays(from, -7) < now ? now : addDays(from, -7) : undefined, next: addDays(from, 7), units: [], trips: [], bus: f.kind === 'bus' };
    if (f.kind === 'bus') {
      m.trips = (await tripDays(rt.db, f, from, 7, rt.now())).map((c) => ({
        id: c.trip.id, date: clockDate(c.trip.departsAt), time: clockRange(c.trip.departsAt, c.trip.returnsAt, req.locale), route: req.locale === 'en' ? c.trip.routeEn : c.trip.routeJa,
        fare: c.trip.fare, free: c.free, seats: c.seats, status: c.status, ...(c.opensAt ? { opensAt: c.opensAt } : {}),
        ...(c.status === 'available' ? { bookHref: hrefs('book', { trip: c.trip.id }) } : {}),
        ...(c.status === 'taken' && signedIn ? { waitHref: hrefs('wait', { trip: c.trip.id }) } : {}),
      }));
    } else {
      const unitDaysList = await unitDays(rt.db, f, from, 7, rt.now());
      for (const unit of f.units.filter((u) => u.kind === 'space')) {
        const mine = unitDaysList.filter((d) => d.unit.id === unit.id);
        const times = new Map<string, { name?: string; label: string }>();
        for (const d of mine) {
          for (const c of d.cells) times.set(`${c.slot.from}-${c.slot.to}`, { ...(c.slot.period ? { name: nameIn(c.slot.period, req.locale) } : {}), label: clockRange(c.slot.start, c.slot.end, req.locale) });
        }
        const rows = [...times].sort(([a], [b]) => a.localeCompare(b)).map(([time, l]) => ({
          time,
          ...l,
          cells: days.map((date): WeekCell | null => {
            const c = mine.find((d) => d.date === date)?.cells.find((x) => `${x.slot.from}-${x.slot.to}` === time);
            if (!c) return null;
            const q = { unit: unit.code, start: c.slot.start.toISOString() };
            return {
              date, status: c.status, ...(c.opensAt ? { opensAt: c.opensAt } : {}),
              ...(c.status === 'available' ? { bookHref: hrefs('book', q) } : {}),
              ...(c.status === 'taken' && signedIn ? { waitHref: hrefs('wait', q) } : {}),
            };
          }),
        }));
        m.units.push({ code: unit.code, name: nameIn(unit, req.locale), rows });
      }
    }
    return sendPage(reply, WeekPage({ ctx: pageContext(req), m }));
  });

  // ---- the public feed: what is booked and closed, never by whom --------------------------------

  app.get('/facilities/:code/calendar.ics', { schema: { params: CodeParams } }, async (req, reply) => {
    const f = await facilityOr404(req.params.code);
    const now = rt.now();
    const from = new Date(now.getTime() - 7 * 86_400_000);
    const to = new Date(now.getTime() + 120 * 86_400_000);
    const rows = await bookings.bookingsBetween(rt.db, f.id, from, to, ['held', 'confirmed', 'checked-in']);
    const blocks = await facilities.blocksBetween(rt.db, f.id, from, to);
    const unitName = (id: string | null) => (id ? f.units.find((u) => u.id === id)?.nameJa : undefined);
    const host = new URL(rt.config.publicUrl).host;
    const ja = translator('ja');
    const bookedEvents: IcalEvent[] =
      f.kind === 'bus'
        ? // The bus: one event per trip saying how many seats are taken — not one per seat.
          [...groupBy(rows, (b) => b.trip_id ?? b.id)].map(([trip, seats]) => ({
            uid: `trip-${trip}@${host}`, start: seats[0]!.starts_at, end: seats[0]!.ends_at,
            summary: `${f.nameJa} ${ja('reservations.feed.seats', { n: seats.length, seats: f.units.filter((u) => u.kind === 'seat').length })}`,
            location: f.placeJa, status: seats.some((b) => b.state !== 'held') ? ('CONFIRMED' as const) : ('TENTATIVE' as const),
            modified: new Date(Math.max(...seats.map((b) => lastChangeOf(b).getTime()))),
          }))
        : rows.map((b) => ({
            uid: `slot-${b.id}@${host}`, start: b.starts_at, end: b.ends_at, summary: `${unitName(b.unit_id) ?? ''} ${ja('reservations.status.taken')}`.trim(),
            location: f.placeJa, status: b.state === 'held' ? ('TENTATIVE' as const) : ('CONFIRMED' as const), modified: lastChangeOf(b), sequence: b.lock_version,
          }));
    const events: IcalEvent[] = [
      ...bookedEvents,
      ...blocks.map((k) => ({ uid: `closed-${k.id}@${host}`, start: k.start, end: k.end, summary: `${unitName(k.unitId) ?? f.nameJa} ${k.noteJa || ja('reservations.status.closed')}`, location: f.placeJa, status: 'CONFIRMED' as const })),
    ];
    return reply
      .type('text/calendar; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('content-disposition', `inline; filename="${f.code}.ics"`)
      .send(calendar({ name: `${rt.townName()} ${f.nameJa}`, events, now }));
  });

  // ---- booking and waiting: a signed-in resident -------------------------------------------------

  const residentCtx = (req: FastifyRequest): AccessContext => rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['self-service'], defaultPurpose: 'self-service' });
  const signIn = (req: FastifyRequest, reply: FastifyReply) => reply.redirect(`/auth/sign-in?next=${encodeURIComponent(req.url)}`, 303);

  async function formModel(req: FastifyRequest, mode: 'book' | 'wait', t: Target, values: BookModel['values'], problems: Problem[] = [], fieldErrors: Record<string, string> = {}, waitHref?: string): Promise<BookModel> {
    const f = t.facility;
    const personId = req.principal!.id;
    const mine = (await groups.groupsOf(rt.db, personId)).filter((g) => g.state === 'approved');
    const reductions = (await facilities.reductions(rt.db)).filter((r) => r.basis !== 'group');
    return {
      mode, code: f.code, facility: nameIn(f, req.locale), bus: f.kind === 'bus',
      what: t.trip ? (req.locale === 'en' ? t.trip.routeEn : t.trip.routeJa) : nameIn(t.unit!, req.locale),
      when: whenText(t.start, t.end, req.locale),
      ...(t.unit ? { unit: t.unit.code, start: t.start.toISOString() } : {}), ...(t.trip ? { trip: t.trip.id } : {}),
      capacity: t.unit?.capacity ?? f.capacity, base: t.base, holdMinutes: f.holdMinutes,
      reductions: reductions.map((r) => ({ code: r.code, name: nameIn(r, req.locale), percent: r.percent, proof: req.locale === 'en' ? r.proofEn || r.proofJa : r.proofJa })),
      groups: f.kind === 'bus' ? [] : mine.map((g) => ({ id: g.id, name: g.name })), values, problems, fieldErrors, ...(waitHref ? { waitHref } : {}),
    };
  }

  /** The slot asked for, or — when no slot starts there (opening hours, a closed day) — a 422 page naming the rule, with the way back. */
  async function targetOrRefusal(req: FastifyRequest, reply: FastifyReply, input: Parameters<typeof resolveTarget>[1]): Promise<Target | undefined> {
    try {
      return await resolveTarget(rt, input);
    } catch (err) {
      const rule = ruleOf(err);
      if (!rule) throw err;
      const f = await facilities.loadFacility(rt.db, input.facility);
      const name = f ? nameIn(f, req.locale) : '';
      await sendPage(reply, SlotRefusedPage({ ctx: pageContext(req), message: req.t(`reservations.rule.${rule}`, { capacity: '', limit: '', lastDate: '', opensAt: '' }), back: f ? { href: `/facilities/${f.code}/week`, label: req.t('reservations.back.week', { name }) } : undefined }), 422);
      return undefined;
    }
  }

  const blank = { people: '', purposeOfUse: '', reduction: '', groupId: '', contactEmail: '' };
  const SlotQuery = Type.Object({ lang: Opt(10), unit: Opt(40), trip: Opt(40), start: Opt(40) });

  for (const mode of ['book', 'wait'] as const) {
    app.get(`/facilities/:code/${mode}`, { config: page, schema: { params: CodeParams, querystring: SlotQuery } }, async (req, reply) => {
      if (req.principal?.kind !== 'resident') return signIn(req, reply);
      const q = req.query;
      const t = await targetOrRefusal(req, reply, { facility: req.params.code, unit: q.unit, trip: q.trip && UUID.test(q.trip) ? q.trip : undefined, start: q.start });
      if (!t) return reply;
      return sendPage(reply, BookPage({ ctx: pageContext(req), m: await formModel(req, mode, t, { ...blank, people: t.facility.kind === 'bus' ? '1' : '' }) }));
    });

    app.post(`/facilities/:code/${mode}`, { config: page, schema: { params: CodeParams } }, async (req, reply) => {
      if (req.principal?.kind !== 'resident') return signIn(req, reply);
      const ctx = residentCtx(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const s = (k: string, n = 320) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, n) : '');
      const values = { people: s('people', 6), purposeOfUse: s('purposeOfUse', 200), reduction: s('reduction', 40), groupId: s('groupId', 40), contactEmail: s('contactEmail').trim() };
      const trip = s('trip', 40);
      const t = await targetOrRefusal(req, reply, { facility: req.params.code, unit: s('unit', 40) || undefined, trip: UUID.test(trip) ? trip : undefined, start: s('start', 40) || undefined });
      if (!t) return reply;
      const fieldErrors: Record<string, string> = {};
      const people = Number(values.people);
      const capacity = t.unit?.capacity ?? t.facility.capacity;
      if (!/^\d+$/.test(values.people) || people < 1) fieldErrors.people = req.t('reservations.book.error.people');
      else if (people > capacity) fieldErrors.people = req.t('reservations.rule.over-capacity', { capacity });
      if (t.facility.kind !== 'bus' && !values.purposeOfUse.trim()) fieldErrors.purposeOfUse = req.t('reservations.book.error.purpose');
      if (values.contactEmail && !EMAIL.test(values.contactEmail)) fieldErrors.contactEmail = req.t('reservations.book.error.email');
      else if (mode === 'wait' && !values.contactEmail) fieldErrors.contactEmail = req.t('reservations.wait.error.email');
      const answer = async (problems: Problem[], status: number, waitHref?: string) =>
        sendPage(reply, BookPage({ ctx: pageContext(req), m: await formModel(req, mode, t, values, problems, fieldErrors, waitHref) }), status);
      if (Object.keys(fieldErrors).length) return answer(Object.entries(fieldErrors).map(([field, message]) => ({ field, message })), 400);
      const input: BookingInput = {
        facility: t.facility.code, ...(t.unit ? { unit: t.unit.code, start: t.start.toISOString() } : {}), ...(t.trip ? { trip: t.trip.id } : {}),
        people, purposeOfUse: values.purposeOfUse, reduction: values.reduction || undefined, groupId: UUID.test(values.groupId) ? values.groupId : undefined,
        contactEmail: values.contactEmail || undefined, locale: req.locale,
      };
      try {
        if (mode === 'book') {
          const row = await createBooking(rt, ctx, { kind: 'resident', personId: ctx.principal.id }, input);
          return reply.redirect(`/me/bookings/${row.id}?made=1`, 303);
        }
        await joinWaitlist(rt, ctx, ctx.principal.id, input);
        return reply.redirect('/me/bookings?waiting=1', 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const rule = ruleOf(err);
        if (rule) {
          const d = err.detail ?? {};
          const opensAt = typeof d.opensAt === 'string' ? momentText(new Date(d.opensAt), req.locale) : '';
          const message = req.t(`reservations.rule.${rule}`, { opensAt, capacity, limit: String(d.limit ?? ''), lastDate: String(d.lastDate ?? '') });
          return answer([{ message, ...(rule === 'reduction-not-eligible' ? { field: 'reduction' } : {}) }], 422);
        }
        if (err.code === 'conflict') {
          const reason = err.detail?.reason;
          if (reason === 'free') return reply.redirect(`/facilities/${t.facility.code}/book?${slotQuery(t)}`, 303);
          const message = reason === 'full' ? req.t('reservations.full') : reason === 'already-waiting' ? req.t('reservations.wait.already') : req.t('reservations.taken');
          const waitHref = mode === 'book' && (reason === 'taken' || reason === 'full') ? `/facilities/${t.facility.code}/wait?${slotQuery(t)}` : undefined;
          return answer([{ message }], 409, waitHref);
        }
        if (err.code === 'validation' || err.code === 'not-found') return answer([{ message: req.t('reservations.book.error.invalid') }], err.code === 'validation' ? 400 : 404);
        throw err;
      }
    });
  }
}

/** Rows by key, in the order met (Map.groupBy is not in Node 20). */
function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

const clockDate = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
const slotQuery = (t: Target) => new URLSearchParams(t.trip ? { trip: t.trip.id } : { unit: t.unit!.code, start: t.start.toISOString() }).toString();

