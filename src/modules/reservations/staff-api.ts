/**
 * The desk's API beside its pages: checking a booking in (taking an unpaid fee at the counter
 * with `collect`), recording a no-show, occupancy by weekday × hour, revenue. Staff with the
 * purpose facility-booking only.
 */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { notFound, validationError } from '../../platform/errors.js';
import type { AccessContext } from '../access/index.js';
import * as facilities from './facility-store.js';
import { facilityOccupancy, rateOf } from './occupancy.js';
import { bookingJson } from './present.js';
import { toViews } from './read.js';
import { revenueOf } from './revenue.js';
import type { ReservationsRuntime } from './runtime.js';
import * as S from './schema.js';
import { checkIn, markNoShow } from './staff.js';
import { MAX_DAYS } from './staff-desk-pages.js';
import { DESK_PURPOSE } from './staff-pages.js';
import { daysBetween, isDate } from './time.js';

const TAGS = ['reservations'];
const STAFF: { [k: string]: string[] }[] = [{ session: [] }, { bearer: [] }];
const Money = Type.Object({ captured: Type.Integer(), captures: Type.Integer(), refunded: Type.Integer(), refunds: Type.Integer(), fees: Type.Integer(), net: Type.Integer() });
const Counter = Type.Object({ received: Type.Integer(), receipts: Type.Integer(), refunded: Type.Integer(), owed: Type.Integer({ description: 'refunds still to give back at the counter (now)' }) });
const Period = Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) });

function checkPeriod(from: string, to: string): void {
  if (!isDate(from) || !isDate(to) || to < from || daysBetween(from, to) >= MAX_DAYS) throw validationError(`a period of at most ${MAX_DAYS} days, forwards`, [{ field: 'to', message: 'out of range' }]);
}

export function registerStaffApi(app: App, rt: ReservationsRuntime): void {
  const staff = (req: FastifyRequest): AccessContext => rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [DESK_PURPOSE] });

  app.post(
    '/api/v1/bookings/:id/check-in',
    {
      schema: {
        tags: TAGS,
        summary: 'Check a booker in (the desk); `collect: true` first takes an unpaid hold’s fee at the counter',
        description: '409 `reason: unpaid` for a hold without `collect`, `over` after the booking ended, or a booking in another state.',
        security: STAFF,
        params: S.IdParams,
        body: Type.Object({ collect: Type.Optional(Type.Boolean()), version: Type.Optional(Type.Integer({ minimum: 0 })) }),
        response: { 200: S.BookingSchema },
      },
    },
    async (req) => {
      const b = await checkIn(rt, staff(req), req.params.id, req.body);
      return bookingJson((await toViews(rt, rt.db, [b], req.locale))[0]!);
    },
  );

  app.post(
    '/api/v1/bookings/:id/no-show',
    { schema: { tags: TAGS, summary: 'Record that a confirmed booking was not used (after its start)', security: STAFF, params: S.IdParams, response: { 200: S.BookingSchema } } },
    async (req) => {
      const b = await markNoShow(rt, staff(req), req.params.id);
      return bookingJson((await toViews(rt, rt.db, [b], req.locale))[0]!);
    },
  );

  app.get(
    '/api/v1/reservations/occupancy',
    {
      schema: {
        tags: TAGS,
        summary: 'Occupancy of a facility by weekday × hour over a period (booked unit-minutes of those open)',
        security: STAFF,
        querystring: Type.Object({ facility: Type.String({ maxLength: 63 }), ...Period.properties }),
        response: {
          200: Type.Object({
            facility: Type.String(),
            from: Type.String(),
            to: Type.String(),
            rate: Type.Union([Type.Integer(), Type.Null()]),
            cells: Type.Array(Type.Object({ weekday: Type.Integer(), hour: Type.Integer(), openMinutes: Type.Number(), bookedMinutes: Type.Number(), rate: Type.Union([Type.Integer(), Type.Null()]) })),
          }),
        },
      },
    },
    async (req) => {
      staff(req);
      checkPeriod(req.query.from, req.query.to);
      const f = (await facilities.loadFacilities(rt.db, { codes: [req.query.facility], includeInactive: true }))[0];
      if (!f) throw notFound(`facility ${req.query.facility}`);
      const o = await facilityOccupancy(rt.db, f, req.query.from, req.query.to);
      const cells = o.cells.flatMap((row, weekday) =>
        row.map((c, hour) => ({ weekday, hour, openMinutes: c.open, bookedMinutes: c.booked, rate: rateOf(c) ?? null })).filter((c) => c.openMinutes > 0 || c.bookedMinutes > 0),
      );
      return { facility: f.code, from: o.from, to: o.to, rate: rateOf(o.total) ?? null, cells };
    },
  );

  app.get(
    '/api/v1/reservations/revenue',
    {
      schema: {
        tags: TAGS,
        summary: 'Revenue of the facilities over a period: the payments ledger (online) and the counters',
        security: STAFF,
        querystring: Period,
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            ledger: Type.Boolean(),
            lines: Type.Array(Type.Object({ facility: Type.String(), name: Type.String(), online: Money, counter: Counter, net: Type.Integer() })),
            byMethod: Type.Array(Type.Object({ method: Type.String(), ...Money.properties })),
            total: Type.Object({ online: Money, counter: Counter, net: Type.Integer() }),
          }),
        },
      },
    },
    async (req) => {
      staff(req);
      checkPeriod(req.query.from, req.query.to);
      return revenueOf(rt, req.query.from, req.query.to, req.locale);
    },
  );
}
