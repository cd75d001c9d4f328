/**
 * The reservations API: facilities and their availability (public, no names), bookings by
 * residents and by the facilities desk (for residents or people from outside the town),
 * paying, cancelling, the waiting list and registered groups. Refusals by a rule are 422
 * with `rule` naming it; a taken slot is 409 「この枠はすでに予約されています」.
 */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { recordAccess } from '../../platform/audit.js';
import { forbidden, notFound, validationError } from '../../platform/errors.js';
import type { AccessContext } from '../access/index.js';
import { createBooking, type Booker } from './booking.js';
import * as bookings from './booking-store.js';
import { tripDays, unitDays } from './calendar.js';
import * as facilities from './facility-store.js';
import { decideGroup, registerGroup } from './groups.js';
import * as groupStore from './group-store.js';
import { cancelBooking } from './lifecycle.js';
import { startPayment } from './payment.js';
import { availabilityJson, bookingJson, facilityDetail, facilitySummary, groupJson, reductionJson, waitJson } from './present.js';
import { listBookings, readBooking, toViews } from './read.js';
import type { ReservationsRuntime } from './runtime.js';
import * as S from './schema.js';
import { addDays, isDate, jst } from './time.js';
import { joinWaitlist, leaveWaitlist } from './waitlist.js';
import * as waits from './waitlist-store.js';

export const PURPOSE = 'facility-booking';
const TAGS = ['reservations'];
const ANY: { [k: string]: string[] }[] = [{ session: [] }];
const STAFF_OR_RESIDENT: { [k: string]: string[] }[] = [{ session: [] }, { bearer: [] }];

export function registerReservationsApi(app: App, rt: ReservationsRuntime): void {
  const who = (req: FastifyRequest): AccessContext =>
    rt.access.authorizeAccess(req, { kinds: ['resident', 'staff'], purposes: ['self-service', PURPOSE], defaultPurpose: req.principal?.kind === 'resident' ? 'self-service' : undefined });
  const staffOnly = (req: FastifyRequest): AccessContext => rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [PURPOSE] });
  const residentOnly = (req: FastifyRequest): AccessContext => rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['self-service'], defaultPurpose: 'self-service' });

  app.get('/api/v1/facilities', { schema: { tags: TAGS, summary: 'The town’s facilities and the town bus', response: { 200: Type.Object({ items: Type.Array(S.FacilitySummary) }) } } }, async (req) => ({
    items: (await facilities.loadFacilities(rt.db)).map((f) => facilitySummary(f, req.locale)),
  }));

  app.get(
    '/api/v1/facilities/:code',
    { schema: { tags: TAGS, summary: 'A facility: hours, periods, units and fees, booking windows, cancellation rules', params: S.CodeParams, response: { 200: S.FacilityDetail } } },
    async (req) => {
      const f = await facilities.loadFacility(rt.db, req.params.code);
      if (!f) throw notFound(`facility ${req.params.code}`);
      return facilityDetail(f, req.locale);
    },
  );

  app.get(
    '/api/v1/facilities/:code/availability',
    {
      schema: {
        tags: TAGS,
        summary: 'What each slot is on some days: available, taken, lottery, closed, not yet open, past (no names)',
        params: S.CodeParams,
        querystring: S.AvailabilityQuery,
        response: { 200: S.Availability },
      },
    },
    async (req) => {
      const f = await facilities.loadFacility(rt.db, req.params.code);
      if (!f) throw notFound(`facility ${req.params.code}`);
      const { from } = req.query;
      const days = req.query.days ?? 7;
      if (!isDate(from)) throw validationError('not a date', [{ field: 'from', message: 'must be YYYY-MM-DD' }]);
      const as = req.query.as ?? 'resident';
      const now = rt.now();
      const [units, trips] = f.kind === 'bus' ? [[], await tripDays(rt.db, f, from, days, now, as)] : [await unitDays(rt.db, f, from, days, now, as), []];
      return availabilityJson(f, from, days, units, trips, req.locale);
    },
  );

  app.get('/api/v1/reductions', { schema: { tags: TAGS, summary: 'The reductions (減免) the town grants', response: { 200: Type.Object({ items: Type.Array(S.ReductionSchema) }) } } }, async (req) => ({
    items: (await facilities.reductions(rt.db)).map((r) => reductionJson(r, req.locale)),
  }));

  app.post(
    '/api/v1/bookings',
    {
      schema: {
        tags: TAGS,
        summary: 'Book a slot (held until paid; confirmed at once when nothing is due)',
        description:
          'A resident books as themself (or for a registered group they represent); the facilities desk (purpose `facility-booking`) books for a resident (`personId`) or for someone from outside the town (`nonResident`). `Idempotency-Key`: the same key and body give the same booking, another body 409. Refusals: 404 unknown facility/unit/trip; 409 `reason: taken` (この枠はすでに予約されています) or `full` (満席); 422 with `rule`: outside-opening-hours, facility-closed, booking-window-not-open (with `opensAt`), booking-closed, lottery-window, over-capacity, booking-limit, reduction-not-eligible, group-not-approved.',
        security: STAFF_OR_RESIDENT,
        body: S.BookingBody,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
        response: { 201: S.BookingSchema },
      },
    },
    async (req, reply) => {
      const ctx = who(req);
      const b = req.body;
      let booker: Booker;
      if (ctx.principal.kind === 'resident') {
        if (b.personId || b.nonResident) throw forbidden('a resident books as themself');
        booker = { kind: 'resident', personId: ctx.principal.id };
      } else if (b.nonResident) {
        if (b.personId || b.groupId) throw validationError('book either a resident or someone from outside the town', [{ field: 'nonResident', message: 'not with personId or groupId' }]);
        booker = { kind: 'non-resident', name: b.nonResident.name };
      } else if (b.personId) {
        if (!(await rt.registry.isResident(b.personId))) throw validationError('not a resident of the town', [{ field: 'personId', message: 'is not a resident' }]);
        booker = { kind: 'resident', personId: b.personId };
      } else {
        throw validationError('name whom the desk books for', [{ field: 'personId', message: 'personId or nonResident is required' }]);
      }
      const key = req.headers['idempotency-key'];
      const row = await createBooking(rt, ctx, booker, { ...b, locale: req.locale }, { idempotencyKey: typeof key === 'string' ? key : undefined });
      const view = (await toViews(rt, rt.db, [row], req.locale))[0]!;
      return reply.code(201).send(bookingJson(view));
    },
  );

  app.get(
    '/api/v1/bookings',
    {
      schema: {
        tags: TAGS,
        summary: 'A resident’s bookings; for the desk, a facility’s bookings over a period',
        security: STAFF_OR_RESIDENT,
        querystring: Type.Object({ facility: Type.Optional(Type.String({ maxLength: 63 })), from: Type.Optional(Type.String({ format: 'date' })), to: Type.Optional(Type.String({ format: 'date' })) }),
        response: { 200: Type.Object({ items: Type.Array(S.BookingSchema) }) },
      },
    },
    async (req) => {
      const ctx = who(req);
      if (ctx.principal.kind === 'resident') return { items: (await listBookings(rt, ctx, ctx.principal.id, req.locale)).map(bookingJson) };
      const { facility, from, to } = req.query;
      if (!facility || !from || !to) throw validationError('the desk names a facility and a period', [{ field: 'facility', message: 'facility, from and to are required' }]);
      if (to < from || Date.parse(to) - Date.parse(from) > 62 * 86_400_000) throw validationError('the period is at most 62 days, forwards', [{ field: 'to', message: 'out of range' }]);
      const f = await facilities.loadFacility(rt.db, facility);
      if (!f) throw notFound(`facility ${facility}`);
      return rt.db.transaction(async (tx) => {
        const rows = await bookings.bookingsBetween(tx, f.id, jst(from, '00:00'), jst(addDays(to, 1), '00:00'), ['held', 'confirmed', 'checked-in', 'cancelled', 'released', 'no-show']);
        const people = [...new Set(rows.map((r) => r.person_id).filter((x): x is string => !!x))];
        if (rows.length) await recordAccess(tx, rt.access.auditEntry(ctx, 'booking.list', people, ['booking']));
        return { items: (await toViews(rt, tx, rows, req.locale)).map(bookingJson) };
      });
    },
  );

  app.get(
    '/api/v1/bookings/:id',
    { schema: { tags: TAGS, summary: 'A booking: state, fee, payments, what cancelling would give back', security: STAFF_OR_RESIDENT, params: S.IdParams, response: { 200: S.BookingSchema } } },
    async (req) => bookingJson(await readBooking(rt, who(req), req.params.id, req.locale)),
  );

  app.post(
    '/api/v1/bookings/:id/payment',
    {
      schema: {
        tags: TAGS,
        summary: 'Pay a held booking: returns where the payer goes (the payment provider’s page)',
        description: '422 `rule: hold-ended` when the provisional booking has ended (book again); 409 when it is paid already; 422 `konbini-not-offered` too close to the day.',
        security: STAFF_OR_RESIDENT,
        params: S.IdParams,
        body: S.PaymentBody,
        response: { 200: S.PaymentAnswer },
      },
    },
    async (req) => {
      const r = await startPayment(rt, who(req), req.params.id, req.body.method);
      return { paymentId: r.paymentId, nextUrl: r.nextUrl, holdUntil: r.holdUntil.toISOString() };
    },
  );

  app.post(
    '/api/v1/bookings/:id/cancellation',
    {
      schema: {
        tags: TAGS,
        summary: 'Cancel a booking within the rules; the refund is the rule’s share of what was paid',
        description: '422 `rule: cancellation-deadline` after the deadline (the desk can still cancel); 409 when the booking has ended, or `version` is not the current one.',
        security: STAFF_OR_RESIDENT,
        params: S.IdParams,
        body: S.CancelBody,
        response: { 200: S.CancelAnswer },
      },
    },
    async (req) => {
      const ctx = who(req);
      const r = await cancelBooking(rt, ctx, req.params.id, { ...req.body, ...(ctx.principal.kind === 'staff' ? {} : { fullRefund: false }) });
      const view = (await toViews(rt, rt.db, [r.booking], req.locale))[0]!;
      return { booking: bookingJson(view), refund: r.refund, refundBy: r.refundBy };
    },
  );

  app.post(
    '/api/v1/waitlist',
    {
      schema: {
        tags: TAGS,
        summary: 'Wait for a booked slot (キャンセル待ち): when it is freed, the first in line gets a hold and a mail',
        description: '409 `reason: free` when the slot can be booked now; 409 `already-waiting`; 422 by the same rules as booking.',
        security: ANY,
        body: S.WaitBody,
        response: { 201: S.WaitSchema },
      },
    },
    async (req, reply) => {
      const ctx = residentOnly(req);
      const w = await joinWaitlist(rt, ctx, ctx.principal.id, { ...req.body, locale: req.locale });
      return reply.code(201).send(waitJson(w, { facility: req.body.facility, unit: req.body.unit ?? null }, await waits.placeInLine(rt.db, w)));
    },
  );

  app.get(
    '/api/v1/waitlist',
    { schema: { tags: TAGS, summary: 'The signed-in resident’s waiting-list entries', security: ANY, response: { 200: Type.Object({ items: Type.Array(S.WaitSchema) }) } } },
    async (req) => {
      const ctx = residentOnly(req);
      return rt.db.transaction(async (tx) => {
        const rows = await waits.waitsOf(tx, ctx.principal.id, rt.now());
        await recordAccess(tx, rt.access.auditEntry(ctx, 'waitlist.list', [ctx.principal.id], ['waitlist']));
        const fs = await facilities.loadFacilities(tx, { ids: [...new Set(rows.map((r) => r.facility_id))], includeInactive: true });
        const items = [];
        for (const w of rows) {
          const f = fs.find((x) => x.id === w.facility_id)!;
          items.push(waitJson(w, { facility: f.code, unit: f.units.find((u) => u.id === w.unit_id)?.code ?? null }, w.state === 'waiting' ? await waits.placeInLine(tx, w) : null));
        }
        return { items };
      });
    },
  );

  app.delete('/api/v1/waitlist/:id', { schema: { tags: TAGS, summary: 'Leave the waiting list', security: ANY, params: S.IdParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    await leaveWaitlist(rt, residentOnly(req), req.params.id);
    return reply.code(204).send(null);
  });

  app.post(
    '/api/v1/facility-groups',
    { schema: { tags: TAGS, summary: 'Register a group the signed-in resident represents (団体登録); the desk approves it', security: ANY, body: S.GroupBody, response: { 201: S.GroupSchema } } },
    async (req, reply) => reply.code(201).send(groupJson(await registerGroup(rt, residentOnly(req), req.body))),
  );

  app.get(
    '/api/v1/facility-groups',
    {
      schema: {
        tags: TAGS,
        summary: 'A resident’s groups; for the desk, registrations (by state)',
        security: STAFF_OR_RESIDENT,
        querystring: Type.Object({ state: Type.Optional(Type.Enum(['applied', 'approved', 'rejected', 'withdrawn'])) }),
        response: { 200: Type.Object({ items: Type.Array(S.GroupSchema) }) },
      },
    },
    async (req) => {
      const ctx = who(req);
      // Each read of registrations (who represents which group) leaves an audit entry in its transaction.
      return rt.db.transaction(async (tx) => {
        const resident = ctx.principal.kind === 'resident';
        const rows = resident ? await groupStore.groupsOf(tx, ctx.principal.id) : await groupStore.listGroups(tx, req.query.state, 500);
        const people = resident ? [ctx.principal.id] : [...new Set(rows.map((g) => g.representative_id))];
        if (resident || rows.length) await recordAccess(tx, rt.access.auditEntry(ctx, 'group.list', people, ['group']));
        return { items: rows.map(groupJson) };
      });
    },
  );

  app.post(
    '/api/v1/facility-groups/:id/decision',
    { schema: { tags: TAGS, summary: 'The desk approves (optionally granting a group reduction) or rejects a registration', security: STAFF_OR_RESIDENT, params: S.IdParams, body: S.DecisionBody, response: { 200: S.GroupSchema } } },
    async (req) => groupJson(await decideGroup(rt, staffOnly(req), req.params.id, req.body)),
  );
}
