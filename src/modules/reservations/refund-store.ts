/** SQL of the refunds bookings owed: given back through the payments module, or at the counter. */
import type { Queryable } from '../../platform/db/db.js';

export type RefundReason = 'cancelled' | 'hold-ended' | 'duplicate' | 'staff';
export type RefundState = 'submitted' | 'at-counter' | 'paid-at-counter';

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

/** Records a refund; false when this payment already has one for this reason (told twice). */
export async function recordRefund(
  db: Queryable,
  r: { id: string; bookingId: string; paymentId: string | null; paymentsRefundId: string | null; amount: number; reason: RefundReason; now: Date; demo: boolean },
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO reservations.refunds (id, booking_id, payment_id, amount, reason, state, payments_refund_id, created_at, done_at, demo)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $3::uuid IS NULL THEN 'at-counter' ELSE 'submitted' END, $6, $7, CASE WHEN $3::uuid IS NULL THEN NULL ELSE $7::timestamptz END, $8)
     ON CONFLICT DO NOTHING RETURNING id`,
    [r.id, r.bookingId, r.paymentId, r.amount, r.reason, r.paymentsRefundId, r.now, r.demo],
  );
  return rows.length === 1;
}

export async function refundsOf(db: Queryable, bookingIds: readonly string[]): Promise<RefundRow[]> {
  return db.query<RefundRow>(
    `SELECT id, booking_id, payment_id, amount, reason, state, payments_refund_id, created_at, done_at FROM reservations.refunds WHERE booking_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [[...bookingIds]],
  );
}

/** A payment already refunded for this reason (a change told twice). */
export async function hasRefund(db: Queryable, paymentId: string, reason: RefundReason): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM reservations.refunds WHERE payment_id = $1 AND reason = $2`, [paymentId, reason])).length > 0;
}
