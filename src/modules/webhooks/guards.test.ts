// What the worker checks before a person id leaves the hub: the grant still holds, the
// disclosure is audited first, and the receiver is not inside the network.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../testing/db.js';
import { loadConfig, type Config } from '../../platform/config.js';
import type { Principal } from '../../platform/auth/principal.js';
import { createAccess, type Access } from '../access/index.js';
import { fanOut } from './service.js';
import { createWebhookWorker } from './worker.js';
import { spokeOf, webhookHarness } from './testing.js';
import type { ResolvedAddress } from './targets.js';

let db: TestDb;
let config: Config;
let strict: Config;
let access: Access;
let h: ReturnType<typeof webhookHarness>;

const env = { NODE_ENV: 'test', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_POLL_MS: '20' };

async function client(id: string, purposes = ['registry-maintenance']) {
  await access.createClient(db, { id, name: `Spoke ${id}`, secret: `${id}-secret`, purposes, fields: [], demo: true });
  return spokeOf(id);
}

const subscription = async (id: string) =>
  (await db.query<{ active: boolean; deactivated_reason: string | null }>(
    'SELECT active, deactivated_reason FROM webhooks.subscriptions WHERE id = $1',
    [id],
  ))[0];

const entriesAbout = (person: string) =>
  db.query<{ actor_id: string; purpose: string; request_id: string }>(
    `SELECT actor_id, purpose, request_id FROM audit.entries WHERE action = 'event.deliver' AND subject_ids @> ARRAY[$1::uuid] ORDER BY seq`,
    [person],
  );

beforeAll(async () => {
  db = await openTestDb();
  config = loadConfig(env);
  strict = loadConfig({ ...env, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
  access = await createAccess({ db, config });
  h = webhookHarness(db, config, access);
  await client('spoke-a');
});

afterEach(async () => {
  expect(await h.cleanup()).toEqual([]);
});

afterAll(async () => {
  await db?.close();
});

describe('a subscription lasts only as long as its grant', () => {
  it('stops when the client is deactivated: nothing more reaches the receiver', async () => {
    const spoke = await client('spoke-leaving');
    const r = await h.receiver();
    const { subscription: s } = await h.subscribe(r.url, ['registry.person.*'], spoke);
    await h.emit('registry.person.born');
    const w = h.worker();
    expect(await h.drain(w)).toBe(1);

    await db.query(`UPDATE access.clients SET active = false WHERE id = 'spoke-leaving'`);
    await h.emit('registry.person.born');
    await h.emit('registry.person.died');
    expect(await w.runOnce()).toMatchObject({ fannedOut: 0, claimed: 0 });
    expect(await h.drain(w)).toBe(0);
    expect(r.receipts).toHaveLength(1);
    expect(await subscription(s.id)).toEqual({ active: false, deactivated_reason: 'grant-revoked' });
    expect(await h.deliveriesOf(s.id)).toHaveLength(1);
  });

  it('cancels deliveries already fanned out when the purpose is withdrawn, and says why', async () => {
    const spoke = await client('spoke-narrowed', ['registry-maintenance', 'disaster-support']);
    const r = await h.receiver();
    const { subscription: s } = await h.subscribe(r.url, ['registry.person.moved-in'], spoke);
    await h.emit('registry.person.moved-in');
    await h.emit('registry.person.moved-in');
    await fanOut(db); // fanned out while the grant held...
    await db.query(`UPDATE access.clients SET purposes = '{disaster-support}' WHERE id = 'spoke-narrowed'`); // ...then withdrawn

    const w = h.worker({ batchSize: 1 });
    expect(await w.runOnce()).toMatchObject({ claimed: 1, delivered: 0, cancelled: 1 });
    expect(await w.runOnce()).toMatchObject({ claimed: 0 }); // the other one was cancelled with the subscription
    expect(r.receipts).toHaveLength(0);
    expect(await subscription(s.id)).toEqual({ active: false, deactivated_reason: 'grant-revoked' });
    const rows = await h.deliveriesOf(s.id);
    expect(rows.map((x) => [x.status, x.last_error])).toEqual([
      ['cancelled', 'grant-revoked'],
      ['cancelled', 'grant-revoked'],
    ]);
  });

  it('stops a staff member’s subscriptions when they lose the role or leave', async () => {
    const staff = async (login: string): Promise<{ principal: Principal; audit: ReturnType<typeof spokeOf>['audit'] }> => {
      const id = await access.createStaff(db, { login, displayName: login, department: 'IT', roles: ['administrator'], password: 'correct horse battery', demo: true });
      const principal: Principal = {
        kind: 'staff', id, name: login, login, department: 'IT', roles: ['administrator'], purposes: ['registry-maintenance'],
        fields: [], fieldsByPurpose: {}, taskPurpose: undefined,
      };
      return { principal, audit: { ...spokeOf(id).audit, actorType: 'staff', actorName: login, role: 'administrator' } };
    };
    const r = await h.receiver();
    const moved = await h.subscribe(r.url, ['registry.household.changed'], await staff('moved.on'));
    const left = await h.subscribe(r.url, ['registry.household.changed'], await staff('left.town'));
    const stays = await h.subscribe(r.url, ['registry.household.changed'], await staff('still.here'));
    await db.query(`UPDATE access.staff SET roles = '{auditor}' WHERE login = 'moved.on'`);
    await db.query(`UPDATE access.staff SET active = false WHERE login = 'left.town'`);
    await h.emit('registry.household.changed');
    await h.drain(h.worker());
    expect(r.receipts).toHaveLength(1);
    expect(await subscription(moved.subscription.id)).toEqual({ active: false, deactivated_reason: 'grant-revoked' });
    expect(await subscription(left.subscription.id)).toEqual({ active: false, deactivated_reason: 'grant-revoked' });
    expect(await subscription(stays.subscription.id)).toEqual({ active: true, deactivated_reason: null });
  });

  it('asks access once per owner and purpose in a pass, and again in the next pass', async () => {
    const spoke = await client('spoke-cached');
    const r = await h.receiver();
    await h.subscribe(r.url, ['registry.person.born'], spoke);
    await h.subscribe(r.url, ['registry.person.*'], spoke);
    for (let i = 0; i < 3; i++) await h.emit('registry.person.born');
    const asked: string[] = [];
    const counting = { grantHolds: (o: { kind: 'client' | 'staff'; id: string }, p: string) => (asked.push(`${o.id}/${p}`), access.grantHolds(o, p)) };
    const w = createWebhookWorker({ db, config, access: counting }, { onError: (err) => h.workerErrors.push(err) });
    expect(await w.runOnce()).toMatchObject({ fannedOut: 6, claimed: 6, delivered: 6 });
    expect(asked).toEqual(['spoke-cached/registry-maintenance']);
    await h.emit('registry.person.born');
    expect(await w.runOnce()).toMatchObject({ delivered: 2 });
    expect(asked).toHaveLength(2);
  });
});

describe('the audit entry comes before the POST', () => {
  it('sends nothing while the entry cannot be written, and sends once it can, with one entry', async () => {
    const r = await h.receiver();
    const { subscription: s } = await h.subscribe(r.url, ['registry.person.moved-out']);
    const person = randomUUID();
    await h.emit('registry.person.moved-out', [person]);
    const w = h.worker();
    await db.query('ALTER TABLE audit.entries ADD CONSTRAINT blocked CHECK (seq < 0) NOT VALID');
    try {
      expect(await w.runOnce()).toMatchObject({ claimed: 1, delivered: 0, failed: 1 });
      expect(await w.runOnce()).toMatchObject({ claimed: 0 }); // given back with a delay, not dead
    } finally {
      await db.query('ALTER TABLE audit.entries DROP CONSTRAINT blocked');
    }
    expect(r.receipts).toHaveLength(0);
    expect(h.workerErrors.splice(0)).toEqual([expect.objectContaining({ code: 'audit-unavailable' })]);
    const [pending] = await h.deliveriesOf(s.id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 0, last_error: 'audit-unavailable' });
    expect(await entriesAbout(person)).toEqual([]);

    await db.query('UPDATE webhooks.deliveries SET next_attempt_at = now() WHERE subscription_id = $1', [s.id]);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(r.receipts).toHaveLength(1);
    const [row] = await h.deliveriesOf(s.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await entriesAbout(person)).toEqual([{ actor_id: 'spoke-a', purpose: 'registry-maintenance', request_id: row?.id }]);
  });

  it('records every attempt, including one the receiver refused', async () => {
    const r = await h.receiver((n) => (n === 1 ? 500 : 200));
    const { subscription: s } = await h.subscribe(r.url, ['registry.person.name-changed']);
    const person = randomUUID();
    await h.emit('registry.person.name-changed', [person]);
    const w = h.worker();
    expect(await w.runOnce()).toMatchObject({ failed: 1 });
    expect(await entriesAbout(person)).toHaveLength(1); // attempted: the ids were sent
    await db.query('UPDATE webhooks.deliveries SET next_attempt_at = now() WHERE subscription_id = $1', [s.id]);
    expect(await w.runOnce()).toMatchObject({ delivered: 1 });
    const [row] = await h.deliveriesOf(s.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
    expect((await entriesAbout(person)).map((e) => e.request_id)).toEqual([row?.id, row?.id]);
    expect(r.receipts).toHaveLength(2);
  });
});

describe('receivers inside the network', () => {
  const resolver = (answers: Record<string, string[]>) => {
    const asked: string[] = [];
    const resolve = async (host: string): Promise<ResolvedAddress[]> => {
      asked.push(host);
      const found = answers[host];
      if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    return { asked, resolve };
  };

  it('refuses a public-looking name that resolves to loopback when private targets are not allowed', async () => {
    const r = await h.receiver();
    const url = `https://rebind.example:${r.port}/hooks`;
    const { subscription: s } = await h.subscribe(url, ['registry.person.born'], spokeOf('spoke-a'), strict.webhook);
    const person = randomUUID();
    await h.emit('registry.person.born', [person]);
    const dns = resolver({ 'rebind.example': ['203.0.113.9', '127.0.0.1'] });
    expect(await h.worker({ resolve: dns.resolve }, strict).runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    expect(dns.asked).toEqual(['rebind.example']);
    expect(r.receipts).toHaveLength(0);
    const [row] = await h.deliveriesOf(s.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_error: 'target-not-allowed' });
    expect(await entriesAbout(person)).toEqual([]); // nothing was attempted, so nothing disclosed
  });

  it('refuses a subscription made while private targets were allowed, once they are not', async () => {
    const r = await h.receiver();
    const { subscription: s } = await h.subscribe(r.url, ['registry.person.born']);
    await h.emit('registry.person.born');
    await h.drain(h.worker({ backoffBaseMs: 0 }, strict));
    expect(r.receipts).toHaveLength(0);
    const [row] = await h.deliveriesOf(s.id);
    expect(row).toMatchObject({ status: 'dead', attempts: 3, last_error: 'target-not-allowed' });
  });

  it('connects only to the addresses it checked (the name is resolved once, by the hub)', async () => {
    const r = await h.receiver();
    const { subscription: s } = await h.subscribe(`http://hooks.example:${r.port}/hooks`, ['registry.person.died']);
    await h.emit('registry.person.died');
    const dns = resolver({ 'hooks.example': ['127.0.0.1'] });
    expect(await h.worker({ resolve: dns.resolve }).runOnce()).toMatchObject({ delivered: 1 });
    expect(dns.asked).toEqual(['hooks.example']);
    expect(r.receipts[0]?.headers.host).toBe(`hooks.example:${r.port}`);
    const [row] = await h.deliveriesOf(s.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('names a name that does not resolve as a network failure', async () => {
    const { subscription: s } = await h.subscribe('http://nowhere.example/hooks', ['registry.person.died']);
    await h.emit('registry.person.died');
    await h.worker({ resolve: resolver({}).resolve }).runOnce();
    const [row] = await h.deliveriesOf(s.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'network: ENOTFOUND' });
  });
});
