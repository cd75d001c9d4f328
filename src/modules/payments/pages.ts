/**
 * The payments pages: the payer's link (`/payments/pay/{token}`, which opens the charge and
 * sends them to the provider), the simulated provider's hosted page, and the accounting
 * desk's daily reconciliation (`/staff/payments`). All work without JavaScript.
 */
import { Type } from 'typebox';
import type { App } from '../../platform/http/app.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import { qrSvg } from './qr.js';
import { PAYER_ACTIONS, type SimulatedProvider } from './providers/simulated.js';
import { reconcile } from './reconciliation.js';
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
    { config: { page: true }, schema: { querystring: Type.Object({ date: Type.Optional(Type.String({ maxLength: 20 })), lang: Lang }) } },
    async (req, reply) => {
      if (!rt.access.staffPage(req, reply, { purposes: [PURPOSE], roles: ROLES })) return reply;
      const today = dateInJapan(rt.now());
      const asked = req.query.date;
      const valid = asked === undefined || asked === '' || (DATE.test(asked) && !Number.isNaN(Date.parse(`${asked}T00:00:00Z`)));
      const date = valid && asked ? asked : today;
      const { from, to } = japanDay(date);
      const [r, rows, pending] = await Promise.all([reconcile(rt.db, date), store.ledgerBetween(rt.db, from, to), store.refundsUnderWay(rt.db, 50)]);
      const movements = rows.map((l) => ({ at: l.occurred_at, kind: l.kind, amount: l.amount, method: l.method, reference: l.reference, purpose: l.purpose }));
      return sendPage(
        reply,
        ReconciliationPage({
          ctx: pageContext(req),
          m: {
            date, r, movements, ...(valid ? {} : { problem: req.t('payments.staff.badDate') }),
            pending: pending.map((p) => ({ createdAt: p.created_at, amount: p.amount, reference: p.reference, method: p.method, attempts: p.attempts, lastError: p.last_error, automatic: p.automatic })),
          },
        }),
        valid ? 200 : 400,
      );
    },
  );
}
