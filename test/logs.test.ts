/**
 * Personal data never reaches the logs: a session of real requests at debug level — change
 * records, searches by name and birth date, reads, refusals, a failed sign-in, a database
 * error — leaves no name, reading, birth date or 個人番号 in what was logged.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/server.js';
import { moveInFamily, myNumber, person } from '../src/modules/registry/testing.js';

describe('logs', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ LOG_LEVEL: 'debug' }, { logStream: sink });
  });
  afterAll(async () => t.close());

  it('carry request ids and paths, never personal data', async () => {
    const number = myNumber(8_675_309);
    const core = await t.tokenFor({ id: 'core', purposes: ['registry-maintenance'], fields: ['myNumber'] });
    const h = { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' };
    const family = moveInFamily({ persons: [person({ familyName: '邊見', familyNameKana: 'ヘンミ', givenName: '礼子', givenNameKana: 'レイコ', sex: 2, birthDate: '1944-02-29', myNumber: number })] });
    const created = await t.inject({ method: 'POST', url: '/api/v1/registry/changes', headers: h, payload: family });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { personIds: string[] }).personIds[0]!;
    await t.inject({ method: 'POST', url: '/api/v1/registry/changes', headers: h, payload: family });
    await t.inject({ method: 'POST', url: '/api/v1/registry/changes', headers: h, payload: { ...family, effectiveDate: '2026-01-01' } });
    await t.inject({ method: 'POST', url: '/api/v1/registry/changes', headers: h, payload: { ...family, sourceRef: 'other', persons: [{ ...family.persons[0], myNumber: number }] } });
    await t.inject({ method: 'GET', url: `/api/v1/persons?q=${encodeURIComponent('邊見 礼子')}`, headers: h });
    await t.inject({ method: 'GET', url: `/api/v1/persons?q=${encodeURIComponent('昭和19年2月29日')}`, headers: h });
    await t.inject({ method: 'GET', url: `/api/v1/persons/${id}?fields=myNumber,familyName`, headers: h });
    await t.inject({ method: 'GET', url: `/api/v1/persons/${id}?fields=myNumber`, headers: { ...h, 'x-purpose': 'disaster-support' } });
    await t.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'core', client_secret: '邊見礼子のパスワード' } });
    // A database error with a failing row: its detail names the row's values.
    await t.db.exec(`ALTER TABLE registry.persons ADD CONSTRAINT no_reiko CHECK (given_name <> '礼子2') NOT VALID`);
    await t.inject({
      method: 'POST',
      url: '/api/v1/registry/changes',
      headers: h,
      payload: moveInFamily({ persons: [person({ familyName: '邊見', familyNameKana: 'ヘンミ', givenName: '礼子2', givenNameKana: 'レイコ', sex: 2, birthDate: '1944-02-29' })] }),
    });
    await t.db.exec('ALTER TABLE registry.persons DROP CONSTRAINT no_reiko');
    // A capability link (the status page of an application made without sign-in) is a secret.
    const statusToken = 'a'.repeat(36) + 'b'.repeat(36);
    await t.inject({ method: 'GET', url: `/applications/status/${statusToken}` });
    // A database error quoting a value the request carried.
    await t.db.exec(`CREATE TABLE public.probe (v uuid)`);
    await t.db.query('INSERT INTO public.probe (v) VALUES ($1)', ['礼子の値']).catch((err: unknown) => t.server.app.log.error({ err }, 'unexpected error (probe)'));

    const log = lines.join('');
    expect(log).toContain('"path":"/api/v1/persons"');
    expect(log).toContain('unexpected error');
    expect(log).toContain('"path":"/applications/status/:token"');
    for (const secret of ['邊見', '礼子', 'ヘンミ', 'レイコ', '1944-02-29', number, '昭和19', encodeURIComponent('邊見'), 'パスワード', statusToken]) {
      expect(log, `the log contains ${secret}`).not.toContain(secret);
    }
  });
});
