import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../testing/db.js';
import { loadConfig, type Config } from '../../platform/config.js';
import { deriveKey, signToken } from '../../platform/crypto.js';
import { buildServer, type Server } from '../../server.js';
import { installDemo } from '../../demo.js';
import type { DemoResident } from '../registry/index.js';
import { allowsInsecure, FLOW_COOKIE, residentClaims } from './oidc.js';

// A real identity provider (oidc-provider, with its development login and consent forms)
// on 127.0.0.1, and the real yakuba server as its relying party. Redirects are followed by
// hand: to the provider with fetch, back to yakuba with app.inject.
const PUBLIC_URL = 'http://localhost:3000';
const CLIENT = { client_id: 'yakuba-test', client_secret: 'yakuba-test-secret-yakuba-test-secret' };

let db: TestDb;
let idp: HttpServer;
let issuer: string;
let config: Config;
let server: Server;
let resident: DemoResident;
let twin: DemoResident;
const accounts = new Map<string, Record<string, string>>();

type Provider = { callback(): (req: unknown, res: unknown) => void };
type ProviderModule = { Provider: new (issuer: string, configuration: Record<string, unknown>) => Provider };

async function startIdp(): Promise<void> {
  idp = createServer();
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  // oidc-provider ships no type declarations: import it by a name the compiler does not resolve.
  const moduleName = 'oidc-provider';
  const { Provider } = (await import(moduleName)) as ProviderModule;
  const provider = new Provider(issuer, {
    clients: [{ ...CLIENT, redirect_uris: [`${PUBLIC_URL}/auth/oidc/callback`], token_endpoint_auth_method: 'client_secret_post' }],
    claims: { openid: ['sub'], profile: ['family_name', 'given_name', 'name', 'birthdate'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['idp-test-cookie-key'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    async findAccount(_ctx: unknown, id: string) {
      if (!accounts.has(id)) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...accounts.get(id) }) };
    },
  });
  idp.on('request', provider.callback());
}

class CookieJar {
  private cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Signs `account` in at the provider (login and consent forms as needed); returns the callback URL. */
async function signInAtIdp(authorizationUrl: string, account: string, jar: CookieJar): Promise<string> {
  let url = authorizationUrl;
  let body: string | undefined;
  for (let step = 0; step < 20; step += 1) {
    if (url.startsWith(`${PUBLIC_URL}/`)) return url;
    const res = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body ? { body } : {}),
    });
    jar.store(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location') ?? '', url).href;
      body = undefined;
      continue;
    }
    const page = await res.text();
    if (res.status !== 200) throw new Error(`the provider answered ${res.status}: ${page.slice(0, 500)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    if (!action || !prompt) throw new Error(`unexpected provider page: ${page.slice(0, 500)}`);
    url = new URL(action.replaceAll('&amp;', '&'), url).href;
    body = new URLSearchParams(prompt === 'login' ? { prompt, login: account, password: 'any' } : { prompt }).toString();
  }
  throw new Error('too many steps at the provider');
}

const cookieOf = (res: { cookies: { name: string; value: string }[] }, name: string) => res.cookies.find((c) => c.name === name);

async function start(next = '/me'): Promise<{ location: string; flow: string; res: Awaited<ReturnType<Server['app']['inject']>> }> {
  const res = await server.app.inject({ method: 'GET', url: `/auth/oidc/start?next=${encodeURIComponent(next)}`, headers: { accept: 'text/html' } });
  expect(res.statusCode).toBe(303);
  return { location: String(res.headers.location), flow: cookieOf(res, FLOW_COOKIE)?.value ?? '', res };
}

function callback(url: string, flow: string | undefined) {
  return server.app.inject({
    method: 'GET',
    url: url.replace(PUBLIC_URL, ''),
    headers: { accept: 'text/html', ...(flow !== undefined ? { cookie: `${FLOW_COOKIE}=${flow}` } : {}) },
  });
}

/** The whole flow for one account: start, provider, callback. */
async function signIn(account: string, jar = new CookieJar(), next = '/me') {
  const { location, flow } = await start(next);
  return callback(await signInAtIdp(location, account, jar), flow);
}

const claimsOf = (r: DemoResident) => ({ family_name: r.familyName, given_name: r.givenName, birthdate: r.birthDate });

beforeAll(async () => {
  db = await openTestDb();
  await startIdp();
  const seedServer = await buildServer(loadConfig({ NODE_ENV: 'test' }), db);
  await installDemo(db, seedServer, { residents: 60, seed: 7, today: '2026-11-22' });
  await seedServer.close();
  config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL, OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT.client_id, OIDC_CLIENT_SECRET: CLIENT.client_secret });
  server = await buildServer(config, db);
  [resident, twin] = (await server.registry.listDemoResidents(2)) as [DemoResident, DemoResident];
  // A second resident with the same name and date of birth as `twin`: claims alone cannot tell them apart.
  await db.query(
    `INSERT INTO registry.persons (id, family_name, given_name, family_name_kana, given_name_kana, match_key, kana_key, sex, birth_date,
       status, household_id, relation_to_head, address_id, demo)
     SELECT $1, family_name, given_name, family_name_kana, given_name_kana, match_key, kana_key, sex, birth_date, 'resident',
       NULL, '本人', address_id, true FROM registry.persons WHERE id = $2`,
    [randomUUID(), twin.id],
  );
  accounts.set('alice', claimsOf(resident));
  accounts.set('nobody', { family_name: '存在', given_name: 'しない', birthdate: '1901-02-03' });
  accounts.set('twin', claimsOf(twin));
});

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => idp?.close(resolve));
  await db?.close();
});

describe('OpenID Connect sign-in', () => {
  it('offers the provider on the sign-in page', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/auth/sign-in?next=/me/access-log', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('action="/auth/oidc/start"');
    expect(res.body).toContain('name="next" value="/me/access-log"');
    expect(res.body).toContain('href="/auth/demo?next=%2Fme%2Faccess-log"'); // a demo installation offers both
  });

  it('starts with PKCE, state and nonce, kept in a short-lived HttpOnly cookie', async () => {
    const { location, res } = await start('/me/access-log');
    const url = new URL(location);
    expect(url.origin).toBe(issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBeTruthy();
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/oidc/callback`);
    const cookie = cookieOf(res, FLOW_COOKIE) as unknown as { httpOnly?: boolean; sameSite?: string; path?: string; maxAge?: number };
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/auth/oidc' });
    expect(cookie.maxAge).toBeLessThanOrEqual(600);
  });

  it('signs in and links a resident whose claims match exactly one person; the next sign-in uses the link', async () => {
    const jar = new CookieJar();
    const res = await signIn('alice', jar, '/me/access-log');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/me/access-log');
    const session = cookieOf(res, 'yk_session')?.value;
    expect(session).toBeTruthy();
    expect(cookieOf(res, FLOW_COOKIE)?.value).toBe('');
    expect(await server.access.findResidentIdentity(issuer, 'alice')).toBe(resident.id);

    const me = await server.app.inject({ method: 'GET', url: '/me', headers: { accept: 'text/html', cookie: `yk_session=${session}` } });
    expect(me.statusCode).toBe(200);
    expect(me.body).toContain(`${resident.familyName} ${resident.givenName}`);

    // The provider now reports a different birth date: only the stored link can identify alice.
    accounts.set('alice', { ...claimsOf(resident), birthdate: '1900-01-01' });
    const again = await signIn('alice', jar);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/me');
    const me2 = await server.app.inject({ method: 'GET', url: '/me', headers: { accept: 'text/html', cookie: `yk_session=${cookieOf(again, 'yk_session')?.value}` } });
    expect(me2.body).toContain(`${resident.familyName} ${resident.givenName}`);
  });

  it('signs nobody in when no resident, or more than one, matches', async () => {
    for (const account of ['nobody', 'twin']) {
      const res = await signIn(account);
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('ご本人を確認できませんでした');
      expect(res.body).toContain('窓口');
      expect(cookieOf(res, 'yk_session')).toBeUndefined();
      expect(await server.access.findResidentIdentity(issuer, account)).toBeUndefined();
    }
  });

  it('refuses an absent, tampered, expired, foreign or mismatched flow cookie (400, nothing signed in)', async () => {
    const { location, flow } = await start();
    const back = await signInAtIdp(location, 'alice', new CookieJar());
    const other = (await start()).flow;
    const key = deriveKey(config.secret, 'cookie');
    const state = new URL(location).searchParams.get('state');
    const expired = signToken(key, { typ: 'oidc-flow', state, nonce: 'n', verifier: 'v', next: '/me' }, 600, Date.now() - 3_600_000);
    const session = signToken(key, { k: 'resident', id: resident.id }, 600);
    const tampered = `${flow.slice(0, -2)}${flow.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const cookie of [undefined, tampered, expired, session, other]) {
      const res = await callback(back, cookie);
      expect(res.statusCode).toBe(400);
      expect(String(res.headers['content-type'])).toContain('text/html');
      expect(res.body).toContain('サインインできませんでした');
      expect(cookieOf(res, 'yk_session')).toBeUndefined();
    }
    // The genuine cookie still completes this attempt: the refusals above spent nothing.
    expect((await callback(back, flow)).statusCode).toBe(303);
  });

  it('shows a clear page when the provider answers with an error', async () => {
    const { location, flow } = await start();
    const state = new URL(location).searchParams.get('state') ?? '';
    const res = await callback(`${PUBLIC_URL}/auth/oidc/callback?error=access_denied&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(issuer)}`, flow);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('中止されたか、拒否されました');
    expect(cookieOf(res, 'yk_session')).toBeUndefined();
  });

  it('reports an unreachable provider as unavailable (503)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadIssuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const offline = await buildServer(loadConfig({ NODE_ENV: 'test', PUBLIC_URL, OIDC_ISSUER: deadIssuer, OIDC_CLIENT_ID: 'x' }), db);
    try {
      const res = await offline.app.inject({ method: 'GET', url: '/auth/oidc/start', headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('本人確認サービスに接続できません');
      expect(cookieOf(res, FLOW_COOKIE)).toBeUndefined();
    } finally {
      await offline.close();
    }
  });
});

describe('claims and issuers', () => {
  it('reads family and given name, or a two-part name, and a full birth date', () => {
    expect(residentClaims({ family_name: ' 山田 ', given_name: '太郎', birthdate: '1950-04-03' })).toEqual({ familyName: '山田', givenName: '太郎', birthDate: '1950-04-03' });
    expect(residentClaims({ name: '山田\u3000太郎', birthdate: '1950-04-03' })).toEqual({ familyName: '山田', givenName: '太郎', birthDate: '1950-04-03' });
    expect(residentClaims({ name: '山田 花 子', birthdate: '1950-04-03' })).toBeUndefined();
    expect(residentClaims({ family_name: '山田', given_name: '太郎', birthdate: '0000-04-03' })).toBeUndefined();
    expect(residentClaims({ family_name: '山田', given_name: '太郎', birthdate: '1950' })).toBeUndefined();
    expect(residentClaims({ family_name: '山田', given_name: '太郎', birthdate: '1950-02-30' })).toBeUndefined();
    expect(residentClaims({ family_name: '山田', given_name: '太郎' })).toBeUndefined();
  });

  it('allows plain http only for this machine or tests', () => {
    expect(allowsInsecure('https://idp.example', 'production')).toBe(false);
    expect(allowsInsecure('http://idp.example', 'production')).toBe(false);
    expect(allowsInsecure('http://idp.example', 'development')).toBe(false);
    expect(allowsInsecure('http://idp.example', 'test')).toBe(true);
    expect(allowsInsecure('http://localhost:8080', 'development')).toBe(true);
    expect(allowsInsecure('http://127.0.0.1:8080', 'production')).toBe(true);
  });
});
