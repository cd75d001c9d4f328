/**
 * The simulated provider, for development, tests and the demo: it keeps its own charges,
 * refunds and outgoing webhooks (tables `payments.simulated_*`, its "side"), shows the payer a
 * hosted page (`/payments/simulated/{ref}`) with 「支払う」「支払いに失敗する」「キャンセル」
 * (and for a convenience-store payment a payment number and 「コンビニで支払った」), and
 * tells yakuba what happened by webhooks signed like a real provider's — delivered in-process
 * or over HTTP, at least once, retried with spacing until accepted. No money moves.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Db, Queryable } from '../../../platform/db/db.js';
import { newId } from '../../../platform/ids.js';
import { checkSignature, signatureHeader, SIGNATURE_HEADER } from './signature.js';
import {
  METHODS, type CancelOutcome, type Charge, type ChargeRequest, type Headers, type PaymentMethod, type PaymentProvider, type ProviderEvent,
  type RefundRequest, type RefundResult, type WebhookCheck,
} from './types.js';

export type ChargeState = 'pending' | 'succeeded' | 'failed' | 'cancelled' | 'expired';

export interface SimulatedCharge {
  ref: string;
  payment_id: string;
  amount: number;
  method: PaymentMethod;
  description: string;
  return_url: string;
  state: ChargeState;
  payment_number: string | null;
  expires_at: Date;
  demo: boolean;
}

/** What the payer can do on the hosted page. */
export const PAYER_ACTIONS = ['pay', 'decline', 'cancel'] as const;
export type PayerAction = (typeof PAYER_ACTIONS)[number];

/** Delivers one signed webhook; answers the HTTP status the receiver gave. */
export type Deliver = (rawBody: Buffer, headers: Record<string, string>) => Promise<number>;

export const SIMULATED_PAGE = '/payments/simulated';

/**
 * The fees a Japanese municipality typically pays (without tax): cards about 3.24 %, QR-code
 * payments about 1.98 %, a convenience store a flat fee per slip. Rounded down to the yen.
 */
export const SIMULATED_FEES: Record<PaymentMethod, { rate: number; flat: number }> = {
  card: { rate: 0.0324, flat: 0 },
  qr: { rate: 0.0198, flat: 0 },
  konbini: { rate: 0, flat: 165 },
};

const REF_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const newRef = (prefix: string) => `${prefix}_${[...randomBytes(24)].map((b) => REF_ALPHABET[b % 36]).join('')}`;
const CHARGE = `ref, payment_id, amount, method, description, return_url, state, payment_number, expires_at, demo`;
const EVENT_OF: Record<Exclude<PayerAction, never>, ProviderEvent['type']> = { pay: 'charge.succeeded', decline: 'charge.failed', cancel: 'charge.cancelled' };
const STATE_OF: Record<PayerAction, ChargeState> = { pay: 'succeeded', decline: 'failed', cancel: 'cancelled' };

export class SimulatedProvider implements PaymentProvider {
  readonly name = 'simulated';
  readonly methods = METHODS;

  constructor(
    private readonly o: {
      db: Db;
      now: () => Date;
      /** The webhook signing secret shared with the receiver. */
      secret: Buffer;
      deliver: Deliver;
      toleranceSeconds?: number;
      log?: { warn(obj: Record<string, unknown>, msg: string): void };
    },
  ) {}

  fee(amount: number, method: PaymentMethod): number {
    const f = SIMULATED_FEES[method];
    return Math.floor(amount * f.rate) + f.flat;
  }

  async createCharge(r: ChargeRequest): Promise<Charge> {
    const now = this.o.now();
    // A 支払番号 of 11 digits and the day it must be paid by, as the convenience-store slips say.
    const number = r.method === 'konbini' ? String(randomInt(10_000_000_000, 99_999_999_999)) : null;
    await this.o.db.query(
      `INSERT INTO payments.simulated_charges (ref, payment_id, amount, method, description, return_url, payment_number, expires_at, created_at, updated_at, demo)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) ON CONFLICT (payment_id) DO NOTHING`,
      [newRef('sim'), r.paymentId, r.amount, r.method, r.description, r.returnUrl, number, r.expiresAt, now, r.demo],
    );
    const c = (await this.o.db.query<SimulatedCharge>(`SELECT ${CHARGE} FROM payments.simulated_charges WHERE payment_id = $1`, [r.paymentId]))[0]!;
    return { providerRef: c.ref, nextUrl: `${SIMULATED_PAGE}/${c.ref}`, ...(c.payment_number ? { paymentNumber: c.payment_number } : {}) };
  }

  async refund(r: RefundRequest): Promise<RefundResult> {
    return this.o.db.transaction(async (tx) => {
      const c = await this.lockCharge(tx, r.providerRef);
      if (!c) throw new Error('the simulated provider has no such charge');
      const prior = (await tx.query<{ ref: string }>(`SELECT ref FROM payments.simulated_refunds WHERE refund_id = $1`, [r.refundId]))[0];
      if (prior) return { providerRefundRef: prior.ref, status: 'succeeded' as const };
      const [{ total }] = await tx.query<{ total: number }>(`SELECT COALESCE(sum(amount), 0)::bigint AS total FROM payments.simulated_refunds WHERE charge_ref = $1`, [c.ref]) as [{ total: number }];
      if (c.state !== 'succeeded' || total + r.amount > c.amount) return { providerRefundRef: newRef('simre'), status: 'failed' as const };
      const ref = newRef('simre');
      await tx.query(`INSERT INTO payments.simulated_refunds (ref, charge_ref, refund_id, amount, created_at) VALUES ($1, $2, $3, $4, $5)`, [
        ref, c.ref, r.refundId, r.amount, this.o.now(),
      ]);
      return { providerRefundRef: ref, status: 'succeeded' as const };
    });
  }

  async cancelCharge(providerRef: string): Promise<CancelOutcome> {
    return this.o.db.transaction(async (tx) => {
      const c = await this.lockCharge(tx, providerRef);
      if (c?.state === 'succeeded') return 'captured';
      // Stopped after its time: the payer's page says expired (期限切れ), else cancelled.
      const now = this.o.now();
      if (c?.state === 'pending') {
        await tx.query(`UPDATE payments.simulated_charges SET state = $2, updated_at = $3 WHERE ref = $1`, [c.ref, c.expires_at.getTime() <= now.getTime() ? 'expired' : 'cancelled', now]);
      }
      return 'cancelled';
    });
  }

  verifyWebhook(rawBody: Buffer, headers: Headers): WebhookCheck {
    const sig = checkSignature(this.o.secret, rawBody, headers, this.o.now(), this.o.toleranceSeconds);
    if (!sig.ok) return sig;
    let body: { id?: unknown; type?: unknown; created?: unknown; data?: Record<string, unknown> };
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const d = body?.data;
    if (typeof body?.id !== 'string' || typeof body.type !== 'string' || typeof body.created !== 'number' || !d || typeof d.charge !== 'string') {
      return { ok: false, reason: 'malformed' };
    }
    const occurredAt = new Date(body.created * 1000);
    if (['charge.succeeded', 'charge.failed', 'charge.cancelled', 'charge.expired'].includes(body.type) && typeof d.amount === 'number') {
      return { ok: true, event: { id: body.id, type: body.type as 'charge.succeeded', providerRef: d.charge, amount: d.amount, occurredAt } };
    }
    if ((body.type === 'refund.succeeded' || body.type === 'refund.failed') && typeof d.refund_id === 'string' && typeof d.refund === 'string') {
      return { ok: true, event: { id: body.id, type: body.type, providerRef: d.charge, refundId: d.refund_id, providerRefundRef: d.refund, occurredAt } };
    }
    return { ok: false, reason: 'malformed' };
  }

  // ---- the hosted page's side ---------------------------------------------------------

  async charge(ref: string): Promise<SimulatedCharge | undefined> {
    return (await this.o.db.query<SimulatedCharge>(`SELECT ${CHARGE} FROM payments.simulated_charges WHERE ref = $1`, [ref]))[0];
  }

  /**
   * What the payer pressed. The charge changes and its webhook is queued in one transaction;
   * the webhook is then delivered before the payer is sent back, so the return page already
   * knows. A charge past its time expires instead.
   */
  async act(ref: string, action: PayerAction): Promise<{ charge: SimulatedCharge; changed: boolean }> {
    const result = await this.o.db.transaction(async (tx) => {
      const c = await this.lockCharge(tx, ref);
      if (!c || c.state !== 'pending') return { charge: c, changed: false };
      const now = this.o.now();
      const expired = c.expires_at.getTime() <= now.getTime();
      const state: ChargeState = expired ? 'expired' : STATE_OF[action];
      await tx.query(`UPDATE payments.simulated_charges SET state = $2, updated_at = $3 WHERE ref = $1`, [ref, state, now]);
      await this.queue(tx, c, expired ? 'charge.expired' : EVENT_OF[action], now);
      return { charge: { ...c, state }, changed: true };
    });
    if (!result.charge) throw new Error('the simulated provider has no such charge');
    if (result.changed) await this.deliverPending({ chargeRef: ref });
    return result as { charge: SimulatedCharge; changed: boolean };
  }

  /** Queues a webhook in the provider's transaction (sent after it commits). */
  private async queue(tx: Queryable, c: SimulatedCharge, type: ProviderEvent['type'], now: Date): Promise<void> {
    const id = `evt_${newRef('x').slice(2)}`;
    const body = JSON.stringify({ id, type, created: Math.floor(now.getTime() / 1000), data: { charge: c.ref, payment: c.payment_id, amount: c.amount, method: c.method } });
    await tx.query(`INSERT INTO payments.simulated_webhooks (event_id, charge_ref, type, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)`, [
      id, c.ref, type, body, now,
    ]);
  }

  /** Sends webhooks not yet accepted (of one charge, or any that are due); the number tried. */
  async deliverPending(opts: { chargeRef?: string; limit?: number } = {}): Promise<number> {
    const token = newId();
    const now = this.o.now();
    const due = await this.o.db.query<{ event_id: string; body: string; attempts: number }>(
      `WITH next AS (
         SELECT event_id FROM payments.simulated_webhooks
          WHERE delivered_at IS NULL AND ($2::text IS NULL OR charge_ref = $2) AND ($2::text IS NOT NULL OR next_attempt_at <= $3)
            AND (lease_until IS NULL OR lease_until < $3)
          ORDER BY created_at, event_id LIMIT $4 FOR UPDATE SKIP LOCKED)
       UPDATE payments.simulated_webhooks w SET lease_token = $1, lease_until = $3::timestamptz + interval '1 minute', attempts = attempts + 1
         FROM next WHERE w.event_id = next.event_id
       RETURNING w.event_id, w.body, w.attempts`,
      [token, opts.chargeRef ?? null, now, opts.limit ?? 20],
    );
    for (const w of due) {
      let status = 0;
      let error = '';
      try {
        status = await this.o.deliver(Buffer.from(w.body, 'utf8'), { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(this.o.secret, w.body, this.o.now()) });
      } catch (err) {
        error = err instanceof Error ? err.message : 'delivery failed';
      }
      if (status >= 200 && status < 300) {
        await this.o.db.query(`UPDATE payments.simulated_webhooks SET delivered_at = $3, lease_token = NULL, lease_until = NULL, last_error = NULL WHERE event_id = $1 AND lease_token = $2`, [
          w.event_id, token, this.o.now(),
        ]);
      } else {
        const next = new Date(this.o.now().getTime() + Math.min(3_600_000, 2_000 * 2 ** Math.max(0, w.attempts - 1)));
        this.o.log?.warn({ event: w.event_id, status, attempts: w.attempts }, 'simulated payment webhook not accepted; sending again later');
        await this.o.db.query(
          `UPDATE payments.simulated_webhooks SET next_attempt_at = $3, lease_token = NULL, lease_until = NULL, last_error = $4 WHERE event_id = $1 AND lease_token = $2`,
          [w.event_id, token, next, (error || `HTTP ${status}`).slice(0, 300)],
        );
      }
    }
    return due.length;
  }

  private async lockCharge(tx: Queryable, ref: string): Promise<SimulatedCharge | undefined> {
    return (await tx.query<SimulatedCharge>(`SELECT ${CHARGE} FROM payments.simulated_charges WHERE ref = $1 FOR UPDATE`, [ref]))[0];
  }
}
