import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../testing/db.js';
import { loadConfig } from '../../platform/config.js';
import type { Db, Queryable } from '../../platform/db/db.js';
import { DomainError } from '../../platform/errors.js';
import { buildServer, type Server } from '../../server.js';
import { installDemo } from '../../demo.js';
import { createDemoSignIn, DEMO_LIST_FIELDS, DEMO_LIST_SIZE, demoSignInAvailable } from './demo-sign-in.js';

// The portal on a real database: one server built before the demo town existed (so not a
// demo installation), one after it (a demo installation), and one in production mode.
let db: TestDb;
let plain: Server;
let demo: Server;
let production: Server;

type Res = { statusCode: number; body: string; headers: Record<string, unknown>; cookies: { name: string; value: string }[] };
const html = { accept: 'text/html' };

/** The CSRF cookie and token of a fresh page view. */
async function csrfFor(server: Server, url = '/auth/sign-in'): Promise<{ cookie: string; token: string }> {
  const res = await server.app.inject({ method: 'GET', url, headers: html });
  const cookie = res.cookies.find((c) => c.name === 'yk_csrf')?.value ?? '';
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
  return { cookie: `yk_csrf=${cookie}`, token };
}

async function postDemo(server: Server, form: Record<string, string>, opts: { csrf?: boolean } = {}): Promise<Res> {
  const { cookie, token } = await csrfFor(server, '/auth/demo');
  const body = new URLSearchParams({ ...form, ...(opts.csrf === false ? {} : { _csrf: token }) });
  return server.app.inject({
    method: 'POST',
    url: '/auth/demo',
    headers: { ...html, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
}

const listedIds = (body: string) => [...body.matchAll(/name="personId" value="([^"]+)"/g)].map((m) => m[1] as string);
const demoListEntries = (q: Queryable) =>
  q.query<{ actor_type: string; actor_id: string; actor_name: string; purpose: string; subject_ids: string[]; fields: string[] }>(
    "SELECT actor_type, actor_id, actor_name, purpose, subject_ids, fields FROM audit.entries WHERE action = 'demo.list' ORDER BY seq",
  );

beforeAll(async () => {
  db = await openTestDb();
  const config = loadConfig({ NODE_ENV: 'test' });
  plain = await buildServer(config, db);
  await installDemo(db, plain, { residents: 60, seed: 7, today: '2026-11-22' });
  demo = await buildServer(config, db);
  production = await buildServer(loadConfig({ NODE_ENV: 'production', YAKUBA_SECRET: 'production-secret-production-secret-0123', LOG_LEVEL: 'silent' }), db);
});

afterAll(async () => {
  await production?.close();
  await demo?.close();
  await plain?.close();
  await db?.close();
});

describe('portal home and sign-in page', () => {
  it('shows what residents can do and the way in, in Japanese first', async () => {
    const res = await demo.app.inject({ method: 'GET', url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="ja"');
    expect(res.body).toContain('ここでできること');
    expect(res.body).toContain('href="/auth/sign-in"');
    expect(res.body).not.toContain('href="/me"');
    const en = await demo.app.inject({ method: 'GET', url: '/?lang=en', headers: html });
    expect(en.body).toContain('What you can do here');
  });

  it('offers the demo sign-in only in a demo installation, and explains when nothing is set up', async () => {
    const withDemo = await demo.app.inject({ method: 'GET', url: '/auth/sign-in?next=/me/access-log', headers: html });
    expect(withDemo.statusCode).toBe(200);
    expect(withDemo.body).toContain('デモ — 架空の住民です');
    expect(withDemo.body).toContain('href="/auth/demo?next=%2Fme%2Faccess-log"');
    expect(withDemo.body).not.toContain('/auth/oidc/start');
    for (const server of [plain, production]) {
      const res = await server.app.inject({ method: 'GET', url: '/auth/sign-in', headers: html });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('/auth/demo');
      expect(res.body).toContain('まだオンラインのサインインが設定されていません');
    }
  });
});

describe('demo sign-in', () => {
  let listed: string[] = [];

  it('lists only demo residents and records one audit entry for the listing', async () => {
    const before = (await demoListEntries(db)).length;
    const res = await demo.app.inject({ method: 'GET', url: '/auth/demo', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('デモ — 架空の住民です');
    listed = listedIds(res.body);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThanOrEqual(DEMO_LIST_SIZE);
    const rows = await db.query<{ id: string; demo: boolean; status: string }>('SELECT id, demo, status FROM registry.persons WHERE id = ANY($1::uuid[])', [listed]);
    expect(rows).toHaveLength(listed.length);
    expect(rows.every((r) => r.demo && r.status === 'resident')).toBe(true);
    // Every form carries the CSRF field.
    expect([...res.body.matchAll(/name="_csrf"/g)].length).toBeGreaterThanOrEqual(listed.length);

    const entries = await demoListEntries(db);
    expect(entries).toHaveLength(before + 1);
    const entry = entries[entries.length - 1];
    expect(entry).toMatchObject({ actor_type: 'system', actor_id: 'demo-sign-in', actor_name: 'demo sign-in page', purpose: 'self-service', fields: [...DEMO_LIST_FIELDS] });
    expect([...(entry?.subject_ids ?? [])].sort()).toEqual([...listed].sort());
  });

  it('signs in as the chosen resident, who then sees their own record and nobody else’s', async () => {
    const personId = listed[0] as string;
    const [person] = await db.query<{ family_name: string; given_name: string; household_id: string }>(
      'SELECT family_name, given_name, household_id FROM registry.persons WHERE id = $1',
      [personId],
    );
    const res = await postDemo(demo, { personId });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/me');
    const session = res.cookies.find((c) => c.name === 'yk_session');
    expect(session?.value).toBeTruthy();
    const cookie = `yk_session=${session?.value}`;

    const me = await demo.app.inject({ method: 'GET', url: '/me', headers: { ...html, cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.body).toContain(`${person?.family_name} ${person?.given_name}`);

    const home = await demo.app.inject({ method: 'GET', url: '/', headers: { ...html, cookie } });
    expect(home.body).toContain('href="/me/access-log"');

    const [other] = await db.query<{ id: string }>('SELECT id FROM registry.persons WHERE household_id <> $1 LIMIT 1', [person?.household_id]);
    const api = await demo.app.inject({ method: 'GET', url: `/api/v1/persons/${other?.id}`, headers: { cookie } });
    expect(api.statusCode).toBe(404);
  });

  it('follows a local next only', async () => {
    const personId = listed[1] as string;
    expect((await postDemo(demo, { personId, next: '/me/access-log' })).headers.location).toBe('/me/access-log');
    expect((await postDemo(demo, { personId, next: '//evil.example/x' })).headers.location).toBe('/me');
    expect((await postDemo(demo, { personId, next: 'https://evil.example/' })).headers.location).toBe('/me');
  });

  it('refuses a post without the CSRF token (403), a malformed id (400) and unknown fields (400)', async () => {
    const noCsrf = await postDemo(demo, { personId: listed[0] as string }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.cookies.find((c) => c.name === 'yk_session')).toBeUndefined();
    const bad = await postDemo(demo, { personId: 'not-a-uuid' });
    expect(bad.statusCode).toBe(400);
    expect(String(bad.headers['content-type'])).toContain('text/html');
    expect(bad.cookies.find((c) => c.name === 'yk_session')).toBeUndefined();
    expect((await postDemo(demo, { personId: listed[0] as string, role: 'staff' })).statusCode).toBe(400);
  });

  it('refuses anyone who is not an offered, current demo resident', async () => {
    const head = listed[2] as string;
    // A real (non-demo) resident in a listed household, and a demo member who is not offered.
    const realId = randomUUID();
    await db.query(
      `INSERT INTO registry.persons (id, family_name, given_name, family_name_kana, given_name_kana, match_key, kana_key, sex, birth_date,
         status, household_id, relation_to_head, address_id, demo)
       SELECT $1, family_name, '実在', family_name_kana, 'ジツザイ', match_key || 'x', kana_key || 'x', sex, birth_date, 'resident',
         household_id, '本人', address_id, false FROM registry.persons WHERE id = $2`,
      [realId, head],
    );
    const [member] = await db.query<{ id: string }>(
      "SELECT id FROM registry.persons WHERE demo AND status = 'resident' AND NOT (id = ANY($1::uuid[])) LIMIT 1",
      [listed],
    );
    for (const personId of [realId, member?.id ?? '', randomUUID()]) {
      const res = await postDemo(demo, { personId });
      expect(res.statusCode).toBe(404);
      expect(res.cookies.find((c) => c.name === 'yk_session')).toBeUndefined();
    }
    // A listed resident who has since moved out.
    await db.query("UPDATE registry.persons SET status = 'moved-out' WHERE id = $1", [head]);
    try {
      const res = await postDemo(demo, { personId: head });
      expect(res.statusCode).toBe(404);
      expect(res.cookies.find((c) => c.name === 'yk_session')).toBeUndefined();
    } finally {
      await db.query("UPDATE registry.persons SET status = 'resident' WHERE id = $1", [head]);
    }
  });

  it('does not exist outside a demo installation, nor in production', async () => {
    const personId = listed[0] as string;
    for (const server of [plain, production]) {
      expect((await server.app.inject({ method: 'GET', url: '/auth/demo', headers: html })).statusCode).toBe(404);
      const res = await postDemo(server, { personId });
      expect(res.statusCode).toBe(404);
      expect(res.cookies.find((c) => c.name === 'yk_session')).toBeUndefined();
    }
    expect(demoSignInAvailable(true, 'production')).toBe(false);
    expect(demoSignInAvailable(false, 'development')).toBe(false);
    expect(demoSignInAvailable(true, 'development')).toBe(true);
  });

  it('shows nothing when the listing cannot be recorded', async () => {
    const failing = {
      query: db.query.bind(db),
      transaction: async () => {
        throw new Error('audit is down');
      },
    } as unknown as Db;
    const service = createDemoSignIn(failing, demo.registry);
    const logged: object[] = [];
    await expect(service.list({ requestId: 'r-1', sourceIp: '127.0.0.1', log: { error: (o) => logged.push(o) } })).rejects.toSatisfy(
      (err: unknown) => err instanceof DomainError && err.code === 'audit-unavailable',
    );
    expect(logged).toHaveLength(1);
  });
});
