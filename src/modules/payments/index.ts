/**
 * payments — cashless payment (キャッシュレス決済) for whatever the town charges: facility
 * bookings now, counter fees later. A payment moves through an explicit table of states
 * (created → started → succeeded / failed / cancelled / expired); the provider (card, a
 * QR-code payment such as PayPay, a convenience store) reports by HMAC-signed webhooks,
 * each applied once; refunds must state the amount still refundable; every movement of money
 * is a line of an append-only ledger, summed by the daily reconciliation. A simulated
 * provider with its own hosted page serves development, tests and the demo.
 * Other modules use only what this exports.
 */
import { hkdfSync } from 'node:crypto';
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import type { Queryable } from '../../platform/db/db.js';
import { DomainError } from '../../platform/errors.js';
import { registerNav } from '../../platform/views/layout.js';
import type { Access } from '../access/index.js';
import './messages.js';
import { PURPOSE, registerPaymentPages, ROLES } from './pages.js';
import { SimulatedProvider, type Deliver } from './providers/simulated.js';
import type { PaymentMethod, PaymentProvider } from './providers/types.js';
import { requestRefund, type RefundRequest } from './refunds.js';
import { registerPaymentsApi } from './routes.js';
import { ambientTx, japanDay, type PaymentHandler, type PaymentsLog, type PaymentsRuntime, type PaymentView, type RefundHandler, type RefundView } from './runtime.js';
import { cancelPayment, createPayment, paymentView, viewOf, type NewPayment } from './service.js';
import * as store from './store.js';
import { receiveWebhook } from './webhooks.js';
import { createPaymentsWorker } from './worker.js';

export type { PaymentChange, PaymentHandler, PaymentView, RefundHandler, RefundView } from './runtime.js';
export type { NewPayment } from './service.js';
export type { RefundRequest } from './refunds.js';
export type { PaymentState } from './states.js';
export { STATES as PAYMENT_STATES, isOpen as isOpenPayment } from './states.js';
export type { PaymentMethod, PaymentProvider } from './providers/types.js';
export { METHODS as PAYMENT_METHODS } from './providers/types.js';
export { PURPOSE as PAYMENTS_PURPOSE, ROLES as PAYMENTS_ROLES };

/** One movement of money as the ledger holds it (capture +, refund −, fee −), with the payment's reference. */
export interface Movement {
  paymentId: string;
  refundId: string | null;
  kind: 'capture' | 'refund' | 'fee';
  amount: number;
  at: Date;
  purpose: string;
  ownerRef: string | null;
  reference: string;
  method: PaymentMethod;
  provider: string;
}

export interface Payments extends YakubaModule {
  /**
   * Creates a payment and returns the payer's link (a path on this site: redirect the payer
   * there). With `tx` it is written in the caller's transaction; with `idempotencyKey` the same
   * key and the same request return the first answer (per purpose), another request is 409.
   */
  createPayment(tx: Queryable | undefined, p: NewPayment): Promise<{ id: string; nextUrl: string }>;
  /**
   * Called in the transaction that changes a payment's state (optionally only for one
   * purpose). A handler that throws rolls the change back. Inside a handler the front door's
   * calls use the handler's transaction by themselves.
   */
  onPaymentChanged(handler: PaymentHandler, opts?: { purpose?: string }): void;
  /**
   * Called in the transaction that makes or settles a refund the caller should know of: one
   * the module made by itself (a capture after the payment had ended), a refused one tried
   * again by the accounting desk, and every provider's answer (succeeded or failed). A
   * handler that throws rolls it back.
   */
  onRefundChanged(handler: RefundHandler, opts?: { purpose?: string }): void;
  /**
   * Refunds part or all of a succeeded payment. `refundableAmount` must equal the payment's
   * `refundable` now (else 412, so two refunds cannot race); more than that is 422. In a
   * transaction (`tx`, or inside a handler) the refund is written there and sent to the
   * provider after it commits; otherwise it is sent at once and returned as it ended.
   */
  refund(p: RefundRequest, opts?: { tx?: Queryable; by?: string }): Promise<RefundView>;
  paymentOf(id: string, tx?: Queryable): Promise<PaymentView | undefined>;
  /** The payments made for one record of the caller (e.g. a booking), oldest first. */
  paymentsOf(purpose: string, ownerRef: string, tx?: Queryable): Promise<PaymentView[]>;
  /** Cancels a payment not paid yet (409 when it has ended; a paid one is refunded instead). */
  cancel(id: string): Promise<PaymentView>;
  /** The ledger's movements in [from, to), optionally of one purpose (revenue reports). */
  movements(q: { from: Date; to: Date; purpose?: string }): Promise<Movement[]>;
  /** The ledger's movements of one Japan date (YYYY-MM-DD). */
  movementsOn(date: string, purpose?: string): Promise<Movement[]>;
  /** The methods payers may choose on this installation (none when no provider is configured). */
  methods(): readonly PaymentMethod[];
  /** Runs the background work (expiry, refunds, the simulated provider's webhooks) until nothing is due (tests). */
  runWorkers(): Promise<void>;
}

export interface PaymentsOptions {
  /** A real provider; without one, the simulated provider outside production, none in production. */
  provider?: PaymentProvider;
  /** How the simulated provider delivers its webhooks: in this process (default) or over HTTP to PUBLIC_URL. */
  simulatedDelivery?: 'in-process' | 'http';
  pollMs?: number;
}

/** What the simulated provider hears when it delivers in-process (as over HTTP): a 503 is sent again later. */
const DELIVERY_STATUS: Partial<Record<DomainError['code'], number>> = { unauthenticated: 401, validation: 400, conflict: 409, busy: 503 };

/** The simulated provider's webhook secret, derived from the root secret under its own label. */
const simulatedSecret = (root: string) => Buffer.from(hkdfSync('sha256', root, 'yakuba', 'yakuba:payments:simulated-webhook', 32));

export function createPayments(
  ctx: ModuleContext & { access: Access; demo: () => boolean; now?: () => Date; log?: PaymentsLog },
  opts: PaymentsOptions = {},
): Payments {
  const rt: PaymentsRuntime = {
    db: ctx.db,
    config: ctx.config,
    access: ctx.access,
    providers: new Map(),
    provider: undefined,
    handlers: [],
    refundHandlers: [],
    now: ctx.now ?? (() => new Date()),
    demo: ctx.demo,
    log: ctx.log ?? { info: () => {}, warn: () => {}, error: () => {} },
    kick: () => worker.kick(),
  };
  let simulated: SimulatedProvider | undefined;
  if (opts.provider) {
    rt.providers.set(opts.provider.name, opts.provider);
    rt.provider = opts.provider;
  } else if (ctx.config.env !== 'production') {
    const inProcess: Deliver = async (raw, headers) => {
      try {
        await receiveWebhook(rt, 'simulated', raw, headers);
        return 200;
      } catch (err) {
        if (err instanceof DomainError) return DELIVERY_STATUS[err.code] ?? 422;
        rt.log.error({ err: err instanceof Error ? err.name : 'error' }, 'payment webhook failed');
        return 500;
      }
    };
    const overHttp: Deliver = async (raw, headers) =>
      (await fetch(`${ctx.config.publicUrl}/api/v1/payments/webhooks/simulated`, { method: 'POST', headers, body: raw.toString('utf8'), signal: AbortSignal.timeout(10_000) })).status;
    simulated = new SimulatedProvider({
      db: ctx.db, now: rt.now, secret: simulatedSecret(ctx.config.secret), deliver: opts.simulatedDelivery === 'http' ? overHttp : inProcess, log: rt.log,
    });
    rt.providers.set(simulated.name, simulated);
    rt.provider = simulated;
  }
  const worker = createPaymentsWorker(rt, { pollMs: opts.pollMs ?? 1000, ...(simulated ? { deliverWebhooks: () => simulated!.deliverPending() } : {}) });

  registerNav({ href: '/staff/payments', label: 'nav.payments', audience: 'staff', roles: ROLES });
  ctx.access.addStaffLink({ href: '/staff/payments', label: 'nav.payments', roles: ROLES });

  const movement = (l: store.LedgerRow): Movement => ({
    paymentId: l.payment_id, refundId: l.refund_id, kind: l.kind, amount: l.amount, at: l.occurred_at, purpose: l.purpose, ownerRef: l.owner_ref,
    reference: l.reference, method: l.method, provider: l.provider,
  });

  return {
    name: 'payments',
    routes(app) {
      registerPaymentPages(app, rt, simulated);
      registerPaymentsApi(app, rt);
    },
    start: () => worker.start(),
    stop: () => worker.stop(),
    async createPayment(tx, p) {
      const scope = `module:${p.purpose}`;
      const r = await createPayment(rt, tx, p, { createdBy: scope, scope, request: p, answer: (v) => ({ id: v.id, nextUrl: v.nextUrl }) });
      return r.body;
    },
    onPaymentChanged(handler, o = {}) {
      rt.handlers.push({ handler, purpose: o.purpose });
    },
    onRefundChanged(handler, o = {}) {
      rt.refundHandlers.push({ handler, purpose: o.purpose });
    },
    refund: (p, o = {}) => requestRefund(rt, p, `module:${o.by ?? 'caller'}`, o.tx),
    paymentOf: (id, tx) => paymentView(rt, id, tx),
    async paymentsOf(purpose, ownerRef, tx) {
      const db = ambientTx(tx) ?? rt.db;
      const rows = await store.paymentsOwnedBy(db, purpose, ownerRef);
      return Promise.all(rows.map((r) => viewOf(db, r)));
    },
    async cancel(id) {
      return viewOf(rt.db, await cancelPayment(rt, id));
    },
    movements: async (q) => (await store.ledgerBetween(rt.db, q.from, q.to, q.purpose)).map(movement),
    async movementsOn(date, purpose) {
      const { from, to } = japanDay(date);
      return (await store.ledgerBetween(rt.db, from, to, purpose)).map(movement);
    },
    methods: () => rt.provider?.methods ?? [],
    runWorkers: () => worker.drain(),
  };
}

