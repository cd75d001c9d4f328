import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../testing/db.js';
import { loadConfig } from '../../platform/config.js';
import { createApp, type App } from '../../platform/http/app.js';
import { emitEvent } from '../../platform/outbox.js';
import { createAccess, type Access } from '../access/index.js';
import { createWebhooks } from './index.js';
import { fanOut } from './service.js';

// A minimal composition: the platform app, access (who is asking) and this module.
let db: TestDb;
let app: App;
let access: Access;
let token: string;
let otherToken: string;
let counterToken: string;

const json = (res: { headers: Record<string, unknown>; body: string }) => JSON.parse(res.body);
const good = { url: 'https://spoke.example/hooks/yakuba', eventTypes: ['registry.person.moved-in', 'registry.household.*'] };

async function tokenFor(clientId: string, secret: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret } });
  expect(res.statusCode).toBe(200);
  return json(res).access_token as string;
}

function api(method: 'GET' | 'POST' | 'DELETE', url: string, opts: { token?: string | undefined; purpose?: string | undefined; payload?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.purpose) headers['x-purpose'] = opts.purpose;
  return app.inject({ method, url, headers, ...(opts.payload !== undefined ? { payload: opts.payload as string } : {}) });
}

const asSpoke = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  api(method, url, { token, purpose: 'registry-maintenance', payload });

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, detail: RegExp) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(json(res).detail).toMatch(detail);
}

/** Signs a staff member in through the real form; returns the cookies of the session. */
async function staffSession(login: string, roles: string[]): Promise<{ cookie: string; csrf: string }> {
  await access.createStaff(db, { login, displayName: `Staff ${login}`, department: 'IT', roles, password: 'correct horse battery', demo: true });
  const form = await app.inject({ method: 'GET', url: '/staff/sign-in' });
  const csrfCookie = form.cookies.find((c) => c.name === 'yk_csrf');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/staff/sign-in',
    headers: { cookie: `yk_csrf=${csrfCookie?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ login, password: 'correct horse battery', _csrf: csrf }).toString(),
  });
  expect(res.statusCode).toBe(303);
  const session = res.cookies.find((c) => c.name === 'yk_session');
  return { cookie: `yk_csrf=${csrfCookie?.value}; yk_session=${session?.value}`, csrf };
}

beforeAll(async () => {
  db = await openTestDb();
  const config = loadConfig({ NODE_ENV: 'test' });
  app = await createApp(config, db);
  access = await createAccess({ db, config });
  await access.routes?.(app);
  await createWebhooks({ db, config, access }).routes?.(app);
  await app.ready();
  await access.createClient(db, { id: 'test-spoke', name: 'Test spoke', secret: 'test-spoke-secret', purposes: ['registry-maintenance'], fields: [], demo: true });
  await access.createClient(db, { id: 'other-spoke', name: 'Other spoke', secret: 'other-spoke-secret', purposes: ['registry-maintenance'], fields: [], demo: true });
  await access.createClient(db, { id: 'counter-spoke', name: 'Counter kiosk', secret: 'counter-spoke-secret', purposes: ['counter-service'], fields: [], demo: true });
  token = await tokenFor('test-spoke', 'test-spoke-secret');
  otherToken = await tokenFor('other-spoke', 'other-spoke-secret');
  counterToken = await tokenFor('counter-spoke', 'counter-spoke-secret');
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('POST /api/v1/subscriptions', () => {
  it('creates a subscription, shows its secret once, and audits it', async () => {
    const res = await asSpoke('POST', '/api/v1/subscriptions', { ...good, description: 'core system' });
    expect(res.statusCode).toBe(201);
    const body = json(res);
    expect(body).toMatchObject({ url: good.url, eventTypes: good.eventTypes, active: true, description: 'core system', owner: { kind: 'client', id: 'test-spoke' } });
    expect(body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers.location).toBe(`/api/v1/subscriptions/${body.id}`);
    expect(res.headers['cache-control']).toBe('no-store');
    const again = await asSpoke('GET', `/api/v1/subscriptions/${body.id}`);
    expect(again.statusCode).toBe(200);
    expect(json(again).secret).toBeUndefined();
    const [stored] = await db.query<{ secret: string }>('SELECT secret FROM webhooks.subscriptions WHERE id = $1', [body.id]);
    expect(stored?.secret).toMatch(/^v1\./);
    expect(stored?.secret).not.toContain(body.secret);
    const audit = await db.query(`SELECT actor_id, purpose FROM audit.entries WHERE action = 'subscription.create'`);
    expect(audit).toContainEqual({ actor_id: 'test-spoke', purpose: 'registry-maintenance' });
  });

  it('refuses a caller without a token (401) or with a broken one', async () => {
    expectProblem(await api('POST', '/api/v1/subscriptions', { purpose: 'registry-maintenance', payload: good }), 401, /authentication is required/);
    expectProblem(await api('GET', '/api/v1/subscriptions', { token: 'forged.token', purpose: 'registry-maintenance' }), 401, /access token is not valid/);
  });

  it('asks for a purpose (400) and refuses purposes not granted or not covering webhooks (403)', async () => {
    expectProblem(await api('POST', '/api/v1/subscriptions', { token, payload: good }), 400, /X-Purpose/);
    expectProblem(await api('POST', '/api/v1/subscriptions', { token, purpose: 'disaster-support', payload: good }), 403, /"disaster-support" is not granted/);
    expectProblem(await api('POST', '/api/v1/subscriptions', { token, purpose: 'no-such-purpose', payload: good }), 400, /unknown purpose/);
    expectProblem(
      await api('POST', '/api/v1/subscriptions', { token: counterToken, purpose: 'counter-service', payload: good }),
      403,
      /does not cover this action/,
    );
  });

  it.each([
    ['a URL that is not http(s)', { ...good, url: 'ftp://spoke.example/x' }, /body\/url/],
    ['a relative URL', { ...good, url: '/hooks' }, /body\/url/],
    ['a URL with credentials', { ...good, url: 'https://user:pw@spoke.example/x' }, /must not contain a user name/],
    ['a URL that is too long', { ...good, url: `https://spoke.example/${'a'.repeat(2000)}` }, /body\/url/],
    ['an unknown event type', { ...good, eventTypes: ['registry.person.born', 'registry.person.teleported'] }, /body\/eventTypes\/1/],
    ['a prefix of nothing', { ...good, eventTypes: ['billing.*'] }, /body\/eventTypes\/0/],
    ['no event types', { ...good, eventTypes: [] }, /body\/eventTypes/],
    ['an unknown field', { ...good, secret: 'mine' }, /body\/secret/],
    ['a missing url', { eventTypes: good.eventTypes }, /body\/url/],
  ])('answers 400 for %s', async (_what, payload, detail) => {
    expectProblem(await asSpoke('POST', '/api/v1/subscriptions', payload), 400, detail);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await api('POST', '/api/v1/subscriptions', {
      token,
      purpose: 'registry-maintenance',
      payload: '{"url": "https://x.example",',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400, /not valid JSON/);
  });
});

describe('receiver URLs when private targets are not allowed (production)', () => {
  let strictApp: App;

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    strictApp = await createApp(config, db);
    const strictAccess = await createAccess({ db, config });
    await strictAccess.routes?.(strictApp);
    await createWebhooks({ db, config, access: strictAccess }).routes?.(strictApp);
    await strictApp.ready();
  });
  afterAll(async () => strictApp?.close());

  const subscribe = (url: string) =>
    strictApp.inject({
      method: 'POST',
      url: '/api/v1/subscriptions',
      headers: { authorization: `Bearer ${token}`, 'x-purpose': 'registry-maintenance' },
      payload: { url, eventTypes: ['registry.person.born'] },
    });

  it.each([
    ['plain http', 'http://spoke.example/hooks', /must use https/],
    ['localhost', 'https://localhost:8443/hooks', /must not name localhost/],
    ['a *.localhost name', 'https://spoke.localhost/hooks', /must not name localhost/],
    ['loopback', 'https://127.0.0.1/hooks', /non-public address/],
    ['loopback written in hex', 'https://0x7f.0.0.1/hooks', /non-public address/],
    ['IPv6 loopback', 'https://[::1]/hooks', /non-public address/],
    ['IPv4-mapped private', 'https://[::ffff:10.0.0.1]/hooks', /non-public address/],
    ['a private address', 'https://192.168.10.20/hooks', /non-public address/],
    ['the metadata address', 'https://169.254.169.254/latest', /non-public address/],
    ['CGNAT', 'https://100.64.1.1/hooks', /non-public address/],
    ['unique-local IPv6', 'https://[fd00::1]/hooks', /non-public address/],
    ['link-local IPv6', 'https://[fe80::1]/hooks', /non-public address/],
    ['unspecified', 'https://0.0.0.0/hooks', /non-public address/],
  ])('answers 400 naming body/url for %s', async (_what, url, detail) => {
    const res = await subscribe(url);
    expectProblem(res, 400, detail);
    expect(json(res).errors).toEqual([expect.objectContaining({ field: 'body/url' })]);
  });

  it('accepts https to a public name or address', async () => {
    expect((await subscribe('https://spoke.example/hooks')).statusCode).toBe(201);
    expect((await subscribe('https://203.0.113.5:8443/hooks')).statusCode).toBe(201);
  });

  it('accepts the same loopback URL where private targets are allowed (development, test)', async () => {
    const res = await asSpoke('POST', '/api/v1/subscriptions', { url: 'http://127.0.0.1:9/hooks', eventTypes: ['registry.person.born'] });
    expect(res.statusCode).toBe(201);
    expect((await asSpoke('DELETE', `/api/v1/subscriptions/${json(res).id}`)).statusCode).toBe(204);
  });
});

describe('reading and deactivating subscriptions', () => {
  let mine: string;
  let theirs: string;

  beforeAll(async () => {
    mine = json(await asSpoke('POST', '/api/v1/subscriptions', good)).id;
    theirs = json(await api('POST', '/api/v1/subscriptions', { token: otherToken, purpose: 'registry-maintenance', payload: good })).id;
  });

  it("lists only the caller's own subscriptions", async () => {
    const ids = (json(await asSpoke('GET', '/api/v1/subscriptions')).items as { id: string }[]).map((s) => s.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
  });

  it("answers 404 for someone else's subscription and for an unknown one", async () => {
    expectProblem(await asSpoke('GET', `/api/v1/subscriptions/${theirs}`), 404, /subscription was not found/);
    expectProblem(await asSpoke('DELETE', `/api/v1/subscriptions/${theirs}`), 404, /subscription was not found/);
    expectProblem(await asSpoke('GET', `/api/v1/subscriptions/${theirs}/deliveries`), 404, /subscription was not found/);
    expectProblem(await asSpoke('GET', `/api/v1/subscriptions/${randomUUID()}`), 404, /subscription was not found/);
    expectProblem(await asSpoke('GET', '/api/v1/subscriptions/not-a-uuid'), 400, /params\/id/);
  });

  it('deactivates the caller’s own subscription', async () => {
    const id = json(await asSpoke('POST', '/api/v1/subscriptions', good)).id;
    const res = await asSpoke('DELETE', `/api/v1/subscriptions/${id}`);
    expect(res.statusCode).toBe(204);
    expect(json(await asSpoke('GET', `/api/v1/subscriptions/${id}`))).toMatchObject({ active: false, deactivatedReason: 'unsubscribed' });
  });

  it('pages deliveries with an opaque cursor and filters by status', async () => {
    for (let i = 0; i < 5; i++) await db.transaction((tx) => emitEvent(tx, 'registry.person.moved-in', [randomUUID()], {}));
    await fanOut(db);
    const first = await asSpoke('GET', `/api/v1/subscriptions/${mine}/deliveries?limit=2`);
    expect(first.statusCode).toBe(200);
    const page1 = json(first);
    expect(page1.items).toHaveLength(2);
    expect(page1.items[0]).toMatchObject({ eventType: 'registry.person.moved-in', status: 'pending', attempts: 0 });
    expect(page1.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const seen = [...page1.items];
    let cursor: string | null = page1.nextCursor;
    while (cursor) {
      const page = json(await asSpoke('GET', `/api/v1/subscriptions/${mine}/deliveries?limit=2&cursor=${cursor}`));
      seen.push(...page.items);
      cursor = page.nextCursor;
    }
    const positions = seen.map((d: { eventPosition: number }) => d.eventPosition);
    expect(positions).toHaveLength(5);
    expect([...positions].sort((a, b) => b - a)).toEqual(positions);
    expect(json(await asSpoke('GET', `/api/v1/subscriptions/${mine}/deliveries?status=dead`)).items).toEqual([]);
    expectProblem(await asSpoke('GET', `/api/v1/subscriptions/${mine}/deliveries?cursor=bm90LWEtY3Vyc29y`), 400, /cursor is not valid/);
    expectProblem(await asSpoke('GET', `/api/v1/subscriptions/${mine}/deliveries?cursor=%25%25`), 400, /cursor is not valid/);
    expectProblem(await asSpoke('GET', `/api/v1/subscriptions/${mine}/deliveries?status=lost`), 400, /querystring\/status/);
  });

  it('documents every route in the OpenAPI document under the webhooks tag', async () => {
    const doc = json(await app.inject({ method: 'GET', url: '/api/openapi.json' }));
    expect(doc.paths['/api/v1/subscriptions'].post.tags).toEqual(['webhooks']);
    expect(doc.paths['/api/v1/subscriptions'].get.tags).toEqual(['webhooks']);
    expect(doc.paths['/api/v1/subscriptions/{id}'].delete.tags).toEqual(['webhooks']);
    expect(doc.paths['/api/v1/subscriptions/{id}/deliveries'].get.tags).toEqual(['webhooks']);
    expect(doc.paths['/staff/webhooks']).toBeUndefined();
  });
});

describe('the staff page', () => {
  it('shows subscriptions and dead letters first to an administrator, who can retry them', async () => {
    const sub = json(await asSpoke('POST', '/api/v1/subscriptions', { url: 'https://dead.example/hooks', eventTypes: ['registry.person.died'] })).id;
    await db.transaction((tx) => emitEvent(tx, 'registry.person.died', [randomUUID()], {}));
    await fanOut(db);
    const [dead] = await db.query<{ id: string }>(
      `UPDATE webhooks.deliveries SET status = 'dead', attempts = 8, last_error = 'http 410' WHERE subscription_id = $1 RETURNING id`,
      [sub],
    );
    const admin = await staffSession('admin.one', ['administrator']);
    const page = await app.inject({ method: 'GET', url: '/staff/webhooks?lang=en', headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<caption');
    expect(page.body).toContain('dead.example');
    expect(page.body).toContain('http 410');
    const firstRow = page.body.slice(page.body.indexOf('<tbody', page.body.indexOf('Recent deliveries')));
    expect(firstRow.indexOf('Dead letter')).toBeLessThan(firstRow.indexOf('</tr>'));
    expect(page.body).toContain(`/staff/webhooks/deliveries/${dead?.id}/retry`);

    const noCsrf = await app.inject({
      method: 'POST',
      url: `/staff/webhooks/deliveries/${dead?.id}/retry`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_csrf=forged',
    });
    expect(noCsrf.statusCode).toBe(403);
    const retry = await app.inject({
      method: 'POST',
      url: `/staff/webhooks/deliveries/${dead?.id}/retry`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${admin.csrf}`,
    });
    expect(retry.statusCode).toBe(303);
    expect(retry.headers.location).toBe('/staff/webhooks?retried=1');
    const [row] = await db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM webhooks.deliveries WHERE id = $1', [dead?.id]);
    expect(row).toEqual({ status: 'pending', attempts: 0 });
  });

  it('shows why a subscription stopped when its grant was revoked, and its unsent deliveries as cancelled', async () => {
    await access.createClient(db, { id: 'gone-spoke', name: 'Gone spoke', secret: 'gone-spoke-secret', purposes: ['registry-maintenance'], fields: [], demo: true });
    const goneToken = await tokenFor('gone-spoke', 'gone-spoke-secret');
    const sub = json(
      await api('POST', '/api/v1/subscriptions', { token: goneToken, purpose: 'registry-maintenance', payload: { url: 'https://gone.example/hooks', eventTypes: ['registry.person.born'] } }),
    ).id;
    await db.transaction((tx) => emitEvent(tx, 'registry.person.born', [randomUUID()], {}));
    await fanOut(db);
    await db.query(`UPDATE access.clients SET active = false WHERE id = 'gone-spoke'`);
    await db.transaction((tx) => emitEvent(tx, 'registry.person.born', [randomUUID()], {}));
    await fanOut(db, undefined, (owner, purpose) => access.grantHolds(owner, purpose)); // as the worker does
    const rows = await db.query<{ id: string; status: string; last_error: string }>(
      'SELECT id, status, last_error FROM webhooks.deliveries WHERE subscription_id = $1',
      [sub],
    );
    expect(rows).toEqual([expect.objectContaining({ status: 'cancelled', last_error: 'grant-revoked' })]);

    const admin = await staffSession('admin.three', ['administrator']);
    const page = await app.inject({ method: 'GET', url: '/staff/webhooks?lang=en', headers: { cookie: admin.cookie } });
    expect(page.body).toContain('Client gone-spoke');
    expect(page.body).toContain('no longer holds the purpose “registry-maintenance”');
    expect(page.body).toContain('Cancelled (subscription stopped)');
    // A dead letter of a stopped subscription cannot be sent again.
    await db.query(`UPDATE webhooks.deliveries SET status = 'dead' WHERE id = $1`, [rows[0]?.id]);
    const again = await app.inject({ method: 'GET', url: '/staff/webhooks?lang=en', headers: { cookie: admin.cookie } });
    expect(again.body).not.toContain(`/staff/webhooks/deliveries/${rows[0]?.id}/retry`);
    const retry = await app.inject({
      method: 'POST',
      url: `/staff/webhooks/deliveries/${rows[0]?.id}/retry`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${admin.csrf}`,
    });
    expect(retry.statusCode).toBe(404);
  });

  it('lets signed-in staff use the API with the CSRF header, and shows them every subscription', async () => {
    const admin = await staffSession('admin.two', ['administrator']);
    const headers = { cookie: admin.cookie, 'x-purpose': 'registry-maintenance' };
    const refused = await app.inject({ method: 'POST', url: '/api/v1/subscriptions', headers, payload: good });
    expect(refused.statusCode).toBe(403);
    const created = await app.inject({ method: 'POST', url: '/api/v1/subscriptions', headers: { ...headers, 'x-csrf-token': admin.csrf }, payload: good });
    expect(created.statusCode).toBe(201);
    expect(json(created).owner.kind).toBe('staff');
    const owners = (json(await app.inject({ method: 'GET', url: '/api/v1/subscriptions', headers })).items as { owner: { id: string } }[]).map((x) => x.owner.id);
    expect(owners).toEqual(expect.arrayContaining(['test-spoke', 'other-spoke', json(created).owner.id]));
    const theirs = json(await asSpoke('GET', '/api/v1/subscriptions')).items[0].id;
    expect((await app.inject({ method: 'GET', url: `/api/v1/subscriptions/${theirs}`, headers })).statusCode).toBe(200);
  });

  it('lets an auditor look but not retry, and keeps other roles and visitors out', async () => {
    const auditor = await staffSession('audit.one', ['auditor']);
    const page = await app.inject({ method: 'GET', url: '/staff/webhooks', headers: { cookie: auditor.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('/retry');
    const retry = await app.inject({
      method: 'POST',
      url: `/staff/webhooks/deliveries/${randomUUID()}/retry`,
      headers: { cookie: auditor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${auditor.csrf}`,
    });
    expect(retry.statusCode).toBe(403);
    const clerk = await staffSession('clerk.one', ['counter-clerk']);
    expect((await app.inject({ method: 'GET', url: '/staff/webhooks', headers: { cookie: clerk.cookie } })).statusCode).toBe(403);
    const visitor = await app.inject({ method: 'GET', url: '/staff/webhooks' });
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/staff/sign-in?next=%2Fstaff%2Fwebhooks');
  });
});
