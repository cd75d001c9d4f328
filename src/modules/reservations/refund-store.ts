/** SQL of the refunds bookings owed: given back through the payments module, or at the counter. */
import type { Queryable } from '../../platform/db/db.js';

export type RefundReason = 'cancelled' | 'hold-ended' | 'duplicate' | 'staff';
/** Online: submitted → succeeded or failed (as the payments module tells); at the counter: at-counter → paid-at-counter. */
export type RefundState = 'submitted' | 'succeeded' | 'failed' | 'at-counter' | 'paid-at-counter';

export interface RefundRow {
  id: string;
  booking_id: string;
  payment_id: string | null;
  amount: number;
  reason: RefundReason;
  state: RefundState;
  payments_refund_id: string | null;
  created_at: Date;
  done_at: Date | null;
}

const REFUND = `id, booking_id, payment_id, amount, reason, state, payments_refund_id, created_at, done_at`;

/** Records a refund; false when this payment already has one for this reason (told twice). */
export async function recordRefund(
  db: Queryable,
  r: { id: string; bookingId: string; paymentId: string | null; paymentsRefundId: string | null; amount: number; reason: RefundReason; now: Date; demo: boolean; state?: RefundState },
): Promise<boolean> {
  const state: RefundState = r.state ?? (r.paymentId ? 'submitted' : 'at-counter');
  const rows = await db.query(
    `INSERT INTO reservations.refunds (id, booking_id, payment_id, amount, reason, state, payments_refund_id, created_at, done_at, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $6 IN ('submitted', 'at-counter') THEN NULL ELSE $8::timestamptz END, $9)
     ON CONFLICT DO NOTHING RETURNING id`,
    [r.id, r.bookingId, r.paymentId, r.amount, r.reason, state, r.paymentsRefundId, r.now, r.demo],
  );
  return rows.length === 1;
}

export async function refundsOf(db: Queryable, bookingIds: readonly string[]): Promise<RefundRow[]> {
  return db.query<RefundRow>(`SELECT ${REFUND} FROM reservations.refunds WHERE booking_id = ANY($1::uuid[]) ORDER BY created_at, id`, [[...bookingIds]]);
}

/** A payment already refunded for this reason (a change told twice). */
export async function hasRefund(db: Queryable, paymentId: string, reason: RefundReason): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM reservations.refunds WHERE payment_id = $1 AND reason = $2`, [paymentId, reason])).length > 0;
}

/** The refund recorded under a refund id of the payments module, locked. */
export async function findByPaymentsRefund(db: Queryable, paymentsRefundId: string): Promise<RefundRow | undefined> {
  return (await db.query<RefundRow>(`SELECT ${REFUND} FROM reservations.refunds WHERE payments_refund_id = $1 FOR UPDATE`, [paymentsRefundId]))[0];
}

/** Mirrors what the payments module tells of a refund: its state, and (a retry) the refund now carrying it. */
export async function mirrorRefund(db: Queryable, id: string, m: { state: 'submitted' | 'succeeded' | 'failed'; paymentsRefundId: string; at: Date | null }): Promise<void> {
  await db.query(
    `UPDATE reservations.refunds SET state = $2, payments_refund_id = $3, done_at = CASE WHEN $2 = 'submitted' THEN NULL ELSE $4::timestamptz END WHERE id = $1`,
    [id, m.state, m.paymentsRefundId, m.at],
  );
}
