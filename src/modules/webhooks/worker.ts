/**
 * The delivery worker. Each pass: fan new outbox events out to deliveries, lease due
 * deliveries (committed before any HTTP call: PGlite runs one transaction at a time, so
 * none may stay open across a network wait), POST each one signed, and record the answer.
 * Several processes may run workers against one PostgreSQL: leases and SKIP LOCKED give
 * each delivery to one worker at a time; a worker that dies leaves a lease that runs out.
 */
import { performance } from 'node:perf_hooks';
import type { Db } from '../../platform/db/db.js';
import type { ModuleContext } from '../../platform/module.js';
import { readEvents, type OutboxEvent } from '../../platform/outbox.js';
import { recordAccess } from '../../platform/audit.js';
import { newId } from '../../platform/ids.js';
import { signPayload } from './signing.js';
import { BACKOFF_BASE_MS, backoffMs, fanOut, FAN_OUT_BATCH } from './service.js';
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
}

export interface PassReport {
  fannedOut: number;
  claimed: number;
  delivered: number;
  failed: number;
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

interface Answer {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The short reason stored for a failure: an HTTP status or an error class, never a body. */
function failureReason(err: unknown, timedOut: boolean): string {
  if (timedOut) return 'timeout';
  const cause = (err as { cause?: { code?: unknown; name?: unknown } }).cause;
  if (typeof cause?.code === 'string') return `network: ${cause.code}`.slice(0, 200);
  if (typeof cause?.name === 'string') return `network: ${cause.name}`.slice(0, 200);
  return `network: ${(err as Error).name ?? 'Error'}`.slice(0, 200);
}

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const started = performance.now();
  try {
    const res = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: controller.signal });
    // The answer's body is not read (nor stored): only its status counts.
    await res.body?.cancel().catch(() => undefined);
    const durationMs = Math.round(performance.now() - started);
    const ok = res.status >= 200 && res.status < 300;
    return { statusCode: res.status, error: ok ? null : `http ${res.status}`, durationMs };
  } catch (err) {
    return { statusCode: null, error: failureReason(err, timedOut), durationMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
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

export function createWebhookWorker(ctx: ModuleContext, opts: WebhookWorkerOptions = {}): WebhookWorker {
  const { db, config } = ctx;
  const batchSize = opts.batchSize ?? 20;
  const leaseMs = opts.leaseMs ?? config.webhook.timeoutMs + 60_000;
  const baseMs = opts.backoffBaseMs ?? BACKOFF_BASE_MS;
  const onError =
    opts.onError ?? ((err: unknown) => process.stderr.write(`webhook worker: ${err instanceof Error ? err.message : String(err)}\n`));

  async function fail(d: ClaimedDelivery, answer: Answer, reason: string): Promise<void> {
    const dead = d.attempts >= config.webhook.maxAttempts;
    await store.markFailed(db, d.id, d.lease_token, {
      statusCode: answer.statusCode,
      durationMs: answer.durationMs,
      error: reason,
      dead,
      retryInMs: dead ? 0 : backoffMs(d.attempts, d.id, baseMs),
    });
  }

  /** Sends one leased delivery and records the answer. True when the receiver took it. */
  async function deliver(d: ClaimedDelivery): Promise<boolean> {
    const position = Number(d.event_position);
    const event = await loadEvent(db, position);
    if (!event) {
      await fail(d, { statusCode: null, error: null, durationMs: 0 }, 'event-missing');
      return false;
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
        'yakuba-signature': signPayload(d.secret, timestamp, body),
      },
      config.webhook.timeoutMs,
    );
    if (answer.error !== null || answer.statusCode === null) {
      await fail(d, answer, answer.error ?? 'no answer');
      return false;
    }
    // The spoke now holds these person ids: record that, under the subscription's purpose.
    await db.transaction(async (tx) => {
      const ours = await store.markDelivered(tx, d.id, d.lease_token, { statusCode: answer.statusCode ?? 0, durationMs: answer.durationMs });
      if (!ours || event.subjectIds.length === 0) return;
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
    });
    return true;
  }

  async function runOnce(): Promise<PassReport> {
    const fannedOut = await fanOut(db, opts.fanOutBatch ?? FAN_OUT_BATCH);
    const claimed = await claimDeliveries(db, batchSize, leaseMs);
    const results = await Promise.all(
      claimed.map((d) =>
        deliver(d).catch((err: unknown) => {
          onError(err);
          return false;
        }),
      ),
    );
    const delivered = results.filter(Boolean).length;
    return { fannedOut, claimed: claimed.length, delivered, failed: claimed.length - delivered };
  }

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  function schedule(delayMs: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = undefined;
      inFlight = runOnce()
        .then((report) => report.claimed >= batchSize)
        .catch((err: unknown) => {
          onError(err);
          return false;
        })
        .then((busy) => {
          inFlight = undefined;
          schedule(busy ? 0 : config.webhook.pollMs);
        });
    }, delayMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    runOnce,
  };
}
