import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../testing/db.js';
import { loadConfig, type Config } from '../../platform/config.js';
import { emitEvent } from '../../platform/outbox.js';
import type { Principal } from '../../platform/auth/principal.js';
import type { AuditEntryInput } from '../../platform/audit.js';
import { createSubscription, fanOut } from './service.js';
import { verifySignature } from './signing.js';
import { claimDeliveries, createWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from './worker.js';

// ---- a real receiver on 127.0.0.1 -------------------------------------------------------

interface Receipt {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; type: string; position: number; occurredAt: string; subjectIds: string[]; data: Record<string, unknown> };
}

interface Receiver {
  url: string;
  receipts: Receipt[];
  close(): Promise<void>;
}

/** `answer` picks the status for the n-th request (1-based). */
async function startReceiver(answer: (n: number) => number = () => 200, delayMs = 0): Promise<Receiver> {
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
    receipts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- fixtures ----------------------------------------------------------------------------

let db: TestDb;
let config: Config;
const receivers: Receiver[] = [];
const workers: WebhookWorker[] = [];
/** Errors the workers reported; a test ends with none. */
const workerErrors: unknown[] = [];

const spoke: Principal = { kind: 'client', id: 'spoke-a', name: 'Spoke A', purposes: ['registry-maintenance'], fields: [] };
const audit: AuditEntryInput = {
  actorType: 'client',
  actorId: 'spoke-a',
  actorName: 'Spoke A',
  role: 'spoke',
  purpose: 'registry-maintenance',
  action: 'subscription.create',
  subjectIds: [],
  fields: [],
};

async function receiver(answer?: (n: number) => number, delayMs?: number) {
  const r = await startReceiver(answer, delayMs);
  receivers.push(r);
  return r;
}

function worker(opts: WebhookWorkerOptions = {}, cfg: Config = config) {
  const w = createWebhookWorker({ db, config: cfg }, { onError: (err) => workerErrors.push(err), ...opts });
  workers.push(w);
  return w;
}

const subscribe = (url: string, eventTypes: string[]) => createSubscription(db, spoke, { url, eventTypes }, audit);

async function emit(type: string, subjectIds: string[] = [randomUUID()], payload: Record<string, unknown> = { note: 'demo' }) {
  await db.transaction((tx) => emitEvent(tx, type, subjectIds, payload));
}

/** Runs passes until one finds nothing to fan out or send; returns how many it delivered. */
async function drain(w: WebhookWorker, max = 20): Promise<number> {
  let delivered = 0;
  for (let i = 0; i < max; i++) {
    const r = await w.runOnce();
    delivered += r.delivered;
    if (r.fannedOut === 0 && r.claimed === 0) return delivered;
  }
  throw new Error('the worker did not settle');
}

interface DeliveryState {
  id: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  due_in_ms: number;
}

const deliveriesOf = (subscriptionId: string) =>
  db.query<DeliveryState>(
    `SELECT id, status, attempts, last_status_code, last_error, last_duration_ms,
            (extract(epoch FROM next_attempt_at - now()) * 1000)::float8 AS due_in_ms
       FROM webhooks.deliveries WHERE subscription_id = $1 ORDER BY event_position`,
    [subscriptionId],
  );

beforeAll(async () => {
  db = await openTestDb();
  config = loadConfig({ NODE_ENV: 'test', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_POLL_MS: '20' });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  expect(workerErrors.splice(0)).toEqual([]);
  // Each test starts with no live subscriptions of the tests before it.
  await db.query('UPDATE webhooks.subscriptions SET active = false');
});

afterAll(async () => {
  await db?.close();
});

// ---- tests -------------------------------------------------------------------------------

describe('webhook delivery', () => {
  it('fans out an emitted event and delivers it signed, then audits the disclosure', async () => {
    const r = await receiver();
    const { subscription, secret } = await subscribe(r.url, ['registry.person.moved-in']);
    const person = randomUUID();
    await emit('registry.person.moved-in', [person], { effectiveDate: '2025-04-01' });

    expect(await worker().runOnce()).toMatchObject({ fannedOut: 1, claimed: 1, delivered: 1, failed: 0 });
    expect(r.receipts).toHaveLength(1);
    const [got] = r.receipts;
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.headers['yakuba-event']).toBe('registry.person.moved-in');
    expect(got?.body).toMatchObject({ type: 'registry.person.moved-in', subjectIds: [person], data: { effectiveDate: '2025-04-01' } });
    expect(got?.body.id).toBe(got?.headers['yakuba-delivery']);
    expect(typeof got?.body.position).toBe('number');
    expect(new Date(got?.body.occurredAt ?? '').getTime()).not.toBeNaN();
    const check = verifySignature({
      secret,
      timestamp: got?.headers['yakuba-timestamp'] as string,
      signature: got?.headers['yakuba-signature'] as string,
      rawBody: got?.rawBody ?? '',
    });
    expect(check).toEqual({ ok: true });
    expect(verifySignature({ secret: 'not-the-secret', timestamp: got?.headers['yakuba-timestamp'] as string, signature: got?.headers['yakuba-signature'] as string, rawBody: got?.rawBody ?? '' }).ok).toBe(false);

    const [row] = await deliveriesOf(subscription.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200, last_error: null });
    expect(row?.last_duration_ms).toBeGreaterThanOrEqual(0);

    const entries = await db.query<{ actor_id: string; purpose: string; request_id: string }>(
      `SELECT actor_id, purpose, request_id FROM audit.entries WHERE action = 'event.deliver' AND subject_ids @> ARRAY[$1::uuid]`,
      [person],
    );
    expect(entries).toEqual([{ actor_id: 'spoke-a', purpose: 'registry-maintenance', request_id: row?.id }]);
  });

  it('sends only the types a subscription names, with ".*" prefixes', async () => {
    const persons = await receiver();
    const households = await receiver();
    const everything = await receiver();
    await subscribe(persons.url, ['registry.person.*']);
    await subscribe(households.url, ['registry.household.changed']);
    await subscribe(everything.url, ['registry.*']);
    await emit('registry.person.born');
    await emit('registry.household.changed');
    await emit('applications.submitted');
    await drain(worker());
    expect(persons.receipts.map((x) => x.body.type)).toEqual(['registry.person.born']);
    expect(households.receipts.map((x) => x.body.type)).toEqual(['registry.household.changed']);
    expect(everything.receipts.map((x) => x.body.type).sort()).toEqual(['registry.household.changed', 'registry.person.born']);
  });

  it('retries a failing receiver with backoff and delivers on the third attempt', async () => {
    const r = await receiver((n) => (n <= 2 ? 500 : 200));
    const { subscription } = await subscribe(r.url, ['registry.person.died']);
    await emit('registry.person.died');
    const w = worker();

    expect(await w.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    let [row] = await deliveriesOf(subscription.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, last_error: 'http 500' });
    expect(row?.due_in_ms).toBeGreaterThan(8_000);
    expect(row?.due_in_ms).toBeLessThanOrEqual(11_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 }); // not due yet

    await db.query('UPDATE webhooks.deliveries SET next_attempt_at = now() WHERE subscription_id = $1', [subscription.id]);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    [row] = await deliveriesOf(subscription.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row?.due_in_ms).toBeGreaterThan(18_000);
    expect(row?.due_in_ms).toBeLessThanOrEqual(22_000);

    await db.query('UPDATE webhooks.deliveries SET next_attempt_at = now() WHERE subscription_id = $1', [subscription.id]);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    [row] = await deliveriesOf(subscription.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, last_error: null });
    expect(new Set(r.receipts.map((x) => x.body.id)).size).toBe(1);
  });

  it('dead-letters after maxAttempts and never stores the answer body', async () => {
    const r = await receiver(() => 503);
    const { subscription } = await subscribe(r.url, ['registry.person.born']);
    await emit('registry.person.born');
    const w = worker({ backoffBaseMs: 0 });
    await drain(w);
    const [row] = await deliveriesOf(subscription.id);
    expect(row).toMatchObject({ status: 'dead', attempts: 3, last_status_code: 503, last_error: 'http 503' });
    expect(r.receipts).toHaveLength(3);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
  });

  it('names a network failure by its class', async () => {
    const r = await receiver();
    const url = r.url;
    await r.close();
    receivers.splice(receivers.indexOf(r), 1);
    const { subscription } = await subscribe(url, ['registry.person.born']);
    await emit('registry.person.born');
    await worker().runOnce();
    const [row] = await deliveriesOf(subscription.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_error: 'network: ECONNREFUSED' });
  });

  it('gives each delivery to one of two concurrent workers', async () => {
    const r = await receiver(() => 200, 20);
    const { subscription } = await subscribe(r.url, ['registry.*']);
    for (let i = 0; i < 30; i++) await emit(i % 2 ? 'registry.person.born' : 'registry.household.changed');
    const a = worker({ batchSize: 4 });
    const b = worker({ batchSize: 4 });
    // Each worker keeps going until every delivery of the subscription is settled.
    const work = async (w: WebhookWorker) => {
      let delivered = 0;
      for (let i = 0; i < 200; i++) {
        delivered += (await w.runOnce()).delivered;
        const [state] = await db.query<{ open: number; total: number }>(
          `SELECT count(*) FILTER (WHERE status <> 'delivered') AS open, count(*) AS total FROM webhooks.deliveries WHERE subscription_id = $1`,
          [subscription.id],
        );
        if (state?.open === 0 && state.total === 30) return delivered;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      throw new Error('the workers did not settle');
    };
    const [byA, byB] = await Promise.all([work(a), work(b)]);
    expect(byA + byB).toBe(30);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    const ids = r.receipts.map((x) => x.body.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    const rows = await deliveriesOf(subscription.id);
    expect(rows.every((x) => x.status === 'delivered' && x.attempts === 1)).toBe(true);
  });

  it('never leases one delivery to two concurrent claims', async () => {
    const { subscription } = await subscribe('http://127.0.0.1:9/never-called', ['registry.person.born']);
    for (let i = 0; i < 20; i++) await emit('registry.person.born');
    await Promise.all([fanOut(db), fanOut(db), fanOut(db)]);
    expect(await deliveriesOf(subscription.id)).toHaveLength(20);
    const claims = await Promise.all(Array.from({ length: 5 }, () => claimDeliveries(db, 6, 60_000)));
    const ids = claims.flat().map((d) => d.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  });

  it('does not back-fill: a new subscription gets only later events', async () => {
    await emit('registry.person.moved-out');
    await worker().runOnce();
    await emit('registry.person.moved-out'); // committed, not yet sequenced
    const r = await receiver();
    await subscribe(r.url, ['registry.person.moved-out']);
    await emit('registry.person.moved-out', [randomUUID()], { which: 'later' });
    await drain(worker());
    expect(r.receipts.map((x) => x.body.data)).toEqual([{ which: 'later' }]);
  });

  it('retries a delivery whose worker died while sending, once its lease runs out', async () => {
    const r = await receiver();
    const { subscription } = await subscribe(r.url, ['registry.person.name-changed']);
    await emit('registry.person.name-changed');
    await fanOut(db);
    expect(await claimDeliveries(db, 10, 60_000)).toHaveLength(1); // ...and that worker dies
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    expect(r.receipts).toHaveLength(0);
    await db.query(`UPDATE webhooks.deliveries SET lease_until = now() - interval '1 second' WHERE subscription_id = $1`, [subscription.id]);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(r.receipts).toHaveLength(1);
    const [row] = await deliveriesOf(subscription.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('sends nothing more to a deactivated subscription', async () => {
    const r = await receiver();
    const { subscription } = await subscribe(r.url, ['registry.person.born']);
    await emit('registry.person.born');
    await fanOut(db);
    await db.query('UPDATE webhooks.subscriptions SET active = false WHERE id = $1', [subscription.id]);
    await drain(worker());
    expect(r.receipts).toHaveLength(0);
  });

  it('runs in the background and stops cleanly', async () => {
    const r = await receiver();
    await subscribe(r.url, ['registry.household.changed']);
    const w = worker();
    w.start();
    w.start(); // a second start is a no-op
    await emit('registry.household.changed');
    const deadline = Date.now() + 5_000;
    while (r.receipts.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await w.stop();
    await w.stop();
    expect(r.receipts).toHaveLength(1);
  });
});
