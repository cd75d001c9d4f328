/**
 * The application pages over HTTP on a real database, as a browser without JavaScript uses
 * them: every form is read from the rendered page and posted back whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, cookieHeader, type TestServer } from '../../testing/server.js';
import { moveInFamily, person } from '../registry/testing.js';
import { SAMPLE_FILES } from './testing.js';
import type { FormData } from './form.js';
import { formFields, html, multipart, pageClient, withValues, type PageClient } from './page-testing.js';

const TODAY = '2026-11-22';

describe('application pages', () => {
  let t: TestServer;
  let family: string[]; // head (claimant), wife, son 11, baby born this year
  let other: string[];
  let me: string;
  let wife: string;
  let stranger: string;
  let sentRef = '';
  let sentSubmission = '';
  let c: PageClient;
  beforeAll(async () => {
    t = await startTestServer({}, { today: () => TODAY });
    c = pageClient(t);
    family = await c.moveIn(
      moveInFamily({
        persons: [
          person({ birthDate: '1985-05-01' }),
          person({ givenName: '花子', givenNameKana: 'ハナコ', sex: 2, birthDate: '1987-08-15', relationToHead: '妻' }),
          person({ givenName: '翔太', givenNameKana: 'ショウタ', birthDate: '2015-03-03', relationToHead: '子' }),
          person({ givenName: '陽菜', givenNameKana: 'ヒナ', sex: 2, birthDate: '2026-03-01', relationToHead: '子' }),
        ],
      }),
    );
    other = await c.moveIn(moveInFamily({ persons: [person({ familyName: '渡邊', familyNameKana: 'ワタナベ', givenName: '健', givenNameKana: 'ケン' })] }));
    me = await c.session(family[0]!);
    wife = await c.session(family[1]!);
    stranger = await c.session(other[0]!);
  });
  afterAll(async () => t?.close());

  it('finds procedures by words, life event and department, and says what each needs', async () => {
    const all = await c.get('/procedures', '');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('児童手当 認定請求');
    expect(all.body).toContain('href="/life-events/birth"');
    const found = await c.get(`/procedures?q=${encodeURIComponent('じどうてあて')}`, '');
    expect(found.body).toContain('href="/procedures/child-allowance-claim"');
    expect(found.body).not.toContain('href="/procedures/funeral-expenses"');
    expect(found.body).toContain('1件の手続');
    const dept = await c.get('/procedures?department=kodomo', '');
    expect(dept.body).toContain('href="/procedures/child-allowance-claim"');
    const about = await c.get('/procedures/child-allowance-claim', '');
    expect(about.body).toContain('児童手当法第7条');
    expect(about.body).toContain('別居監護申立書');
    expect(about.body).toContain('30日');
    // Not signed in: sign in first and come back to start.
    expect(about.body).toContain(`href="/auth/sign-in?next=${encodeURIComponent('/procedures/child-allowance-claim/start')}"`);
    expect(c.location(await c.get('/procedures/child-allowance-claim/start', ''))).toBe(`/auth/sign-in?next=${encodeURIComponent('/procedures/child-allowance-claim/start')}`);
    const en = await c.get('/procedures?lang=en', '');
    expect(en.body).toContain('Find a procedure');
  });

  let draft = '';

  it('starts a draft with the claimant and the children filled from the records', async () => {
    const noCsrf = await c.post('/procedures/child-allowance-claim/start', me, []);
    expect(noCsrf.statusCode).toBe(403);
    draft = await c.start(me, 'child-allowance-claim');
    const form = await c.get(`/applications/drafts/${draft}`, me);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('町の記録から');
    expect(form.body).toContain('髙橋 一郎');
    expect(form.body).toContain('訂正を申し出る');
    expect(form.body).toContain('enctype="multipart/form-data"');
    // Both children under the age limit, from the household, linked by a hidden id.
    expect(form.body).toContain('1人目：髙橋 翔太');
    expect(form.body).toContain('2人目：髙橋 陽菜');
    expect(form.body).toContain(`type="hidden" name="d:/children/0/personId" value="${family[2]}"`);
    expect(form.body).toContain('この人は申請に含めない');
    expect(form.body).toContain('もう1人追加');
    // Required in words; the spouse's fields say when they apply.
    expect(form.body).toContain('<span class="req">必須</span>');
    expect(form.body).toContain('「いる」を選んだ場合に記入してください。');
    expect(form.body).toMatch(/id="f-contact-phone"[^>]*autocomplete="tel" type="tel"[^>]*inputmode="numeric"/);
    // Another resident cannot see it.
    expect((await c.get(`/applications/drafts/${draft}`, stranger)).statusCode).toBe(404);
  });

  it('saves what was typed even when it is wrong, and names the field in the error summary', async () => {
    const res = await c.complete(me, draft, 'child-allowance-claim', 'review', { 'd:/bankAccount/accountNumber': '12ab', 'd:/bankAccount/bankName': '<b>みどり</b>信金' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain('href="#f-bankAccount-accountNumber"');
    expect(res.body).toContain('「振込先口座（請求者名義）の口座番号」: 7桁の数字で入力してください。');
    expect(res.body).toMatch(/id="f-bankAccount-accountNumber" name="d:\/bankAccount\/accountNumber" aria-describedby="[^"]*f-bankAccount-accountNumber-error" aria-invalid="true"/);
    expect(res.body).toContain('value="12ab"');
    expect(res.body).toContain('value="&lt;b>みどり&lt;/b>信金"');
    expect(((await c.draftData(draft)).bankAccount as FormData).accountNumber).toBe('12ab');
    // The JavaScript autosave gets JSON back.
    const page = await c.get(`/applications/drafts/${draft}`, me);
    const auto = await c.postMultipart(`/applications/drafts/${draft}`, me, withValues([['_csrf', c.csrfOf(page.body)], ...formFields(page.body, `/applications/drafts/${draft}`).filter(([k]) => k !== '_csrf')], { action: 'autosave', 'd:/bankAccount/accountNumber': '1234567' }));
    expect(auto.statusCode).toBe(200);
    expect(auto.json()).toMatchObject({ savedAt: expect.stringMatching(/^\d{2}:\d{2}$/) });
    expect(((await c.draftData(draft)).bankAccount as FormData).accountNumber).toBe('1234567');
  });

  it('adds a blank entry and leaves an entry out, without JavaScript', async () => {
    const page = await c.get(`/applications/drafts/${draft}`, me);
    const fields = formFields(page.body, `/applications/drafts/${draft}`);
    const added = await c.post(`/applications/drafts/${draft}`, me, withValues(fields, { action: 'add:children' }));
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('id="f-children-2"');
    expect(added.body).toContain('保存しました');
    const removed = await c.post(`/applications/drafts/${draft}`, me, withValues(formFields(added.body, `/applications/drafts/${draft}`), { action: 'save', 'remove:/children/1': 'on' }));
    expect(removed.statusCode).toBe(200);
    expect(((await c.draftData(draft)).children as FormData[]).map((x) => x.personId)).toEqual([family[2]]);
    // Put the baby back: a fresh draft has both children again.
    await c.post(`/applications/drafts/${draft}/discard`, me, [['_csrf', c.csrfOf(removed.body)]]);
    draft = await c.start(me, 'child-allowance-claim');
    expect(((await c.draftData(draft)).children as FormData[]).length).toBe(2);
  });

  it('refuses a file of the wrong type with a clear message and stores nothing; a token is needed first', async () => {
    const page = await c.get(`/applications/drafts/${draft}`, me);
    const fields = formFields(page.body, `/applications/drafts/${draft}`);
    const count = async () => Number((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM applications.attachments WHERE application_id = $1', [draft]))[0]!.n);
    const wrong = await c.postMultipart(`/applications/drafts/${draft}`, me, withValues(fields, { action: 'upload:custodyStatement' }), [{ name: 'file:custodyStatement', filename: 'note.txt', content: Buffer.from('just text') }]);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('「別居監護申立書」に添付できるのは PDF・JPEG・PNG のファイルです。');
    expect(wrong.body).toContain('href="#a-custodyStatement"');
    expect(await count()).toBe(0);
    const noToken = await c.postMultipart(`/applications/drafts/${draft}`, me, fields.filter(([k]) => k !== '_csrf'), [{ name: 'file:custodyStatement', filename: 'a.pdf', content: SAMPLE_FILES['application/pdf'] }]);
    expect(noToken.statusCode).toBe(403);
    // The token must come before any file: a file posted ahead of it is refused unread.
    const late = multipart(withValues(fields, { action: 'upload:custodyStatement' }), [{ name: 'file:custodyStatement', filename: 'a.pdf', content: SAMPLE_FILES['application/pdf'] }], true);
    const tokenAfterFile = await c.inject({ method: 'POST', url: `/applications/drafts/${draft}`, headers: { ...html, cookie: me, 'content-type': late.contentType }, payload: late.payload });
    expect(tokenAfterFile.statusCode).toBe(403);
    expect(await count()).toBe(0);
    const good = await c.postMultipart(`/applications/drafts/${draft}`, me, withValues(fields, { action: 'upload:custodyStatement' }), [{ name: 'file:custodyStatement', filename: 'custody.pdf', content: SAMPLE_FILES['application/pdf'] }]);
    expect(good.statusCode).toBe(200);
    expect(good.body).toContain('「custody.pdf」を添付しました。');
    expect(await count()).toBe(1);
  });

  it('reviews everything on one page, with markup shown as text, and sends once for a double click', async () => {
    const toReview = await c.complete(me, draft, 'child-allowance-claim', 'review', {
      'd:/bankAccount/bankName': '<script>alert(1)</script>みどり信金',
      'corrections[/claimant/address]': '<b>方書</b>が抜けています: 101号室',
    });
    expect(c.location(toReview)).toBe(`/applications/drafts/${draft}/review`);
    const review = await c.get(`/applications/drafts/${draft}/review`, me);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('&lt;script>alert(1)&lt;/script>みどり信金');
    expect(review.body).not.toContain('<script>alert(1)');
    expect(review.body).toContain('&lt;b>方書&lt;/b>が抜けています');
    expect(review.body).toContain('町の記録から');
    expect(review.body).toContain('custody.pdf');
    expect(review.body).toContain(`href="/applications/drafts/${draft}#f-bankAccount"`);
    const send = formFields(review.body, `/applications/drafts/${draft}/submit`);
    expect(send.find(([k]) => k === 'idempotencyKey')?.[1]).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const first = await c.post(`/applications/drafts/${draft}/submit`, me, send);
    const again = await c.post(`/applications/drafts/${draft}/submit`, me, send);
    const to = c.location(first);
    expect(c.location(again)).toBe(to);
    expect(to).toMatch(/^\/me\/applications\/[0-9a-f-]{36}\?sent=1$/);
    sentSubmission = to.split('/').pop()!.split('?')[0]!;
    const rows = await t.db.query<{ reference: string }>("SELECT reference FROM applications.applications WHERE procedure_code = 'child-allowance-claim' AND status = 'submitted'");
    expect(rows).toHaveLength(1);
    sentRef = rows[0]!.reference;
  });

  it('shows the receipt with the reference, the status, the due date in 和暦 and the PDF; only to the household', async () => {
    const page = await c.get(`/me/applications/${sentSubmission}?sent=1`, me);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('申請を受け付けました');
    expect(page.body).toContain(sentRef.slice(0, 11));
    expect(page.body).toMatch(/<a href="\/me\/cases\/[0-9a-f-]{36}">受け付けました<\/a>/);
    expect(page.body).toContain('令和8年（2026年）12月22日');
    expect(page.body).toContain(`href="/me/applications/${sentSubmission}/receipt.pdf"`);
    const pdf = await c.inject({ method: 'GET', url: `/me/applications/${sentSubmission}/receipt.pdf`, headers: { cookie: me } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    for (const url of [`/me/applications/${sentSubmission}`, `/me/applications/${sentSubmission}/receipt.pdf`]) {
      expect((await c.get(url, stranger)).statusCode).toBe(404);
    }
    const list = await c.get('/me/applications', me);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(sentRef);
    expect(list.body).toMatch(/<a href="\/me\/cases\/[0-9a-f-]{36}">受け付けました<\/a>/);
    expect(list.body).toContain(`href="/me/applications/${sentSubmission}"`);
    expect((await c.get('/me/applications', stranger)).body).not.toContain(sentRef);
  });

  it('explains a refusal against the town’s records on the review page, and refuses someone outside the household', async () => {
    const id = await c.start(me, 'child-allowance-claim');
    // A child typed in as living together, who is not in the household.
    const sent = await c.complete(me, id, 'child-allowance-claim', 'review', {
      'd:/children/2/fullName': 'テスト 太郎',
      'd:/children/2/fullNameKana': 'テスト タロウ',
      'd:/children/2/birthDate': '2016-01-01',
      'd:/children/2/relation': '子',
    });
    expect(c.location(sent)).toBe(`/applications/drafts/${id}/review`);
    const review = await c.get(`/applications/drafts/${id}/review`, me);
    const refused = await c.post(`/applications/drafts/${id}/submit`, me, formFields(review.body, `/applications/drafts/${id}/submit`));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('町の記録と照らして、このままでは受け付けられません');
    expect(refused.body).toContain('同居として記入された方が、住民記録で申請者と同じ世帯にいません。');
    expect(refused.body).toContain(`href="/applications/drafts/${id}#f-children-2"`);
    // Still a draft: nothing was sent.
    expect((await t.db.query<{ status: string }>('SELECT status FROM applications.applications WHERE id = $1', [id]))[0]!.status).toBe('draft');
    const page = await c.get('/procedures/child-medical-subsidy/start', me);
    expect(page.body).toContain('どなたについての申請ですか');
    expect(page.body).toContain('髙橋 陽菜（世帯主の子）');
    expect(page.body).not.toContain('渡邊');
    const outside = await c.post('/procedures/child-medical-subsidy/start', me, [['_csrf', c.csrfOf(page.body)], ['subjectId', other[0]!]]);
    expect(outside.statusCode).toBe(403);
  });

  it('opens the 出生 life event without JavaScript and sends its procedures under one receipt', async () => {
    const event = await c.get('/life-events/birth', wife);
    expect(event.statusCode).toBe(200);
    const fields = formFields(event.body, '/life-events/birth');
    // The usual ones ticked, the optional nursery not; the baby chosen for the child procedures.
    expect(fields.filter(([k]) => k === 'procedures').map(([, v]) => v)).toEqual(['child-allowance-claim', 'child-medical-subsidy', 'newborn-visit-notice']);
    expect(fields).toContainEqual(['subject:child-medical-subsidy', family[3]!]);
    expect(fields).toContainEqual(['subject:newborn-visit-notice', family[3]!]);
    const none = await c.post('/life-events/birth', wife, fields.filter(([k]) => k !== 'procedures'));
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('申請する手続を1つ以上選んでください。');
    const hubUrl = c.location(await c.post('/life-events/birth', wife, fields));
    expect(hubUrl).toMatch(/^\/applications\/bundles\/[0-9a-f-]{36}$/);
    const hub = await c.get(hubUrl, wife);
    expect(hub.body).toContain('未入力');
    const ids = [...hub.body.matchAll(/<a href="\/applications\/drafts\/([0-9a-f-]{36})">/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(3);
    // Not complete yet: the combined review sends them back to the hub.
    expect(c.location(await c.get(`${hubUrl}/review`, wife))).toBe(`${hubUrl}?check=1`);
    // Listed in the life event's order.
    const codes = await t.db.query<{ id: string; procedure_code: string }>('SELECT id, procedure_code FROM applications.applications WHERE id = ANY($1::uuid[])', [ids]);
    const codeOf = (id: string) => codes.find((c) => c.id === id)!.procedure_code;
    expect(ids.map(codeOf)).toEqual(['child-allowance-claim', 'child-medical-subsidy', 'newborn-visit-notice']);
    for (const id of ids) {
      const res = await c.complete(wife, id, codeOf(id));
      expect(c.location(res)).toBe(hubUrl);
    }
    expect((await c.get(hubUrl, wife)).body).toContain('入力済み');
    const review = await c.get(`${hubUrl}/review`, wife);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('3件の手続をまとめて送信します');
    expect(review.body).toContain('髙橋 陽菜');
    const done = c.location(await c.post(`${hubUrl}/submit`, wife, formFields(review.body, `${hubUrl}/submit`)));
    const receipt = await c.get(done, wife);
    expect(receipt.statusCode).toBe(200);
    const refs = [...receipt.body.matchAll(/<dd>(\d{4}-\d{6}-0\d)<\/dd>/g)].map((m) => m[1]);
    expect(refs).toHaveLength(3);
    expect(new Set(refs.map((r) => r!.slice(0, 11))).size).toBe(1);
    expect(receipt.body).toContain('子どもが生まれたとき');
    // The same again for the same child is refused with a link to the open one.
    const dup = await c.start(me, 'child-medical-subsidy', family[3]);
    await c.complete(me, dup, 'child-medical-subsidy');
    const dupReview = await c.get(`/applications/drafts/${dup}/review`, me);
    const refused = await c.post(`/applications/drafts/${dup}/submit`, me, formFields(dupReview.body, `/applications/drafts/${dup}/submit`));
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('同じ申請を受付中です');
    expect(refused.body).toMatch(/href="\/me\/applications\/[0-9a-f-]{36}"/);
  });

  /** An officer (担当) of a department, working on application review: the departmental inbox is the cases module's. */
  async function officerOf(department: string): Promise<string> {
    const cookie = await t.staffCookie({ login: `tanto-${department}`, roles: ['case-officer'], purpose: 'application-review' });
    await t.server.cases.setPositions(t.db, (await t.server.access.findStaffId(`tanto-${department}`))!, [{ department, position: 'officer' }]);
    return cookie;
  }

  it('lists the applications as cases in the department inbox with the applicant, and shows one with its correction', async () => {
    const officer = await officerOf('kodomo');
    // The old inbox address leads to the cases inbox with its filters; a counter clerk goes to keying in.
    expect(c.location(await c.get('/staff/applications', officer))).toBe('/staff/cases');
    const to = c.location(await c.get('/staff/applications?department=kodomo&channel=online&after=x', officer));
    expect(to).toBe('/staff/cases?department=kodomo&channel=online');
    const clerk = await t.staffCookie({ login: 'clerk', roles: ['counter-clerk'], purpose: 'counter-service' });
    expect(c.location(await c.get('/staff/applications', clerk))).toBe('/staff/applications/new');
    const inbox = await c.get('/staff/cases', officer);
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(sentRef);
    expect(inbox.body).toContain('髙橋 一郎');
    expect(inbox.body).toContain('オンライン');
    const filtered = await c.get(to, officer);
    expect(filtered.body).toContain(sentRef);
    expect((await c.get('/staff/cases?channel=paper', officer)).body).not.toContain(sentRef);
    const id = (await t.db.query<{ id: string }>('SELECT id FROM applications.applications WHERE reference = $1', [sentRef]))[0]!.id;
    const one = await c.get(`/staff/applications/${id}`, clerk);
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('class="correction"');
    expect(one.body).toContain('&lt;b>方書&lt;/b>');
    expect(one.body).toMatch(new RegExp(`href="/api/v1/applications/${id}/attachments/[0-9a-f-]{36}"`));
    expect(one.body).not.toContain('/staff/cases/by-application/');
    // An officer goes from the application to its case.
    const forOfficer = await c.get(`/staff/applications/${id}`, officer);
    expect(forOfficer.body).toContain(`href="/staff/cases/by-application/${id}"`);
    expect(c.location(await c.get(`/staff/cases/by-application/${id}`, officer))).toMatch(/^\/staff\/cases\/[0-9a-f-]{36}$/);
    const audit = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit.entries WHERE action = 'person.read-names' AND actor_type = 'staff'");
    expect(audit[0]!.n).toBeGreaterThan(0);
    // Not for an auditor.
    const auditor = await t.staffCookie({ login: 'auditor', roles: ['auditor'], purpose: 'audit' });
    expect((await c.get('/staff/applications', auditor)).statusCode).toBe(403);
  });

  it('keys in a paper form for a registered applicant, with the same form', async () => {
    const clerk = await t.staffCookie({ login: 'clerk', roles: ['counter-clerk'], purpose: 'counter-service' });
    const page = await c.get('/staff/applications/new', clerk);
    expect(page.statusCode).toBe(200);
    const bad = await c.post('/staff/applications/new', clerk, [['_csrf', c.csrfOf(page.body)], ['procedure', 'care-burden-certificate-reissue'], ['applicantId', 'nobody']]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#applicantId"');
    const to = c.location(await c.post('/staff/applications/new', clerk, [['_csrf', c.csrfOf(page.body)], ['procedure', 'care-burden-certificate-reissue'], ['applicantId', other[0]!]]));
    const id = to.split('/').pop()!;
    const form = await c.get(to, clerk);
    expect(form.body).toContain('渡邊 健');
    expect(c.location(await c.complete(clerk, id, 'care-burden-certificate-reissue'))).toBe(`/applications/drafts/${id}/review`);
    const review = await c.get(`/applications/drafts/${id}/review`, clerk);
    const sent = c.location(await c.post(`/applications/drafts/${id}/submit`, clerk, formFields(review.body, `/applications/drafts/${id}/submit`)));
    expect(sent).toMatch(/^\/staff\/applications\/submissions\/[0-9a-f-]{36}\?sent=1$/);
    expect(c.location(await c.get(sent, clerk))).toBe(`/staff/applications/${id}?sent=1`);
    const shown = await c.get(`/staff/applications/${id}?sent=1`, clerk);
    expect(shown.body).toContain('受け付けました');
    const [row] = await t.db.query<{ channel: string; applicant_person_id: string; keyed_by: string | null }>('SELECT channel, applicant_person_id, keyed_by FROM applications.applications WHERE id = $1', [id]);
    expect(row).toMatchObject({ channel: 'paper', applicant_person_id: other[0] });
    expect(row!.keyed_by).toBeTruthy();
    // The keyed-in form is a case in its department's inbox, as a paper application.
    const [{ reference }] = (await t.db.query<{ reference: string }>('SELECT reference FROM applications.applications WHERE id = $1', [id])) as [{ reference: string }];
    const inbox = await c.get('/staff/cases?channel=paper', await officerOf('kaigo'));
    expect(inbox.body).toContain(reference);
    expect(inbox.body).toContain('渡邊 健');
  });

  it('reads in Japanese, やさしい日本語 and English with no message key left untranslated', async () => {
    const clerk = await t.staffCookie({ login: 'clerk', roles: ['counter-clerk'], purpose: 'counter-service' });
    const draftId = await c.start(wife, 'childcare-facility-application', family[3]);
    const appId = (await t.db.query<{ id: string }>('SELECT id FROM applications.applications WHERE reference = $1', [sentRef]))[0]!.id;
    const pages: [string, string][] = [
      ['/procedures', ''],
      ['/procedures/child-allowance-claim', me],
      ['/procedures/residence-certificate-request/start', me],
      ['/life-events/birth', me],
      ['/life-events/death', ''],
      [`/applications/drafts/${draftId}?check=1`, wife],
      [`/me/applications/${sentSubmission}`, me],
      ['/me/applications', me],
      [`/staff/applications/${appId}`, clerk],
      [`/staff/applications/${appId}`, await officerOf('kodomo')],
      ['/staff/applications/new', clerk],
    ];
    for (const lang of ['ja', 'ja-easy', 'en']) {
      for (const [url, cookie] of pages) {
        const res = await c.get(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}`, cookie);
        expect(res.statusCode, `${url} ${lang}`).toBeLessThan(400 + (url.includes('check=1') ? 1 : 0));
        expect(res.body, `${url} ${lang}`).not.toMatch(/applications\.[a-z]+\.[A-Za-z.-]+|purpose\.[a-z-]+<|staff\.purpose/);
      }
    }
  });

  it('takes a procedure without sign-in in this browser only, and gives a secret status page', async () => {
    const about = await c.get('/procedures/move-in-visit-notice', '');
    const res = await c.post('/procedures/move-in-visit-notice/start', cookieHeader(about.headers['set-cookie']), [['_csrf', c.csrfOf(about.body)]]);
    const cookie = cookieHeader(res.headers['set-cookie'], cookieHeader(about.headers['set-cookie']));
    expect(cookie).toContain('yk_anon=');
    const id = c.location(res).split('/').pop()!;
    expect((await c.get(`/applications/drafts/${id}`, cookie)).statusCode).toBe(200);
    expect((await c.get(`/applications/drafts/${id}`, cookieHeader(about.headers['set-cookie']))).statusCode).toBe(404);
    expect(c.location(await c.complete(cookie, id, 'move-in-visit-notice'))).toBe(`/applications/drafts/${id}/review`);
    const review = await c.get(`/applications/drafts/${id}/review`, cookie);
    const send = formFields(review.body, `/applications/drafts/${id}/submit`);
    const first = await c.post(`/applications/drafts/${id}/submit`, cookie, send);
    const status = c.location(first);
    expect(status).toMatch(/^\/applications\/status\/[0-9a-f-]{72}\?sent=1$/);
    // A second click lands on the same page (the browser remembers it for a day).
    const withStatus = cookieHeader(first.headers['set-cookie'], cookie);
    expect(c.location(await c.post(`/applications/drafts/${id}/submit`, withStatus, send))).toBe(status.replace('?sent=1', ''));
    const page = await c.get(status, '');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('ブックマーク');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const pdf = await c.inject({ method: 'GET', url: `${status.split('?')[0]}/receipt.pdf` });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((await c.get(`/applications/status/${'0'.repeat(72)}`, '')).statusCode).toBe(404);
  });
});
