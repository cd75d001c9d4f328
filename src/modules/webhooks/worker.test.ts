import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../testing/db.js';
import { loadConfig, type Config } from '../../platform/config.js';
import { createAccess, type Access } from '../access/index.js';
import { fanOut } from './service.js';
import { verifySignature } from './signing.js';
import { claimDeliveries, type WebhookWorker } from './worker.js';
import { webhookHarness } from './testing.js';

// ---- fixtures: real receivers on 127.0.0.1, a real access module ---------------------------

let db: TestDb;
let config: Config;
let access: Access;
let h: ReturnType<typeof webhookHarness>;

const receiver = (answer?: (n: number) => number, delayMs?: number) => h.receiver(answer, delayMs);
const worker = (opts?: Parameters<typeof h.worker>[0]) => h.worker(opts);
const subscribe = (url: string, eventTypes: string[]) => h.subscribe(url, eventTypes);
const emit = (...args: Parameters<typeof h.emit>) => h.emit(...args);
const drain = (w: WebhookWorker) => h.drain(w);
const deliveriesOf = (id: string) => h.deliveriesOf(id);

beforeAll(async () => {
  db = await openTestDb();
  config = loadConfig({ NODE_ENV: 'test', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_POLL_MS: '20' });
  access = await createAccess({ db, config });
  await access.createClient(db, { id: 'spoke-a', name: 'Spoke A', secret: 'spoke-a-secret', purposes: ['registry-maintenance'], fields: [], demo: true });
  h = webhookHarness(db, config, access);
});

afterEach(async () => {
  // Each test starts with no live subscriptions of the tests before it, and ends with no worker errors.
  expect(await h.cleanup()).toEqual([]);
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
    h.forget(r);
    const { subscription } = await subscribe(url, ['registry.person.born']);
    await emit('registry.person.born');
    await worker().runOnce();
    const [row] = await deliveriesOf(subscription.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_error: 'network: ECONNREFUSED' });
  });

  it('gives up on a slow receiver at the timeout, and does not follow redirects', async () => {
    const slow = await receiver(() => 200, 1_000);
    const moved = await receiver(() => 302);
    const a = await subscribe(slow.url, ['registry.person.born']);
    const b = await subscribe(moved.url, ['registry.person.born']);
    await emit('registry.person.born');
    const quick = loadConfig({ NODE_ENV: 'test', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '100' });
    const started = Date.now();
    expect(await h.worker({}, quick).runOnce()).toMatchObject({ claimed: 2, failed: 2 });
    expect(Date.now() - started).toBeLessThan(900);
    expect((await deliveriesOf(a.subscription.id))[0]).toMatchObject({ status: 'pending', last_status_code: null, last_error: 'timeout' });
    expect((await deliveriesOf(b.subscription.id))[0]).toMatchObject({ status: 'pending', last_status_code: 302, last_error: 'http 302' });
    expect(moved.receipts).toHaveLength(1);
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
