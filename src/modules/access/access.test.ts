/** Staff sign-in, lock-out, CSRF, the task purpose, client tokens and resident scope, over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { cookieHeader, csrfFrom, startTestServer, TEST_PASSWORD, type TestServer } from '../../testing/server.js';
import { deriveKey } from '../../platform/crypto.js';
import { makeSession } from './service.js';
import { address, moveInFamily } from '../registry/testing.js';

describe('access', () => {
  let t: TestServer;
  const inject = (opts: InjectOptions) => t.inject(opts);
  const form = (url: string, cookie: string, body: Record<string, string>) =>
    inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });
  const signInPage = async () => {
    const res = await inject({ method: 'GET', url: '/staff/sign-in' });
    return { cookie: cookieHeader(res.headers['set-cookie']), csrf: csrfFrom(res.body) };
  };

  beforeAll(async () => {
    t = await startTestServer();
    await t.staffCookie({ login: 'clerk', roles: ['counter-clerk'] });
    await t.staffCookie({ login: 'victim', roles: ['counter-clerk'] });
  });
  afterAll(async () => t.close());

  describe('staff sign-in', () => {
    it('signs in with the right password and sets a signed HttpOnly SameSite cookie', async () => {
      const { cookie, csrf } = await signInPage();
      const res = await form('/staff/sign-in', cookie, { login: 'clerk', password: TEST_PASSWORD, _csrf: csrf, next: '/staff/residents' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/staff/residents');
      const session = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('yk_session='));
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Lax/);
    });

    it('does not follow a redirect off the site after sign-in', async () => {
      const { cookie, csrf } = await signInPage();
      const res = await form('/staff/sign-in', cookie, { login: 'clerk', password: TEST_PASSWORD, _csrf: csrf, next: '//evil.example/' });
      expect(res.headers.location).toBe('/staff');
    });

    it('refuses a post without the CSRF token', async () => {
      const { cookie } = await signInPage();
      const res = await form('/staff/sign-in', cookie, { login: 'clerk', password: TEST_PASSWORD });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    });

    it('answers a wrong password and an unknown login alike, and names empty fields', async () => {
      const { cookie, csrf } = await signInPage();
      const wrong = await form('/staff/sign-in', cookie, { login: 'clerk', password: 'nope', _csrf: csrf });
      const unknown = await form('/staff/sign-in', cookie, { login: 'nobody', password: 'nope', _csrf: csrf });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.body).toContain('ログインIDまたはパスワードが正しくありません');
      expect(unknown.body).toContain('ログインIDまたはパスワードが正しくありません');
      const empty = await form('/staff/sign-in', cookie, { login: '', password: '', _csrf: csrf });
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('ログインIDを入力してください');
      expect(empty.body).toContain('aria-invalid="true"');
    });

    it('locks the account after repeated failures, even for the right password, answering like an unknown login', async () => {
      const { cookie, csrf } = await signInPage();
      for (let i = 0; i < 5; i += 1) await form('/staff/sign-in', cookie, { login: 'victim', password: `wrong-${i}`, _csrf: csrf });
      const locked = await form('/staff/sign-in', cookie, { login: 'victim', password: TEST_PASSWORD, _csrf: csrf });
      const unknown = await form('/staff/sign-in', cookie, { login: 'nobody-here', password: TEST_PASSWORD, _csrf: csrf });
      expect(locked.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      const message = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0];
      expect(message(locked.body)).toBe(message(unknown.body));
      expect(await t.db.query(`SELECT 1 FROM access.staff WHERE login = 'victim' AND locked_until > now()`)).toHaveLength(1);
    });

    it('asks again when no purpose is chosen (none is pre-selected)', async () => {
      const cookie = await t.staffCookie({ login: 'clerk', roles: ['counter-clerk'] });
      const page = await inject({ method: 'GET', url: '/staff/purpose', headers: { cookie } });
      expect(page.body).not.toContain('checked');
      const res = await form('/staff/purpose', cookieHeader(page.headers['set-cookie'], cookie), { _csrf: csrfFrom(page.body) });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('利用目的を選んでください');
    });

    it('asks for the task purpose before showing personal data, and only offers granted purposes', async () => {
      const cookie = await t.staffCookie({ login: 'clerk', roles: ['counter-clerk'] });
      const search = await inject({ method: 'GET', url: '/staff/residents?q=abc', headers: { cookie } });
      expect(search.statusCode).toBe(303);
      expect(search.headers.location).toMatch(/^\/staff\/purpose\?next=/);
      const page = await inject({ method: 'GET', url: '/staff/purpose', headers: { cookie } });
      expect(page.body).toContain('value="counter-service"');
      expect(page.body).not.toContain('value="audit"');
      const refused = await form('/staff/purpose', cookie, { purpose: 'audit', _csrf: csrfFrom(page.body) });
      expect(refused.statusCode).toBe(403);
    });

    it('sends a signed-out visitor of a staff page to sign in', async () => {
      const res = await inject({ method: 'GET', url: '/staff/residents' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/staff/sign-in?next=%2Fstaff%2Fresidents');
    });

    it('ignores a tampered session cookie', async () => {
      const res = await inject({ method: 'GET', url: '/staff', headers: { cookie: 'yk_session=eyJrIjoic3RhZmYifQ.forged' } });
      expect(res.statusCode).toBe(303);
    });
  });

  describe('sessions end when signed out', () => {
    it('a staff cookie copied before sign-out no longer works after it', async () => {
      const cookie = await t.staffCookie({ login: 'clerk', roles: ['counter-clerk'] });
      expect((await inject({ method: 'GET', url: '/staff', headers: { cookie } })).statusCode).toBe(200);
      const home = await inject({ method: 'GET', url: '/staff', headers: { cookie } });
      const out = await form('/staff/sign-out', cookie, { _csrf: csrfFrom(home.body) });
      expect(out.statusCode).toBe(303);
      expect((await inject({ method: 'GET', url: '/staff', headers: { cookie } })).statusCode).toBe(303);
    });

    it('returns to a page whose address has Japanese in it (percent-encoded)', async () => {
      const { cookie, csrf } = await signInPage();
      const res = await form('/staff/sign-in', cookie, { login: 'clerk', password: TEST_PASSWORD, _csrf: csrf, next: '/staff/residents?q=髙橋' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/staff/residents?q=${encodeURIComponent('髙橋')}`);
    });
  });

  describe('grants are per role', () => {
    it('a field counts only where one role grants both the purpose and the field', async () => {
      // counter-clerk: counter-service + myNumber; approver: application-review, no myNumber.
      const cookie = await t.staffCookie({ login: 'two-hats', roles: ['counter-clerk', 'approver'] });
      const core = await t.tokenFor({ id: 'core', purposes: ['registry-maintenance'] });
      const [id] = ((await inject({ method: 'POST', url: '/api/v1/registry/changes', headers: { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' }, payload: moveInFamily() })).json() as { personIds: string[] }).personIds;
      const read = (purpose: string) => inject({ method: 'GET', url: `/api/v1/persons/${id}?fields=myNumber`, headers: { cookie, 'x-purpose': purpose } });
      expect((await read('counter-service')).statusCode).toBe(200);
      const refused = await read('application-review');
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ field: 'myNumber' });
    });
  });

  describe('client credentials', () => {
    it('issues a bearer token for form or JSON bodies and Basic auth', async () => {
      await t.tokenFor({ id: 'spoke-a', purposes: ['application-review'] });
      const json = await inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'spoke-a', client_secret: 'spoke-a-secret' } });
      expect(json.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'application-review' });
      expect(json.headers['cache-control']).toBe('no-store');
      const formBody = await inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials&client_id=spoke-a&client_secret=spoke-a-secret' });
      expect(formBody.statusCode).toBe(200);
      const basic = await inject({ method: 'POST', url: '/oauth/token', headers: { authorization: `Basic ${Buffer.from('spoke-a:spoke-a-secret').toString('base64')}` }, payload: { grant_type: 'client_credentials' } });
      expect(basic.statusCode).toBe(200);
    });

    it('answers malformed Basic credentials with 401, and accepts a secret containing a colon', async () => {
      const bad = await inject({ method: 'POST', url: '/oauth/token', headers: { authorization: `Basic ${Buffer.from('%zz:%zz').toString('base64')}` }, payload: { grant_type: 'client_credentials' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: 'invalid_request' });
      await t.server.access.createClient(t.db, { id: 'colon-client', name: 'colon', secret: 'a:b:c', purposes: ['audit'], fields: [], demo: true });
      const ok = await inject({ method: 'POST', url: '/oauth/token', headers: { authorization: `Basic ${Buffer.from('colon-client:a%3Ab%3Ac').toString('base64')}` }, payload: { grant_type: 'client_credentials' } });
      expect(ok.statusCode).toBe(200);
    });

    it('refuses a wrong secret (401 invalid_client), a wrong grant type and missing credentials (400)', async () => {
      const wrong = await inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'spoke-a', client_secret: 'guess' } });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toMatchObject({ error: 'invalid_client', detail: expect.stringContaining('not correct') });
      const grant = await inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', client_id: 'spoke-a', client_secret: 'x' } });
      expect(grant.json()).toMatchObject({ status: 400, error: 'unsupported_grant_type' });
      const missing = await inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials' } });
      expect(missing.json()).toMatchObject({ status: 400, error: 'invalid_request' });
      const extra = await inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'a', client_secret: 'b', username: 'x' } });
      expect(extra.statusCode).toBe(400);
    });
  });

  describe('resident scope', () => {
    it('a resident sees their own and their household members\' records; anyone else is 404', async () => {
      const core = await t.tokenFor({ id: 'core', purposes: ['registry-maintenance'] });
      const apply = (body: object) => inject({ method: 'POST', url: '/api/v1/registry/changes', headers: { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' }, payload: body });
      const mine = ((await apply(moveInFamily())).json() as { personIds: string[] }).personIds;
      const theirs = ((await apply(moveInFamily())).json() as { personIds: string[] }).personIds;
      const session = makeSession(deriveKey(t.config.secret, 'cookie'), { k: 'resident', id: mine[0]!, sid: 'test-session-1' }, 600);
      const cookie = `yk_session=${session}`;
      const read = (id: string, q = '') => inject({ method: 'GET', url: `/api/v1/persons/${id}${q}`, headers: { cookie } });
      expect((await read(mine[0]!)).statusCode).toBe(200);
      expect((await read(mine[2]!)).statusCode).toBe(200);
      const other = await read(theirs[0]!);
      expect(other.statusCode).toBe(404);
      expect(other.body).not.toContain('髙橋');
      expect((await read(mine[0]!, '?fields=myNumber')).statusCode).toBe(403);
      expect((await inject({ method: 'GET', url: '/api/v1/persons?q=abc', headers: { cookie } })).statusCode).toBe(403);
      const log = await inject({ method: 'GET', url: '/api/v1/me/access-log', headers: { cookie } });
      const items = (log.json() as { items: { actorType: string; actor: string | null }[] }).items;
      expect(items[0]).toMatchObject({ actorType: 'client', actor: 'Test core' });
      expect(items.some((i) => i.actorType === 'resident')).toBe(false);
    });

    it('a resident sees a household member\'s past only while they shared the household; signing out revokes the session', async () => {
      const core = await t.tokenFor({ id: 'core', purposes: ['registry-maintenance'] });
      const apply = (body: object) => inject({ method: 'POST', url: '/api/v1/registry/changes', headers: { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' }, payload: body });
      const [me] = ((await apply(moveInFamily({ effectiveDate: '2020-01-01', persons: [moveInFamily().persons[0]!] }))).json() as { personIds: string[] }).personIds;
      const [other] = ((await apply(moveInFamily({ effectiveDate: '2020-01-01', household: { address: address('9番地9') }, persons: [moveInFamily().persons[1]!].map((p) => ({ ...p, relationToHead: '本人' })) }))).json() as { personIds: string[] }).personIds;
      const mine = (await inject({ method: 'GET', url: `/api/v1/persons/${me}`, headers: { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' } })).json() as { householdId: string };
      expect((await apply({ type: 'household-change', sourceRef: `join-${other}`, effectiveDate: '2025-01-01', personId: other, toHouseholdId: mine.householdId, relationToHead: '妻' })).statusCode).toBe(201);
      const session = makeSession(deriveKey(t.config.secret, 'cookie'), { k: 'resident', id: me!, sid: 'test-session-3' }, 600);
      const cookie = `yk_session=${session}`;
      const history = (await inject({ method: 'GET', url: `/api/v1/persons/${other}/history`, headers: { cookie } })).json() as { items: { validFrom: string; address: { block: string } }[] };
      expect(history.items.map((h) => h.validFrom)).toEqual(['2025-01-01']);
      expect(JSON.stringify(history)).not.toContain('9番地9');
      expect((await inject({ method: 'GET', url: `/api/v1/persons/${other}?asOf=2021-01-01`, headers: { cookie } })).statusCode).toBe(404);
      expect((await inject({ method: 'GET', url: `/api/v1/persons/${me}?asOf=2021-01-01`, headers: { cookie } })).statusCode).toBe(200);
      const page = await inject({ method: 'GET', url: '/me', headers: { cookie } });
      const out = await form('/auth/sign-out', cookieHeader(page.headers['set-cookie'], cookie), { _csrf: csrfFrom(page.body) });
      expect(out.statusCode).toBe(303);
      expect((await inject({ method: 'GET', url: `/api/v1/persons/${me}`, headers: { cookie } })).statusCode).toBe(401);
    });

    it('a resident who moves out loses their session at the next request', async () => {
      const core = await t.tokenFor({ id: 'core', purposes: ['registry-maintenance'] });
      const apply = (body: object) => inject({ method: 'POST', url: '/api/v1/registry/changes', headers: { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' }, payload: body });
      const [id] = ((await apply(moveInFamily({ persons: [moveInFamily().persons[0]!] }))).json() as { personIds: string[] }).personIds;
      const cookie = `yk_session=${makeSession(deriveKey(t.config.secret, 'cookie'), { k: 'resident', id: id!, sid: 'test-session-2' }, 600)}`;
      expect((await inject({ method: 'GET', url: `/api/v1/persons/${id}`, headers: { cookie } })).statusCode).toBe(200);
      const out = await apply({ type: 'move-out', sourceRef: `out-${id}`, effectiveDate: '2026-11-01', personIds: [id] });
      expect(out.statusCode).toBe(201);
      expect((await inject({ method: 'GET', url: `/api/v1/persons/${id}`, headers: { cookie } })).statusCode).toBe(401);
      const page = await inject({ method: 'GET', url: '/me', headers: { cookie } });
      expect(page.statusCode).toBe(303);
    });
  });
});
