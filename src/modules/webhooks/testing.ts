/** Test fixtures for webhook delivery: real receivers on 127.0.0.1 and a worker harness. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/db.js';
import type { AuditEntryInput } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { emitEvent } from '../../platform/outbox.js';
import type { Access } from '../access/index.js';
import { createSubscription } from './service.js';
import { createWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from './worker.js';

export interface Receipt {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; type: string; position: number; occurredAt: string; subjectIds: string[]; data: Record<string, unknown> };
}

export interface Receiver {
  url: string;
  port: number;
  receipts: Receipt[];
  close(): Promise<void>;
}

/** A receiver on 127.0.0.1; `answer` picks the status for the n-th request (1-based). */
export async function startReceiver(answer: (n: number) => number = () => 200, delayMs = 0): Promise<Receiver> {
  const receipts: Receipt[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      receipts.push({ headers: req.headers, rawBody, body: JSON.parse(rawBody) });
      const status = answer(receipts.length);
      setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end('receiver-private-body'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    receipts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface DeliveryState {
  id: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  due_in_ms: number;
}

/** A spoke principal and the audit entry of its subscribing (the client must exist in access). */
export function spokeOf(id: string, purpose = 'registry-maintenance'): { principal: Principal; audit: AuditEntryInput } {
  return {
    principal: { kind: 'client', id, name: `Spoke ${id}`, purposes: [purpose], fields: [] },
    audit: { actorType: 'client', actorId: id, actorName: `Spoke ${id}`, role: 'spoke', purpose, action: 'subscription.create', subjectIds: [], fields: [] },
  };
}

/** Helpers bound to one test file's database, config and access module. */
export function webhookHarness(db: Db, config: Config, access: Access) {
  const receivers: Receiver[] = [];
  const workers: WebhookWorker[] = [];
  /** Errors the workers reported; `cleanup` hands them back (a test usually expects none). */
  const workerErrors: unknown[] = [];

  return {
    workerErrors,
    async receiver(answer?: (n: number) => number, delayMs?: number): Promise<Receiver> {
      const r = await startReceiver(answer, delayMs);
      receivers.push(r);
      return r;
    },
    forget(r: Receiver) {
      receivers.splice(receivers.indexOf(r), 1);
    },
    worker(opts: WebhookWorkerOptions = {}, cfg: Config = config): WebhookWorker {
      const w = createWebhookWorker({ db, config: cfg, access }, { onError: (err) => workerErrors.push(err), ...opts });
      workers.push(w);
      return w;
    },
    subscribe(url: string, eventTypes: string[], as = spokeOf('spoke-a'), policy = config.webhook) {
      return createSubscription(db, as.principal, { url, eventTypes }, as.audit, policy, config.secret);
    },
    async emit(type: string, subjectIds: string[] = [randomUUID()], payload: Record<string, unknown> = { note: 'demo' }) {
      await db.transaction((tx) => emitEvent(tx, type, subjectIds, payload));
    },
    /** Runs passes until one finds nothing to fan out or send; returns how many it delivered. */
    async drain(w: WebhookWorker, max = 20): Promise<number> {
      let delivered = 0;
      for (let i = 0; i < max; i++) {
        const r = await w.runOnce();
        delivered += r.delivered;
        if (r.fannedOut === 0 && r.claimed === 0) return delivered;
      }
      throw new Error('the worker did not settle');
    },
    deliveriesOf(subscriptionId: string) {
      return db.query<DeliveryState>(
        `SELECT id, status, attempts, last_status_code, last_error, last_duration_ms,
                (extract(epoch FROM next_attempt_at - now()) * 1000)::float8 AS due_in_ms
           FROM webhooks.deliveries WHERE subscription_id = $1 ORDER BY event_position`,
        [subscriptionId],
      );
    },
    /** Stops workers and receivers, deactivates every subscription; returns the errors reported. */
    async cleanup(): Promise<unknown[]> {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await Promise.all(receivers.splice(0).map((r) => r.close()));
      await db.query('UPDATE webhooks.subscriptions SET active = false');
      return workerErrors.splice(0);
    },
  };
}
