/**
 * The payments API (modelled on GOV.UK Pay): create a payment once per Idempotency-Key, read
 * it, refund it stating the amount still refundable, cancel it, reconcile a day (JSON and
 * CSV), and the providers' webhooks, verified over the raw body.
 */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { recordAccess } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import { translator } from '../../platform/i18n.js';
import type { AccessContext } from '../access/index.js';
import { METHODS } from './providers/types.js';
import { PURPOSE } from './pages.js';
import { reconcile, reconciliationCsv } from './reconciliation.js';
import { recordRefund, retryRefusedRefund, sendRefunds } from './refunds.js';
import type { PaymentsRuntime, PaymentView, RefundView } from './runtime.js';
import { cancelPayment, createPayment, idempotent, MAX_AMOUNT, MAX_OPEN_DAYS, refundView, viewOf } from './service.js';
import { STATES } from './states.js';
import * as store from './store.js';
import { receiveWebhook } from './webhooks.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const RefundSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  paymentId: Type.String({ format: 'uuid' }),
  amount: Type.Integer(),
  reason: Type.String(),
  state: Type.Enum(['submitted', 'succeeded', 'failed']),
  automatic: Type.Boolean({ description: 'refunded by yakuba itself: money captured after the payment had ended' }),
  retryOf: Nullable(Type.String({ format: 'uuid', description: 'the refused refund this one tries again' })),
  createdAt: Type.String({ format: 'date-time' }),
  settledAt: Nullable(Type.String({ format: 'date-time' })),
});

const PaymentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  state: Type.Enum([...STATES]),
  amount: Type.Integer({ description: 'whole yen' }),
  method: Type.Enum([...METHODS]),
  provider: Type.String(),
  description: Type.String(),
  reference: Type.String(),
  purpose: Type.String(),
  ownerRef: Nullable(Type.String()),
  payerPersonId: Nullable(Type.String({ format: 'uuid' })),
  returnUrl: Type.String(),
  nextUrl: Type.String({ description: 'where to send the payer (a capability link: do not show it to anyone else)' }),
  paymentNumber: Nullable(Type.String({ description: 'a convenience-store payment number (支払番号), once started' })),
  fee: Nullable(Type.Integer({ description: 'the provider’s fee on the capture' })),
  captured: Type.Integer(),
  refunded: Type.Integer(),
  refundable: Type.Integer({ description: 'what a refund must state as refundableAmount now' }),
  refunds: Type.Array(RefundSchema),
  expiresAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Nullable(Type.String({ format: 'date-time' })),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  demo: Type.Boolean(),
});

const CreateBody = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'whole yen' }),
    description: Type.String({ minLength: 1, maxLength: 255, description: 'what the payer sees' }),
    reference: Type.String({ minLength: 1, maxLength: 100, description: 'your reference (e.g. a booking or visit reference)' }),
    purpose: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$', description: 'what it is for, e.g. reservation, counter-fee' }),
    ownerRef: Type.Optional(Type.String({ maxLength: 100 })),
    payerPersonId: Type.Optional(Type.String({ format: 'uuid' })),
    returnUrl: Type.String({ minLength: 1, maxLength: 500, description: 'a path on this site, or an address under PUBLIC_URL' }),
    method: Type.Enum([...METHODS]),
    expiresAt: Type.Optional(Type.String({ format: 'date-time', description: `default: 90 minutes from now; at most ${MAX_OPEN_DAYS} days` })),
  },
  { additionalProperties: false },
);

const RefundBody = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, description: 'whole yen to give back' }),
    refundableAmount: Type.Integer({ minimum: 0, description: 'what is still refundable as you last read it (the payment’s `refundable`)' }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) });
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const DateQuery = Type.Object({ date: Type.String({ format: 'date', description: 'a Japan date (YYYY-MM-DD)' }) });

const Figures = {
  captures: Type.Integer(), captured: Type.Integer(), refunds: Type.Integer(), refunded: Type.Integer(), fees: Type.Integer(), net: Type.Integer(),
};
const ReconciliationSchema = Type.Object({
  date: Type.String(),
  lines: Type.Array(Type.Object({ provider: Type.String(), method: Type.String(), ...Figures })),
  total: Type.Object(Figures),
});

const security: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function refundJson(r: RefundView) {
  return { ...r, createdAt: r.createdAt.toISOString(), settledAt: iso(r.settledAt) };
}

export function paymentJson(v: PaymentView, publicUrl: string) {
  return {
    id: v.id, state: v.state, amount: v.amount, method: v.method, provider: v.provider, description: v.description, reference: v.reference,
    purpose: v.purpose, ownerRef: v.ownerRef, payerPersonId: v.payerPersonId, returnUrl: v.returnUrl, nextUrl: `${publicUrl}${v.nextUrl}`,
    paymentNumber: v.paymentNumber, fee: v.fee, captured: v.captured, refunded: v.refunded, refundable: v.refundable, refunds: v.refunds.map(refundJson),
    expiresAt: v.expiresAt.toISOString(), createdAt: v.createdAt.toISOString(), startedAt: iso(v.startedAt), finishedAt: iso(v.finishedAt), demo: v.demo,
  };
}

const actor = (ctx: AccessContext) => `${ctx.principal.kind}:${ctx.principal.id}`;

export function registerPaymentsApi(app: App, rt: PaymentsRuntime): void {
  const authorize = (req: FastifyRequest) => rt.access.authorizeAccess(req, { kinds: ['staff', 'client'], purposes: [PURPOSE] });

  app.post(
    '/api/v1/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'Create a payment and get the link to send the payer to',
        description:
          `Purpose \`${PURPOSE}\`. With an Idempotency-Key, the same key and the same body give the original answer again (header idempotent-replayed: true); ` +
          'the same key with another body is 409. The payer goes to nextUrl, pays on the provider’s page and comes back to returnUrl. States: created → started → succeeded / failed / cancelled / expired.',
        security,
        headers: IdemHeaders,
        body: CreateBody,
        response: { 201: PaymentSchema },
      },
    },
    async (req, reply) => {
      const ctx = authorize(req);
      const b = req.body;
      const expiresAt = b.expiresAt ? new Date(b.expiresAt) : new Date(rt.now().getTime() + 90 * 60_000);
      const result = await createPayment(
        rt,
        undefined,
        { ...b, expiresAt, idempotencyKey: req.headers['idempotency-key'], demo: rt.demo() },
        { createdBy: actor(ctx), scope: actor(ctx), request: b, answer: (v) => paymentJson(v, rt.config.publicUrl) },
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(result.status as 201).send(result.body);
    },
  );

  app.get(
    '/api/v1/payments/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'A payment: its state, what was captured and refunded, and what is still refundable',
        description: `Purpose \`${PURPOSE}\`. A payment that names its payer is personal data: each read leaves an audit entry.`,
        security,
        params: Id,
        response: { 200: PaymentSchema },
      },
    },
    async (req) => {
      const ctx = authorize(req);
      return rt.db.transaction(async (tx) => {
        const row = await store.findPayment(tx, req.params.id);
        if (!row) throw notFound('payment');
        if (row.payer_person_id) await recordAccess(tx, rt.access.auditEntry(ctx, 'payment.read', [row.payer_person_id], ['payment']));
        return paymentJson(await viewOf(tx, row), rt.config.publicUrl);
      });
    },
  );

  app.post(
    '/api/v1/payments/:id/refunds',
    {
      schema: {
        tags: ['payments'],
        summary: 'Refund part or all of a succeeded payment',
        description:
          `Purpose \`${PURPOSE}\`. refundableAmount must equal the payment’s refundable now, else 412 (another refund came first: read the payment again); ` +
          'an amount over it is 422; a payment that took no money is 409. The refund is answered as submitted; read the payment for its outcome. An Idempotency-Key makes a retry safe.',
        security,
        headers: IdemHeaders,
        params: Id,
        body: RefundBody,
        response: { 201: Type.Object({ refund: RefundSchema, refundable: Type.Integer() }) },
      },
    },
    async (req, reply) => {
      const ctx = authorize(req);
      const request = { paymentId: req.params.id, ...req.body };
      const result = await rt.db.transaction((tx) =>
        idempotent(tx, { scope: `${actor(ctx)}:refunds`, key: req.headers['idempotency-key'], request }, async () => {
          const row = await recordRefund(rt, tx, { ...request, reason: req.body.reason ?? 'requested through the API' }, actor(ctx));
          const after = await viewOf(tx, (await store.findPayment(tx, row.payment_id))!);
          return { status: 201, body: { refund: refundJson(refundView(row)), refundable: after.refundable } };
        }),
      );
      // Answered as submitted (as GOV.UK Pay does); sent to the provider before the answer leaves, so a read after it shows the outcome.
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      else await sendRefunds(rt, { id: result.body.refund.id });
      return reply.code(result.status as 201).send(result.body);
    },
  );

  app.post(
    '/api/v1/payments/refunds/:id/retry',
    {
      schema: {
        tags: ['payments'],
        summary: 'Try a refused refund again',
        description:
          `Purpose \`${PURPOSE}\`. A refund the provider refused (state failed) is tried again as a new refund of the same amount naming it in retryOf, and sent at once. ` +
          '409 when the refund was not refused or was tried again already; 422 when the payment no longer has that much refundable.',
        security,
        params: Id,
        response: { 201: RefundSchema },
      },
    },
    async (req, reply) => {
      const ctx = authorize(req);
      return reply.code(201).send(refundJson(await retryRefusedRefund(rt, req.params.id, actor(ctx))));
    },
  );

  app.post(
    '/api/v1/payments/:id/cancel',
    {
      schema: {
        tags: ['payments'],
        summary: 'Cancel a payment the payer has not paid',
        description: `Purpose \`${PURPOSE}\`. 409 when it already ended (a paid one is refunded instead).`,
        security,
        params: Id,
        response: { 200: PaymentSchema },
      },
    },
    async (req) => {
      authorize(req);
      const row = await cancelPayment(rt, req.params.id);
      return paymentJson(await viewOf(rt.db, row), rt.config.publicUrl);
    },
  );

  const reconDescription = `Purpose \`${PURPOSE}\`. The ledger’s movements of one Japan date per provider and method: captured, refunded, fees, net (captured − refunded − fees), counts. No personal data.`;
  app.get(
    '/api/v1/payments/reconciliation',
    { schema: { tags: ['payments'], summary: 'The daily reconciliation (JSON)', description: reconDescription, security, querystring: DateQuery, response: { 200: ReconciliationSchema } } },
    async (req) => {
      authorize(req);
      return reconcile(rt.db, req.query.date);
    },
  );

  app.get(
    '/api/v1/payments/reconciliation.csv',
    { schema: { tags: ['payments'], summary: 'The daily reconciliation as CSV (UTF-8 with BOM, Japanese header)', description: reconDescription, security, querystring: DateQuery } },
    async (req, reply) => {
      authorize(req);
      const csv = reconciliationCsv(await reconcile(rt.db, req.query.date), translator('ja'));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="reconciliation-${req.query.date}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  // Webhooks: the signature covers the bytes as sent, so this scope keeps the body raw.
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 65_536 }, (_req, body, done) => done(null, body));
    for (const name of rt.providers.keys()) {
      scope.post(
        `/api/v1/payments/webhooks/${name}`,
        {
          config: { csrf: false },
          schema: {
            tags: ['payments'],
            summary: `Webhook of the payment provider “${name}”`,
            description:
              'For the provider only. Signed with HMAC-SHA256 over the raw body: `Yakuba-Signature: t=<unix seconds>,v1=<hex of HMAC(secret, t + "." + body)>`, ' +
              'at most 5 minutes from now. A missing or bad signature, or an old timestamp, is 401 and changes nothing. Each event id is applied once; a repeat answers 200. ' +
              'An event for a charge not known here is 503 and not recorded (send it again later); one naming another amount than the payment’s is recorded as `amount-mismatch` for the accounting desk and not applied.',
            response: { 200: Type.Object({ received: Type.Boolean(), outcome: Type.Enum(['applied', 'late-capture', 'ignored', 'amount-mismatch', 'duplicate']) }) },
          },
        },
        async (req) => {
          const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.from('');
          return { received: true, outcome: await receiveWebhook(rt, name, raw, req.headers) };
        },
      );
    }
  });
}
