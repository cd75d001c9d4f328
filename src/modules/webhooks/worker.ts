/**
 * The delivery worker. Each pass: end subscriptions whose owner lost the grant, fan new
 * outbox events out to deliveries, lease due deliveries (committed before any HTTP call:
 * PGlite runs one transaction at a time, so none may stay open across a network wait), and
 * for each one check the grant again, check the target, audit, POST signed, and record the
 * answer. Several processes may run workers against one PostgreSQL: leases and SKIP LOCKED
 * give each delivery to one worker at a time; a worker that dies leaves a lease that runs out.
 */
import { createPoller } from '../../platform/poller.js';
import type { Db } from '../../platform/db/db.js';
import type { ModuleContext } from '../../platform/module.js';
import { readEvents, type OutboxEvent } from '../../platform/outbox.js';
import { recordAccess } from '../../platform/audit.js';
import { DomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Access } from '../access/index.js';
import { openSecret, signPayload } from './signing.js';
import { BACKOFF_BASE_MS, backoffMs, fanOut, FAN_OUT_BATCH, type DeactivationReason, type GrantCheck } from './service.js';
import { failureReason, post, type Answer } from './send.js';
import { checkTarget, systemResolver, type Resolver, type TargetCheck } from './targets.js';
import * as store from './store.js';
import type { EventMessage } from './schema.js';

export interface WebhookWorkerOptions {
  /** Deliveries leased and sent per pass (concurrently). Default 20. */
  batchSize?: number;
  /** First retry delay; doubles per attempt up to an hour. Default 10 s. */
  backoffBaseMs?: number;
  /** How long a lease lasts. Default: the delivery timeout plus one minute. */
  leaseMs?: number;
  /** Outbox events read per fan-out pass. Default 500. */
  fanOutBatch?: number;
  /** Where errors of a background pass go; never given a secret. Default: one line on stderr. */
  onError?: (err: unknown) => void;
  /** How receiver host names are resolved (all addresses). Default: node:dns/promises lookup. */
  resolve?: Resolver;
}

export interface PassReport {
  fannedOut: number;
  claimed: number;
  delivered: number;
  /** Claimed but not delivered: failed, given back, or cancelled. */
  failed: number;
  /** Of those, never to be sent: the subscription is inactive (its grant lapsed, say). */
  cancelled: number;
}

export interface WebhookWorker {
  /** Starts polling every config.webhook.pollMs (at once again after a full batch). */
  start(): void;
  /** Stops polling and waits for the pass in flight; safe to call twice. */
  stop(): Promise<void>;
  /** One fan-out and one delivery pass; what tests drive. */
  runOnce(): Promise<PassReport>;
}

export type ClaimedDelivery = store.ClaimedRow;

/** Leases up to `n` due deliveries to this caller, in a statement committed on return. */
export async function claimDeliveries(db: Db, n: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return store.claimDue(db, n, leaseMs, newId());
}

/** The exact bytes a receiver gets for one delivery of one event. */
export function eventMessage(deliveryId: string, event: OutboxEvent): string {
  const message: EventMessage = {
    id: deliveryId,
    type: event.type,
    position: event.position,
    occurredAt: event.occurredAt.toISOString(),
    subjectIds: event.subjectIds,
    data: event.payload,
  };
  return JSON.stringify(message);
}

async function loadEvent(db: Db, position: number): Promise<OutboxEvent | undefined> {
  const [event] = await readEvents(db, { after: position - 1, limit: 1 });
  return event?.position === position ? event : undefined;
}

/** access.grantHolds, asked at most once per owner and purpose in one pass (never longer). */
function passGrantCheck(access: Pick<Access, 'grantHolds'>): GrantCheck {
  const seen = new Map<string, Promise<boolean>>();
  return (owner, purpose) => {
    const key = JSON.stringify([owner.kind, owner.id, purpose]);
    let answer = seen.get(key);
    if (!answer) {
      answer = access.grantHolds(owner, purpose);
      seen.set(key, answer);
    }
    return answer;
  };
}

type Outcome = 'delivered' | 'failed' | 'cancelled';

export function createWebhookWorker(
  ctx: ModuleContext & { access: Pick<Access, 'grantHolds'> },
  opts: WebhookWorkerOptions = {},
): WebhookWorker {
  const { db, config, access } = ctx;
  const batchSize = opts.batchSize ?? 20;
  const leaseMs = opts.leaseMs ?? config.webhook.timeoutMs + 60_000;
  const baseMs = opts.backoffBaseMs ?? BACKOFF_BASE_MS;
  const resolve = opts.resolve ?? systemResolver;
  const onError =
    opts.onError ?? ((err: unknown) => process.stderr.write(`webhook worker: ${err instanceof Error ? err.message : String(err)}\n`));

  async function fail(d: ClaimedDelivery, answer: Answer, reason: string): Promise<'failed'> {
    const dead = d.attempts >= config.webhook.maxAttempts;
    await store.markFailed(db, d.id, d.lease_token, {
      statusCode: answer.statusCode,
      durationMs: answer.durationMs,
      error: reason,
      dead,
      retryInMs: dead ? 0 : backoffMs(d.attempts, d.id, baseMs),
    });
    return 'failed';
  }

  /** The subscription's grant lapsed: end it, and cancel this delivery unsent. */
  async function cancel(d: ClaimedDelivery, reason: DeactivationReason): Promise<'cancelled'> {
    await store.deactivateSubscription(db, d.subscription_id, reason);
    await store.cancelLeased(db, d.id, d.lease_token, reason);
    return 'cancelled';
  }

  /**
   * Records the disclosure before it happens, in a short transaction that also checks the
   * lease is still ours and the subscription still active. An `event.deliver` entry thus
   * means "disclosed or attempted": the POST after it may fail or time out (and a retry
   * writes another entry), but no person id leaves the hub without one. If the entry cannot
   * be written, this throws and nothing is sent.
   */
  async function auditSend(d: ClaimedDelivery, event: OutboxEvent): Promise<'ours' | 'inactive' | 'lost'> {
    return db.transaction(async (tx) => {
      const state = await store.lockLease(tx, d.id, d.lease_token);
      if (state !== 'ours' || event.subjectIds.length === 0) return state;
      await recordAccess(tx, {
        actorType: d.owner_kind,
        actorId: d.owner_id,
        actorName: d.owner_name,
        role: d.owner_role,
        purpose: d.purpose,
        action: 'event.deliver',
        subjectIds: event.subjectIds,
        fields: [],
        requestId: d.id,
      });
      return state;
    });
  }

  /** Sends one leased delivery and records the answer. */
  async function deliver(d: ClaimedDelivery, holds: GrantCheck): Promise<Outcome> {
    const none: Answer = { statusCode: null, error: null, durationMs: 0 };
    let event: OutboxEvent | undefined;
    let state: 'ours' | 'inactive' | 'lost';
    try {
      if (!(await holds({ kind: d.owner_kind, id: d.owner_id }, d.purpose))) return await cancel(d, 'grant-revoked');
      event = await loadEvent(db, Number(d.event_position));
      if (!event) return await fail(d, none, 'event-missing');
    } catch (err) {
      // Not ready to send (the grant check or the event read failed): give the lease back.
      await store.releaseLease(db, d.id, d.lease_token, 'internal-error', backoffMs(1, d.id, baseMs)).catch(() => undefined);
      throw err;
    }
    let target: TargetCheck;
    try {
      target = await checkTarget(d.url, config.webhook, resolve);
    } catch (err) {
      return fail(d, none, failureReason(err, false)); // the name did not resolve
    }
    // A refused target fails like any other: retried (DNS may change), then dead; no request made.
    if (!target.ok) return fail(d, none, target.reason);
    try {
      state = await auditSend(d, event);
    } catch (err) {
      const reason = err instanceof DomainError ? err.code : 'internal-error';
      await store.releaseLease(db, d.id, d.lease_token, reason, backoffMs(1, d.id, baseMs)).catch(() => undefined);
      throw err;
    }
    if (state === 'lost') return 'failed';
    if (state === 'inactive') {
      const sub = await store.findSubscription(db, d.subscription_id);
      await store.cancelLeased(db, d.id, d.lease_token, sub?.deactivated_reason ?? 'inactive');
      return 'cancelled';
    }
    const body = eventMessage(d.id, event);
    const timestamp = Math.floor(Date.now() / 1000);
    const answer = await post(
      d.url,
      body,
      {
        'content-type': 'application/json',
        'user-agent': 'yakuba-webhooks/1',
        'yakuba-event': event.type,
        'yakuba-delivery': d.id,
        'yakuba-timestamp': String(timestamp),
        'yakuba-signature': signPayload(openSecret(config.secret, d.secret), timestamp, body),
      },
      config.webhook.timeoutMs,
      target.addresses,
    );
    if (answer.error !== null || answer.statusCode === null) return fail(d, answer, answer.error ?? 'no answer');
    await store.markDelivered(db, d.id, d.lease_token, { statusCode: answer.statusCode, durationMs: answer.durationMs });
    return 'delivered';
  }

  async function runOnce(): Promise<PassReport> {
    const holds = passGrantCheck(access);
    const fannedOut = await fanOut(db, opts.fanOutBatch ?? FAN_OUT_BATCH, holds);
    const claimed = await claimDeliveries(db, batchSize, leaseMs);
    const results = await Promise.all(
      claimed.map((d) =>
        deliver(d, holds).catch((err: unknown): Outcome => {
          onError(err);
          return 'failed';
        }),
      ),
    );
    const delivered = results.filter((r) => r === 'delivered').length;
    const cancelled = results.filter((r) => r === 'cancelled').length;
    return { fannedOut, claimed: claimed.length, delivered, failed: claimed.length - delivered, cancelled };
  }

  const poller = createPoller({ pass: () => runOnce().then((report) => report.claimed >= batchSize), pollMs: config.webhook.pollMs, onError });

  return {
    start: () => poller.start(),
    stop: () => poller.stop(),
    runOnce,
  };
}
