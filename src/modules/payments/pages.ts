/**
 * The payments pages: the payer's link (`/payments/pay/{token}`, which opens the charge and
 * sends them to the provider), the simulated provider's hosted page, and the accounting
 * desk's daily reconciliation (`/staff/payments`). All work without JavaScript.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { DomainError } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import { qrSvg } from './qr.js';
import { PAYER_ACTIONS, type SimulatedProvider } from './providers/simulated.js';
import { reconcile } from './reconciliation.js';
import { retryRefusedRefund } from './refunds.js';
import { dateInJapan, japanDay, type PaymentsRuntime } from './runtime.js';
import { startPayment } from './service.js';
import * as store from './store.js';
import { PAYMENTS_CSS, PAYMENTS_CSS_HREF } from './views/common.js';
import { ReconciliationPage } from './views/reconciliation.js';
import { SimulatedPage } from './views/simulated.js';
import { PaymentStatusPage } from './views/status.js';

export const PURPOSE = 'fee-collection';
export const ROLES = ['accountant'];

const Lang = Type.Optional(Type.String({ maxLength: 10 }));
// The payer's link and the provider's page carry secrets in their paths: logs show the pattern.
const secretPage = { page: true, secretPath: true } as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as YYYY-MM-DD that exists (2026-02-31 does not: Date would read it as 3 March). */
export function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function registerPaymentPages(app: App, rt: PaymentsRuntime, simulated: SimulatedProvider | undefined): void {
  app.get(PAYMENTS_CSS_HREF, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PAYMENTS_CSS));

  app.get(
    '/payments/pay/:token',
    { config: secretPage, schema: { params: Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) }), querystring: Type.Object({ lang: Lang }) } },
    async (req, reply) => {
      const { row, go } = await startPayment(rt, req.params.token);
      if (go) return reply.redirect(go, 303);
      return sendPage(reply, PaymentStatusPage({ ctx: pageContext(req), m: { state: row.state, amount: row.amount, description: row.description, returnUrl: row.return_url } }));
    },
  );

  if (simulated) {
    const Ref = Type.Object({ ref: Type.String({ pattern: '^sim_[a-z0-9]{24}$' }) });
    app.get('/payments/simulated/:ref', { config: secretPage, schema: { params: Ref, querystring: Type.Object({ lang: Lang }) } }, async (req, reply) => {
      const c = await simulated.charge(req.params.ref);
      if (!c) return reply.callNotFound();
      const qr = c.method === 'qr' && c.state === 'pending' ? await qrSvg(`yakuba-simulated:${c.ref}`, { label: req.t('payments.sim.qrLabel') }) : undefined;
      return sendPage(
        reply,
        SimulatedPage({
          ctx: pageContext(req),
          m: {
            ref: c.ref, amount: c.amount, description: c.description, method: c.method, state: c.state, paymentNumber: c.payment_number,
            expiresAt: c.expires_at, returnUrl: c.return_url, ...(qr ? { qrSvg: qr } : {}),
          },
        }),
      );
    });

    app.post(
      '/payments/simulated/:ref',
      { config: secretPage, schema: { params: Ref, body: Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), action: Type.Enum([...PAYER_ACTIONS]) }) } },
      async (req, reply) => {
        const c = await simulated.charge(req.params.ref);
        if (!c) return reply.callNotFound();
        const { charge, changed } = await simulated.act(c.ref, req.body.action);
        // Done: back to the caller's page, which already knows (the webhook came first). Not
        // changed (pressed twice, or already over): the page says what it is.
        return reply.redirect(changed && charge.state !== 'expired' ? charge.return_url : `/payments/simulated/${c.ref}`, 303);
      },
    );
  }

  app.get(
    '/staff/payments',
    { config: { page: true }, schema: { querystring: Type.Object({ date: Type.Optional(Type.String({ maxLength: 20 })), lang: Lang, retried: Type.Optional(Type.String({ maxLength: 20 })) }) } },
    async (req, reply) => {
      if (!rt.access.staffPage(req, reply, { purposes: [PURPOSE], roles: ROLES })) return reply;
      const q = req.query;
      const notice = q.retried === 'sent' ? req.t('payments.staff.retrySent') : q.retried === 'refused' ? req.t('payments.staff.retryRefused') : undefined;
      return reconciliationPage(req, reply, q.date, notice);
    },
  );

  /** The accounting desk tries a refused refund again (a new refund of the same amount), then sees how it went. */
  app.post(
    '/staff/payments/refunds/:id/retry',
    { config: { page: true }, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }), body: Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) }) } },
    async (req, reply) => {
      const staff = rt.access.staffPage(req, reply, { purposes: [PURPOSE], roles: ROLES });
      if (!staff) return reply;
      try {
        const r = await retryRefusedRefund(rt, req.params.id, `staff:${staff.id}`);
        return reply.redirect(`/staff/payments?retried=${r.state === 'failed' ? 'refused' : 'sent'}#refused-h`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === 'not-found') throw err;
        // Tried again already, or no longer refundable: the page shows where it stands.
        return reconciliationPage(req, reply, undefined, undefined, req.t('payments.staff.retryNotPossible'), 409);
      }
    },
  );

  async function reconciliationPage(req: FastifyRequest, reply: FastifyReply, asked: string | undefined, notice?: string, problem?: string, status = 200) {
    const today = dateInJapan(rt.now());
    const valid = asked === undefined || asked === '' || isRealDate(asked);
    const date = valid && asked ? asked : today;
    const { from, to } = japanDay(date);
    const [r, rows, pending, refused, mismatches] = await Promise.all([
      reconcile(rt.db, date), store.ledgerBetween(rt.db, from, to), store.refundsUnderWay(rt.db, 50), store.refusedRefunds(rt.db, 50), store.mismatchedEvents(rt.db, 50),
    ]);
    const movements = rows.map((l) => ({ at: l.occurred_at, kind: l.kind, amount: l.amount, method: l.method, reference: l.reference, purpose: l.purpose }));
    const refund = (p: (typeof pending)[number]) => ({ id: p.id, createdAt: p.created_at, amount: p.amount, reference: p.reference, method: p.method, attempts: p.attempts, lastError: p.last_error, automatic: p.automatic });
    return sendPage(
      reply,
      ReconciliationPage({
        ctx: pageContext(req),
        m: {
          date, r, movements, ...(valid ? {} : { problem: req.t('payments.staff.badDate') }), ...(notice ? { notice } : {}), ...(problem ? { actionProblem: problem } : {}),
          pending: pending.map(refund), refused: refused.map(refund),
          mismatches: mismatches.map((x) => ({ at: x.received_at, reference: x.reference, method: x.method, type: x.type, expected: x.expected, named: x.amount })),
        },
      }),
      valid ? status : 400,
    );
  }
}
