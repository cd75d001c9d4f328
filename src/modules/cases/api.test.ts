/**
 * Case processing over HTTP on a real database: a case opened by every submission, moved by
 * the table of states with If-Match, approved along the route, and every refusal named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { newId } from '../../platform/ids.js';
import { caseTown, type CaseTown } from './testing.js';
import type { CaseView } from './read.js';

type Res = Awaited<ReturnType<TestServer['inject']>>;

describe('cases API', () => {
  let t: TestServer;
  let town: CaseTown;
  let pregnancyCase: string;
  const problem = (res: Res, status: number, detail: RegExp) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    const body = res.json() as { detail: string; [k: string]: unknown };
    expect(body.detail).toMatch(detail);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    return body;
  };
  const get = async (id: string, headers: Record<string, string>) => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe(`"${(res.json() as CaseView).version}"`);
    return res.json() as CaseView;
  };
  const act = (id: string, headers: Record<string, string>, body: object, version?: number | null) =>
    t.inject({ method: 'POST', url: `/api/v1/cases/${id}/actions`, headers: { ...headers, ...(version === null ? {} : { 'if-match': `"${version}"` }) }, payload: body });
  /** Acts with the version just read; expects success. */
  const step = async (id: string, headers: Record<string, string>, body: object) => {
    const v = (await get(id, headers)).version;
    const res = await act(id, headers, body, v);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CaseView;
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query<{ n: number }>(sql, params))[0]?.n);

  beforeAll(async () => {
    t = await startTestServer({}, { today: () => '2026-11-22' });
    town = await caseTown(t);
  });
  afterAll(async () => t?.close());

  it('every submitted application opens a case in its department, with the standard period counting down', async () => {
    const { caseId, applicationId, reference } = await town.apply();
    const c = await get(caseId, town.officer.headers);
    expect(c).toMatchObject({ state: 'received', applicationId, reference, department: 'kodomo', channel: 'online', standardDays: 14, dueDate: '2026-12-06', daysLeft: 14, paused: false });
    expect(c.timeline.map((s) => s.action)).toEqual(['receive']);
    const inbox = await t.inject({ method: 'GET', url: '/api/v1/cases?state=open', headers: town.officer.headers });
    expect(inbox.statusCode, inbox.body).toBe(200);
    expect((inbox.json() as { items: CaseView[] }).items.map((i) => i.id)).toContain(caseId);
  });

  it('moves a case through review, a question to the resident, a proposal and two approvals to a notice', async () => {
    const { caseId, applicationId } = await town.apply('child-allowance-claim', town.family[0]);
    const { officer, chief, manager, resident } = town;
    expect((await step(caseId, officer.headers, { action: 'start-review' })).assignee?.id).toBe(officer.id);
    problem(await act(caseId, officer.headers, { action: 'request-info' }, (await get(caseId, officer.headers)).version), 400, /needs a comment/);
    const waiting = await step(caseId, officer.headers, { action: 'request-info', comment: '口座の名義をご確認ください。' });
    expect(waiting).toMatchObject({ state: 'waiting', paused: true });
    // The resident sees the question, and answers it.
    const seen = await get(caseId, resident.headers);
    expect(seen.residentStatus).toBe('waiting');
    expect(seen.timeline.find((s) => s.action === 'request-info')?.comment).toBe('口座の名義をご確認ください。');
    expect(seen.assignee).toBeNull();
    const answered = await step(caseId, resident.headers, { action: 'answer', comment: '請求者本人の名義です。' });
    expect(answered.state).toBe('in-review');
    problem(await act(caseId, officer.headers, { action: 'propose', comment: '要件を満たす' }, answered.version), 400, /approve or reject/);
    const proposed = await step(caseId, officer.headers, { action: 'propose', outcome: 'approve', comment: '支給要件を満たすため認定する。' });
    expect(proposed.route).toEqual([{ level: 1, position: 'chief', approved: false }, { level: 2, position: 'manager', approved: false }]);
    // Level 2 cannot go before level 1.
    problem(await act(caseId, manager.headers, { action: 'approve' }, proposed.version), 403, /level 1 .* chief/);
    const level1 = await step(caseId, chief.headers, { action: 'approve' });
    expect(level1).toMatchObject({ state: 'proposed', route: [{ approved: true }, { approved: false }] });
    const approved = await step(caseId, manager.headers, { action: 'approve', comment: '決裁' });
    expect(approved).toMatchObject({ state: 'approved', decision: 'approved' });
    const done = await step(caseId, officer.headers, { action: 'issue-notice' });
    expect(done.state).toBe('completed');
    expect(done.notices).toHaveLength(1);
    expect(done.notices[0]!.verifyHref).toMatch(/^\/verify\/[0-9a-f]{64}$/);
    expect(done.timeline.map((s) => s.action)).toEqual(['receive', 'start-review', 'request-info', 'answer', 'propose', 'approve', 'approve', 'issue-notice']);
    expect(done.timeline.find((s) => s.level === 2)?.actor.name).toBe(`職員 ${manager.login}`);
    expect(await count(`SELECT count(*)::int AS n FROM applications.applications WHERE id = $1 AND status = 'closed'`, [applicationId])).toBe(1);
    // Each step read the register's people under application-review and left an audit entry.
    const acted = await t.db.query<{ action: string; purpose: string }>(
      `SELECT action, purpose FROM audit.entries WHERE action LIKE 'case.%' AND action NOT IN ('case.read', 'case.list') AND $1 = ANY(subject_ids) ORDER BY seq`,
      [town.family[0]],
    );
    expect(acted.map((a) => `${a.action}:${a.purpose}`)).toEqual([
      'case.start-review:application-review', 'case.request-info:application-review', 'case.answer:self-service', 'case.propose:application-review',
      'case.approve:application-review', 'case.approve:application-review', 'case.issue-notice:application-review',
    ]);
    expect(await count(`SELECT count(*)::int AS n FROM platform.mail_queue WHERE tag = 'case.status'`)).toBeGreaterThanOrEqual(3);
    // The resident sees the decision and downloads the notice.
    const mine = await get(caseId, resident.headers);
    expect(mine).toMatchObject({ residentStatus: 'decided', decision: 'approved' });
    expect(mine.timeline.every((s) => s.actor.name === null)).toBe(true);
    const pdf = await t.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/notices/${mine.notices[0]!.id}`, headers: resident.headers });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses a move the table does not allow with 409 naming both states, a stale edit with 412, no If-Match with 428', async () => {
    const { caseId } = await town.apply('pregnancy-notification', town.family[1]);
    pregnancyCase = caseId;
    const c = await get(caseId, town.officer.headers);
    const body = problem(await act(caseId, town.chief.headers, { action: 'approve' }, c.version), 409, /from 'received' to 'approved \| rejected'/);
    expect(body).toMatchObject({ currentState: 'received', targetState: 'approved | rejected' });
    problem(await act(caseId, town.officer.headers, { action: 'issue-notice' }, c.version), 409, /'received' to 'completed'/);
    await step(caseId, town.officer.headers, { action: 'start-review' });
    problem(await act(caseId, town.officer.headers, { action: 'propose', outcome: 'approve', comment: 'x' }, c.version), 412, /changed by someone else/);
    problem(await act(caseId, town.officer.headers, { action: 'propose', outcome: 'approve', comment: 'x' }, null), 428, /If-Match/);
    const bad = await t.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions`, headers: { ...town.officer.headers, 'if-match': '*' }, payload: { action: 'propose' } });
    problem(bad, 412, /ETag/);
    problem(await act(caseId, town.officer.headers, { action: 'fly' }, c.version + 1), 400, /action/);
    problem(await act(newId(), town.officer.headers, { action: 'start-review' }, 1), 404, /case .* not found/);
    // Nothing was half-written by the refusals.
    expect((await get(caseId, town.officer.headers)).timeline.map((s) => s.action)).toEqual(['receive', 'start-review']);
  });

  it('two staff acting on the same version at once: one wins, the other is told the case changed', async () => {
    const other = await caseTown(t);
    const { caseId } = await other.apply('residence-certificate-request', other.family[1]);
    const v = (await get(caseId, other.officer.headers)).version;
    const both = await Promise.all([
      act(caseId, other.officer.headers, { action: 'start-review' }, v),
      act(caseId, town.officer.headers, { action: 'request-info', comment: '本人確認書類をお送りください。' }, v),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 412]);
    expect((await get(caseId, other.officer.headers)).timeline).toHaveLength(2);
  });

  it('nobody approves their own proposal; a send-back starts a new round; a decision can be reopened', async () => {
    // A 課長 who drafts a decision takes the route from their own level: 課長 only — someone else's.
    const both = await town.staff(`kacho-tanto-${Date.now()}`, ['case-officer', 'approver'], [{ department: 'kodomo', position: 'officer' }, { department: 'kodomo', position: 'manager' }]);
    const { caseId } = await town.apply('childcare-facility-application', town.family[2]);
    await step(caseId, both.headers, { action: 'start-review' });
    const proposed = await step(caseId, both.headers, { action: 'propose', outcome: 'reject', comment: '所得制限を超えるため。' });
    expect(proposed.route).toEqual([{ level: 1, position: 'manager', approved: false }]);
    problem(await act(caseId, both.headers, { action: 'approve' }, proposed.version), 403, /own proposal/);
    problem(await act(caseId, town.chief.headers, { action: 'approve' }, proposed.version), 403, /manager/);
    problem(await act(caseId, town.officer.headers, { action: 'approve' }, proposed.version), 403, /approver/);
    problem(await act(caseId, town.manager.headers, { action: 'send-back' }, proposed.version), 400, /comment/);
    const back = await step(caseId, town.manager.headers, { action: 'send-back', comment: '所得の確認資料を添付のこと。' });
    expect(back).toMatchObject({ state: 'in-review', proposal: null, route: [] });
    await step(caseId, town.officer.headers, { action: 'propose', outcome: 'reject', comment: '所得制限を超えるため。' });
    await step(caseId, town.chief.headers, { action: 'approve' });
    // The chief approved level 1; they may not approve level 2 as well.
    problem(await act(caseId, town.chief.headers, { action: 'approve' }, (await get(caseId, town.chief.headers)).version), 403, /manager/);
    expect((await step(caseId, town.manager.headers, { action: 'approve' })).state).toBe('rejected');
    const reopened = await step(caseId, town.manager.headers, { action: 'reopen', comment: '資料の追加提出があったため再審査する。' });
    expect(reopened).toMatchObject({ state: 'in-review', decision: null });
  });

  it('a 課長 stands in for an absent 係長 and then approves as 課長; nobody approves in place of the proposer', async () => {
    const other = await caseTown(t);
    const delegate = (from: string, to: string) =>
      t.db.query(`INSERT INTO cases.delegations (id, from_staff, to_staff, valid_from, valid_to, reason, created_by) VALUES ($1, $2, $3, '2026-11-20', '2026-11-30', '休暇のため', $2)`, [newId(), from, to]);
    await delegate(other.chief.id, other.manager.id);
    const { caseId } = await other.apply('child-allowance-claim', other.family[0]);
    await step(caseId, other.officer.headers, { action: 'start-review' });
    await step(caseId, other.officer.headers, { action: 'propose', outcome: 'approve', comment: '要件を満たす。' });
    const level1 = await step(caseId, other.manager.headers, { action: 'approve' });
    expect(level1.timeline.at(-1)).toMatchObject({ level: 1, onBehalfOf: { id: other.chief.id } });
    const decided = await step(caseId, other.manager.headers, { action: 'approve' });
    expect(decided.state).toBe('approved');
    // Standing in for the proposer is approving their proposal: refused.
    const proposer = await other.staff(`tanto-kakari-${Date.now()}`, ['case-officer', 'approver'], [{ department: 'jumin', position: 'officer' }, { department: 'jumin', position: 'chief' }]);
    const deputy = await other.staff(`dairi2-${Date.now()}`, ['approver'], []);
    await delegate(proposer.id, deputy.id);
    const cert = await other.apply('residence-certificate-request', other.family[1]);
    await step(cert.caseId, proposer.headers, { action: 'start-review' });
    const p = await step(cert.caseId, proposer.headers, { action: 'propose', outcome: 'approve', comment: '本人確認済み。' });
    problem(await act(cert.caseId, deputy.headers, { action: 'approve' }, p.version), 403, /own proposal/);
    expect((await step(cert.caseId, other.chief.headers, { action: 'approve' })).state).toBe('approved');
  });

  it('an approver away is stood in for (代決), named on the timeline', async () => {
    const deputy = await town.staff(`dairi-${Date.now()}`, ['approver'], []);
    await t.db.query(
      `INSERT INTO cases.delegations (id, from_staff, to_staff, valid_from, valid_to, reason, created_by) VALUES ($1, $2, $3, '2026-11-20', '2026-11-30', '出張のため', $2)`,
      [newId(), town.chief.id, deputy.id],
    );
    const { caseId } = await town.apply('residence-certificate-request', town.family[0]);
    await step(caseId, town.officer.headers, { action: 'start-review' });
    await step(caseId, town.officer.headers, { action: 'propose', outcome: 'approve', comment: '要件を満たす。' });
    const inbox = await t.inject({ method: 'GET', url: '/api/v1/cases?state=proposed', headers: deputy.headers });
    expect((inbox.json() as { items: CaseView[] }).items.map((i) => i.id)).toContain(caseId);
    const level1 = await step(caseId, deputy.headers, { action: 'approve' });
    const s = level1.timeline.find((x) => x.action === 'approve')!;
    expect(s.onBehalfOf).toEqual({ id: town.chief.id, name: `職員 ${town.chief.login}` });
    expect(s.actor.id).toBe(deputy.id);
  });

  it('the resident withdraws; the application closes and may be made again', async () => {
    const { caseId, applicationId } = await town.apply('residence-certificate-request', town.family[2]);
    problem(await act(caseId, town.resident.headers, { action: 'start-review' }, (await get(caseId, town.resident.headers)).version), 403, /staff/);
    const w = await step(caseId, town.resident.headers, { action: 'withdraw', comment: '別の制度を利用するため' });
    expect(w.state).toBe('withdrawn');
    expect(await count(`SELECT count(*)::int AS n FROM applications.applications WHERE id = $1 AND status = 'withdrawn'`, [applicationId])).toBe(1);
    const again = await town.apply('residence-certificate-request', town.family[2]);
    expect(again.caseId).not.toBe(caseId);
  });

  it('keeps cases inside their department and their household', async () => {
    const caseId = pregnancyCase;
    const elsewhere = await town.staff(`kaigo-tanto-${Date.now()}`, ['case-officer'], [{ department: 'kaigo', position: 'officer' }]);
    problem(await t.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: elsewhere.headers }), 404, /not found/);
    const version = (await get(caseId, town.officer.headers)).version;
    problem(await act(caseId, elsewhere.headers, { action: 'request-info', comment: '確認' }, version), 404, /not found/);
    // An approver of the department may not do an officer's work.
    problem(await act(caseId, town.chief.headers, { action: 'request-info', comment: '確認' }, version), 403, /officer/);
    const stranger = await t.residentSession(newId());
    expect((await t.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: stranger.headers })).statusCode).toBe(401);
    const wife = await t.residentSession(town.family[1]!);
    expect((await t.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: wife.headers })).statusCode).toBe(200);
    problem(await t.inject({ method: 'GET', url: '/api/v1/cases' }), 401, /authentication/);
  });

  it('approves selected cases as a job with progress; a case changed meanwhile fails alone', async () => {
    const other = await caseTown(t);
    const a = await other.apply('residence-certificate-request', other.family[0]);
    const b = await other.apply('residence-certificate-request', other.family[1]);
    const versions: { id: string; version: number }[] = [];
    for (const c of [a, b]) {
      await step(c.caseId, town.officer.headers, { action: 'start-review' });
      versions.push({ id: c.caseId, version: (await step(c.caseId, town.officer.headers, { action: 'propose', outcome: 'approve', comment: '定型。' })).version });
    }
    // Someone sends b back after the chief reviewed it.
    await step(versions[1]!.id, town.chief.headers, { action: 'send-back', comment: '確認漏れ' });
    const started = await t.inject({ method: 'POST', url: '/api/v1/cases/jobs', headers: town.chief.headers, payload: { kind: 'approve', cases: versions } });
    expect(started.statusCode, started.body).toBe(202);
    const job = started.json() as { id: string };
    await t.server.cases.drainJobs();
    const res = await t.inject({ method: 'GET', url: `/api/v1/cases/jobs/${job.id}`, headers: town.chief.headers });
    expect(res.json()).toMatchObject({ state: 'done', total: 2, done: 1, failed: 1 });
    expect((res.json() as { results: { ok: boolean; problem?: string }[] }).results.find((r) => !r.ok)?.problem).toMatch(/precondition-failed/);
    expect((await t.inject({ method: 'GET', url: `/api/v1/cases/jobs/${job.id}`, headers: town.officer.headers })).statusCode).toBe(404);
    problem(await t.inject({ method: 'POST', url: '/api/v1/cases/jobs', headers: town.chief.headers, payload: { kind: 'approve', cases: [] } }), 400, /cases/);
  });

  it('tells a resident only their status, lets only the applicant act, and keeps other departments out of job results', async () => {
    const other = await caseTown(t);
    const { caseId } = await other.apply('residence-certificate-request', other.family[0]);
    await step(caseId, other.officer.headers, { action: 'start-review' });
    await step(caseId, other.officer.headers, { action: 'propose', outcome: 'reject', comment: '請求の理由が不明のため。' });
    const decided = await step(caseId, other.chief.headers, { action: 'approve' });
    expect(decided.state).toBe('rejected');
    // Not yet notified: the resident sees 「審査中」, and a refusal does not say 'rejected'.
    const seen = await get(caseId, other.resident.headers);
    expect(seen).toMatchObject({ state: 'in-review', decision: null, lastAction: null });
    const refused = problem(await act(caseId, other.resident.headers, { action: 'answer', comment: 'x' }, seen.version), 409, /from 'in-review'/);
    expect(JSON.stringify(refused)).not.toMatch(/rejected|approve/);
    const stale = problem(await act(caseId, other.resident.headers, { action: 'withdraw' }, 1), 412, /changed/);
    expect(stale).not.toHaveProperty('state');
    // A household member sees the case but may not withdraw it.
    const wife = await t.residentSession(other.family[1]!);
    problem(await act(caseId, wife.headers, { action: 'withdraw' }, seen.version), 403, /only the applicant/);
    // Until the notice is issued the applicant may still withdraw.
    expect((await step(caseId, other.resident.headers, { action: 'withdraw' })).state).toBe('withdrawn');

    // A bulk job naming a case of another department tells nothing of it.
    const kaigo = await town.staff(`kaigo-kakari-${Date.now()}`, ['approver'], [{ department: 'kaigo', position: 'chief' }]);
    const job = await t.inject({ method: 'POST', url: '/api/v1/cases/jobs', headers: kaigo.headers, payload: { kind: 'approve', cases: [{ id: caseId, version: 9 }] } });
    expect(job.statusCode).toBe(202);
    await t.server.cases.drainJobs();
    const result = (await t.inject({ method: 'GET', url: `/api/v1/cases/jobs/${(job.json() as { id: string }).id}`, headers: kaigo.headers })).json() as { results: { reference: string; ok: boolean }[] };
    expect(result.results).toEqual([expect.objectContaining({ reference: '', ok: false })]);
  });

  it('opens cases for applications submitted before case processing, and lists cases of a retired procedure', async () => {
    const other = await caseTown(t);
    const { caseId, applicationId } = await other.apply('residence-certificate-request', other.family[2]);
    await t.db.query('DELETE FROM cases.steps WHERE case_id = $1', [caseId]);
    await t.db.query('DELETE FROM cases.cases WHERE id = $1', [caseId]);
    const { buildServer } = await import('../../server.js');
    const again = await buildServer(t.config, t.db, { today: () => '2026-11-22' });
    await again.close();
    const [reopened] = await t.db.query<{ state: string; reference: string }>('SELECT state, reference FROM cases.cases WHERE application_id = $1', [applicationId]);
    expect(reopened?.state).toBe('received');
    await t.db.query(`UPDATE cases.cases SET procedure_code = 'retired-procedure' WHERE application_id = $1`, [applicationId]);
    const inbox = await t.inject({ method: 'GET', url: '/api/v1/cases?department=jumin', headers: other.officer.headers });
    expect(inbox.statusCode, inbox.body).toBe(200);
    expect((inbox.json() as { items: CaseView[] }).items.find((i) => i.applicationId === applicationId)?.procedure).toEqual({ code: 'retired-procedure', name: 'retired-procedure' });
  });

  // Prints the notice issued by the flow test above (the tests of this file share one town).
  it('prints the day’s notices as one PDF; a job resumed after its worker died starts the print over', async () => {
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const started = await t.inject({ method: 'POST', url: '/api/v1/cases/jobs', headers: town.officer.headers, payload: { kind: 'print-notices', date: today } });
    expect(started.statusCode, started.body).toBe(202);
    const id = (started.json() as { id: string }).id;
    await t.server.cases.drainJobs();
    const view = async () => (await t.inject({ method: 'GET', url: `/api/v1/cases/jobs/${id}`, headers: town.officer.headers })).json() as { state: string; total: number; done: number };
    const first = await view();
    expect(first).toMatchObject({ state: 'done' });
    expect(first.total).toBeGreaterThanOrEqual(1);
    expect(first.done).toBe(first.total);
    const before = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.entries WHERE action = 'case.read-notice'`);
    const pdf = await t.inject({ method: 'GET', url: `/api/v1/cases/jobs/${id}/output`, headers: town.officer.headers });
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const after = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.entries WHERE action = 'case.read-notice'`);
    expect(after[0]!.n).toBe(before[0]!.n + 1);
    // The worker died mid-way: its lease runs out, another takes the job and prints it all again.
    await t.db.query(`UPDATE cases.jobs SET state = 'running', lease_until = now() - interval '1 minute', lease_token = 'dead-worker' WHERE id = $1`, [id]);
    await t.server.cases.drainJobs();
    expect(await view()).toMatchObject({ state: 'done', total: first.total, done: first.total });
  });

  it('writes the status mails in the language the resident applied in', async () => {
    const other = await caseTown(t);
    const { caseId, reference } = await other.apply('residence-certificate-request', other.family[0], 'en');
    await step(caseId, other.officer.headers, { action: 'request-info', comment: 'Please send a copy of your ID.' });
    const [mail] = await t.db.query<{ subject: string; body: string }>(
      `SELECT subject, body FROM platform.mail_queue WHERE tag = 'case.status' AND ref = $1 ORDER BY id DESC LIMIT 1`,
      [reference],
    );
    expect(mail!.subject).toBe(`[${reference}] Your application: We have a question for you`);
    expect(mail!.body).toContain(`/me/cases/${caseId}?lang=en`);
    expect(mail!.body).not.toMatch(/[ぁ-んァ-ン]/);
  });
});
