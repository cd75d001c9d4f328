/**
 * A real yakuba server on a fresh database for HTTP tests (app.inject, no port), with
 * helpers to get a spoke's bearer token or a staff member's session cookie.
 */
import type { InjectOptions, LightMyRequestResponse as Response } from 'fastify';
import { loadConfig, type Config } from '../platform/config.js';
import { buildServer, type Server } from '../server.js';
import { openTestDb, type TestDb } from './db.js';
import { deriveKey, randomToken, signToken } from '../platform/crypto.js';

export interface TestServer {
  /** app.inject with one signature (fastify's overloads confuse inference). */
  inject(opts: InjectOptions): Promise<Response>;
  db: TestDb;
  server: Server;
  config: Config;
  /** Creates the client if needed and returns a bearer token for it. */
  tokenFor(client: { id: string; purposes: string[]; fields?: string[] }): Promise<string>;
  /** Creates a staff account if needed, signs in through the form, returns the Cookie header. */
  staffCookie(staff: { login: string; roles: string[]; purpose?: string }): Promise<string>;
  /**
   * A signed-in resident's session as the identity provider's callback would leave it, and
   * the CSRF token for cookie-authenticated posts (send it as `x-csrf-token`).
   */
  residentSession(personId: string): Promise<{ cookie: string; csrf: string; headers: Record<string, string> }>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** Pulls name=value pairs out of set-cookie headers into one Cookie header. */
export function cookieHeader(setCookie: string | string[] | undefined, prior = ''): string {
  const jar = new Map(prior.split('; ').filter(Boolean).map((c) => c.split('=', 2) as [string, string]));
  for (const c of [setCookie ?? []].flat()) {
    const [pair] = c.split(';');
    const [name, ...value] = (pair ?? '').split('=');
    if (name) jar.set(name, value.join('='));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Reads the hidden CSRF field of a rendered form. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF field on the page');
  return m[1];
}

export async function startTestServer(
  env: Record<string, string> = {},
  opts: { logStream?: { write(msg: string): void }; today?: () => string; now?: () => Date } = {},
): Promise<TestServer> {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const db = await openTestDb();
  const server = await buildServer(config, db, { webhookBackoffMs: 10, ...opts });
  const clients = new Set<string>();
  const staff = new Set<string>();
  const app = server.app;
  return {
    inject: (opts) => app.inject(opts),
    db,
    server,
    config,
    async tokenFor(c) {
      if (!clients.has(c.id)) {
        await server.access.createClient(db, { id: c.id, name: `Test ${c.id}`, secret: `${c.id}-secret`, purposes: c.purposes, fields: c.fields ?? [], demo: true });
        clients.add(c.id);
      }
      const res = await app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: c.id, client_secret: `${c.id}-secret` } });
      if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
      return (res.json() as { access_token: string }).access_token;
    },
    async staffCookie(s) {
      if (!staff.has(s.login)) {
        await server.access.createStaff(db, { login: s.login, displayName: `職員 ${s.login}`, department: '住民課', roles: s.roles, password: TEST_PASSWORD, demo: true });
        staff.add(s.login);
      }
      const form = await app.inject({ method: 'GET', url: '/staff/sign-in' });
      let cookie = cookieHeader(form.headers['set-cookie']);
      const signIn = await app.inject({
        method: 'POST',
        url: '/staff/sign-in',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ login: s.login, password: TEST_PASSWORD, _csrf: csrfFrom(form.body) }).toString(),
      });
      if (signIn.statusCode !== 303) throw new Error(`sign-in failed: ${signIn.statusCode}`);
      cookie = cookieHeader(signIn.headers['set-cookie'], cookie);
      if (s.purpose) {
        const page = await app.inject({ method: 'GET', url: '/staff/purpose', headers: { cookie } });
        const chosen = await app.inject({
          method: 'POST',
          url: '/staff/purpose',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ purpose: s.purpose, _csrf: csrfFrom(page.body) }).toString(),
        });
        if (chosen.statusCode !== 303) throw new Error(`purpose choice failed: ${chosen.statusCode} ${chosen.body.slice(0, 300)}`);
        cookie = cookieHeader(chosen.headers['set-cookie'], cookie);
      }
      return cookie;
    },
    async residentSession(personId) {
      const session = signToken(deriveKey(config.secret, 'cookie'), { k: 'resident', id: personId, demo: false, sid: randomToken(16) }, config.sessionTtlSeconds);
      const page = await app.inject({ method: 'GET', url: '/staff/sign-in' });
      const cookie = cookieHeader(page.headers['set-cookie'], `yk_session=${session}`);
      const csrf = csrfFrom(page.body);
      return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
    },
    async close() {
      await server.close();
      await db.close();
    },
  };
}
