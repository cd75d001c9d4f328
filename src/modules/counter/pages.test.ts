/**
 * The counter over HTTP on a real database, as a browser without JavaScript uses it: a
 * resident's pre-entry and its QR code, a visit opened from the code, the remaining questions
 * answered on one screen, the forms printed, signed on paper, sent (cases open with channel
 * `counter`), a certificate's fee, the end — and every bad code refused with nothing opened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { pageClient, type PageClient } from '../applications/testing.js';
import { caseTown, type CaseTown } from '../cases/testing.js';
import { deriveKey } from '../../platform/crypto.js';
import { issuePreEntryToken, newPreEntryId } from './token.js';
import { answerVisit, counterClerk, decodeQr, sampleAnswers, startBySearch, type Clerk } from './testing.js';

const TODAY = '2026-11-23';

describe('the write-free counter', () => {
  let t: TestServer;
  let town: CaseTown;
  let c: PageClient;
  let clerk: Clerk;
  const count = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;
  const main = (body: string) => body.replace(/^[\s\S]*<main[^>]*>/, '').replace(/<\/main>[\s\S]*$/, '');

  beforeAll(async () => {
    t = await startTestServer({}, { today: () => TODAY });
    town = await caseTown(t);
    c = pageClient(t);
    clerk = await counterClerk(t);
  });
  afterAll(async () => t?.close());

  /** The resident prepares two procedures at home; returns the pre-entry's id. */
  async function preEntry(chosen: [string, string][] = [['procedures', 'residence-certificate-request'], ['procedures', 'child-medical-subsidy'], ['subject:child-medical-subsidy', town.family[2]!]]): Promise<string> {
    const cookie = town.resident.cookie;
    const list = await c.get('/me/pre-entries', cookie);
    expect(list.statusCode).toBe(200);
    const res = await c.post('/me/pre-entries', cookie, [['_csrf', c.csrfOf(list.body)], ...chosen]);
    const to = c.location(res);
    expect(to).toMatch(/^\/me\/pre-entries\/[0-9a-f-]{36}$/);
    return to.split('/').pop()!;
  }

  async function codeOf(id: string): Promise<string> {
    const png = await c.inject({ method: 'GET', url: `/me/pre-entries/${id}/qr.png`, headers: { cookie: town.resident.cookie } });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const read = decodeQr(png.rawPayload);
    expect(read).toMatch(/^[A-Z0-9:-]+$/);
    return read!;
  }

  it('opens a visit from a pre-entry code, asks only what remains, prints, and sends the procedures as cases', async () => {
    const id = await preEntry();
    const hub = await c.get(`/me/pre-entries/${id}`, town.resident.cookie);
    expect(hub.statusCode).toBe(200);
    expect(main(hub.body)).toContain('/me/pre-entries/' + id + '/qr.png');
    // The resident fills the phone number at home (the counter then does not ask it).
    const drafts = await t.db.query<{ id: string; procedure_code: string }>(`SELECT id, procedure_code FROM applications.applications WHERE draft_group = $1`, [id]);
    expect(drafts.map((d) => d.procedure_code).sort()).toEqual(['child-medical-subsidy', 'residence-certificate-request']);
    const residence = drafts.find((d) => d.procedure_code === 'residence-certificate-request')!;
    const form = await c.get(`/applications/drafts/${residence.id}`, town.resident.cookie);
    expect(main(form.body)).toContain(`/me/pre-entries/${id}`);
    const saved = await c.postMultipart(`/applications/drafts/${residence.id}`, town.resident.cookie, [['_csrf', c.csrfOf(form.body)], ['action', 'save'], ['d:/contact/phone', '090-1111-2222']]);
    expect(saved.statusCode).toBe(200);

    const code = await codeOf(id);
    const start = await c.get('/staff/counter', clerk.cookie);
    expect(start.statusCode).toBe(200);
    const confirm = await c.post('/staff/counter/code', clerk.cookie, [['_csrf', c.csrfOf(start.body)], ['code', ` ${code.toLowerCase()} `]]);
    expect(confirm.statusCode, main(confirm.body).slice(0, 800)).toBe(200);
    expect(main(confirm.body)).toContain('子ども医療費');
    const opened = await c.post('/staff/counter/visits', clerk.cookie, [['_csrf', c.csrfOf(confirm.body)], ['personId', town.family[0]!], ['startedBy', 'pre-entry'], ['code', code]]);
    const visitUrl = c.location(opened);
    const visitId = visitUrl.split('/').pop()!;
    const visit = await c.get(visitUrl, clerk.cookie);
    expect(visit.statusCode).toBe(200);
    // Pre-filled from the register and the pre-entry: the phone typed at home is not asked again.
    expect(main(visit.body)).toMatch(/name="q:[0-9a-f-]{36}:\/certificateType"/);
    expect(main(visit.body)).not.toMatch(/name="q:[0-9a-f-]{36}:\/contact\/phone"/);
    await answerVisit(t, clerk, visitId);
    const ready = await c.get(visitUrl, clerk.cookie);
    expect(main(ready.body)).not.toMatch(/name="q:/);

    // Sending before a signature is refused, naming it; nothing is written.
    const refused = await c.post(`${visitUrl}/send`, clerk.cookie, [['_csrf', c.csrfOf(ready.body)]]);
    expect(refused.statusCode).toBe(400);
    expect(main(refused.body)).toContain('署名');
    expect(await count(`applications.applications WHERE channel = 'counter' AND status = 'submitted'`)).toBe(0);

    const pdf = await c.post(`${visitUrl}/print`, clerk.cookie, [['_csrf', c.csrfOf(ready.body)]]);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const printed = (await t.db.query<{ pages_printed: number; prints: number }>('SELECT pages_printed, prints FROM counter.visits WHERE id = $1', [visitId]))[0]!;
    expect(printed.prints).toBe(1);
    expect(printed.pages_printed).toBeGreaterThanOrEqual(2);

    c.location(await c.post(`${visitUrl}/sign`, clerk.cookie, [['_csrf', c.csrfOf(ready.body)], ['how', 'paper']]));
    // A procedure added after signing makes the signature stale: the visit is not sent until signed again.
    c.location(await c.post(`${visitUrl}/procedures`, clerk.cookie, [['_csrf', c.csrfOf(ready.body)], ['procedure', 'pregnancy-notification'], ['subjectId', town.family[1]!]]));
    const stale = await c.post(`${visitUrl}/send`, clerk.cookie, [['_csrf', c.csrfOf(ready.body)]]);
    expect(stale.statusCode).toBe(400);
    expect(main(stale.body)).toContain('署名の後に申請書の内容が変わりました');
    const added = (await t.db.query<{ id: string }>(`SELECT id FROM applications.applications WHERE draft_group = $1 AND procedure_code = 'pregnancy-notification'`, [visitId]))[0]!;
    c.location(await c.post(`${visitUrl}/procedures/${added.id}/remove`, clerk.cookie, [['_csrf', c.csrfOf(ready.body)]]));
    c.location(await c.post(`${visitUrl}/sign`, clerk.cookie, [['_csrf', c.csrfOf(ready.body)], ['how', 'paper']]));
    c.location(await c.post(`${visitUrl}/send`, clerk.cookie, [['_csrf', c.csrfOf(ready.body)], ['idempotencyKey', 'counter-send-key-0001']]));
    const cases = await t.db.query<{ channel: string; procedure_code: string }>(
      `SELECT k.channel, k.procedure_code FROM cases.cases k JOIN counter.visit_applications v ON v.application_id = k.application_id WHERE v.visit_id = $1 ORDER BY k.procedure_code`,
      [visitId],
    );
    expect(cases).toEqual([
      { channel: 'counter', procedure_code: 'child-medical-subsidy' },
      { channel: 'counter', procedure_code: 'residence-certificate-request' },
    ]);
    // The pre-entry is spent, its drafts gone; the procedure fee of the 住民票 is due.
    expect(await count(`applications.applications WHERE draft_group = $1`, [id])).toBe(0);
    expect((await t.db.query<{ used_by_visit: string }>('SELECT used_by_visit FROM counter.pre_entries WHERE id = $1', [id]))[0]!.used_by_visit).toBe(visitId);
    const sent = await c.get(visitUrl, clerk.cookie);
    expect(main(sent.body)).toContain('受け付けました');
    expect(main(sent.body)).toContain('300円');

    // A certificate asked for at the same visit: its fee joins the total.
    c.location(await c.post(`${visitUrl}/certificates`, clerk.cookie, [['_csrf', c.csrfOf(sent.body)], ['code', 'seal-registration'], ['subjectId', town.family[0]!], ['copies', '2']]));
    const fees = await t.db.query<{ kind: string; amount: number; status: string }>('SELECT kind, amount, status FROM counter.visit_fees WHERE visit_id = $1 ORDER BY kind', [visitId]);
    expect(fees).toEqual([
      { kind: 'certificate', amount: 600, status: 'due' },
      { kind: 'procedure', amount: 300, status: 'due' },
    ]);
    expect(c.location(await c.post(`${visitUrl}/end`, clerk.cookie, [['_csrf', c.csrfOf(sent.body)]]))).toMatch(/^\/staff\/counter\?ended=V-2026-\d{6}$/);

    const metrics = await c.inject({ method: 'GET', url: `/api/v1/metrics/visits?from=${TODAY}&to=${TODAY}`, headers: { cookie: clerk.cookie } });
    expect(metrics.statusCode, metrics.body).toBe(200);
    const f = (metrics.json() as { figures: { ended: number; formsNotHandwritten: number; medianSeconds: number | null; feesDue: number } }).figures;
    expect(f.ended).toBeGreaterThanOrEqual(1);
    expect(f.formsNotHandwritten).toBeGreaterThanOrEqual(2);
    expect(f.medianSeconds).not.toBeNull();
    expect(f.feesDue).toBeGreaterThanOrEqual(900);

    // The code is spent: a second scan opens nothing.
    const again = await c.post('/staff/counter/code', clerk.cookie, [['_csrf', c.csrfOf(start.body)], ['code', code]]);
    expect(again.statusCode).toBe(409);
    expect(main(again.body)).toContain('すでに窓口で使われ');
  });

  it('refuses a forged, a malformed and an expired code with a clear message, opening nothing', async () => {
    const visits = await count('counter.visits');
    const start = await c.get('/staff/counter', clerk.cookie);
    const csrf = c.csrfOf(start.body);
    const forgedCode = issuePreEntryToken(deriveKey('another town’s secret that is long enough!!', 'qr'), newPreEntryId(), '2026-12-31');
    const forged = await c.post('/staff/counter/code', clerk.cookie, [['_csrf', csrf], ['code', forgedCode]]);
    expect(forged.statusCode).toBe(422);
    expect(main(forged.body)).toContain('確認できませんでした');
    const malformed = await c.post('/staff/counter/code', clerk.cookie, [['_csrf', csrf], ['code', 'hello']]);
    expect(malformed.statusCode).toBe(422);
    expect(main(malformed.body)).toContain('読み取れませんでした');
    const expiredCode = issuePreEntryToken(deriveKey(t.config.secret, 'qr'), newPreEntryId(), '2026-11-01');
    const expired = await c.post('/staff/counter/code', clerk.cookie, [['_csrf', csrf], ['code', expiredCode]]);
    expect(expired.statusCode).toBe(422);
    expect(main(expired.body)).toContain('有効期限');
    expect(await count('counter.visits')).toBe(visits);
  });

  it('opens one visit per code at a time; an abandoned visit owes nothing and leaves the pre-entry to the resident', async () => {
    const id = await preEntry([['procedures', 'care-burden-certificate-reissue'], ['procedures', 'long-term-care-certification']]);
    const code = await codeOf(id);
    const start = await c.get('/staff/counter', clerk.cookie);
    const open = () => c.post('/staff/counter/visits', clerk.cookie, [['_csrf', c.csrfOf(start.body)], ['personId', town.family[0]!], ['startedBy', 'pre-entry'], ['code', code]]);
    const visitUrl = c.location(await open());
    const second = await open();
    expect(second.statusCode).toBe(409);
    expect(main(second.body)).toContain('別の窓口で受付中');
    // A visit cannot open from a made-up code naming a real pre-entry.
    const forged = await c.post('/staff/counter/visits', clerk.cookie, [['_csrf', c.csrfOf(start.body)], ['personId', town.family[0]!], ['startedBy', 'pre-entry'], ['code', 'YK1-AAAA']]);
    expect(forged.statusCode).toBe(422);
    const page = await c.get(visitUrl, clerk.cookie);
    c.location(await c.post(`${visitUrl}/certificates`, clerk.cookie, [['_csrf', c.csrfOf(page.body)], ['code', 'residence-copy'], ['copies', '1']]));
    // The resident cannot delete a pre-entry in use at the counter.
    const list = await c.get('/me/pre-entries', town.resident.cookie);
    const inUse = await c.post(`/me/pre-entries/${id}/delete`, town.resident.cookie, [['_csrf', c.csrfOf(list.body)]]);
    expect(inUse.statusCode).toBe(409);
    expect(main(inUse.body)).toContain('削除できません');
    expect(c.location(await c.post(`${visitUrl}/abandon`, clerk.cookie, [['_csrf', c.csrfOf(page.body)], ['confirm', 'yes']]))).toMatch(/abandoned=V-/);
    expect(await count('counter.visit_fees WHERE visit_id = $1', [visitUrl.split('/').pop()])).toBe(0);
    expect(await count('applications.applications WHERE draft_group = $1', [visitUrl.split('/').pop()])).toBe(0);
    // The resident's own drafts are still there, and now the pre-entry can be deleted.
    expect(await count('applications.applications WHERE draft_group = $1', [id])).toBe(2);
    expect(c.location(await c.post(`/me/pre-entries/${id}/delete`, town.resident.cookie, [['_csrf', c.csrfOf(list.body)]]))).toBe('/me/pre-entries?deleted=1');
    expect(await count('applications.applications WHERE draft_group = $1', [id])).toBe(0);
  });

  it('shares only the contact between procedures for different people, and a blank answer wipes nothing', async () => {
    const visitUrl = await startBySearch(t, clerk, town.family[0]!, 'タカハシ');
    const visitId = visitUrl.split('/').pop()!;
    const page = await c.get(visitUrl, clerk.cookie);
    // 罹災証明書 for the head and 被災者生活再建支援金 for his wife: different people, many fields of the same name.
    for (const [procedure, subject] of [['disaster-certificate', town.family[0]!], ['disaster-relief-grant', town.family[1]!]] as const) {
      c.location(await c.post(`${visitUrl}/procedures`, clerk.cookie, [['_csrf', c.csrfOf(page.body)], ['procedure', procedure], ['subjectId', subject]]));
    }
    const drafts = await t.db.query<{ id: string; procedure_code: string; data: Record<string, unknown> }>(`SELECT id, procedure_code, data FROM applications.applications WHERE draft_group = $1`, [visitId]);
    const certificate = drafts.find((d) => d.procedure_code === 'disaster-certificate')!;
    const grant = drafts.find((d) => d.procedure_code === 'disaster-relief-grant')!;
    const now = await c.get(visitUrl, clerk.cookie);
    // Every question of the certificate answered, the grant's phone left blank.
    const answers = (await sampleAnswers(t, now.body)).filter(([name]) => name.startsWith(`q:${certificate.id}:`));
    expect(answers.length).toBeGreaterThan(3);
    const res = await c.post(`${visitUrl}/answers`, clerk.cookie, [['_csrf', c.csrfOf(now.body)], ...answers, [`q:${grant.id}:/contact/phone`, '']]);
    expect([200, 303]).toContain(res.statusCode);
    const after = (await t.db.query<{ data: Record<string, unknown> }>('SELECT data FROM applications.applications WHERE id = $1', [grant.id]))[0]!.data;
    const typed = Object.fromEntries(answers.map(([k, v]) => [k.split(':').pop()!, v]));
    expect((after.contact as { phone?: string } | undefined)?.phone).toBe(typed['/contact/phone']);
    const newKeys = Object.keys(after).filter((k) => !(k in grant.data) && k !== 'contact');
    expect(newKeys).toEqual([]);
  });

  it('keeps the counter to counter clerks with the counter purpose, and visits to the clerk who opened them', async () => {
    const officer = await t.staffCookie({ login: 'counter-officer', roles: ['case-officer'], purpose: 'application-review' });
    const res = await c.get('/staff/counter', officer);
    expect(res.statusCode).toBe(403);
    const other = await counterClerk(t);
    const visit = (await t.db.query<{ id: string }>('SELECT id FROM counter.visits LIMIT 1'))[0]!;
    expect((await c.get(`/staff/counter/visits/${visit.id}`, other.cookie)).statusCode).toBe(404);
    expect((await c.inject({ method: 'GET', url: '/staff/counter' })).statusCode).toBe(303);
  });
});
