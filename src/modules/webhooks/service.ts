/**
 * The webhook rules: who owns a subscription, which events it matches, how the outbox is
 * fanned out to deliveries, and how long to wait before trying a failed delivery again.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.js';
import { recordAccess, type AuditEntryInput } from '../../platform/audit.js';
import { headPosition, readEvents, sequenceEvents } from '../../platform/outbox.js';
import type { Principal } from '../../platform/auth/principal.js';
import { DomainError, notFound, validationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { newSecret, sealSecret } from './signing.js';
import * as store from './store.js';
import { urlProblem, type TargetPolicy } from './targets.js';
import type { CreateSubscription, DeliveryStatus, DeliveryView, SubscriptionView } from './schema.js';

// ---- matching ------------------------------------------------------------------------------

/** True when `type` is one of `patterns`, or starts with a `prefix.` given as `prefix.*`. */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => (p.endsWith('.*') ? type.startsWith(p.slice(0, -1)) : p === type));
}

/**
 * The schema checks the shape; this checks that the URL parses, carries no credentials and
 * (unless `policy` allows private targets) is https to a host that is not local or private
 * by name or literal address. Names that resolve to such addresses are refused at delivery.
 */
export function checkReceiverUrl(raw: string, policy: TargetPolicy): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw validationError('the url is not a valid absolute URL', [{ field: 'body/url', message: 'is not a valid absolute URL' }]);
  }
  const problem = urlProblem(url, policy);
  if (problem !== undefined) {
    throw validationError(`the url ${problem}`, [{ field: 'body/url', message: problem }]);
  }
  if (url.username || url.password) {
    throw validationError('the url must not contain a user name or password; receivers check the signature instead', [
      { field: 'body/url', message: 'must not contain credentials' },
    ]);
  }
  return url.toString();
}

// ---- retry schedule ------------------------------------------------------------------------

export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_CAP_MS = 3_600_000;

/**
 * Wait before the next try after `attempts` failed ones: base·2^(attempts-1), capped, plus
 * up to 10 % jitter derived from the delivery id (deterministic, so tests can predict it,
 * yet deliveries failing together spread out).
 */
export function backoffMs(attempts: number, deliveryId: string, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
  const jitter = createHash('sha256').update(deliveryId).digest().readUInt32BE(0) / 0x1_0000_0000;
  return Math.min(capMs, Math.round(exponential * (1 + 0.1 * jitter)));
}

// ---- cursors -------------------------------------------------------------------------------

export function encodeCursor(beforePosition: number): string {
  return Buffer.from(`d1:${beforePosition}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^d1:(\d{1,15})$/.exec(text);
  if (!m) throw validationError('the cursor is not valid; use nextCursor from a previous page', [{ field: 'querystring/cursor', message: 'is not a cursor this server issued' }]);
  return Number(m[1]);
}

// ---- subscriptions -------------------------------------------------------------------------

export type Owner = { kind: 'client' | 'staff'; id: string };

/** Whether `owner` still holds `purpose` (access.grantHolds, cached within one worker pass). */
export type GrantCheck = (owner: Owner, purpose: string) => Promise<boolean>;

/** Why a subscription was deactivated: its owner asked, or the owner's grant no longer holds. */
export const DEACTIVATION_REASONS = ['unsubscribed', 'grant-revoked'] as const;
export type DeactivationReason = (typeof DEACTIVATION_REASONS)[number];

export function ownerOf(principal: Principal): Owner {
  if (principal.kind === 'resident') throw new DomainError('forbidden', 'residents cannot subscribe to hub events');
  return { kind: principal.kind, id: principal.id };
}

export function toSubscriptionView(row: store.SubscriptionRow): SubscriptionView {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types,
    description: row.description,
    owner: { kind: row.owner_kind, id: row.owner_id },
    createdAt: row.created_at.toISOString(),
    active: row.active,
    deactivatedReason: row.active ? null : row.deactivated_reason,
  };
}

export function toDeliveryView(row: store.DeliveryRow): DeliveryView {
  return {
    id: row.id,
    eventPosition: row.event_position,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastDurationMs: row.last_duration_ms,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at ? row.delivered_at.toISOString() : null,
  };
}

/**
 * Creates a subscription that starts at the current feed head (no back-fill) and records
 * the audit entry in the same transaction. The secret is returned here and never again.
 */
export async function createSubscription(
  db: Db,
  principal: Principal,
  input: CreateSubscription,
  audit: AuditEntryInput,
  policy: TargetPolicy,
  rootSecret: string,
): Promise<{ subscription: SubscriptionView; secret: string }> {
  const owner = ownerOf(principal);
  const url = checkReceiverUrl(input.url, policy);
  const eventTypes = [...new Set(input.eventTypes)];
  const secret = newSecret();
  // Give committed events their positions first, so "the head" includes them.
  await sequenceEvents(db);
  const row = await db.transaction(async (tx) => {
    const created = await store.insertSubscription(tx, {
      id: newId(),
      ownerKind: owner.kind,
      ownerId: owner.id,
      ownerName: principal.name,
      ownerRole: audit.role ?? null,
      purpose: audit.purpose,
      url,
      eventTypes,
      description: input.description ?? null,
      secret: sealSecret(rootSecret, secret),
      cursorPosition: await headPosition(tx),
    });
    await recordAccess(tx, audit);
    return created;
  });
  return { subscription: toSubscriptionView(row), secret };
}

/** Staff see every subscription; a spoke only its own (others' are "not found"). */
export async function findVisibleSubscription(db: Queryable, principal: Principal, id: string): Promise<store.SubscriptionRow> {
  const row = await store.findSubscription(db, id);
  if (!row) throw notFound('the subscription');
  if (principal.kind === 'staff') return row;
  const owner = ownerOf(principal);
  if (row.owner_kind !== owner.kind || row.owner_id !== owner.id) throw notFound('the subscription');
  return row;
}

export async function listVisibleSubscriptions(db: Queryable, principal: Principal): Promise<SubscriptionView[]> {
  const rows = await store.listSubscriptions(db, principal.kind === 'staff' ? undefined : ownerOf(principal));
  return rows.map(toSubscriptionView);
}

export async function deactivateSubscription(db: Queryable, principal: Principal, id: string): Promise<void> {
  await findVisibleSubscription(db, principal, id);
  await store.deactivateSubscription(db, id, 'unsubscribed' satisfies DeactivationReason);
}

export async function listSubscriptionDeliveries(
  db: Queryable,
  principal: Principal,
  id: string,
  q: { status?: DeliveryStatus | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  const beforePosition = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  await findVisibleSubscription(db, principal, id);
  const limit = q.limit ?? 50;
  const rows = await store.listDeliveries(db, { subscriptionId: id, status: q.status, beforePosition, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(toDeliveryView), nextCursor: rows.length > limit && last ? encodeCursor(last.event_position) : null };
}

// ---- fan-out -------------------------------------------------------------------------------

export const FAN_OUT_BATCH = 500;

/**
 * Deactivates ('grant-revoked') each active subscription with events waiting whose owner
 * no longer holds its purpose (an inactive client or staff account, a purpose withdrawn, a
 * role lost), before any of those events becomes a delivery. Returns how many it ended.
 */
export async function endLapsedSubscriptions(db: Queryable, holds: GrantCheck): Promise<number> {
  const waiting = await store.activeSubscriptionsBehind(db, await headPosition(db));
  let ended = 0;
  for (const s of waiting) {
    if (await holds({ kind: s.owner_kind, id: s.owner_id }, s.purpose)) continue;
    await store.deactivateSubscription(db, s.id, 'grant-revoked' satisfies DeactivationReason);
    ended += 1;
  }
  return ended;
}

/**
 * Turns new outbox events into deliveries. Sequences committed events, ends subscriptions
 * whose grant lapsed (when `holds` is given; the worker always gives it), then, in one
 * transaction holding the active subscriptions no other worker holds (SKIP LOCKED), reads
 * up to `batch` events after each cursor, inserts one delivery per matching event and
 * moves the cursor past every event read. Returns the number of deliveries created.
 */
export async function fanOut(db: Db, batch = FAN_OUT_BATCH, holds?: GrantCheck): Promise<number> {
  await sequenceEvents(db);
  // Grant checks run outside the transaction: PGlite runs one at a time, and access reads
  // through its own connection.
  if (holds) await endLapsedSubscriptions(db, holds);
  return db.transaction(async (tx) => {
    const subscriptions = await store.lockActiveSubscriptions(tx);
    // Subscriptions at the same cursor share one read of the feed.
    const byCursor = new Map<number, store.FanOutCursorRow[]>();
    for (const s of subscriptions) {
      const cursor = Number(s.cursor_position);
      byCursor.set(cursor, [...(byCursor.get(cursor) ?? []), s]);
    }
    let created = 0;
    for (const [cursor, group] of byCursor) {
      const events = await readEvents(tx, { after: cursor, limit: batch });
      const last = events[events.length - 1];
      if (!last) continue;
      const rows: store.NewDelivery[] = [];
      for (const s of group) {
        for (const e of events) {
          if (matchesEventType(s.event_types, e.type)) {
            rows.push({ id: newId(), subscriptionId: s.id, eventPosition: e.position, eventType: e.type });
          }
        }
      }
      created += await store.insertDeliveries(tx, rows);
      for (const s of group) await store.advanceCursor(tx, s.id, last.position);
    }
    return created;
  });
}

/** Staff: sends a dead delivery of an active subscription again from the first attempt. */
export async function retryDeadDelivery(db: Queryable, id: string): Promise<void> {
  if (!(await store.resetDeadDelivery(db, id))) throw notFound('a dead delivery of an active subscription with this id');
}
