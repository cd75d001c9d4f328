/** SQL of the `payments` schema (payments, refunds, ledger, idempotency keys, provider events) only. */
import type { Queryable } from '../../platform/db/db.js';
import type { PaymentMethod } from './providers/types.js';
import type { PaymentState } from './states.js';

export interface PaymentRow {
  id: string;
  description: string;
  reference: string;
  purpose: string;
  owner_ref: string | null;
  payer_person_id: string | null;
  amount: number;
  method: PaymentMethod;
  provider: string;
  pay_token: string;
  return_url: string;
  state: PaymentState;
  provider_ref: string | null;
  provider_next_url: string | null;
  payment_number: string | null;
  fee: number | null;
  expires_at: Date;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  created_by: string;
  demo: boolean;
}

const PAYMENT = `id, description, reference, purpose, owner_ref, payer_person_id, amount, method, provider, pay_token, return_url, state,
  provider_ref, provider_next_url, payment_number, fee, expires_at, created_at, started_at, finished_at, created_by, demo`;

export async function insertPayment(
  db: Queryable,
  p: Omit<PaymentRow, 'state' | 'provider_ref' | 'provider_next_url' | 'payment_number' | 'fee' | 'started_at' | 'finished_at'>,
): Promise<PaymentRow> {
  const rows = await db.query<PaymentRow>(
    `INSERT INTO payments.payments (id, description, reference, purpose, owner_ref, payer_person_id, amount, method, provider, pay_token,
       return_url, expires_at, created_at, created_by, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     RETURNING ${PAYMENT}`,
    [p.id, p.description, p.reference, p.purpose, p.owner_ref, p.payer_person_id, p.amount, p.method, p.provider, p.pay_token,
      p.return_url, p.expires_at, p.created_at, p.created_by, p.demo],
  );
  return rows[0]!;
}

export async function findPayment(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<PaymentRow | undefined> {
  return (await db.query<PaymentRow>(`SELECT ${PAYMENT} FROM payments.payments WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]))[0];
}

export async function findPaymentByToken(db: Queryable, token: string): Promise<PaymentRow | undefined> {
  return (await db.query<PaymentRow>(`SELECT ${PAYMENT} FROM payments.payments WHERE pay_token = $1`, [token]))[0];
}

export async function findPaymentByProviderRef(db: Queryable, provider: string, ref: string, opts: { lock?: boolean } = {}): Promise<PaymentRow | undefined> {
  return (
    await db.query<PaymentRow>(`SELECT ${PAYMENT} FROM payments.payments WHERE provider = $1 AND provider_ref = $2${opts.lock ? ' FOR UPDATE' : ''}`, [provider, ref])
  )[0];
}

export async function paymentsOwnedBy(db: Queryable, purpose: string, ownerRef: string): Promise<PaymentRow[]> {
  return db.query<PaymentRow>(`SELECT ${PAYMENT} FROM payments.payments WHERE purpose = $1 AND owner_ref = $2 ORDER BY created_at, id`, [purpose, ownerRef]);
}

/** Moves a locked payment to `state`, with what the move brings (the charge when started; the end and the fee otherwise). */
export async function setState(
  db: Queryable,
  id: string,
  state: PaymentState,
  at: Date,
  with_: { providerRef?: string; nextUrl?: string; paymentNumber?: string | null; fee?: number } = {},
): Promise<PaymentRow> {
  const rows = await db.query<PaymentRow>(
    `UPDATE payments.payments SET state = $2,
        started_at = CASE WHEN $2 = 'started' THEN $3 ELSE started_at END,
        finished_at = CASE WHEN $2 IN ('created', 'started') THEN NULL ELSE $3 END,
        provider_ref = COALESCE($4, provider_ref), provider_next_url = COALESCE($5, provider_next_url),
        payment_number = COALESCE($6, payment_number), fee = COALESCE($7, fee)
      WHERE id = $1 RETURNING ${PAYMENT}`,
    [id, state, at, with_.providerRef ?? null, with_.nextUrl ?? null, with_.paymentNumber ?? null, with_.fee ?? null],
  );
  return rows[0]!;
}

/** The provider's fee on a capture that arrived after the payment had ended (its state stays). */
export async function setFee(db: Queryable, id: string, fee: number): Promise<void> {
  await db.query(`UPDATE payments.payments SET fee = $2 WHERE id = $1`, [id, fee]);
}

/** Open payments past their expiry, oldest first. */
export async function dueForExpiry(db: Queryable, now: Date, limit: number): Promise<PaymentRow[]> {
  return db.query<PaymentRow>(
    `SELECT ${PAYMENT} FROM payments.payments WHERE state IN ('created', 'started') AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`,
    [now, limit],
  );
}

/** Payments created in a period (the staff page's list), newest first. */
export async function paymentsCreatedBetween(db: Queryable, from: Date, to: Date, limit: number): Promise<PaymentRow[]> {
  return db.query<PaymentRow>(`SELECT ${PAYMENT} FROM payments.payments WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at DESC, id LIMIT $3`, [from, to, limit]);
}

// ---- idempotency keys -----------------------------------------------------------------

export interface IdempotencyRow {
  request_hash: string;
  status: number;
  response: unknown;
}

/** Keeps the first answer to a key; false when the key was already taken (then read it with `findKey`). */
export async function claimKey(db: Queryable, k: { scope: string; key: string; hash: string; status: number; response: unknown }): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO payments.idempotency_keys (scope, key, request_hash, status, response) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [k.scope, k.key, k.hash, k.status, JSON.stringify(k.response)],
  );
  return rows.length === 1;
}

export async function setKeyAnswer(db: Queryable, scope: string, key: string, status: number, response: unknown): Promise<void> {
  await db.query(`UPDATE payments.idempotency_keys SET status = $3, response = $4::jsonb WHERE scope = $1 AND key = $2`, [scope, key, status, JSON.stringify(response)]);
}

export async function findKey(db: Queryable, scope: string, key: string): Promise<IdempotencyRow | undefined> {
  return (await db.query<IdempotencyRow>(`SELECT request_hash, status, response FROM payments.idempotency_keys WHERE scope = $1 AND key = $2`, [scope, key]))[0];
}

// ---- refunds --------------------------------------------------------------------------

export interface RefundRow {
  id: string;
  payment_id: string;
  amount: number;
  reason: string;
  state: 'submitted' | 'succeeded' | 'failed';
  automatic: boolean;
  provider_refund_ref: string | null;
  requested_by: string;
  created_at: Date;
  settled_at: Date | null;
  attempts: number;
  last_error: string | null;
  /** The refused refund this one tries again. */
  retry_of: string | null;
  demo: boolean;
}

const REFUND = `id, payment_id, amount, reason, state, automatic, provider_refund_ref, requested_by, created_at, settled_at, attempts, last_error, retry_of, demo`;
const REFUND_R = REFUND.split(', ').map((c) => `r.${c}`).join(', ');

export async function insertRefund(
  db: Queryable,
  r: { id: string; paymentId: string; amount: number; reason: string; automatic: boolean; requestedBy: string; at: Date; demo: boolean; retryOf?: string },
): Promise<RefundRow> {
  const rows = await db.query<RefundRow>(
    `INSERT INTO payments.refunds (id, payment_id, amount, reason, automatic, requested_by, created_at, next_attempt_at, demo, retry_of)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9) RETURNING ${REFUND}`,
    [r.id, r.paymentId, r.amount, r.reason, r.automatic, r.requestedBy, r.at, r.demo, r.retryOf ?? null],
  );
  return rows[0]!;
}

/** Whether the module already refunded a late capture of this payment by itself (told twice). */
export async function hasAutomaticRefund(db: Queryable, paymentId: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM payments.refunds WHERE payment_id = $1 AND automatic AND retry_of IS NULL`, [paymentId])).length > 0;
}

export async function findRefund(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<RefundRow | undefined> {
  return (await db.query<RefundRow>(`SELECT ${REFUND} FROM payments.refunds WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]))[0];
}

export async function refundsOf(db: Queryable, paymentId: string): Promise<RefundRow[]> {
  return db.query<RefundRow>(`SELECT ${REFUND} FROM payments.refunds WHERE payment_id = $1 ORDER BY created_at, id`, [paymentId]);
}

/** Refunds the provider has not settled yet, oldest first, with their payment's reference (the accounting desk watches them). */
export async function refundsUnderWay(db: Queryable, limit: number): Promise<(RefundRow & { reference: string; method: PaymentMethod })[]> {
  return db.query(
    `SELECT ${REFUND_R}, p.reference, p.method
       FROM payments.refunds r JOIN payments.payments p ON p.id = r.payment_id
      WHERE r.state = 'submitted' ORDER BY r.created_at, r.id LIMIT $1`,
    [limit],
  );
}

/** Refunds the provider refused that nobody has tried again yet, oldest first (the accounting desk must act on them). */
export async function refusedRefunds(db: Queryable, limit: number): Promise<(RefundRow & { reference: string; method: PaymentMethod })[]> {
  return db.query(
    `SELECT ${REFUND_R}, p.reference, p.method
       FROM payments.refunds r JOIN payments.payments p ON p.id = r.payment_id
      WHERE r.state = 'failed' AND NOT EXISTS (SELECT 1 FROM payments.refunds x WHERE x.retry_of = r.id)
      ORDER BY r.created_at, r.id LIMIT $1`,
    [limit],
  );
}

/** Whether a refused refund has been tried again already. */
export async function hasRetry(db: Queryable, refundId: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM payments.refunds WHERE retry_of = $1`, [refundId])).length > 0;
}

/** Takes submitted refunds due for (another) try under a lease token: one by id, or the oldest few. */
export async function claimRefunds(db: Queryable, token: string, now: Date, opts: { id?: string; limit: number }): Promise<RefundRow[]> {
  return db.query<RefundRow>(
    `WITH next AS (
       SELECT id FROM payments.refunds
        WHERE state = 'submitted' AND ($3::uuid IS NULL OR id = $3) AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
        ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
     UPDATE payments.refunds r SET lease_token = $1, lease_until = $2::timestamptz + interval '2 minutes', attempts = attempts + 1
       FROM next WHERE r.id = next.id
     RETURNING ${REFUND_R}`,
    [token, now, opts.id ?? null, opts.limit],
  );
}

/** The provider answered: settled (succeeded, failed) or pending with its reference; only while `token` holds the refund. */
export async function answerRefund(
  db: Queryable,
  id: string,
  token: string | null,
  a: { state: 'submitted' | 'succeeded' | 'failed'; providerRefundRef: string | null; at: Date; nextAttemptAt?: Date },
): Promise<RefundRow | undefined> {
  const rows = await db.query<RefundRow>(
    `UPDATE payments.refunds SET state = $3, provider_refund_ref = COALESCE($4, provider_refund_ref),
        settled_at = CASE WHEN $3 = 'submitted' THEN NULL ELSE $5::timestamptz END,
        next_attempt_at = COALESCE($6, next_attempt_at), lease_token = NULL, lease_until = NULL, last_error = NULL
      WHERE id = $1 AND state = 'submitted' AND ($2::uuid IS NULL OR lease_token = $2) RETURNING ${REFUND}`,
    [id, token, a.state, a.providerRefundRef, a.at, a.nextAttemptAt ?? null],
  );
  return rows[0];
}

/** The provider could not be reached: try again at `nextAt`. */
export async function retryRefund(db: Queryable, id: string, token: string, error: string, nextAt: Date): Promise<void> {
  await db.query(
    `UPDATE payments.refunds SET next_attempt_at = $3, lease_token = NULL, lease_until = NULL, last_error = $4 WHERE id = $1 AND lease_token = $2 AND state = 'submitted'`,
    [id, token, nextAt, error.slice(0, 300)],
  );
}

// ---- ledger ---------------------------------------------------------------------------

export type LedgerKind = 'capture' | 'refund' | 'fee';

export interface LedgerRow {
  id: number;
  payment_id: string;
  refund_id: string | null;
  kind: LedgerKind;
  amount: number;
  provider: string;
  method: PaymentMethod;
  purpose: string;
  occurred_at: Date;
  demo: boolean;
  reference: string;
  owner_ref: string | null;
}

/** Appends one movement; false when that movement is already written (a repeated capture). */
export async function appendLedger(
  db: Queryable,
  e: { paymentId: string; refundId?: string | null; kind: LedgerKind; amount: number; provider: string; method: PaymentMethod; purpose: string; at: Date; demo: boolean },
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO payments.ledger (payment_id, refund_id, kind, amount, provider, method, purpose, occurred_at, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`,
    [e.paymentId, e.refundId ?? null, e.kind, e.amount, e.provider, e.method, e.purpose, e.at, e.demo],
  );
  return rows.length === 1;
}

/** The movements in [from, to), oldest first, with the payment's reference; optionally of one purpose. */
export async function ledgerBetween(db: Queryable, from: Date, to: Date, purpose?: string): Promise<LedgerRow[]> {
  return db.query<LedgerRow>(
    `SELECT l.id, l.payment_id, l.refund_id, l.kind, l.amount, l.provider, l.method, l.purpose, l.occurred_at, l.demo, p.reference, p.owner_ref
       FROM payments.ledger l JOIN payments.payments p ON p.id = l.payment_id
      WHERE l.occurred_at >= $1 AND l.occurred_at < $2 AND ($3::text IS NULL OR l.purpose = $3)
      ORDER BY l.occurred_at, l.id`,
    [from, to, purpose ?? null],
  );
}

export interface LedgerSumRow {
  provider: string;
  method: PaymentMethod;
  captured: number;
  refunded: number;
  fees: number;
  captures: number;
  refunds: number;
}

/** Sums of the movements in [from, to) per provider and method (refunded and fees as positive yen). */
export async function ledgerSums(db: Queryable, from: Date, to: Date): Promise<LedgerSumRow[]> {
  return db.query<LedgerSumRow>(
    `SELECT provider, method,
            COALESCE(sum(amount) FILTER (WHERE kind = 'capture'), 0)::bigint AS captured,
            COALESCE(-sum(amount) FILTER (WHERE kind = 'refund'), 0)::bigint AS refunded,
            COALESCE(-sum(amount) FILTER (WHERE kind = 'fee'), 0)::bigint AS fees,
            count(*) FILTER (WHERE kind = 'capture')::bigint AS captures,
            count(*) FILTER (WHERE kind = 'refund')::bigint AS refunds
       FROM payments.ledger WHERE occurred_at >= $1 AND occurred_at < $2
      GROUP BY provider, method ORDER BY provider, method`,
    [from, to],
  );
}

/** A payment's movements so far: captured (+), refunded and fees (as positive yen). */
export async function totalsOf(db: Queryable, paymentId: string): Promise<{ captured: number; refunded: number; fees: number }> {
  const rows = await db.query<{ captured: number; refunded: number; fees: number }>(
    `SELECT COALESCE(sum(amount) FILTER (WHERE kind = 'capture'), 0)::bigint AS captured,
            COALESCE(-sum(amount) FILTER (WHERE kind = 'refund'), 0)::bigint AS refunded,
            COALESCE(-sum(amount) FILTER (WHERE kind = 'fee'), 0)::bigint AS fees
       FROM payments.ledger WHERE payment_id = $1`,
    [paymentId],
  );
  return rows[0] ?? { captured: 0, refunded: 0, fees: 0 };
}

// ---- provider events ------------------------------------------------------------------

export type EventOutcome = 'applied' | 'late-capture' | 'ignored' | 'amount-mismatch';

/** Records an event as seen; false when the same event id was recorded before (a repeat delivery). */
export async function recordEvent(
  db: Queryable,
  e: { provider: string; eventId: string; type: string; paymentId: string | null; outcome: EventOutcome; amount?: number | null; at: Date },
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO payments.provider_events (provider, event_id, type, payment_id, outcome, amount, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id`,
    [e.provider, e.eventId, e.type, e.paymentId, e.outcome, e.amount ?? null, e.at],
  );
  return rows.length === 1;
}

export async function setEventOutcome(db: Queryable, provider: string, eventId: string, outcome: EventOutcome, paymentId: string | null): Promise<void> {
  await db.query(`UPDATE payments.provider_events SET outcome = $3, payment_id = $4 WHERE provider = $1 AND event_id = $2`, [provider, eventId, outcome, paymentId]);
}

export interface MismatchRow {
  provider: string;
  event_id: string;
  type: string;
  amount: number | null;
  received_at: Date;
  payment_id: string;
  reference: string;
  method: PaymentMethod;
  expected: number;
}

/** Provider events that named another amount than their payment's, newest first (not applied: the accounting desk checks them with the provider). */
export async function mismatchedEvents(db: Queryable, limit: number): Promise<MismatchRow[]> {
  return db.query<MismatchRow>(
    `SELECT e.provider, e.event_id, e.type, e.amount, e.received_at, p.id AS payment_id, p.reference, p.method, p.amount AS expected
       FROM payments.provider_events e JOIN payments.payments p ON p.id = e.payment_id
      WHERE e.outcome = 'amount-mismatch' ORDER BY e.received_at DESC, e.event_id LIMIT $1`,
    [limit],
  );
}
