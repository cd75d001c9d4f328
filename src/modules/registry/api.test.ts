/** The registry over HTTP: each refusal with its problem document, scope, fields, history, audit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { deriveKey, signToken } from '../../platform/crypto.js';
import { findEntries } from '../../platform/audit.js';
import { moveInFamily, myNumber, person, ref } from './testing.js';

describe('registry API', () => {
  let t: TestServer;
  let core: string; // core 住基 system: registry-maintenance with myNumber
  let spoke: string; // demo-spoke-like: application-review + registry-maintenance, no myNumber
  let family: string[];
  const inject = (opts: InjectOptions) => t.inject(opts);
  const get = (url: string, token: string, purpose?: string) =>
    inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...(purpose ? { 'x-purpose': purpose } : {}) } });
  const post = (body: unknown, token = core, extra: Record<string, string> = {}) =>
    inject({ method: 'POST', url: '/api/v1/registry/changes', headers: { authorization: `Bearer ${token}`, 'x-purpose': 'registry-maintenance', ...extra }, payload: body as object });
  const auditCount = async () => Number((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit.entries'))[0]?.n);
  const problem = (res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, detail: RegExp) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    const body = res.json() as { status: number; detail: string; requestId: string };
    expect(body.status).toBe(status);
    expect(body.detail).toMatch(detail);
    expect(body.requestId).toBeTruthy();
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    return body;
  };

  beforeAll(async () => {
    t = await startTestServer();
    core = await t.tokenFor({ id: 'core-jukiki', purposes: ['registry-maintenance'], fields: ['myNumber'] });
    spoke = await t.tokenFor({ id: 'spoke', purposes: ['application-review', 'registry-maintenance'] });
    const c = moveInFamily();
    c.persons[0]!.myNumber = myNumber(5150);
    const res = await post(c);
    expect(res.statusCode).toBe(201);
    family = (res.json() as { personIds: string[] }).personIds;
  });
  afterAll(async () => t.close());

  describe('who may ask', () => {
    it('401 without a token, with a forged token, and with an expired one', async () => {
      problem(await inject({ method: 'GET', url: `/api/v1/persons/${family[0]}` }), 401, /authentication is required/);
      problem(await get(`/api/v1/persons/${family[0]}`, 'abc.def', 'application-review'), 401, /not valid/);
      const expired = signToken(deriveKey(t.config.secret, 'token'), { typ: 'client', cid: 'spoke' }, -5);
      const res = await get(`/api/v1/persons/${family[0]}`, expired, 'application-review');
      problem(res, 401, /expired/);
      expect(res.headers['www-authenticate']).toContain('invalid_token');
      problem(await inject({ method: 'GET', url: '/api/v1/persons/x', headers: { authorization: 'Basic abc' } }), 401, /Bearer/);
    });

    it('400 without X-Purpose, 400 for an unknown purpose, 403 for a purpose not granted or not covering the action', async () => {
      problem(await get(`/api/v1/persons/${family[0]}`, spoke), 400, /X-Purpose/);
      problem(await get(`/api/v1/persons/${family[0]}`, spoke, 'curiosity'), 400, /unknown purpose "curiosity"/);
      problem(await get(`/api/v1/persons/${family[0]}`, spoke, 'counter-service'), 403, /"counter-service" is not granted to this client/);
      const auditor = await t.tokenFor({ id: 'auditor-sys', purposes: ['audit'] });
      problem(await get(`/api/v1/persons/${family[0]}`, auditor, 'audit'), 403, /does not cover this action/);
    });

    it('403 naming the field for myNumber without a grant; 400 naming an unknown field', async () => {
      const res = problem(await get(`/api/v1/persons/${family[0]}?fields=familyName,myNumber`, spoke, 'application-review'), 403, /"myNumber" is not granted/);
      expect((res as unknown as { field: string }).field).toBe('myNumber');
      problem(await get(`/api/v1/persons/${family[0]}?fields=familyName,shoeSize`, spoke, 'application-review'), 400, /unknown field: shoeSize/);
    });

    it('leaves no audit entry for a refused access', async () => {
      const before = await auditCount();
      await get(`/api/v1/persons/${family[0]}?fields=myNumber`, spoke, 'application-review');
      await get(`/api/v1/persons/${family[0]}`, spoke);
      expect(await auditCount()).toBe(before);
    });
  });

  describe('reading', () => {
    it('answers the default fields, audited with purpose, fields and request id', async () => {
      const res = await inject({ method: 'GET', url: `/api/v1/persons/${family[0]}`, headers: { authorization: `Bearer ${spoke}`, 'x-purpose': 'application-review', 'x-request-id': 'trace-0001-abc' } });
      expect(res.statusCode).toBe(200);
      const body = res.json() as Record<string, unknown>;
      expect(body).toMatchObject({ id: family[0], familyName: '髙橋', givenName: '一郎', familyNameKana: 'タカハシ', status: 'resident', address: { town: '大字みどり' } });
      expect(body).not.toHaveProperty('myNumber');
      const [entry] = await findEntries(t.db, { personId: family[0], limit: 1 });
      expect(entry).toMatchObject({ actorType: 'client', actorId: 'spoke', purpose: 'application-review', action: 'person.read', requestId: 'trace-0001-abc' });
      expect(entry?.fields).toContain('familyName');
    });

    it('shows myNumber to a client granted it under a purpose that allows it', async () => {
      const res = await get(`/api/v1/persons/${family[0]}?fields=myNumber`, core, 'registry-maintenance');
      expect(res.json()).toEqual({ id: family[0], myNumber: myNumber(5150) });
    });

    it('404 for an unknown person; 400 for an id that is not a uuid', async () => {
      problem(await get('/api/v1/persons/00000000-0000-4000-8000-000000000000', spoke, 'application-review'), 404, /was not found/);
      problem(await get('/api/v1/persons/12345', spoke, 'application-review'), 400, /params/);
    });

    it('searches by name prefix, variant-insensitive, by kana and by era date, with a restricted record per hit', async () => {
      const byName = (await get(`/api/v1/persons?q=${encodeURIComponent('高橋')}`, spoke, 'application-review')).json() as { items: Record<string, unknown>[] };
      expect(byName.items.length).toBeGreaterThanOrEqual(3);
      expect(Object.keys(byName.items[0]!).sort()).toEqual(['birthDate', 'familyName', 'familyNameKana', 'givenName', 'givenNameKana', 'id', 'sex', 'status', 'town']);
      const byKana = (await get(`/api/v1/persons?q=${encodeURIComponent('たかはし はなこ')}`, spoke, 'application-review')).json() as { items: { givenName: string }[] };
      expect(byKana.items.map((i) => i.givenName)).toEqual(['花子']);
      const byDate = (await get(`/api/v1/persons?q=${encodeURIComponent('昭和35年5月1日')}`, spoke, 'application-review')).json() as { items: { id: string }[] };
      expect(byDate.items.map((i) => i.id)).toEqual([family[0]]);
    });

    it('pages search results with an opaque cursor; a bad cursor is 400', async () => {
      for (let i = 0; i < 3; i += 1) await post(moveInFamily({ persons: [person({ givenName: `太郎${i}`, givenNameKana: `タロウ${'ア'.repeat(i + 1)}` })] }));
      const first = (await get(`/api/v1/persons?q=${encodeURIComponent('タカハシ')}&limit=2`, spoke, 'application-review')).json() as { items: { id: string }[]; next: string };
      expect(first.items).toHaveLength(2);
      expect(first.next).toBeTruthy();
      expect(first.next).not.toContain('タカハシ');
      const second = (await get(`/api/v1/persons?q=${encodeURIComponent('タカハシ')}&limit=2&cursor=${first.next}`, spoke, 'application-review')).json() as { items: { id: string }[] };
      expect(second.items.map((i) => i.id)).not.toContain(first.items[0]!.id);
      problem(await get(`/api/v1/persons?q=x&cursor=not-a-cursor`, spoke, 'application-review'), 400, /cursor is not valid/);
      problem(await get(`/api/v1/persons`, spoke, 'application-review'), 400, /querystring\/q/);
      problem(await get(`/api/v1/persons?q=x&limit=1000`, spoke, 'application-review'), 400, /limit/);
    });

    it('answers a household with its members, and a past date with ?asOf=', async () => {
      const p = (await get(`/api/v1/persons/${family[0]}`, spoke, 'application-review')).json() as { householdId: string };
      const hh = (await get(`/api/v1/households/${p.householdId}`, spoke, 'application-review')).json() as { headId: string; members: unknown[] };
      expect(hh.headId).toBe(family[0]);
      expect(hh.members).toHaveLength(3);
      problem(await get(`/api/v1/persons/${family[0]}?asOf=2001-01-01`, spoke, 'application-review'), 404, /on 2001-01-01/);
      const asOf = (await get(`/api/v1/persons/${family[0]}?asOf=2026-05-01`, spoke, 'application-review')).json() as { asOf: string; status: string };
      expect(asOf).toMatchObject({ asOf: '2026-05-01', status: 'resident' });
      const history = (await get(`/api/v1/persons/${family[0]}/history`, spoke, 'application-review')).json() as { items: { changeType: string }[] };
      expect(history.items.map((h) => h.changeType)).toEqual(['move-in']);
    });

    it('does not read at all when the audit entry cannot be written (503, no data)', async () => {
      await t.db.exec('ALTER TABLE audit.entries ADD CONSTRAINT audit_blocked CHECK (seq < 0) NOT VALID');
      try {
        const res = await get(`/api/v1/persons/${family[0]}`, spoke, 'application-review');
        const body = problem(res, 503, /could not be recorded/);
        expect(JSON.stringify(body)).not.toContain('髙橋');
      } finally {
        await t.db.exec('ALTER TABLE audit.entries DROP CONSTRAINT audit_blocked');
      }
    });
  });

  describe('change records over HTTP', () => {
    it('201 once, 200 for the same record again, 409 for the same sourceRef with another body', async () => {
      const c = moveInFamily();
      const first = await post(c);
      expect(first.statusCode).toBe(201);
      expect(first.headers.location).toMatch(/^\/api\/v1\/registry\/changes\//);
      const again = await post(c);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      problem(await post({ ...c, effectiveDate: '2026-04-02' }), 409, /already used for a different change record/);
    });

    it('names what is wrong in a malformed record, and applies nothing', async () => {
      const before = await auditCount();
      const bad = { ...moveInFamily(), shoeSize: 27 };
      const res = problem(await post(bad), 400, /shoeSize/);
      expect((res as unknown as { errors: { field: string }[] }).errors[0]?.field).toBe('body/shoeSize');
      problem(await post({ ...moveInFamily(), type: 'teleport' }), 400, /body/);
      problem(await post({ type: 'birth', sourceRef: ref(), effectiveDate: 'yesterday', householdId: family[0], person: person() }), 400, /effectiveDate/);
      problem(await post({ type: 'death', sourceRef: ref(), effectiveDate: '2026-05-01', personId: '00000000-0000-4000-8000-000000000000' }), 422, /does not exist/);
      expect(await auditCount()).toBe(before);
    });

    it('refuses malformed JSON, the wrong media type and an oversized body', async () => {
      const headers = { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance', 'content-type': 'application/json' };
      problem(await inject({ method: 'POST', url: '/api/v1/registry/changes', headers, payload: '{"type": "move-in",' }), 400, /not valid JSON/);
      problem(await inject({ method: 'POST', url: '/api/v1/registry/changes', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' }), 415, /application\/json/);
      problem(await inject({ method: 'POST', url: '/api/v1/registry/changes', headers, payload: JSON.stringify({ pad: 'x'.repeat(1_100_000) }) }), 413, /larger/);
      const health = await inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
    });

    it('writing a 個人番号 needs the myNumber grant, like reading one', async () => {
      const c = moveInFamily({ persons: [person({ myNumber: myNumber(999_001) })] });
      problem(await post(c, spoke), 403, /"myNumber" is not granted/);
      expect((await post(moveInFamily(), spoke)).statusCode).toBe(201);
    });

    it('treats % and _ in a search as text, not wildcards', async () => {
      for (const q of ['%', '_', '%25']) {
        const res = await get(`/api/v1/persons?q=${encodeURIComponent(q)}`, spoke, 'application-review');
        expect((res.json() as { items: unknown[] }).items).toEqual([]);
      }
    });

    it('403 for a client without registry-maintenance', async () => {
      const reviewer = await t.tokenFor({ id: 'reviewer', purposes: ['application-review'] });
      problem(await post(moveInFamily(), reviewer), 403, /"registry-maintenance" is not granted/);
      problem(await post(moveInFamily(), spoke, { 'x-purpose': 'application-review' }), 403, /does not cover/);
    });
  });

  describe('the change feed', () => {
    it('pages events in order after a position; needs a purpose', async () => {
      problem(await get('/api/v1/events', spoke), 400, /X-Purpose/);
      const page = (await get('/api/v1/events?limit=2', spoke, 'registry-maintenance')).json() as { items: { position: number; type: string }[]; next: number };
      expect(page.items.map((e) => e.position)).toEqual([1, 2]);
      expect(page.items[0]?.type).toBe('registry.person.moved-in');
      const rest = (await get(`/api/v1/events?after=${page.next}&limit=100`, spoke, 'registry-maintenance')).json() as { items: { position: number }[] };
      expect(rest.items[0]?.position).toBe(3);
      problem(await get('/api/v1/events?after=-1', spoke, 'registry-maintenance'), 400, /after/);
    });
  });

  describe('OpenAPI', () => {
    it('documents the routes from the same schemas that validate them', async () => {
      const doc = (await inject({ method: 'GET', url: '/api/openapi.json' })).json() as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/persons', '/api/v1/persons/{id}', '/api/v1/registry/changes', '/api/v1/events', '/oauth/token', '/api/v1/audit']));
    });
  });
});
