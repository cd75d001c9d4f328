/** Setting up a real municipality: the installation record, staff accounts and clients, each refusal named. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeader, csrfFrom, startTestServer, type TestServer } from './testing/server.js';
import { addClient, addStaff, AdminError, initInstallation, setStaffPositions } from './admin.js';
import { getInstallation, isValidLgCode } from './platform/installation.js';

describe('administration', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());
  const refused = async (p: Promise<unknown>, message: RegExp) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AdminError);
    expect((err as Error).message).toMatch(message);
  };

  it('checks the 全国地方公共団体コード check digit', () => {
    expect(isValidLgCode('131016')).toBe(true); // 千代田区
    expect(isValidLgCode('342131')).toBe(true); // 廿日市市
    expect(isValidLgCode('131017')).toBe(false);
    expect(isValidLgCode('13101')).toBe(false);
  });

  it('records the municipality once, and refuses a bad code or a second init', async () => {
    await refused(initInstallation(t.db, { townName: '廿日市市', lgCode: '342132' }), /check digit/);
    await refused(initInstallation(t.db, { townName: ' ', lgCode: '342131' }), /--town/);
    await initInstallation(t.db, { townName: '廿日市市', lgCode: '342131' });
    expect(await getInstallation(t.db)).toEqual({ mode: 'production', townName: '廿日市市', lgCode: '342131' });
    await refused(initInstallation(t.db, { townName: '廿日市市', lgCode: '342131' }), /already set up \(廿日市市\)/);
  });

  it('creates a staff account who can sign in, and names each refusal', async () => {
    const ok = await addStaff(t.db, t.server, { login: 'Tanaka', name: '田中 太郎', department: '住民課', roles: 'counter-clerk,approver', password: 'a long enough password' });
    expect(ok).toEqual({ login: 'tanaka', roles: ['counter-clerk', 'approver'] });
    const form = await t.inject({ method: 'GET', url: '/staff/sign-in' });
    const signIn = await t.inject({
      method: 'POST',
      url: '/staff/sign-in',
      headers: { cookie: cookieHeader(form.headers['set-cookie']), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ login: 'tanaka', password: 'a long enough password', _csrf: csrfFrom(form.body) }).toString(),
    });
    expect(signIn.statusCode).toBe(303);
    await refused(addStaff(t.db, t.server, { login: 'tanaka', name: '田中', department: '住民課', roles: 'approver', password: 'a long enough password' }), /already exists/);
    await refused(addStaff(t.db, t.server, { login: 'x', name: '田中', department: '住民課', roles: 'approver', password: 'a long enough password' }), /--login/);
    await refused(addStaff(t.db, t.server, { login: 'sato', name: '佐藤', department: '住民課', roles: 'mayor', password: 'a long enough password' }), /unknown role: mayor/);
    await refused(addStaff(t.db, t.server, { login: 'sato', name: '佐藤', department: '住民課', roles: 'approver', password: 'short' }), /at least 12/);
    await refused(addStaff(t.db, t.server, { login: 'sato', name: '佐藤', department: '', roles: 'approver', password: 'a long enough password' }), /--department/);
  });

  it('places a staff member on the cases of departments, and names each refusal', async () => {
    await addStaff(t.db, t.server, { login: 'kakari', name: '係長 花子', department: '福祉課', roles: 'approver', password: 'a long enough password' });
    const set = await setStaffPositions(t.db, t.server, { login: 'kakari', units: 'kaigo:chief, kodomo:officer' });
    expect(set.units).toEqual([{ department: 'kaigo', position: 'chief' }, { department: 'kodomo', position: 'officer' }]);
    const id = await t.server.access.findStaffId('kakari');
    expect(await t.db.query(`SELECT department, position FROM cases.staff_units WHERE staff_id = $1 ORDER BY department`, [id])).toEqual([
      { department: 'kaigo', position: 'chief' },
      { department: 'kodomo', position: 'officer' },
    ]);
    await refused(setStaffPositions(t.db, t.server, { login: 'nobody', units: 'kaigo:chief' }), /no staff account/);
    await refused(setStaffPositions(t.db, t.server, { login: 'kakari', units: 'zoo:chief' }), /unknown department "zoo"/);
    await refused(setStaffPositions(t.db, t.server, { login: 'kakari', units: 'kaigo:mayor' }), /unknown position "mayor"/);
    await refused(setStaffPositions(t.db, t.server, { login: 'kakari', units: '' }), /--units/);
  });

  it('registers a client whose secret works at the token endpoint', async () => {
    const c = await addClient(t.db, t.server, { id: 'jukiki', name: '基幹系住基', purposes: 'registry-maintenance', fields: 'myNumber' });
    expect(c.secret.length).toBeGreaterThanOrEqual(40);
    const res = await t.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'jukiki', client_secret: c.secret } });
    expect(res.statusCode).toBe(200);
    await refused(addClient(t.db, t.server, { id: 'jukiki', name: 'x', purposes: 'audit' }), /already exists/);
    await refused(addClient(t.db, t.server, { id: 'other', name: 'x', purposes: 'curiosity' }), /unknown purpose for a client: curiosity/);
    await refused(addClient(t.db, t.server, { id: 'other', name: 'x', purposes: 'self-service' }), /unknown purpose for a client: self-service/);
    await refused(addClient(t.db, t.server, { id: 'other', name: 'x', purposes: 'audit', fields: 'birthDate' }), /sensitive fields only/);
  });
});
