/**
 * The resident's pages (`/me/bookings`): their bookings and waiting-list entries, one booking
 * with paying and cancelling, their calendar feed (a secret address), and their registered
 * groups. Each read of bookings leaves an audit entry; forms post and answer with pages.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { recordAccess } from '../../platform/audit.js';
import { DomainError } from '../../platform/errors.js';
import { translator } from '../../platform/i18n.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { AccessContext } from '../access/index.js';
import { ruleOf } from './booking.js';
import * as facilities from './facility-store.js';
import * as groupStore from './group-store.js';
import { registerGroup } from './groups.js';
import { calendar } from './ical.js';
import { cancelBooking } from './lifecycle.js';
import { startPayment } from './payment.js';
import { feedOwner, feedToken, listBookings, readBooking, type BookingView } from './read.js';
import type { PaymentMethod, ReservationsRuntime } from './runtime.js';
import { leaveWaitlist } from './waitlist.js';
import * as waits from './waitlist-store.js';
import { nameIn, whenText, yen } from './words.js';
import { GroupsPage } from './views/groups.js';
import { BookingPage, CancelPage, MyBookingsPage } from './views/mine.js';
import type { Problem } from './views/common.js';
import { formatDate } from '../../platform/views/dates.js';

const page = { page: true } as const;
const Opt = (n = 200) => Type.Optional(Type.String({ maxLength: n }));
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function registerResidentPages(app: App, rt: ReservationsRuntime): void {
  const ctxOf = (req: FastifyRequest): AccessContext => rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['self-service'], defaultPurpose: 'self-service' });
  const signIn = (req: FastifyRequest, reply: FastifyReply) => reply.redirect(`/auth/sign-in?next=${encodeURIComponent(req.url.split('?')[0]!)}`, 303);
  const methodsFor = (b: BookingView) => rt.payments.methods().filter((m) => m !== 'konbini' || b.konbini);
  const feedUrl = (token: string) => `${rt.config.publicUrl}/me/bookings.ics?token=${encodeURIComponent(token)}`;

  app.get('/me/bookings', { config: page, schema: { querystring: Type.Object({ lang: Opt(10), waiting: Opt(2), left: Opt(2), feed: Opt(2) }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    const ctx = ctxOf(req);
    const me = ctx.principal.id;
    const now = rt.now();
    const all = await listBookings(rt, ctx, me, req.locale);
    // The waiting list is read with its own audit entry, in one transaction.
    const list = await rt.db.transaction(async (tx) => {
      const rows = await waits.waitsOf(tx, me, now);
      await recordAccess(tx, rt.access.auditEntry(ctx, 'waitlist.list', [me], ['waitlist']));
      const fs = await facilities.loadFacilities(tx, { ids: [...new Set(rows.map((r) => r.facility_id))], includeInactive: true });
      const out = [];
      for (const w of rows) {
        const f = fs.find((x) => x.id === w.facility_id)!;
        const unit = f.units.find((u) => u.id === w.unit_id);
        out.push({
          id: w.id, what: unit && f.kind !== 'bus' ? `${nameIn(f, req.locale)} ${nameIn(unit, req.locale)}` : nameIn(f, req.locale), when: whenText(w.starts_at, w.ends_at, req.locale),
          state: w.state, place: w.state === 'waiting' ? await waits.placeInLine(tx, w) : null,
        });
      }
      return out;
    });
    const q = req.query;
    const notice = q.waiting === '1' ? req.t('reservations.wait.joined') : q.left === '1' ? req.t('reservations.wait.left') : q.feed === '1' ? req.t('reservations.mine.feedRenewed') : undefined;
    const upcoming = all.filter((b) => b.end > now && (b.state === 'held' || b.state === 'confirmed' || b.state === 'checked-in'));
    const past = all.filter((b) => !upcoming.includes(b));
    // A slot offered from the waiting list is held only for a while: shown first, whether or not a mail reached them.
    const offers = upcoming.filter((b) => b.source === 'waitlist' && b.state === 'held');
    const m = { upcoming, past, offers, waits: list, feedUrl: feedUrl(await feedToken(rt, me)), ...(notice ? { notice } : {}) };
    return sendPage(reply, MyBookingsPage({ ctx: pageContext(req), m }));
  });

  app.post('/me/bookings/feed', { config: page, schema: { body: Type.Object({ _csrf: Opt() }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    await feedToken(rt, req.principal.id, { renew: true });
    return reply.redirect('/me/bookings?feed=1#feed', 303);
  });

  // The feed is read by calendar apps, without a session: the token in the address is the key.
  app.get('/me/bookings.ics', { config: { secretPath: true }, schema: { querystring: Type.Object({ token: Type.String({ maxLength: 200 }) }) } }, async (req, reply) => {
    const personId = await feedOwner(rt, req.query.token);
    if (!personId || !(await rt.registry.isResident(personId))) return reply.code(404).type('text/plain; charset=utf-8').send('no such calendar');
    const now = rt.now();
    const ctx: AccessContext = {
      principal: { kind: 'resident', id: personId, name: '', purposes: ['self-service'], fields: [], demo: false, sessionId: 'feed', sessionExpires: now },
      purpose: 'self-service', requestId: req.id, sourceIp: req.ip,
    };
    const rows = (await listBookings(rt, ctx, personId, 'ja', { since: new Date(now.getTime() - 30 * 86_400_000), action: 'booking.feed' })).filter((b) => b.state !== 'released');
    const host = new URL(rt.config.publicUrl).host;
    const ja = translator('ja');
    const body = calendar({
      name: `${rt.townName()} ${ja('reservations.feed.name')}`,
      now,
      events: rows.map((b) => ({
        uid: `booking-${b.id}@${host}`,
        start: b.start,
        end: b.end,
        summary: `${b.unit ? `${b.facility.name} ${b.unit.name}` : b.facility.name}（${b.reference}）`,
        location: b.facility.place,
        description: ja('reservations.feed.description', { reference: b.reference, state: ja(`reservations.state.${b.state}`), amount: yen(b.fee.amount, 'ja') }),
        status: b.state === 'cancelled' || b.state === 'no-show' ? ('CANCELLED' as const) : b.state === 'held' ? ('TENTATIVE' as const) : ('CONFIRMED' as const),
        modified: b.modifiedAt,
        sequence: b.version,
        url: `${rt.config.publicUrl}/me/bookings/${b.id}`,
      })),
    });
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, no-store').send(body);
  });

  async function bookingPage(req: FastifyRequest, reply: FastifyReply, id: string, o: { problems?: Problem[]; notice?: string; checking?: boolean } = {}, status = 200) {
    const b = await readBooking(rt, ctxOf(req), id, req.locale);
    const m = { b, methods: methodsFor(b), problems: o.problems ?? [], checking: o.checking ?? false, ...(o.notice ? { notice: o.notice } : {}) };
    return sendPage(reply, BookingPage({ ctx: pageContext(req), m }), status);
  }

  app.get('/me/bookings/:id', { config: page, schema: { params: Id, querystring: Type.Object({ lang: Opt(10), made: Opt(2), paid: Opt(2), cancelled: Opt(2) }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    const q = req.query;
    const b = await readBooking(rt, ctxOf(req), req.params.id, req.locale);
    // Back from paying: the latest payment says how it went (declined or given up: pay again; still open: being checked).
    const last = q.paid === '1' && b.state === 'held' ? b.payments[0] : undefined;
    const ended = last && (last.state === 'failed' || last.state === 'cancelled' || last.state === 'expired') ? last.state : undefined;
    const notice =
      q.cancelled === '1' ? cancelledNotice(req, b)
      : q.paid === '1' && b.state === 'confirmed' ? req.t('reservations.booking.paid')
      : q.made === '1' ? req.t(b.state === 'confirmed' ? 'reservations.booking.madeFree' : 'reservations.booking.made')
      : undefined;
    const m = {
      b, methods: methodsFor(b), problems: [], checking: q.paid === '1' && !ended, ...(notice ? { notice } : {}),
      ...(ended ? { paymentProblem: req.t(`reservations.booking.payment.${ended}`) } : {}),
    };
    return sendPage(reply, BookingPage({ ctx: pageContext(req), m }));
  });

  app.post('/me/bookings/:id/pay', { config: page, schema: { params: Id } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const method = rt.payments.methods().find((m) => m === body.method) as PaymentMethod | undefined;
    if (!method) return bookingPage(req, reply, req.params.id, { problems: [{ message: req.t('reservations.booking.chooseMethod'), field: 'method-card' }] }, 400);
    try {
      const r = await startPayment(rt, ctxOf(req), req.params.id, method);
      return reply.redirect(r.nextUrl, 303);
    } catch (err) {
      const rule = ruleOf(err);
      if (rule) return bookingPage(req, reply, req.params.id, { problems: [{ message: req.t(`reservations.rule.${rule}`) }] }, 422);
      if (err instanceof DomainError && err.code === 'conflict') return reply.redirect(`/me/bookings/${req.params.id}`, 303);
      throw err;
    }
  });

  app.get('/me/bookings/:id/cancel', { config: page, schema: { params: Id, querystring: Type.Object({ lang: Opt(10) }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    const b = await readBooking(rt, ctxOf(req), req.params.id, req.locale);
    if (b.state !== 'held' && b.state !== 'confirmed') return reply.redirect(`/me/bookings/${b.id}`, 303);
    const problems = b.cancellation.allowed ? [] : [{ message: deadlineText(req, b) }];
    return sendPage(reply, CancelPage({ ctx: pageContext(req), b, problems }));
  });

  app.post('/me/bookings/:id/cancel', { config: page, schema: { params: Id, body: Type.Object({ _csrf: Opt(), version: Opt(12) }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    const version = req.body.version && /^\d+$/.test(req.body.version) ? Number(req.body.version) : undefined;
    try {
      await cancelBooking(rt, ctxOf(req), req.params.id, { fullRefund: false, ...(version !== undefined ? { version } : {}) });
      return reply.redirect(`/me/bookings/${req.params.id}?cancelled=1`, 303);
    } catch (err) {
      const rule = ruleOf(err);
      if (!rule && !(err instanceof DomainError && err.code === 'conflict')) throw err;
      const b = await readBooking(rt, ctxOf(req), req.params.id, req.locale);
      const message = rule === 'cancellation-deadline' ? deadlineText(req, b) : rule ? req.t(`reservations.rule.${rule}`, { lastDate: formatDate(b.cancellation.lastDate, req.locale) }) : req.t('reservations.cancel.changed');
      return sendPage(reply, CancelPage({ ctx: pageContext(req), b, problems: [{ message }] }), rule ? 422 : 409);
    }
  });

  app.post('/me/waitlist/:id/leave', { config: page, schema: { params: Id, body: Type.Object({ _csrf: Opt() }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    try {
      await leaveWaitlist(rt, ctxOf(req), req.params.id);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'conflict')) throw err;
    }
    return reply.redirect('/me/bookings?left=1', 303);
  });

  // ---- registered groups ---------------------------------------------------------------------

  async function groupsPage(req: FastifyRequest, reply: FastifyReply, o: { values?: { name: string; members: string; activity: string; contactEmail: string }; problems?: Problem[]; notice?: string } = {}, status = 200) {
    const ctx = ctxOf(req);
    const reductions = await facilities.reductions(rt.db);
    const mine = await rt.db.transaction(async (tx) => {
      const groupRows = await groupStore.groupsOf(tx, ctx.principal.id);
      await recordAccess(tx, rt.access.auditEntry(ctx, 'group.list', [ctx.principal.id], ['group']));
      return groupRows;
    });
    const rows = mine.map((g) => {
      const r = reductions.find((x) => x.code === g.reduction_code);
      return { ...g, reductionName: r ? req.t('reservations.reduction.line', { name: nameIn(r, req.locale), percent: r.percent }) : null };
    });
    const m = { groups: rows, values: o.values ?? { name: '', members: '', activity: '', contactEmail: '' }, problems: o.problems ?? [], ...(o.notice ? { notice: o.notice } : {}) };
    return sendPage(reply, GroupsPage({ ctx: pageContext(req), m }), status);
  }

  app.get('/me/facility-groups', { config: page, schema: { querystring: Type.Object({ lang: Opt(10), sent: Opt(2) }) } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    return groupsPage(req, reply, req.query.sent === '1' ? { notice: req.t('reservations.groups.sent') } : {});
  });

  app.post('/me/facility-groups', { config: page }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return signIn(req, reply);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const s = (k: string, n: number) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, n) : '');
    const values = { name: s('name', 100).trim(), members: s('members', 6), activity: s('activity', 500).trim(), contactEmail: s('contactEmail', 320).trim() };
    const problems: Problem[] = [];
    if (!values.name) problems.push({ field: 'g-name', message: req.t('reservations.groups.error.name') });
    const members = Number(values.members);
    if (!/^\d+$/.test(values.members) || members < 2 || members > 10000) problems.push({ field: 'g-members', message: req.t('reservations.groups.error.members') });
    if (!values.activity) problems.push({ field: 'g-activity', message: req.t('reservations.groups.error.activity') });
    if (values.contactEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.contactEmail)) problems.push({ field: 'g-email', message: req.t('reservations.book.error.email') });
    if (problems.length) return groupsPage(req, reply, { values, problems }, 400);
    try {
      await registerGroup(rt, ctxOf(req), { name: values.name, members, activity: values.activity, contactEmail: values.contactEmail || undefined });
    } catch (err) {
      if (err instanceof DomainError && err.code === 'conflict') return groupsPage(req, reply, { values, problems: [{ field: 'g-name', message: req.t('reservations.groups.error.taken') }] }, 409);
      throw err;
    }
    return reply.redirect('/me/facility-groups?sent=1', 303);
  });

  /** Why the booker can no longer cancel online: the deadline passed, or the booking has begun. */
  function deadlineText(req: FastifyRequest, b: BookingView): string {
    return b.begun ? req.t('reservations.booking.begun') : req.t('reservations.rule.cancellation-deadline', { lastDate: formatDate(b.cancellation.lastDate, req.locale) });
  }

  function cancelledNotice(req: FastifyRequest, b: BookingView): string {
    // A refund the provider refused is not money on its way back: the page says so instead.
    if (b.refunds.some((r) => r.state === 'failed')) return req.t('reservations.booking.cancelledRefundFailed');
    const refund = b.refunds.reduce((sum, r) => sum + r.amount, 0);
    if (refund === 0) return req.t('reservations.booking.cancelledNoRefund');
    const atCounter = b.refunds.some((r) => r.state === 'at-counter');
    return req.t(atCounter ? 'reservations.booking.cancelledCounter' : 'reservations.booking.cancelledRefund', { refund: yen(refund, req.locale) });
  }
}
