/** SQL of the `webhooks` schema only. */
import type { Queryable } from '../../platform/db/db.js';
import type { DeliveryStatus } from './schema.js';

export interface SubscriptionRow {
  id: string;
  owner_kind: 'client' | 'staff';
  owner_id: string;
  owner_name: string;
  owner_role: string | null;
  purpose: string;
  url: string;
  event_types: string[];
  description: string | null;
  cursor_position: number;
  active: boolean;
  created_at: Date;
  deactivated_reason: string | null;
}

/** Every column but the secret: what listings and pages read. */
const SUBSCRIPTION_COLUMNS =
  'id, owner_kind, owner_id, owner_name, owner_role, purpose, url, event_types, description, cursor_position, active, created_at, ' +
  'deactivated_reason';

export interface NewSubscription {
  id: string;
  ownerKind: 'client' | 'staff';
  ownerId: string;
  ownerName: string;
  ownerRole: string | null;
  purpose: string;
  url: string;
  eventTypes: readonly string[];
  description: string | null;
  secret: string;
  cursorPosition: number;
}

export async function insertSubscription(db: Queryable, s: NewSubscription): Promise<SubscriptionRow> {
  const [row] = await db.query<SubscriptionRow>(
    `INSERT INTO webhooks.subscriptions
       (id, owner_kind, owner_id, owner_name, owner_role, purpose, url, event_types, description, secret, cursor_position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11)
     RETURNING ${SUBSCRIPTION_COLUMNS}`,
    [s.id, s.ownerKind, s.ownerId, s.ownerName, s.ownerRole, s.purpose, s.url, s.eventTypes, s.description, s.secret, s.cursorPosition],
  );
  if (!row) throw new Error('subscription insert returned no row');
  return row;
}

export async function findSubscription(db: Queryable, id: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db.query<SubscriptionRow>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhooks.subscriptions WHERE id = $1`, [id]);
  return row;
}

/** Newest first; `owner` narrows to one principal's subscriptions. */
export async function listSubscriptions(
  db: Queryable,
  owner: { kind: string; id: string } | undefined,
  limit = 500,
): Promise<SubscriptionRow[]> {
  return db.query<SubscriptionRow>(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhooks.subscriptions
      WHERE ($1::text IS NULL OR (owner_kind = $1 AND owner_id = $2))
      ORDER BY created_at DESC, id LIMIT $3`,
    [owner?.kind ?? null, owner?.id ?? null, limit],
  );
}

/**
 * Deactivates a subscription, keeping why, and cancels its deliveries that no worker is
 * sending right now (pending ones, and those whose lease ran out); a worker that holds a
 * lease finds the subscription inactive before it sends. One statement, so both or neither.
 */
export async function deactivateSubscription(db: Queryable, id: string, reason: string): Promise<void> {
  await db.query(
    `WITH ended AS (
       UPDATE webhooks.subscriptions SET active = false, deactivated_at = now(), deactivated_reason = $2
        WHERE id = $1 AND active RETURNING id)
     UPDATE webhooks.deliveries
        SET status = 'cancelled', lease_until = NULL, lease_token = NULL, last_error = $2
      WHERE subscription_id = $1 AND (status = 'pending' OR (status = 'sending' AND lease_until < now()))`,
    [id, reason],
  );
}

export interface GrantedSubscriptionRow {
  id: string;
  owner_kind: 'client' | 'staff';
  owner_id: string;
  purpose: string;
}

/** Active subscriptions that have events up to `head` still to fan out. */
export async function activeSubscriptionsBehind(db: Queryable, head: number): Promise<GrantedSubscriptionRow[]> {
  return db.query<GrantedSubscriptionRow>(
    'SELECT id, owner_kind, owner_id, purpose FROM webhooks.subscriptions WHERE active AND cursor_position < $1 ORDER BY id',
    [head],
  );
}

// ---- fan-out ---------------------------------------------------------------------------

export interface FanOutCursorRow {
  id: string;
  event_types: string[];
  cursor_position: number;
}

/** Active subscriptions no other worker is fanning out right now; locked until commit. */
export async function lockActiveSubscriptions(tx: Queryable): Promise<FanOutCursorRow[]> {
  return tx.query<FanOutCursorRow>(
    `SELECT id, event_types, cursor_position FROM webhooks.subscriptions
      WHERE active ORDER BY cursor_position, id FOR UPDATE SKIP LOCKED`,
  );
}

export interface NewDelivery {
  id: string;
  subscriptionId: string;
  eventPosition: number;
  eventType: string;
}

export async function insertDeliveries(tx: Queryable, rows: readonly NewDelivery[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await tx.query(
    `INSERT INTO webhooks.deliveries (id, subscription_id, event_position, event_type)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[])
     ON CONFLICT (subscription_id, event_position) DO NOTHING
     RETURNING 1`,
    [rows.map((r) => r.id), rows.map((r) => r.subscriptionId), rows.map((r) => r.eventPosition), rows.map((r) => r.eventType)],
  );
  return inserted.length;
}

export async function advanceCursor(tx: Queryable, subscriptionId: string, position: number): Promise<void> {
  await tx.query('UPDATE webhooks.subscriptions SET cursor_position = $2 WHERE id = $1 AND cursor_position < $2', [subscriptionId, position]);
}

// ---- delivery --------------------------------------------------------------------------

export interface ClaimedRow {
  id: string;
  subscription_id: string;
  event_position: number;
  event_type: string;
  attempts: number;
  lease_token: string;
  url: string;
  secret: string;
  owner_kind: 'client' | 'staff';
  owner_id: string;
  owner_name: string;
  owner_role: string | null;
  purpose: string;
}

/**
 * Leases up to `limit` due deliveries of active subscriptions to the caller: pending rows
 * whose time has come, and 'sending' rows whose lease ran out (their worker died). One
 * statement, committed on return, so no transaction stays open while the caller sends.
 * The attempt is counted here, so a worker that dies mid-send still uses one up.
 */
export async function claimDue(db: Queryable, limit: number, leaseMs: number, leaseToken: string): Promise<ClaimedRow[]> {
  return db.query<ClaimedRow>(
    `WITH due AS (
       SELECT x.id FROM webhooks.deliveries x
        WHERE ((x.status = 'pending' AND x.next_attempt_at <= now()) OR (x.status = 'sending' AND x.lease_until < now()))
          AND EXISTS (SELECT 1 FROM webhooks.subscriptions a WHERE a.id = x.subscription_id AND a.active)
        ORDER BY x.next_attempt_at, x.event_position
        LIMIT $1
        FOR UPDATE OF x SKIP LOCKED)
     UPDATE webhooks.deliveries d
        SET status = 'sending', attempts = d.attempts + 1, lease_token = $3,
            lease_until = now() + $2 * interval '1 millisecond'
       FROM due, webhooks.subscriptions s
      WHERE d.id = due.id AND s.id = d.subscription_id
      RETURNING d.id, d.subscription_id, d.event_position, d.event_type, d.attempts, d.lease_token,
                s.url, s.secret, s.owner_kind, s.owner_id, s.owner_name, s.owner_role, s.purpose`,
    [limit, leaseMs, leaseToken],
  );
}

/**
 * Inside the transaction that audits a send: locks the leased row and says whether it may
 * be sent ('ours'), its subscription was deactivated meanwhile, or the lease was lost (or
 * ran out, so another worker may claim it now).
 */
export async function lockLease(tx: Queryable, id: string, leaseToken: string): Promise<'ours' | 'inactive' | 'lost'> {
  const [row] = await tx.query<{ active: boolean }>(
    `SELECT s.active FROM webhooks.deliveries d JOIN webhooks.subscriptions s ON s.id = d.subscription_id
      WHERE d.id = $1 AND d.status = 'sending' AND d.lease_token = $2 AND d.lease_until > now()
      FOR UPDATE OF d`,
    [id, leaseToken],
  );
  if (!row) return 'lost';
  return row.active ? 'ours' : 'inactive';
}

/** A leased delivery that will never be sent (its subscription is inactive). */
export async function cancelLeased(db: Queryable, id: string, leaseToken: string, reason: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhooks.deliveries SET status = 'cancelled', lease_until = NULL, lease_token = NULL, last_error = left($3, 200)
      WHERE id = $1 AND status = 'sending' AND lease_token = $2 RETURNING 1`,
    [id, leaseToken, reason],
  );
  return rows.length > 0;
}

/**
 * Gives a leased delivery back unsent (the hub could not get ready to send it, e.g. the
 * audit trail was unavailable): pending again after `retryInMs`, and the attempt the claim
 * counted is taken back, as the receiver was never called.
 */
export async function releaseLease(db: Queryable, id: string, leaseToken: string, error: string, retryInMs: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhooks.deliveries
        SET status = 'pending', attempts = greatest(attempts - 1, 0), next_attempt_at = now() + $4 * interval '1 millisecond',
            lease_until = NULL, lease_token = NULL, last_error = left($3, 200)
      WHERE id = $1 AND status = 'sending' AND lease_token = $2 RETURNING 1`,
    [id, leaseToken, error, retryInMs],
  );
  return rows.length > 0;
}

/** Records a 2xx answer. False when the lease was lost (another worker took the row over). */
export async function markDelivered(
  db: Queryable,
  id: string,
  leaseToken: string,
  result: { statusCode: number; durationMs: number },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhooks.deliveries
        SET status = 'delivered', delivered_at = now(), lease_until = NULL, lease_token = NULL,
            last_status_code = $3, last_duration_ms = $4, last_error = NULL
      WHERE id = $1 AND status = 'sending' AND lease_token = $2
      RETURNING 1`,
    [id, leaseToken, result.statusCode, result.durationMs],
  );
  return rows.length > 0;
}

/** Records a failed try: due again after `retryInMs`, or dead when `dead`. */
export async function markFailed(
  db: Queryable,
  id: string,
  leaseToken: string,
  result: { statusCode: number | null; durationMs: number; error: string; dead: boolean; retryInMs: number },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhooks.deliveries
        SET status = CASE WHEN $6 THEN 'dead' ELSE 'pending' END,
            next_attempt_at = now() + $7 * interval '1 millisecond',
            lease_until = NULL, lease_token = NULL,
            last_status_code = $3, last_duration_ms = $4, last_error = left($5, 200)
      WHERE id = $1 AND status = 'sending' AND lease_token = $2
      RETURNING 1`,
    [id, leaseToken, result.statusCode, result.durationMs, result.error, result.dead, result.retryInMs],
  );
  return rows.length > 0;
}

/** A dead delivery of an active subscription goes back to pending with a fresh set of attempts. */
export async function resetDeadDelivery(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhooks.deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now()
      WHERE d.id = $1 AND d.status = 'dead'
        AND EXISTS (SELECT 1 FROM webhooks.subscriptions s WHERE s.id = d.subscription_id AND s.active)
      RETURNING 1`,
    [id],
  );
  return rows.length > 0;
}

// ---- reading deliveries ----------------------------------------------------------------

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_position: number;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  created_at: Date;
  delivered_at: Date | null;
}

const DELIVERY_COLUMNS = `d.id, d.subscription_id, d.event_position, d.event_type, d.status, d.attempts, d.next_attempt_at,
  d.last_status_code, d.last_error, d.last_duration_ms, d.created_at, d.delivered_at`;

/** One subscription's deliveries, newest event first, below `beforePosition` when given. */
export async function listDeliveries(
  db: Queryable,
  q: { subscriptionId: string; status: DeliveryStatus | undefined; beforePosition: number | undefined; limit: number },
): Promise<DeliveryRow[]> {
  return db.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhooks.deliveries d
      WHERE d.subscription_id = $1
        AND ($2::text IS NULL OR d.status = $2)
        AND ($3::bigint IS NULL OR d.event_position < $3)
      ORDER BY d.event_position DESC LIMIT $4`,
    [q.subscriptionId, q.status ?? null, q.beforePosition ?? null, q.limit],
  );
}

export interface RecentDeliveryRow extends DeliveryRow {
  url: string;
  owner_id: string;
  subscription_active: boolean;
}

/** For the staff page: dead letters first, then the newest. */
export async function recentDeliveries(db: Queryable, limit: number): Promise<RecentDeliveryRow[]> {
  return db.query<RecentDeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS}, s.url, s.owner_id, s.active AS subscription_active FROM webhooks.deliveries d
       JOIN webhooks.subscriptions s ON s.id = d.subscription_id
      ORDER BY (d.status = 'dead') DESC, d.created_at DESC, d.event_position DESC
      LIMIT $1`,
    [limit],
  );
}
