/**
 * Online applications over HTTP on a real database: the once-only pre-fill, submission with
 * the register's checks, and every refusal with its problem document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { moveInFamily, person } from '../registry/testing.js';
import { sampleData, SAMPLE_FILES } from './testing.js';
import type { FormData } from './form.js';

type Res = Awaited<ReturnType<TestServer['inject']>>;

describe('applications API', () => {
  let t: TestServer;
  let core: string;
  let family: string[]; // head (claimant), wife, son 11, daughter 19
  let other: string[];
  let elderly: string[];
  let me: Record<string, string>;
  let wife: Record<string, string>;
  let stranger: Record<string, string>;
  let key = 0;
  const inject = (o: InjectOptions) => t.inject(o);
  const count = async (sql: string) => Number((await t.db.query<{ n: number }>(sql))[0]?.n);
  const problem = (res: Res, status: number, detail: RegExp) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    const body = res.json() as { detail: string; errors?: { field: string; message: string }[]; [k: string]: unknown };
    expect(body.detail).toMatch(detail);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    return body;
  };
  const prefill = async (code: string, headers: Record<string, string>, subjectId?: string) => {
    const res = await inject({ method: 'GET', url: `/api/v1/procedures/${code}/prefill${subjectId ? `?subjectId=${subjectId}` : ''}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { data: FormData; prefilled: string[]; actingAs: string };
  };
  const definition = async (code: string) => ((await inject({ method: 'GET', url: `/api/v1/procedures/${code}` })).json() as { definition: never }).definition;
  const submit = (headers: Record<string, string>, body: unknown, idem: string | null = `k-${(key += 1)}-${Date.now()}`) =>
    inject({ method: 'POST', url: '/api/v1/applications', headers: { ...headers, ...(idem ? { 'idempotency-key': idem } : {}) }, payload: body as object });
  const moveIn = async (c: ReturnType<typeof moveInFamily>) => {
    const res = await inject({ method: 'POST', url: '/api/v1/registry/changes', headers: { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' }, payload: c });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { personIds: string[] }).personIds;
  };
  const childClaim = async (headers = me, over: (d: FormData) => void = () => {}) => {
    const { data } = await prefill('child-allowance-claim', headers);
    const full = sampleData(await definition('child-allowance-claim'), data);
    (full.contact as FormData).email = 'resident@example.jp';
    over(full);
    return { procedure: 'child-allowance-claim', data: full };
  };

  beforeAll(async () => {
    t = await startTestServer({}, { today: () => '2026-11-22' });
    core = await t.tokenFor({ id: 'core-jukiki', purposes: ['registry-maintenance'] });
    family = await moveIn(
      moveInFamily({
        persons: [
          person(),
          person({ givenName: '花子', givenNameKana: 'ハナコ', sex: 2, birthDate: '1962-08-15', relationToHead: '妻' }),
          person({ givenName: '翔太', givenNameKana: 'ショウタ', birthDate: '2015-03-03', relationToHead: '子' }),
          person({ givenName: '結衣', givenNameKana: 'ユイ', sex: 2, birthDate: '2007-06-10', relationToHead: '子' }),
        ],
      }),
    );
    other = await moveIn(moveInFamily({ persons: [person({ familyName: '渡邊', familyNameKana: 'ワタナベ', givenName: '健', givenNameKana: 'ケン' })] }));
    elderly = await moveIn(moveInFamily({ persons: [person({ familyName: '﨑山', familyNameKana: 'サキヤマ', givenName: 'トメ', givenNameKana: 'トメ', sex: 2, birthDate: '1938-01-20' })] }));
    me = (await t.residentSession(family[0]!)).headers;
    wife = (await t.residentSession(family[1]!)).headers;
    stranger = (await t.residentSession(other[0]!)).headers;
  });
  afterAll(async () => t?.close());

  it('lists the procedures, finds them by words and life event, and gives each definition with its JSON Schema', async () => {
    const all = (await inject({ method: 'GET', url: '/api/v1/procedures' })).json() as { items: { code: string }[]; lifeEvents: { code: string }[] };
    const codes = all.items.map((i) => i.code);
    for (const c of ['child-allowance-claim', 'pregnancy-notification', 'childcare-facility-application', 'long-term-care-certification', 'care-burden-certificate-reissue', 'disaster-certificate', 'residence-certificate-request', 'move-in-visit-notice']) {
      expect(codes).toContain(c);
    }
    expect(all.lifeEvents.map((e) => e.code).sort()).toEqual(['birth', 'death', 'disaster', 'move-in']);
    const birth = (await inject({ method: 'GET', url: '/api/v1/procedures?lifeEvent=birth' })).json() as { items: { code: string }[] };
    expect(birth.items.map((i) => i.code)).toContain('child-allowance-claim');
    const words = (await inject({ method: 'GET', url: `/api/v1/procedures?q=${encodeURIComponent('じどうてあて')}` })).json() as { items: { code: string }[] };
    expect(words.items.map((i) => i.code)).toEqual(['child-allowance-claim']);
    const one = (await inject({ method: 'GET', url: '/api/v1/procedures/child-allowance-claim' })).json() as { definition: { code: string }; schema: { properties: Record<string, unknown> } };
    expect(one.definition.code).toBe('child-allowance-claim');
    expect(Object.keys(one.schema.properties)).toContain('children');
    problem(await inject({ method: 'GET', url: '/api/v1/procedures/no-such-thing' }), 404, /procedure no-such-thing was not found/);
  });

  it('pre-fills what the town knows: the claimant and the children under the age limit, not the 19-year-old', async () => {
    const { data, prefilled, actingAs } = await prefill('child-allowance-claim', me);
    expect(actingAs).toBe('self');
    expect((data.claimant as FormData).fullName).toBe('髙橋 一郎');
    const children = data.children as FormData[];
    expect(children.map((c) => c.fullName)).toEqual(['髙橋 翔太']);
    expect(children[0]!.personId).toBe(family[2]);
    expect((data.olderChildren as FormData[]).map((c) => c.fullName)).toEqual(['髙橋 結衣']);
    expect(prefilled).toEqual(expect.arrayContaining(['/claimant/fullName', '/claimant/birthDate', '/children/0/birthDate']));
    const audit = await t.db.query<{ purpose: string; subject_ids: string[] }>("SELECT purpose, subject_ids FROM audit.entries WHERE action = 'person.read-for-application' ORDER BY seq DESC LIMIT 1");
    expect(audit[0]!.purpose).toBe('application-intake');
    expect(audit[0]!.subject_ids).toEqual(expect.arrayContaining(family));
  });

  it('submits once: reference, the register’s values kept over edited ones, corrections flagged, event, audit and receipt mail', async () => {
    const body = await childClaim(me, (d) => {
      (d.claimant as FormData).fullName = '別人 太郎'; // edited in the browser: the register wins
      d.pension = 'kosei';
    });
    const sent = { ...body, corrections: [{ field: '/claimant/address', note: '<b>方書</b>が抜けています: 101号室' }] };
    const res = await submit(me, sent, 'double-click-1');
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json() as { id: string; reference: string; receipt: string; applications: { id: string; reference: string; data: FormData; corrections: { note: string }[]; actingAs: string; dueDate: string }[] };
    expect(s.reference).toMatch(/^\d{4}-\d{6}$/);
    const app = s.applications[0]!;
    expect(app.reference).toBe(`${s.reference}-01`);
    expect((app.data.claimant as FormData).fullName).toBe('髙橋 一郎');
    expect(app.corrections[0]!.note).toBe('<b>方書</b>が抜けています: 101号室'); // kept as text
    expect(app.actingAs).toBe('self');
    expect(app.dueDate).toBe('2026-12-22');
    expect(await count(`SELECT count(*)::int AS n FROM outbox.events WHERE type = 'application.submitted' AND payload->>'applicationId' = '${app.id}'`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM audit.entries WHERE action = 'application.submit' AND '${family[0]}' = ANY(subject_ids)`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM platform.mail_queue WHERE ref = '${s.reference}'`)).toBe(1);
    // The same key and body: the original answer, no second application.
    const again = await submit(me, sent, 'double-click-1');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((again.json() as { id: string }).id).toBe(s.id);
    // The same key, another body: refused.
    problem(await submit(me, { ...sent, corrections: [] }, 'double-click-1'), 409, /Idempotency-Key was already used/);
    // Another key, the same procedure for the same person while it is open: refused with a link.
    const dup = problem(await submit(me, sent), 409, /still open/);
    expect(dup.openApplication).toMatchObject({ id: app.id, reference: app.reference, href: `/api/v1/applications/${app.id}` });
    expect(await count(`SELECT count(*)::int AS n FROM applications.applications WHERE procedure_code = 'child-allowance-claim'`)).toBe(1);
    const pdf = await inject({ method: 'GET', url: s.receipt, headers: me });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('concurrent retries with one Idempotency-Key make one application', async () => {
    const body = { procedure: 'residence-certificate-request', data: sampleData(await definition('residence-certificate-request'), (await prefill('residence-certificate-request', wife)).data) };
    const answers = await Promise.all([1, 2, 3, 4].map(() => submit(wife, body, 'retry-storm')));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(answers.map((a) => (a.json() as { id: string }).id)).size).toBe(1);
  });

  it('names each field in plain Japanese when the form is incomplete, and saves nothing', async () => {
    const before = await count('SELECT count(*)::int AS n FROM applications.applications');
    const body = await childClaim(stranger, (d) => {
      delete d.pension;
      (d.bankAccount as FormData).accountNumber = '12ab';
      (d.contact as FormData).phone = '電話';
    });
    const p = problem(await submit(stranger, body), 400, /4 problem/);
    const fields = p.errors!.map((e) => e.field);
    // In form order; this resident has no children to claim for.
    expect(fields).toEqual(['data/pension', 'data/children', 'data/bankAccount/accountNumber', 'data/contact/phone']);
    expect(p.errors![0]!.message).toBe('「請求者が加入している年金」: 選んでください。');
    expect(p.errors![2]!.message).toBe('「振込先口座（請求者名義）の口座番号」: 7桁の数字で入力してください。');
    const en = problem(await submit({ ...stranger, 'accept-language': 'en' }, body), 400, /problem/);
    expect(en.errors![0]!.message).toMatch(/^“.+”: choose one\.$/);
    problem(await submit(stranger, { ...body, data: { ...body.data, surprise: 1 } }), 400, /problem/);
    problem(await submit(stranger, { ...body, data: { ...body.data, children: [null] } }), 400, /problem/);
    const deep = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`;
    const raw = JSON.stringify({ ...body, data: { ...body.data, deep: 0 } }).replace('"deep":0', `"deep":${deep}`);
    const nested = await inject({ method: 'POST', url: '/api/v1/applications', headers: { ...stranger, 'content-type': 'application/json', 'idempotency-key': 'deep-nesting-1' }, payload: raw });
    problem(nested, 400, /nests deeper/);
    // A correction may be flagged only on a field the town filled in.
    const p2 = problem(await submit(stranger, { ...body, data: { ...body.data, pension: 'kosei' }, corrections: [{ field: '/pension', note: '違います' }] }), 400, /town’s records/);
    expect(p2.errors![0]!.field).toBe('corrections/pension');
    expect(await count('SELECT count(*)::int AS n FROM applications.applications')).toBe(before);
  });

  it('checks eligibility against the register: a child not in the household, a child over the limit (422)', async () => {
    const notHere = await childClaim(stranger, (d) => {
      d.children = [{ fullName: '知らない 子', fullNameKana: 'シラナイ コ', birthDate: '2016-01-01', relation: (d.children as FormData[] | undefined)?.[0]?.relation ?? '子', livingApart: false }];
    });
    const p1 = problem(await submit(stranger, notHere), 422, /does not meet/);
    expect(p1.errors![0]).toMatchObject({ field: 'data/children/0' });
    expect(p1.errors![0]!.message).toMatch(/同じ世帯にいません/);
    expect(p1.rules).toEqual(['not-in-household']);
    // Living apart (別居監護) is allowed without a household link.
    const apart = await childClaim(stranger, (d) => {
      d.children = [{ fullName: '別居 子', fullNameKana: 'ベッキョ コ', birthDate: '2016-01-01', relation: '子', livingApart: true, address: '東京都千代田区1-1' }];
    });
    const ok = await submit(stranger, apart);
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('refuses acting for someone the resident may not act for (403) and asks for sign-in (401)', async () => {
    const code = 'long-term-care-certification';
    problem(await inject({ method: 'GET', url: `/api/v1/procedures/${code}/prefill?subjectId=${elderly[0]}`, headers: me }), 403, /may not apply for this person/);
    problem(await submit(me, { procedure: code, subjectId: elderly[0], data: {} }), 403, /may not apply for this person/);
    // A procedure only the person themself may claim, for the spouse.
    problem(await submit(me, { procedure: 'child-allowance-claim', subjectId: family[1], data: {} }), 403, /cannot be applied for as household/);
    problem(await inject({ method: 'POST', url: '/api/v1/applications', payload: { procedure: 'child-allowance-claim', data: {} } }), 401, /sign in/);
    problem(await submit(me, { procedure: 'no-such-procedure', data: {} }), 404, /procedure no-such-procedure/);
  });

  it('a registered agent applies for the person they act for; the relation is recorded', async () => {
    const staff = await t.staffCookie({ login: 'madoguchi-agents', roles: ['counter-clerk'], purpose: 'counter-service' });
    const page = await inject({ method: 'GET', url: '/staff/purpose', headers: { cookie: staff } });
    const staffHeaders = { cookie: staff, 'x-csrf-token': /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
    const register = (body: object, headers: Record<string, string> = staffHeaders) => inject({ method: 'POST', url: '/api/v1/agents', headers, payload: body });
    problem(await register({ principalId: elderly[0], agentId: elderly[0], kind: 'relative', validFrom: '2026-01-01' }), 422, /own agent/);
    problem(await register({ principalId: elderly[0], agentId: other[0], kind: 'relative', validFrom: '2026-01-01' }, stranger), 403, /not open to resident/);
    problem(await register({ principalId: elderly[0], agentId: other[0], kind: 'friend', validFrom: '2026-01-01' }), 400, /kind/);
    expect((await register({ principalId: elderly[0], agentId: other[0], kind: 'relative', validFrom: '2026-01-01' })).statusCode).toBe(201);
    expect(await count(`SELECT count(*)::int AS n FROM audit.entries WHERE action = 'agent.register'`)).toBe(1);
    const code = 'long-term-care-certification';
    const pre = await prefill(code, stranger, elderly[0]);
    expect(pre.actingAs).toBe('agent');
    // The agent is registered for this person alone: no household comes with the form.
    const certificate = await prefill('residence-certificate-request', stranger, elderly[0]);
    const linked = [...JSON.stringify(certificate.data).matchAll(/"personId":"([^"]+)"/g)].map((m) => m[1]);
    expect(linked).toEqual([elderly[0]]);
    const data = sampleData(await definition(code), pre.data);
    const res = await submit(stranger, {
      procedure: code,
      subjectId: elderly[0],
      data,
      attachments: [
        { slot: 'insuranceCard', filename: '保険証.png', content: SAMPLE_FILES['image/png'].toString('base64') },
        { slot: 'eligibilityCertificate', filename: 'a.pdf', content: SAMPLE_FILES['application/pdf'].toString('base64') },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const app = (res.json() as { applications: { id: string; actingAs: string; subjectId: string; attachments: { slot: string; contentType: string }[] }[] }).applications[0]!;
    expect(app).toMatchObject({ actingAs: 'agent', subjectId: elderly[0] });
    expect(app.attachments.map((a) => a.contentType).sort()).toEqual(['application/pdf', 'image/png']);
    const file = await inject({ method: 'GET', url: `/api/v1/applications/${app.id}/attachments/${(res.json() as { applications: { attachments: { id: string }[] }[] }).applications[0]!.attachments[0]!.id}`, headers: stranger });
    expect(file.statusCode).toBe(200);
  });

  it('refuses attachments of the wrong type or size before anything is stored', async () => {
    const code = 'disaster-certificate';
    const def = await definition(code);
    const data = sampleData(def, (await prefill(code, wife)).data);
    const slot = (def as { attachments: { id: string; maxBytes: number }[] }).attachments[0]!;
    const before = await count('SELECT count(*)::int AS n FROM applications.attachments');
    const html = Buffer.from('<html><script>alert(1)</script></html>').toString('base64');
    const p = problem(await submit(wife, { procedure: code, data, attachments: [{ slot: slot.id, filename: 'photo.jpg', content: html }] }), 400, /attachments/);
    expect(p.errors![0]!.field).toBe(`attachments/${slot.id}`);
    const big = Buffer.alloc(slot.maxBytes + 1, 0x20);
    SAMPLE_FILES['image/jpeg'].copy(big);
    problem(await submit(wife, { procedure: code, data, attachments: [{ slot: slot.id, filename: 'big.jpg', content: big.toString('base64') }] }), 400, /attachments/);
    problem(await submit(wife, { procedure: code, data, attachments: [{ slot: slot.id, filename: 'x.jpg', content: '***' }] }), 400, /base64/);
    expect(await count('SELECT count(*)::int AS n FROM applications.attachments')).toBe(before);
  });

  it('lets the applicant and their household read an application, and no one else (404)', async () => {
    const mine = (await inject({ method: 'GET', url: '/api/v1/me/applications', headers: me })).json() as { items: { id: string; procedure: { code: string } }[] };
    const claim = mine.items.find((i) => i.procedure.code === 'child-allowance-claim')!;
    expect((await inject({ method: 'GET', url: `/api/v1/applications/${claim.id}`, headers: me })).statusCode).toBe(200);
    expect((await inject({ method: 'GET', url: `/api/v1/applications/${claim.id}`, headers: wife })).statusCode).toBe(200);
    problem(await inject({ method: 'GET', url: `/api/v1/applications/${claim.id}`, headers: stranger }), 404, /was not found/);
    const wifeList = (await inject({ method: 'GET', url: '/api/v1/me/applications', headers: wife })).json() as { items: { id: string }[] };
    expect(wifeList.items.map((i) => i.id)).toContain(claim.id);
    const staff = await t.staffCookie({ login: 'shinsa-test', roles: ['case-officer'], purpose: 'application-review' });
    const csrf = (await t.residentSession(family[0]!)).csrf; // any page's token is not needed for GET
    expect(csrf).toBeTruthy();
    const asStaff = await inject({ method: 'GET', url: `/api/v1/applications/${claim.id}`, headers: { cookie: staff } });
    expect(asStaff.statusCode, asStaff.body).toBe(200);
    const inbox = (await inject({ method: 'GET', url: '/api/v1/applications?department=kodomo', headers: { cookie: staff } })).json() as { items: { id: string }[] };
    expect(inbox.items.map((i) => i.id)).toContain(claim.id);
    // Paging: one at a time, newest first, every application once.
    const seen: string[] = [];
    let after = '';
    for (;;) {
      const page = (await inject({ method: 'GET', url: `/api/v1/applications?limit=1${after ? `&after=${after}` : ''}`, headers: { cookie: staff } })).json() as { items: { id: string; reference: string }[]; next: string | null };
      seen.push(...page.items.map((i) => i.reference));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual([...seen].sort().reverse());
    expect(seen.length).toBe(await count(`SELECT count(*)::int AS n FROM applications.applications WHERE status <> 'draft'`));
    expect(await count(`SELECT count(*)::int AS n FROM audit.entries WHERE action = 'application.read' AND purpose = 'application-review'`)).toBeGreaterThan(0);
  });

  it('submits a life event’s procedures under one receipt, or none of them', async () => {
    const c = await moveIn(
      moveInFamily({
        effectiveDate: '2026-11-10',
        persons: [
          person({ familyName: '邊見', familyNameKana: 'ヘンミ', givenName: '誠', givenNameKana: 'マコト', birthDate: '1990-02-02' }),
          person({ familyName: '邊見', familyNameKana: 'ヘンミ', givenName: '陽菜', givenNameKana: 'ヒナ', sex: 2, birthDate: '2026-11-01', relationToHead: '子' }),
        ],
      }),
    );
    const parent = (await t.residentSession(c[0]!)).headers;
    const item = async (code: string, subjectId?: string) => ({ procedure: code, ...(subjectId ? { subjectId } : {}), data: sampleData(await definition(code), (await prefill(code, parent, subjectId)).data) });
    const claim = await item('child-allowance-claim');
    const medical = await item('child-medical-subsidy', c[1]);
    const visit = await item('newborn-visit-notice', c[1]);
    const before = await count('SELECT count(*)::int AS n FROM applications.submissions');
    // One bad item: nothing of the bundle is written.
    problem(await submit(parent, { lifeEvent: 'birth', applications: [claim, { ...visit, data: {} }] }), 400, /problem/);
    problem(await submit(parent, { lifeEvent: 'death', applications: [claim] }), 400, /not part of the life event death/);
    expect(await count('SELECT count(*)::int AS n FROM applications.submissions')).toBe(before);
    const res = await submit(parent, { lifeEvent: 'birth', applications: [claim, medical, visit] });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json() as { reference: string; lifeEvent: string; applications: { reference: string; procedure: { code: string } }[] };
    expect(s.lifeEvent).toBe('birth');
    expect(s.applications.map((a) => a.reference)).toEqual([`${s.reference}-01`, `${s.reference}-02`, `${s.reference}-03`]);
  });

  it('staff key in a paper application for a named applicant (channel paper)', async () => {
    const staff = await t.staffCookie({ login: 'madoguchi-test', roles: ['counter-clerk'], purpose: 'counter-service' });
    const page = await inject({ method: 'GET', url: '/staff/purpose', headers: { cookie: staff } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const code = 'care-burden-certificate-reissue';
    const data = sampleData(await definition(code), {});
    const res = await submit({ cookie: staff, 'x-csrf-token': csrf }, { procedure: code, applicantId: elderly[0], data });
    expect(res.statusCode, res.body).toBe(201);
    const a = (res.json() as { channel: string; applications: { actingAs: string; data: FormData }[] });
    expect(a.channel).toBe('paper');
    expect(a.applications[0]!.actingAs).toBe('self');
  });

  it('takes the 転入 visit notice without sign-in and gives a status link', async () => {
    const code = 'move-in-visit-notice';
    const data = sampleData(await definition(code), {});
    (data.contact as FormData).email = 'newcomer@example.jp';
    const res = await inject({ method: 'POST', url: '/api/v1/applications', payload: { procedure: code, data } });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json() as { reference: string; statusPage: string; receipt: string };
    expect(s.statusPage).toMatch(/^\/applications\/status\/[0-9a-f-]{72}$/);
    // The receipt mail links to that secret status page, not to a page needing sign-in.
    const mail = await t.db.query<{ body: string }>(`SELECT body FROM platform.mail_queue WHERE ref = '${s.reference}'`);
    expect(mail[0]!.body).toContain(`http://localhost:3000${s.statusPage}`);
  });
});

describe('submitting one draft from two tabs', () => {
  it('makes one application and refuses the other, writing nothing for it', async () => {
    const t = await startTestServer({}, { today: () => '2026-11-22' });
    try {
      const core = await t.tokenFor({ id: 'core', purposes: ['registry-maintenance'] });
      const moved = await t.inject({ method: 'POST', url: '/api/v1/registry/changes', headers: { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' }, payload: moveInFamily() });
      const ids = (moved.json() as { personIds: string[] }).personIds;
      const { startDraft, saveDraft } = await import('./drafts.js');
      const { submitApplications, hashRequest } = await import('./submit.js');
      const { describer } = await import('./words.js');
      const { translator } = await import('../../platform/i18n.js');
      const rt: Parameters<typeof startDraft>[0] = {
        db: t.db, config: t.config, catalog: t.server.applications.catalog, access: t.server.access, registry: t.server.registry,
        today: () => '2026-11-22', demo: () => false, hooks: { submitted: [] },
      };
      const ctx = { principal: { kind: 'resident' as const, id: ids[0]!, name: '', purposes: ['self-service', 'application-intake'], fields: [], demo: false, sessionId: 's', sessionExpires: new Date(Date.now() + 3600_000) }, purpose: 'application-intake', requestId: 'r', sourceIp: '127.0.0.1' };
      const actor = { kind: 'resident' as const, personId: ids[0]!, ctx };
      const p = rt.catalog.procedures.get('residence-certificate-request')!;
      const draft = await startDraft(rt, actor, p.code);
      await saveDraft(rt, actor, draft.row.id, sampleData(p, draft.row.data), []);
      const saved = (await import('./store.js')).findApplication(rt.db, draft.row.id);
      const data = (await saved)!.data;
      const send = (key: string) =>
        submitApplications(rt, actor, {
          items: [{ procedure: p, draftId: draft.row.id, data, corrections: [], files: [] }],
          bundle: null,
          channel: 'online',
          idempotencyKey: key,
          requestHash: hashRequest({ key }),
          describe: describer('ja', translator('ja'), { townName: 'みどり町', publicUrl: 'http://localhost' }),
        });
      const results = await Promise.allSettled([send('tab-one-key'), send('tab-two-key')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as Error).message).toMatch(/already submitted|still open/);
      const n = (sql: string) => t.db.query<{ n: number }>(sql).then((r) => Number(r[0]!.n));
      expect(await n('SELECT count(*)::int AS n FROM applications.submissions')).toBe(1);
      expect(await n(`SELECT count(*)::int AS n FROM outbox.events WHERE type = 'application.submitted'`)).toBe(1);
    } finally {
      await t.close();
    }
  });
});
