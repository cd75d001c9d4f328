/**
 * The resident's case pages over HTTP on a real database, as a browser without JavaScript
 * uses them: the town's question and the answer (the clock pauses and the due date moves),
 * withdrawal behind a confirmation, the decision notice, and who may see a case at all.
 * Staff work is done through the service, as an officer and the approvers on the route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeader, startTestServer, type TestServer } from '../../testing/server.js';
import { moveInFamily, person } from '../registry/testing.js';
import { formFields, pageClient, withValues, type PageClient } from '../applications/testing.js';
import { addDays, dateInJapan, type CasesRuntime } from './runtime.js';
import { performAction, type ActionInput, type CaseActor } from './service.js';
import { sampleData } from '../applications/testing.js';
import { caseTown, staffActor, testRuntime, type CaseTown } from './testing.js';

describe('resident case pages', () => {
  let t: TestServer;
  let c: PageClient;
  let town: CaseTown;
  let rt: CasesRuntime;
  let me: string;
  let wife: string;
  let stranger: string;
  /** The town hall's clock: tests move it to let days pass. */
  let clock = new Date();
  let first: { applicationId: string; caseId: string; reference: string };

  beforeAll(async () => {
    const opts = { today: () => dateInJapan(clock), now: () => clock };
    t = await startTestServer({}, opts);
    c = pageClient(t);
    town = await caseTown(t);
    rt = testRuntime(t, { today: opts.today, now: opts.now, townName: () => 'テスト町' });
    me = town.resident.cookie;
    wife = await c.session(town.family[1]!);
    const other = await c.moveIn(moveInFamily({ persons: [person({ familyName: '渡邊', familyNameKana: 'ワタナベ', givenName: '健', givenNameKana: 'ケン' })] }));
    stranger = await c.session(other[0]!);
    first = await applyWithMail();
  });
  afterAll(async () => t?.close());

  let applied = 0;
  /** Sends 子ども医療費 for the son online, with an address to be told at (as caseTown.apply, plus the email). */
  async function applyWithMail(): Promise<{ applicationId: string; caseId: string; reference: string }> {
    const [code, subjectId] = ['child-medical-subsidy', town.family[2]!];
    const pre = await t.inject({ method: 'GET', url: `/api/v1/procedures/${code}/prefill?subjectId=${subjectId}`, headers: town.resident.headers });
    const def = (await t.inject({ method: 'GET', url: `/api/v1/procedures/${code}` })).json() as { definition: never };
    const data = sampleData(def.definition, (pre.json() as { data: Record<string, unknown> }).data);
    (data.contact as Record<string, unknown>).email = 'resident@example.jp';
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { ...town.resident.headers, 'idempotency-key': `resident-pages-${(applied += 1)}-${Date.now()}` },
      payload: { procedure: code, subjectId, data },
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    const app = (res.json() as { applications: { id: string; reference: string }[] }).applications[0]!;
    const [row] = await t.db.query<{ id: string }>('SELECT id FROM cases.cases WHERE application_id = $1', [app.id]);
    return { applicationId: app.id, caseId: row!.id, reference: app.reference };
  }

  const caseRow = async (id: string) =>
    (await t.db.query<{ state: string; lock_version: number; due_date: string; paused_days: number }>(
      "SELECT state, lock_version, to_char(due_date, 'YYYY-MM-DD') AS due_date, paused_days FROM cases.cases WHERE id = $1",
      [id],
    ))[0]!;

  const asStaff = staffActor;
  const officer = () => asStaff(town.officer, ['case-officer']);
  /** Takes a staff action on the case as it is now (its current version). */
  async function act(actor: CaseActor, caseId: string, input: Omit<ActionInput, 'version'>) {
    return performAction(rt, actor, caseId, { ...input, version: (await caseRow(caseId)).lock_version });
  }
  const statusMails = () => t.db.query<{ subject: string; ref: string }>("SELECT subject, ref FROM platform.mail_queue WHERE tag = 'case.status' ORDER BY id");

  it('sends a browser without a resident session to sign in, and says what was received', async () => {
    const url = `/me/cases/${first.caseId}`;
    expect(c.location(await c.get(url, ''))).toBe(`/auth/sign-in?next=${encodeURIComponent(url)}`);
    const page = await c.get(url, me);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>子ども医療費受給資格証の交付申請</h1>');
    expect(page.body).toContain(first.reference);
    expect(page.body).toContain('受け付けました');
    expect(page.body).toContain(`href="/me/applications/`);
    expect(page.body).toContain(`href="/me/cases/${first.caseId}/withdraw"`);
    expect(page.body).not.toContain(`action="/me/cases/${first.caseId}/answer"`);
    const due = (await caseRow(first.caseId)).due_date;
    expect(page.body).toContain(`datetime="${due}"`);
    const en = await c.get(`${url}?lang=en`, me);
    expect(en.body).toContain('Received');
    expect(en.body).not.toMatch(/cases\.(me|resident)\.[a-z]/);
  });

  it('shows the town’s question prominently with an answer form; the application lists say an answer is needed', async () => {
    await act(officer(), first.caseId, { action: 'start-review' });
    await act(officer(), first.caseId, { action: 'request-info', comment: '所得の分かる書類の写しを追加で送ってください。' });
    const page = await c.get(`/me/cases/${first.caseId}`, me);
    expect(page.body).toContain('確認事項があります');
    expect(page.body).toContain('町からの確認事項');
    expect(page.body).toContain('所得の分かる書類の写しを追加で送ってください。');
    expect(page.body).toContain(`action="/me/cases/${first.caseId}/answer"`);
    expect(page.body).toContain('処理期間の計算を止めています');
    expect(page.body).toMatch(/<textarea[^>]*name="comment"[^>]*required/);
    // The timeline: received, review started, the question — nothing of the staff's workings.
    expect(page.body).toContain('審査を始めました');
    expect(page.body).toContain('町から確認事項をお送りしました');
    expect(page.body).not.toContain(`職員 ${town.officer.login}`);

    const list = await c.get('/me/applications', me);
    expect(list.body).toContain(`href="/me/cases/${first.caseId}"`);
    expect(list.body).toContain(`<span class="badge badge-warn"><a href="/me/cases/${first.caseId}">確認事項があります`);
    const receipt = await c.get(page.body.match(/href="(\/me\/applications\/[0-9a-f-]{36})"/)![1]!, me);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.body).toContain(`href="/me/cases/${first.caseId}"`);
    expect(receipt.body).toContain('確認事項があります');

    // Each change the resident can see is mailed: in review, then the question; no name in a subject.
    const mails = await statusMails();
    expect(mails.map((m) => m.subject)).toEqual([`【${first.reference}】申請の状況: 審査中です`, `【${first.reference}】申請の状況: 確認事項があります（ご回答ください）`]);
    for (const m of mails) expect(m.subject).not.toMatch(/髙橋|一郎|翔太/);
  });

  it('refuses an empty or too long answer with the form, and a stale one with the case as it is now', async () => {
    const url = `/me/cases/${first.caseId}`;
    const page = await c.get(url, me);
    const fields = formFields(page.body, `${url}/answer`);
    expect(fields.map(([k]) => k).sort()).toEqual(['_csrf', 'comment', 'version']);
    const empty = await c.post(`${url}/answer`, me, withValues(fields, { comment: '   ' }));
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('class="error-summary"');
    expect(empty.body).toContain('<a href="#answer">回答を入力してください</a>');
    expect(empty.body).toMatch(/<textarea[^>]*aria-invalid="true"/);
    const long = await c.post(`${url}/answer`, me, withValues(fields, { comment: 'あ'.repeat(2001) }));
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('2,001文字');
    // Someone assigned the case meanwhile: the version on the form is no longer the case's.
    await act(officer(), first.caseId, { action: 'assign', assignee: town.officer.id });
    const stale = await c.post(`${url}/answer`, me, withValues(fields, { comment: '書類は郵送します。' }));
    expect(stale.statusCode).toBe(412);
    expect(stale.body).toContain('申請の状況が変わりました');
    expect(stale.body).toContain('書類は郵送します。'); // what was typed is kept
    expect((await caseRow(first.caseId)).state).toBe('waiting');
    expect((await c.post(`${url}/answer`, '', withValues(fields, { comment: 'x' }))).statusCode).toBe(403); // no session: no CSRF token of its own
  });

  it('takes the answer: the case is back in review, the answer is on the timeline, and the due date moved by the days paused', async () => {
    const url = `/me/cases/${first.caseId}`;
    const before = await caseRow(first.caseId);
    clock = new Date(clock.getTime() + 3 * 86_400_000);
    const page = await c.get(url, me);
    const sent = await c.post(`${url}/answer`, me, withValues(formFields(page.body, `${url}/answer`), { comment: '書類は郵送します。\n今週中に届きます。' }));
    expect(c.location(sent)).toBe(`${url}?done=answered`);
    const after = await caseRow(first.caseId);
    expect(after.state).toBe('in-review');
    expect(after.paused_days).toBe(3);
    expect(after.due_date).toBe(addDays(before.due_date, 3));
    const shown = await c.get(`${url}?done=answered`, me);
    expect(shown.body).toContain('回答を送りました');
    expect(shown.body).toContain('審査中です');
    expect(shown.body).toContain('あなたの回答');
    expect(shown.body).toContain('書類は郵送します。<br/>今週中に届きます。');
    expect(shown.body).toContain(`datetime="${after.due_date}"`);
    expect(shown.body).toContain('3日分、目安の日を延ばしています');
    expect(shown.body).not.toContain(`action="${url}/answer"`);
    // Answering again from the same page: the case no longer waits for an answer.
    const again = await c.post(`${url}/answer`, me, [['_csrf', c.csrfOf(page.body)], ['version', String(after.lock_version)], ['comment', 'もう一度']]);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('いまは回答を受け付けていません（状況：審査中です）');
    const audit = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit.entries WHERE action = 'case.answer' AND actor_type = 'resident'");
    expect(audit[0]!.n).toBe(1);
  });

  it('shows a case to the household and to nobody else', async () => {
    const url = `/me/cases/${first.caseId}`;
    const seen = await c.get(url, wife);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toContain(first.reference);
    const page = await c.get(url, stranger);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain(first.reference);
    expect((await c.get(`${url}/withdraw`, stranger)).statusCode).toBe(404);
    const strangerForm = await c.get('/me/applications', stranger);
    const post = await c.post(`${url}/withdraw`, stranger, [['_csrf', c.csrfOf(strangerForm.body)], ['version', String((await caseRow(first.caseId)).lock_version)]]);
    expect(post.statusCode).toBe(404);
    expect((await caseRow(first.caseId)).state).toBe('in-review');
    expect((await c.get(`/me/cases/00000000-0000-4000-8000-000000000000`, me)).statusCode).toBe(404);
  });

  it('gives the decision notice after completion, audited, and no more withdrawal', async () => {
    const url = `/me/cases/${first.caseId}`;
    await act(officer(), first.caseId, { action: 'propose', outcome: 'approve', comment: '要件を満たしているため承認したい。' });
    await act(asStaff(town.chief, ['approver']), first.caseId, { action: 'approve' });
    if ((await caseRow(first.caseId)).state === 'proposed') await act(asStaff(town.manager, ['approver']), first.caseId, { action: 'approve' });
    expect((await caseRow(first.caseId)).state).toBe('approved');
    // Approved but not yet notified: the resident still sees 「審査中です」.
    expect((await c.get(url, me)).body).toContain('審査中です');
    await act(officer(), first.caseId, { action: 'issue-notice' });
    const page = await c.get(url, me);
    expect(page.body).toContain('決定しました（承認）');
    expect(page.body).not.toContain('要件を満たしているため'); // the proposal stays inside the town hall
    expect(page.body).not.toContain(`href="${url}/withdraw"`);
    const [notice] = await t.db.query<{ id: string; hash: string }>('SELECT id, hash FROM cases.notices WHERE case_id = $1', [first.caseId]);
    expect(page.body).toContain(`href="${url}/notices/${notice!.id}.pdf"`);
    expect(page.body).toContain(`href="/verify/${notice!.hash}"`);

    const pdf = await c.get(`${url}/notices/${notice!.id}.pdf`, me);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['cache-control']).toBe('no-store');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const audited = await t.db.query<{ actor_type: string; subject_ids: string[] }>("SELECT actor_type, subject_ids FROM audit.entries WHERE action = 'case.read-notice'");
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actor_type).toBe('resident');
    expect(audited[0]!.subject_ids).toContain(town.family[2]);
    expect((await c.get(`${url}/notices/${notice!.id}.pdf`, stranger)).statusCode).toBe(404);
    expect((await c.get(`${url}/notices/00000000-0000-4000-8000-000000000000.pdf`, me)).statusCode).toBe(404);
    expect(c.location(await c.get(`${url}/notices/${notice!.id}.pdf`, ''))).toMatch(/^\/auth\/sign-in\?next=/);

    const [app] = await t.db.query<{ status: string }>('SELECT status FROM applications.applications WHERE id = $1', [first.applicationId]);
    expect(app!.status).toBe('closed');
    expect((await c.get('/me/applications', me)).body).toContain('決定しました（承認）');
    expect((await statusMails()).at(-1)!.subject).toBe(`【${first.reference}】申請の状況: 決定しました`);
  });

  it('withdraws only after a confirmation, closing the case and the application', async () => {
    const second = await applyWithMail();
    const url = `/me/cases/${second.caseId}`;
    const page = await c.get(url, me);
    expect(page.body).toContain(`href="${url}/withdraw"`);
    const confirm = await c.get(`${url}/withdraw`, me);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('この申請を取り下げますか');
    expect(confirm.body).toContain('元に戻すことはできません');
    expect((await caseRow(second.caseId)).state).toBe('received'); // looking at the confirmation changes nothing
    const fields = formFields(confirm.body, `${url}/withdraw`);
    const long = await c.post(`${url}/withdraw`, me, withValues(fields, { comment: 'x'.repeat(2001) }));
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('<a href="#reason">');
    const done = await c.post(`${url}/withdraw`, me, withValues(fields, { comment: '別の制度を利用するため' }));
    expect(c.location(done)).toBe(`${url}?done=withdrawn`);
    expect((await caseRow(second.caseId)).state).toBe('withdrawn');
    const [app] = await t.db.query<{ status: string }>('SELECT status FROM applications.applications WHERE id = $1', [second.applicationId]);
    expect(app!.status).toBe('withdrawn');
    const after = await c.get(`${url}?done=withdrawn`, me);
    expect(after.body).toContain('申請を取り下げました');
    expect(after.body).toContain('取り下げられました');
    expect(after.body).toContain('別の制度を利用するため');
    expect(after.body).not.toContain(`href="${url}/withdraw"`);
    expect(after.body).not.toContain('処理の目安');
    // The same confirmation posted again, and the confirmation page itself: no longer possible.
    const again = await c.post(`${url}/withdraw`, me, withValues(fields, { version: String((await caseRow(second.caseId)).lock_version) }));
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('もう取り下げることができません（状況：取り下げられました）');
    expect((await c.get(`${url}/withdraw`, me)).statusCode).toBe(409);
    expect((await statusMails()).at(-1)!.subject).toBe(`【${second.reference}】申請の状況: 取り下げられました`);
    expect((await c.get('/me/applications', me)).body).toContain(`<a href="${url}">取り下げられました</a>`);
  });

  it('shows the status on the secret status page of a procedure without sign-in, without a link to sign in for', async () => {
    const about = await c.get('/procedures/move-in-visit-notice', '');
    const res = await c.post('/procedures/move-in-visit-notice/start', cookieHeader(about.headers['set-cookie']), [['_csrf', c.csrfOf(about.body)]]);
    const cookie = cookieHeader(res.headers['set-cookie'], cookieHeader(about.headers['set-cookie']));
    const id = c.location(res).split('/').pop()!;
    expect(c.location(await c.complete(cookie, id, 'move-in-visit-notice'))).toBe(`/applications/drafts/${id}/review`);
    const review = await c.get(`/applications/drafts/${id}/review`, cookie);
    const status = c.location(await c.post(`/applications/drafts/${id}/submit`, cookie, formFields(review.body, `/applications/drafts/${id}/submit`)));
    const page = await c.get(status, '');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong>受け付けました</strong>');
    expect(page.body).not.toContain('href="/me/cases/');
  });

  it('has every string in ja, ja-easy and en', async () => {
    const urls = [`/me/cases/${first.caseId}`, '/me/applications'];
    const second = (await t.db.query<{ id: string }>("SELECT id FROM cases.cases WHERE state = 'withdrawn' LIMIT 1"))[0]!.id;
    urls.push(`/me/cases/${second}`);
    for (const lang of ['ja', 'ja-easy', 'en']) {
      for (const url of urls) {
        const res = await c.get(`${url}?lang=${lang}`, me);
        expect(res.statusCode, `${url} ${lang}`).toBe(200);
        expect(res.body, `${url} ${lang}`).not.toMatch(/cases\.(me|resident|decision)\.[a-z]/);
      }
    }
  });
});
