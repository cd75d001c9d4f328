/**
 * The counter's API: a desk agent (a PC/SC reader on the counter PC) posts what a card said
 * and gets the register's candidates to confirm; a visit as JSON; the visits' metrics.
 */
import { Type } from 'typebox';
import type { App } from '../../platform/http/app.js';
import { validationError } from '../../platform/errors.js';
import { readContext, type CounterRuntime } from './runtime.js';
import * as store from './store.js';
import { visitMetrics } from './metrics.js';
import { visitOf } from './visits.js';

const Person = Type.Object({
  id: Type.String({ format: 'uuid' }),
  familyName: Type.String(),
  givenName: Type.String(),
  familyNameKana: Type.String(),
  givenNameKana: Type.String(),
  birthDate: Type.String({ format: 'date' }),
  sex: Type.Integer({ description: 'ISO 5218: 0 not known, 1 male, 2 female, 9 not applicable' }),
  address: Type.String(),
  relationToHead: Type.String(),
  card: Type.Object({ name: Type.Enum(['same', 'variant']), address: Type.Enum(['same', 'different']), sex: Type.Enum(['same', 'different']) }),
  demo: Type.Optional(Type.Boolean()),
});

const CardRead = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: '氏名 as on the card (family and given name separated by a space, or none)' }),
    address: Type.String({ minLength: 1, maxLength: 200, description: '住所 as on the card' }),
    birthDate: Type.String({ format: 'date', description: '生年月日 (Gregorian)' }),
    sex: Type.Enum(['male', 'female', 'not-known', 'not-applicable']),
  },
  { additionalProperties: false },
);

const Figures = Type.Object({
  started: Type.Integer(), ended: Type.Integer(), abandoned: Type.Integer(), inProgress: Type.Integer(),
  medianSeconds: Type.Union([Type.Number(), Type.Null()]), p90Seconds: Type.Union([Type.Number(), Type.Null()]),
  formsNotHandwritten: Type.Integer(), pagesPrinted: Type.Integer(), signedOnTablet: Type.Integer(), signedOnPaper: Type.Integer(),
  feesDue: Type.Integer(), certificates: Type.Integer(),
  byStart: Type.Object({ preEntry: Type.Integer(), card: Type.Integer(), search: Type.Integer() }),
});

export function registerCounterApi(app: App, rt: CounterRuntime): void {
  app.post(
    '/api/v1/counter/card-reads',
    {
      schema: {
        tags: ['counter'],
        summary: 'Match what a My Number card said (its four text-input-assist fields) to the register',
        description:
          'For a desk agent that reads the card on the counter PC. Exact matches first (name as written, birth date, sex, address), else everyone with the name’s matching key and the birth date. Never picks: the clerk confirms one. Purpose `counter-service`; one audit entry.',
        security: [{ bearer: [] }, { session: [] }],
        body: CardRead,
        response: { 200: Type.Object({ how: Type.Enum(['exact', 'key', 'none']), people: Type.Array(Person) }), },
      },
    },
    async (req) => {
      const ctx = rt.access.authorizeAccess(req, { kinds: ['staff', 'client'], purposes: ['counter-service'] });
      return rt.registry.matchCard(readContext(rt, ctx), req.body);
    },
  );

  app.get(
    '/api/v1/counter/visits/:id',
    {
      schema: {
        tags: ['counter'],
        summary: 'A visit of the signed-in clerk: state, times, how it started, the applications sent, pages printed, fees',
        security: [{ session: [] }],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Object({
            id: Type.String(), reference: Type.String(), state: Type.String(), startedBy: Type.String(),
            startedAt: Type.String(), sentAt: Type.Union([Type.String(), Type.Null()]), endedAt: Type.Union([Type.String(), Type.Null()]),
            durationSeconds: Type.Union([Type.Number(), Type.Null()]), pagesPrinted: Type.Integer(), signedOn: Type.Union([Type.String(), Type.Null()]),
            applications: Type.Array(Type.Object({ reference: Type.String(), procedure: Type.String() })),
            fees: Type.Array(Type.Object({ kind: Type.String(), code: Type.String(), copies: Type.Integer(), unitFee: Type.Integer(), amount: Type.Integer(), status: Type.String() })),
          }),
        },
      },
    },
    async (req) => {
      const ctx = rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: ['counter-service'] });
      const v = await visitOf(rt, ctx, req.params.id);
      const apps = await store.visitApplications(rt.db, v.id);
      const fees = await store.feesOf(rt.db, v.id);
      return {
        id: v.id, reference: v.reference, state: v.state, startedBy: v.started_by,
        startedAt: v.started_at.toISOString(), sentAt: v.sent_at?.toISOString() ?? null, endedAt: v.ended_at?.toISOString() ?? null,
        durationSeconds: v.ended_at ? Math.round((v.ended_at.getTime() - v.started_at.getTime()) / 1000) : null,
        pagesPrinted: v.pages_printed, signedOn: v.signed_on,
        applications: apps.map((a) => ({ reference: a.reference, procedure: a.procedure_code })),
        fees: fees.map((f) => ({ kind: f.kind, code: f.code, copies: f.copies, unitFee: f.unit_fee, amount: f.amount, status: f.status })),
      };
    },
  );

  app.get(
    '/api/v1/metrics/visits',
    {
      schema: {
        tags: ['counter'],
        summary: 'Counter visits over a period: count, duration (median, p90), forms not handwritten, pages printed, fees due',
        security: [{ bearer: [] }, { session: [] }],
        querystring: Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) }),
        response: { 200: Type.Object({ from: Type.String(), to: Type.String(), figures: Figures }), },
      },
    },
    async (req) => {
      rt.access.authorizeAccess(req, { kinds: ['staff', 'client'], purposes: ['application-review', 'counter-service'] });
      const { from, to } = req.query;
      if (to < from) throw validationError('the period ends before it starts', [{ field: 'to', message: 'must not be before from' }]);
      if (Date.parse(to) - Date.parse(from) > 3 * 366 * 86_400_000) throw validationError('the period is longer than 3 years', [{ field: 'to', message: 'at most 3 years after from' }]);
      return { from, to, figures: await visitMetrics(rt.db, { from, to }) };
    },
  );
}
