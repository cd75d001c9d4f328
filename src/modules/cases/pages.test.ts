/**
 * The staff case pages over HTTP on a real database, as a browser without JavaScript uses
 * them: the inbox with its countdown and filters, a case proposed, approved at two levels
 * and completed through its action forms, every refusal shown on the page with its status,
 * 代決, and bulk jobs followed on their progress page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { dateInJapan } from './runtime.js';
import { caseTown, type CaseTown, type StaffSession } from './testing.js';

const TODAY = '2026-11-22';
type Res = Awaited<ReturnType<TestServer['inject']>>;
type Fields = [string, string][];

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([a-zA-Z-:]+)(?:="([^"]*)")?/g)].map((m) => [m[1]!, m[2] === undefined ? true : decode(m[2])]));

/** What a browser posts for the form with this id (or action): inputs, checked boxes, textareas, selected options. */
function formFields(page: string, key: string): Fields {
  const form = [...page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].find((f) => {
    const a = attrs(f[1]!);
    return a.id === key || a.action === key;
  });
  if (!form) throw new Error(`no form ${key}`);
  const out: Fields = [];
  for (const m of form[2]!.matchAll(/<input\b([^>]*)>/g)) {
    const a = attrs(m[1]!);
    if (typeof a.name !== 'string' || ((a.type === 'checkbox' || a.type === 'radio') && !a.checked)) continue;
    out.push([a.name, typeof a.value === 'string' ? a.value : 'on']);
  }
  for (const m of form[2]!.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) out.push([String(attrs(m[1]!).name), decode(m[2]!)]);
  for (const m of form[2]!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const chosen = [...m[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attrs(o[1]!)).find((o) => o.selected);
    out.push([String(attrs(m[1]!).name), typeof chosen?.value === 'string' ? chosen.value : '']);
  }
  return out;
}

const withValues = (fields: Fields, set: Record<string, string | string[]>): Fields => [
  ...fields.filter(([k]) => !(k in set)),
  ...Object.entries(set).flatMap(([k, v]) => [v].flat().map((x): [string, string] => [k, x])),
];
const main = (res: Res) => res.body.replace(/^[\s\S]*<main[^>]*>/, '').replace(/<\/main>[\s\S]*$/, '');

describe('staff case pages', () => {
  let t: TestServer;
  let town: CaseTown;
  /** A second family, for more applications (住民票: one approval level); the staff of `town` work in every department. */
  let jumin: CaseTown;
  const get = (url: string, who: StaffSession | string) => t.inject({ method: 'GET', url, headers: { accept: 'text/html', cookie: typeof who === 'string' ? who : who.headers.cookie! } });
  const post = (url: string, who: StaffSession, fields: Fields) =>
    t.inject({ method: 'POST', url, headers: { accept: 'text/html', cookie: who.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
  const location = (res: Res) => {
    expect(res.statusCode, main(res).slice(0, 2000)).toBe(303);
    return String(res.headers.location);
  };
  /** Posts the case page's form for `action` with these values; returns the response. */
  async function act(who: StaffSession, caseId: string, action: string, set: Record<string, string> = {}) {
    const page = await get(`/staff/cases/${caseId}`, who);
    expect(page.statusCode, main(page).slice(0, 500)).toBe(200);
    return post(`/staff/cases/${caseId}/actions`, who, withValues(formFields(page.body, `act-${action}`), set));
  }
  const done = async (who: StaffSession, caseId: string, action: string, set: Record<string, string> = {}) =>
    expect(location(await act(who, caseId, action, set))).toBe(`/staff/cases/${caseId}?done=${action}`);
  const stateOf = async (id: string) => (await t.db.query<{ state: string; lock_version: number }>('SELECT state, lock_version FROM cases.cases WHERE id = $1', [id]))[0]!;
  /** Follows a job's page until it stops refreshing itself. */
  async function finished(who: StaffSession, url: string): Promise<Res> {
    for (let i = 0; i < 60; i += 1) {
      const res = await get(url, who);
      expect(res.statusCode).toBe(200);
      if (!res.headers.refresh) return res;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`job ${url} did not finish`);
  }

  beforeAll(async () => {
    t = await startTestServer({}, { today: () => TODAY });
    town = await caseTown(t);
    jumin = await caseTown(t, ['jumin']);
  });
  afterAll(async () => t?.close());

  let first = { caseId: '', reference: '', applicationId: '' };

  it('lists new cases in the department inbox with the countdown, overdue first, and filters them', async () => {
    first = await town.apply();
    const late = await town.apply('child-allowance-claim', town.family[0]);
    await t.db.query('UPDATE cases.cases SET due_date = $2 WHERE id = $1', [late.caseId, '2026-11-20']);
    const inbox = await get('/staff/cases', town.officer);
    expect(inbox.statusCode, main(inbox).slice(0, 500)).toBe(200);
    const body = main(inbox);
    expect(body).toContain(first.reference);
    expect(body).toContain(late.reference);
    expect(body.indexOf(late.reference)).toBeLessThan(body.indexOf(first.reference));
    expect(body).toContain('2日超過');
    expect(body).toContain('あと14日');
    expect(body).toContain('cases-overdue');
    expect(body).toContain('髙橋 一郎');
    expect(body).toContain('オンライン');
    expect(body).toContain(`href="/staff/cases/${first.caseId}"`);
    const list = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit.entries WHERE action = 'case.list'");
    expect(list[0]!.n).toBeGreaterThan(0);
    // Filters, as the GET form sends them.
    const has = async (query: string) => {
      const res = await get(`/staff/cases?${query}`, town.officer);
      expect(res.statusCode).toBe(200);
      return [first, late].filter((c) => res.body.includes(c.reference)).map((c) => c.reference).sort();
    };
    expect(await has('overdue=1')).toEqual([late.reference]);
    expect(await has('dueBy=2026-11-30')).toEqual([late.reference]);
    expect(await has('procedure=child-allowance-claim')).toEqual([late.reference]);
    expect(await has('channel=paper')).toEqual([]);
    expect(await has('channel=online&state=received&department=kodomo')).toEqual([first.reference, late.reference].sort());
    expect(await has('assignee=none')).toEqual([first.reference, late.reference].sort());
    expect(await has('assignee=me')).toEqual([]);
    expect(await has('state=completed')).toEqual([]);
    expect(await has('state=all&department=kaigo')).toEqual([]);
    // Paging by offset, with the way back.
    const next = await get('/staff/cases?offset=1', town.officer);
    expect(next.body).toContain('案件 2〜2件目（全2件）');
    expect(next.body).toContain('<a href="/staff/cases">前へ</a>');
    expect(main(next)).not.toContain(late.reference);
    // The filter form keeps what was chosen.
    const kept = await get('/staff/cases?channel=online&overdue=1', town.officer);
    expect(kept.body).toMatch(/<option value="online" selected="">|<option selected="" value="online">|<option value="online" selected>/);
    expect(kept.body).toMatch(/id="overdue"[^>]*checked/);
    // A purpose other than application review is sent to choose one first.
    const counter = await t.staffCookie({ login: 'counter-officer', roles: ['case-officer', 'counter-clerk'], purpose: 'counter-service' });
    expect(location(await get('/staff/cases', counter))).toBe(`/staff/purpose?next=${encodeURIComponent('/staff/cases')}`);
    const auditor = await t.staffCookie({ login: 'auditor', roles: ['auditor'], purpose: 'audit' });
    expect((await get('/staff/cases', auditor)).statusCode).toBe(403);
  });

  it('proposes, approves at two levels and completes a case through its forms', async () => {
    const { officer, chief, manager } = town;
    const id = first.caseId;
    const page = await get(`/staff/cases/${id}`, officer);
    expect(page.body).toContain(`href="/staff/applications/${first.applicationId}"`);
    expect(page.body).toContain('係長 → 課長');
    expect(page.body).toContain('id="act-start-review"');
    expect(page.body).not.toContain('id="act-approve"');
    await done(officer, id, 'start-review');
    expect((await get(`/staff/cases/${id}?done=start-review`, officer)).body).toContain('「審査開始」を記録しました。');
    await done(officer, id, 'propose', { outcome: 'approve', comment: '要件を確認しました。' });
    // The officer who proposed is offered no approval; the chief finds it waiting.
    const own = await get(`/staff/cases/${id}`, officer);
    expect(own.body).not.toContain('id="act-approve"');
    expect(own.body).not.toContain('id="act-send-back"');
    const waiting = await get('/staff/cases/approvals', chief);
    expect(waiting.statusCode).toBe(200);
    expect(waiting.body).toContain(first.reference);
    expect(waiting.body).toContain('決裁待ち（1件）');
    expect(waiting.body).toContain('第1段階（係長）');
    expect((await get('/staff/cases/approvals', manager)).body).not.toContain(first.reference);
    expect((await get('/staff/cases', chief)).body).toContain('決裁待ち（1件）');
    // The chief approves level 1, the manager level 2.
    const forChief = await get(`/staff/cases/${id}`, chief);
    expect(forChief.body).toContain('id="act-approve"');
    expect(forChief.body).toContain('id="act-send-back"');
    await done(chief, id, 'approve');
    expect((await get('/staff/cases/approvals', manager)).body).toContain('第2段階（課長）');
    expect((await get(`/staff/cases/${id}`, chief)).body).not.toContain('id="act-approve"');
    await done(manager, id, 'approve', { comment: '決裁します。' });
    expect((await stateOf(id)).state).toBe('approved');
    const decided = main(await get(`/staff/cases/${id}`, officer));
    expect(decided).toContain('決裁済み: 職員 kakari-');
    expect(decided).toContain('決裁済み: 職員 kacho-');
    expect(decided).toContain('決定: 承認');
    expect(decided).toContain('id="act-issue-notice"');
    // The notice completes the case; its PDF is served (audited) and verifiable.
    await done(officer, id, 'issue-notice');
    const completed = await get(`/staff/cases/${id}`, officer);
    expect((await stateOf(id)).state).toBe('completed');
    expect(completed.body).toContain('完了（通知済み）');
    const href = /href="(\/staff\/cases\/[0-9a-f-]+\/notices\/[0-9a-f-]+\.pdf)"/.exec(completed.body)?.[1];
    expect(href).toBeTruthy();
    expect(completed.body).toMatch(/href="\/verify\/[0-9a-f]{64}"/);
    const pdf = await get(href!, officer);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const read = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit.entries WHERE action = 'case.read-notice'");
    expect(read[0]!.n).toBe(1);
    // The timeline names every step, who and why.
    const timeline = main(completed);
    for (const what of ['受付', '審査開始', '起案', '決裁', '決定通知書の発行', '要件を確認しました。', '決裁します。', '第2段階（課長）']) expect(timeline).toContain(what);
    expect(timeline).toContain('審査中 → 決裁中');
    expect(timeline).toContain('決裁中 → 承認（通知前）');
    expect(timeline).toContain('今あなたが行える操作はありません。');
    // The application links back to its case.
    const app = await get(`/staff/applications/${first.applicationId}`, officer);
    expect(app.body).toContain(`href="/staff/cases/by-application/${first.applicationId}"`);
    expect(app.body).toContain('案件を開く');
    expect(location(await get(`/staff/cases/by-application/${first.applicationId}`, officer))).toBe(`/staff/cases/${id}`);
  });

  it('shows each refusal on the case page with its status: 400, 403, 409, 412 and 404', async () => {
    const { officer, chief } = town;
    const c = await jumin.apply('residence-certificate-request', jumin.family[0]);
    // 400: a proposal needs a comment; the summary links to the field and the choice is kept.
    await done(officer, c.caseId, 'start-review');
    const missing = await act(officer, c.caseId, 'propose', { outcome: 'reject', comment: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('class="error-summary"');
    expect(missing.body).toContain('href="#comment-propose"');
    expect(missing.body).toContain('「起案」にはコメントを入力してください');
    expect(missing.body).toMatch(/id="outcome-propose-reject"[^>]*checked/);
    expect(missing.body).toContain('aria-invalid="true"');
    // 412: a form from before someone else's change.
    const stale = await get(`/staff/cases/${c.caseId}`, officer);
    await done(officer, c.caseId, 'assign', { assignee: officer.id });
    const refused = await post(`/staff/cases/${c.caseId}/actions`, officer, withValues(formFields(stale.body, 'act-propose'), { outcome: 'approve', comment: 'ok' }));
    expect(refused.statusCode).toBe(412);
    const now = await stateOf(c.caseId);
    expect(refused.body).toContain(`この案件は、このページを開いた後に更新されています。最新の内容を確認してください（現在の版: ${now.lock_version}）`);
    expect(refused.body).toContain(`name="version" value="${now.lock_version}"`);
    expect(refused.body).not.toMatch(/at .*\.ts:\d+/);
    // 409: names the case's state and where the action leads.
    const wrong = await post(`/staff/cases/${c.caseId}/actions`, officer, withValues(formFields(refused.body, 'act-propose'), { action: 'issue-notice' }));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.body).toContain('この案件は現在『審査中』のため、この操作（『完了（通知済み）』にする）はできません');
    // 403: a staff member who is officer and chief proposes, and may not approve it.
    const both = await town.staff(`both-${Date.now()}`, ['case-officer', 'approver'], [{ department: 'jumin', position: 'officer' }, { department: 'jumin', position: 'chief' }]);
    await done(both, c.caseId, 'propose', { outcome: 'approve', comment: '起案します' });
    const mine = await get(`/staff/cases/${c.caseId}`, both);
    expect(mine.body).not.toContain('id="act-approve"');
    expect(mine.body).toContain('この起案はあなたが行ったため');
    const forged = await post(`/staff/cases/${c.caseId}/actions`, both, withValues(formFields(mine.body, 'act-assign'), { action: 'approve' }));
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('自分の起案は決裁できません');
    expect((await get('/staff/cases/approvals', both)).body).not.toContain(c.reference);
    // An officer may not approve at all.
    const notMine = await post(`/staff/cases/${c.caseId}/actions`, officer, withValues(formFields(mine.body, 'act-assign'), { action: 'approve', _csrf: officer.headers['x-csrf-token']! }));
    expect(notMine.statusCode).toBe(403);
    expect(notMine.body).toContain('この段階の決裁は係長が行います');
    // The chief sends it back with a reason (required).
    const noReason = await act(chief, c.caseId, 'send-back', { comment: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#comment-send-back"');
    await done(chief, c.caseId, 'send-back', { comment: '添付書類を確認してください' });
    expect((await stateOf(c.caseId)).state).toBe('in-review');
    // 404: another department's staff, an unknown case.
    const other = await town.staff(`kaigo-${Date.now()}`, ['case-officer'], [{ department: 'kaigo', position: 'officer' }]);
    expect((await get(`/staff/cases/${c.caseId}`, other)).statusCode).toBe(404);
    expect((await get(`/staff/cases/by-application/${c.applicationId}`, other)).statusCode).toBe(404);
    expect(main(await get('/staff/cases', other))).not.toContain(c.reference);
    expect((await get('/staff/cases/00000000-0000-4000-8000-000000000000', officer)).statusCode).toBe(404);
  });

  it('lets the chief delegate to a colleague, who then approves as 代決', async () => {
    const { officer, chief } = town;
    const deputy = await town.staff(`deputy-${Date.now()}`, ['approver'], [{ department: 'kodomo', position: 'manager' }]);
    const page = await get('/staff/cases/delegations', chief);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`value="${deputy.id}"`);
    expect(page.body).not.toContain(`<option value="${chief.id}"`);
    // Bad input: the past, the wrong order, oneself, no reason.
    const bad = await post('/staff/cases/delegations', chief, withValues(formFields(page.body, '/staff/cases/delegations'), { toStaff: chief.id, validFrom: '2026-11-01', validTo: '2026-10-01', reason: '' }));
    expect(bad.statusCode).toBe(400);
    for (const m of ['自分自身には任せられません', '開始日に過去の日付は指定できません', '終了日は開始日以降の日付にしてください', '理由を入力してください']) expect(bad.body).toContain(m);
    expect(bad.body).toContain('href="#validFrom"');
    const order = await post('/staff/cases/delegations', chief, withValues(formFields(page.body, '/staff/cases/delegations'), { toStaff: deputy.id, validFrom: '2026-11-25', validTo: '2026-11-24', reason: '出張' }));
    expect(order.statusCode).toBe(400);
    expect(order.body).toContain('終了日は開始日以降の日付にしてください');
    // A delegation for later is listed and can be revoked.
    expect(location(await post('/staff/cases/delegations', chief, withValues(formFields(page.body, '/staff/cases/delegations'), { toStaff: deputy.id, validFrom: '2026-12-01', validTo: '2026-12-03', reason: '研修' })))).toBe(
      '/staff/cases/delegations?done=created',
    );
    const planned = await get('/staff/cases/delegations', chief);
    expect(planned.body).toContain('研修');
    expect(planned.body).toContain('予定');
    const revoke = /action="(\/staff\/cases\/delegations\/[0-9a-f-]+\/revoke)"/.exec(planned.body)![1]!;
    expect(location(await post(revoke, chief, formFields(planned.body, revoke)))).toBe('/staff/cases/delegations?done=revoked');
    expect((await post(revoke, deputy, [['_csrf', deputy.headers['x-csrf-token']!]])).statusCode).toBe(404);
    expect((await get('/staff/cases/delegations', chief)).body).not.toContain('研修');
    // Today's delegation: the deputy approves level 1 in the chief's place.
    expect(location(await post('/staff/cases/delegations', chief, withValues(formFields(page.body, '/staff/cases/delegations'), { toStaff: deputy.id, validFrom: TODAY, validTo: '2026-11-23', reason: '出張のため' })))).toBe(
      '/staff/cases/delegations?done=created',
    );
    expect((await get('/staff/cases/delegations', deputy)).body).toContain('出張のため');
    // Not for longer than three months, and not each other's deputy at once.
    const long = await post('/staff/cases/delegations', chief, withValues(formFields(page.body, '/staff/cases/delegations'), { toStaff: deputy.id, validFrom: '2026-12-01', validTo: '2027-06-30', reason: '育児休業' }));
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('代決を頼める期間は92日までです');
    const back = await get('/staff/cases/delegations', deputy);
    const mutual = await post('/staff/cases/delegations', deputy, withValues(formFields(back.body, '/staff/cases/delegations'), { toStaff: chief.id, validFrom: TODAY, validTo: TODAY, reason: '会議' }));
    expect(mutual.statusCode).toBe(400);
    expect(mutual.body).toContain('お互いに代決を頼むことはできません');
    const c = await town.apply(); // the first case's procedure and child again: that one is completed
    await done(officer, c.caseId, 'start-review');
    await done(officer, c.caseId, 'propose', { outcome: 'approve', comment: '定型' });
    const waiting = await get('/staff/cases/approvals', deputy);
    expect(waiting.body).toContain(c.reference);
    expect(waiting.body).toContain('代決: 職員 kakari-');
    const forDeputy = await get(`/staff/cases/${c.caseId}`, deputy);
    expect(forDeputy.body).toContain('の代決として記録されます');
    await done(deputy, c.caseId, 'approve');
    const timeline = main(await get(`/staff/cases/${c.caseId}`, officer));
    expect(timeline).toMatch(/職員 deputy-\d+（代決: 職員 kakari-\d+）/);
    const [step] = await t.db.query<{ on_behalf_of: string }>("SELECT on_behalf_of FROM cases.steps WHERE case_id = $1 AND action = 'approve'", [c.caseId]);
    expect(step!.on_behalf_of).toBe(chief.id);
  });

  it('approves selected proposals as a job with progress; a case changed meanwhile fails alone', async () => {
    const { officer, chief } = town;
    const a = await jumin.apply('residence-certificate-request', jumin.family[1]);
    const b = await jumin.apply('residence-certificate-request', jumin.family[2]);
    for (const c of [a, b]) {
      await done(officer, c.caseId, 'start-review');
      await done(officer, c.caseId, 'propose', { outcome: 'approve', comment: '定型の案件' });
    }
    const list = await get('/staff/cases/approvals', chief);
    const fields = formFields(list.body, '/staff/cases/jobs');
    const boxes = [...list.body.matchAll(/name="case" value="([^"]+)"/g)].map((m) => m[1]!).filter((v) => v.startsWith(a.caseId) || v.startsWith(b.caseId));
    expect(boxes).toHaveLength(2);
    // Nothing selected: the list again with the error.
    const none = await post('/staff/cases/jobs', chief, fields);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('決裁する案件を選んでください');
    // Someone changes case b after the list was shown.
    await done(officer, b.caseId, 'assign', { assignee: officer.id });
    const job = location(await post('/staff/cases/jobs', chief, withValues(fields, { case: boxes, comment: '一括決裁' })));
    expect(job).toMatch(/^\/staff\/cases\/jobs\/[0-9a-f-]{36}$/);
    const queued = await get(job, chief);
    expect(queued.headers.refresh).toBe('2');
    expect(queued.body).toContain('<progress');
    expect((await get(job, officer)).statusCode).toBe(404);
    t.server.startWorkers();
    const result = main(await finished(chief, job));
    expect(result).toContain('完了');
    expect(result).toContain('2 / 2 件');
    expect(result).toContain('できなかった件数: 1件');
    expect(result).toContain('選んだ後に他の職員が更新しました');
    expect((await stateOf(a.caseId)).state).toBe('approved');
    const [step] = await t.db.query<{ comment: string }>("SELECT comment FROM cases.steps WHERE case_id = $1 AND action = 'approve'", [a.caseId]);
    expect(step!.comment).toBe('一括決裁');
    expect((await stateOf(b.caseId)).state).toBe('proposed');
  });

  it('prints the day’s decision notices as one PDF', async () => {
    const { officer } = town;
    const inbox = await get('/staff/cases', officer);
    const form = formFields(inbox.body, '/staff/cases/jobs');
    expect(form).toContainEqual(['kind', 'print-notices']);
    // Notices carry the moment they were issued; the clock here is not pinned.
    t.server.startWorkers();
    const job = location(await post('/staff/cases/jobs', officer, withValues(form, { date: dateInJapan(new Date()) })));
    const page = main(await finished(officer, job));
    expect(page).toContain('決定通知書の一括印刷');
    const href = /href="(\/staff\/cases\/jobs\/[0-9a-f-]+\/output\.pdf)"/.exec(page)?.[1];
    expect(href, page.slice(0, 1500)).toBeTruthy();
    const pdf = await get(href!, officer);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    expect((await get(href!, town.chief)).statusCode).toBe(404);
    // A day without notices says so.
    const empty = location(await post('/staff/cases/jobs', officer, withValues(form, { date: '2020-01-06' })));
    expect(main(await finished(officer, empty))).toContain('この日に発行した決定通知書はありません。');
  });

  it('reads in Japanese, やさしい日本語 and English with no message key left untranslated', async () => {
    const pages = ['/staff/cases', '/staff/cases/approvals', `/staff/cases/${first.caseId}`, '/staff/cases/delegations'];
    for (const lang of ['ja', 'ja-easy', 'en']) {
      for (const url of pages) {
        const res = await get(`${url}?lang=${lang}`, town.chief);
        expect(res.statusCode, `${url} ${lang}`).toBe(200);
        expect(main(res), `${url} ${lang}`).not.toMatch(/cases\.[a-z]+\.[A-Za-z.-]+|purpose\.[a-z-]+<|staff\.purpose/);
      }
    }
    const css = await t.inject({ method: 'GET', url: '/staff/cases/assets/staff.css' });
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });
});
