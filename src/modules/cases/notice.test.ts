/**
 * The decision notice as issued and as checked, on a real database: a case approved at two
 * levels (the second in someone's place, 代決) and one refused at one level; the PDF read by
 * pdftotext and rendered by pdftoppm (the seals are red rings, one per box); /verify and its
 * API show the facts and nothing of the resident; a changed number is 404, a malformed one
 * 400; the PDF itself is found by upload, another file is not. Without poppler-utils the
 * rendering checks are skipped, unless YAKUBA_REQUIRE_BROWSER is set (CI).
 * YAKUBA_KEEP_RENDERINGS=<dir> keeps the rendered pages there, to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { cookieHeader, csrfFrom, startTestServer, type TestServer } from '../../testing/server.js';
import { setSiteInfo, siteInfo } from '../../platform/views/render.js';
import { newId } from '../../platform/ids.js';
import { todayInJapan } from '../registry/index.js';
import { canonicalJson, combineNotices, noticeHash, sealsOf, type NoticeContent } from './notice.js';
import { familyName, groupedHash } from './notice-pdf.js';
import { normalizeHash } from './verify.js';
import type { CasesRuntime } from './runtime.js';
import { performAction, type ActionInput, type CaseActor } from './service.js';
import * as store from './store.js';
import { caseTown, staffActor, testRuntime, type CaseTown } from './testing.js';

const hasPoppler = ['pdftotext', 'pdftoppm'].every((tool) => !spawnSync(tool, ['-v']).error);
if (!hasPoppler && process.env.YAKUBA_REQUIRE_BROWSER) {
  throw new Error('notice rendering tests need poppler-utils (pdftotext, pdftoppm): apt-get install poppler-utils');
}

const NAMES = { officer: '審査 秋穂', chief: '決裁 和子', deputy: '代理 真一', jumin: '住民 担当', juminChief: '窓口 係長' };
/** The resident of caseTown's family, as registered: never on a public page. */
const RESIDENT = ['髙橋', '一郎', '花子', '翔太', '大字みどり'];

/** A multipart form as a browser sends it: the CSRF token first, then the file. */
function multipart(fields: Record<string, string>, file?: { name: string; content: Uint8Array }) {
  const boundary = `----yakuba${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`), Buffer.from(file.content), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A binary PPM (P6) as width, height and RGB bytes. */
function readPpm(bytes: Buffer): { width: number; height: number; rgb: Buffer } {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PPM');
  return { width: Number(header[1]), height: Number(header[2]), rgb: bytes.subarray(header[0].length) };
}

/** Where the red (朱色) is: its rows, and the runs of columns holding it (one per seal). */
function redAreas(img: { width: number; height: number; rgb: Buffer }) {
  const columns = new Array<number>(img.width).fill(0);
  let top = Infinity;
  let bottom = -1;
  let count = 0;
  for (let y = 0; y < img.height; y += 1) {
    for (let x = 0; x < img.width; x += 1) {
      const i = (y * img.width + x) * 3;
      const [r, g, b] = [img.rgb[i]!, img.rgb[i + 1]!, img.rgb[i + 2]!];
      if (r > 170 && g < 110 && b < 110) {
        columns[x]! += 1;
        count += 1;
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  const runs: [number, number][] = [];
  columns.forEach((n, x) => {
    if (n === 0) return;
    const last = runs[runs.length - 1];
    if (last && x - last[1] <= 3) last[1] = x;
    else runs.push([x, x]);
  });
  return { count, top, bottom, runs };
}

describe('decision notices', () => {
  let t: TestServer;
  let rt: CasesRuntime;
  let town: CaseTown;
  let dir: string;
  const site = siteInfo();
  const approved = { hash: '', reference: '', caseId: '', pdf: new Uint8Array() };
  const rejected = { hash: '', reference: '', pdf: new Uint8Array() };

  const act = async (actor: CaseActor, caseId: string, input: Omit<ActionInput, 'version'>) => {
    const c = (await store.findCase(t.db, caseId))!;
    return performAction(rt, actor, caseId, { ...input, version: c.lock_version });
  };
  const storedPdf = async (hash: string) => {
    const n = (await store.noticeByHash(t.db, hash))!;
    return new Uint8Array((await store.noticePdf(t.db, n.id))!);
  };
  const audits = async (action: string) => Number((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit.entries WHERE action = $1', [action]))[0]?.n);

  beforeAll(async () => {
    t = await startTestServer();
    setSiteInfo({ demo: false, townName: 'みどり町' });
    rt = testRuntime(t, { today: () => todayInJapan(), now: () => new Date(), townName: () => siteInfo().townName });
    town = await caseTown(t);
    dir = mkdtempSync(join(tmpdir(), 'yakuba-notice-'));

    // Approved along 係長 → 課長, the 課長 level by a deputy while the 課長 is away (代決).
    const deputy = await town.staff(`dairi-${newId().slice(0, 8)}`, ['approver'], [{ department: 'kodomo', position: 'chief' }]);
    await store.insertDelegation(t.db, { id: newId(), fromStaff: town.manager.id, toStaff: deputy.id, validFrom: '2000-01-01', validTo: '2100-12-31', reason: '出張', createdBy: town.manager.id, demo: false });
    const a = await town.apply();
    const officer = staffActor(town.officer, ['case-officer'], NAMES.officer);
    await act(officer, a.caseId, { action: 'start-review' });
    await act(officer, a.caseId, { action: 'propose', outcome: 'approve', comment: '所得制限なし。要件を満たすため承認する。' });
    await act(staffActor(town.chief, ['approver'], NAMES.chief), a.caseId, { action: 'approve' });
    await act(staffActor(deputy, ['approver'], NAMES.deputy), a.caseId, { action: 'approve' });
    const issued = await act(officer, a.caseId, { action: 'issue-notice' });
    Object.assign(approved, { hash: issued.notice!.hash, reference: a.reference, caseId: a.caseId });
    approved.pdf = await storedPdf(approved.hash);

    // Refused at the one level of a 係長-only route, in another department.
    const r = await town.apply('residence-certificate-request', town.family[0]);
    const juminOfficer = staffActor(town.officer, ['case-officer'], NAMES.jumin);
    await act(juminOfficer, r.caseId, { action: 'start-review' });
    await act(juminOfficer, r.caseId, { action: 'propose', outcome: 'reject', comment: '請求の対象となる住民票の記載事項が特定できないため。' });
    await act(staffActor(town.chief, ['approver'], NAMES.juminChief), r.caseId, { action: 'approve' });
    const refused = await act(juminOfficer, r.caseId, { action: 'issue-notice' });
    Object.assign(rejected, { hash: refused.notice!.hash, reference: r.reference });
    rejected.pdf = await storedPdf(rejected.hash);
  });
  afterAll(async () => {
    setSiteInfo(site);
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('stores the notice with its hash, the SHA-256 of its PDF and facts that hold no resident data', async () => {
    const n = (await store.noticeByHash(t.db, approved.hash))!;
    expect(n.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(n.decision).toBe('approved');
    const { createHash } = await import('node:crypto');
    expect(n.pdf_sha256).toBe(createHash('sha256').update(approved.pdf).digest('hex'));
    expect(n.facts).toMatchObject({
      reference: approved.reference,
      procedure: { code: 'child-medical-subsidy', name: '子ども医療費受給資格証の交付申請' },
      department: { code: 'kodomo' },
      decision: 'approved',
      issuer: 'みどり町',
      demo: false,
    });
    const seals = (n.facts as { seals: { position: string; name: string; onBehalfOf: string | null }[] }).seals;
    expect(seals.map((s) => [s.position, s.name, s.onBehalfOf !== null])).toEqual([
      ['officer', NAMES.officer, false],
      ['chief', NAMES.chief, false],
      ['manager', NAMES.deputy, true],
    ]);
    for (const word of RESIDENT) expect(JSON.stringify(n.facts)).not.toContain(word);
    // The addressee was read from the register once per notice, audited.
    expect(await audits('person.read-for-notice')).toBe(2);
    expect((await store.findCase(t.db, approved.caseId))!.state).toBe('completed');
  });

  it('fingerprints everything the notice says: any changed field, or another salt, gives another hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    const content: NoticeContent = {
      facts: { reference: 'R-1', procedure: { code: 'p', name: 'P' }, department: { code: 'd', name: 'D' }, decision: 'approved', issuedAt: '2026-11-30T02:15:00.000Z', issuer: 'みどり町', seals: [], demo: false },
      addressee: { name: '髙橋 一郎', postalCode: '', address: '広島県みどり町' },
      subjectName: null,
      receivedAt: '2026-11-22T05:05:00.000Z',
      reason: null,
      issuedBy: NAMES.officer,
      salt: '00',
    };
    const base = noticeHash(content);
    expect(noticeHash({ ...content, facts: { ...content.facts } })).toBe(base);
    for (const changed of [
      { ...content, addressee: { ...content.addressee!, name: '髙橋 二郎' } },
      { ...content, facts: { ...content.facts, decision: 'rejected' as const } },
      { ...content, reason: '理由' },
      { ...content, facts: { ...content.facts, issuedAt: '2026-11-30T02:16:00.000Z' } },
      { ...content, salt: '01' },
    ]) {
      expect(noticeHash(changed)).not.toBe(base);
    }
  });

  it('takes the seals of the last proposal: a send-back starts a new round', () => {
    const step = (seq: number, action: string, name: string, extra: Partial<store.StepRow> = {}): store.StepRow => ({
      case_id: 'c', seq, action, from_state: null, to_state: 'proposed', at: new Date(Date.UTC(2026, 10, seq)), actor_kind: 'staff', actor_id: `s${seq}`,
      actor_name: name, on_behalf_of: null, on_behalf_name: null, level: null, position: null, comment: null, ...extra,
    });
    const { seals, reason } = sealsOf([
      step(1, 'propose', '甲 一', { comment: '一回目' }),
      step(2, 'send-back', '乙 二', { level: 1, position: 'chief' }),
      step(3, 'propose', '甲 一', { comment: '二回目' }),
      step(4, 'approve', '乙 二', { level: 1, position: 'chief' }),
      step(5, 'approve', '丙 三', { level: 2, position: 'manager', on_behalf_of: 'x', on_behalf_name: '丁 四' }),
    ]);
    expect(reason).toBe('二回目');
    expect(seals.map((s) => `${s.position}:${s.name}:${s.onBehalfOf ?? '-'}`)).toEqual(['officer:甲 一:-', 'chief:乙 二:-', 'manager:丙 三:丁 四']);
    expect(familyName('決裁 和子')).toBe('決裁');
    expect(familyName('決裁　和子')).toBe('決裁');
    expect(groupedHash('a'.repeat(64)).split(' ')).toHaveLength(8);
  });

  it('reads a number however it was typed or pasted', () => {
    const hash = 'ab'.repeat(32);
    expect(normalizeHash(` ${groupedHash(hash).toUpperCase()}\n`)).toBe(hash);
    expect(normalizeHash(`https://town.example/verify/${hash}`)).toBe(hash);
    expect(normalizeHash('xyz')).toBe('xyz');
  });

  it('prints the day’s notices as one PDF with every page of each', async () => {
    const pages = async (b: Uint8Array) => (await PDFDocument.load(b)).getPageCount();
    const combined = await combineNotices([approved.pdf, rejected.pdf, approved.pdf]);
    expect(await pages(combined)).toBe(2 * (await pages(approved.pdf)) + (await pages(rejected.pdf)));
  });

  describe.skipIf(!hasPoppler)('as a reader sees it (needs poppler-utils: pdftotext, pdftoppm)', () => {
    const text = (bytes: Uint8Array, name: string): string => {
      const file = join(dir, `${name}.pdf`);
      writeFileSync(file, bytes);
      const out = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      expect(out.status).toBe(0);
      return out.stdout;
    };

    it('says what was decided, by whom, and how to check it', () => {
      const out = text(approved.pdf, 'approved');
      for (const expected of [
        '子ども医療費受給資格証の交付申請',
        '決定通知書',
        `通知番号 ${approved.reference}`,
        'みどり町長',
        '髙橋 一郎 様',
        '広島県みどり町大字みどり',
        '付けで申請のあった子ども医療費受給資格証の交付申請について、次のとおり決定したので通知します。',
        '承認',
        '担当', '係長', '課長',
        NAMES.officer, NAMES.chief, NAMES.deputy,
        '（職員 kacho-', // the deputy's seal names whom it stands in for
        'の代決）',
        `/verify/${approved.hash}`,
        groupedHash(approved.hash),
      ]) {
        expect(out.replace(/\n/g, '')).toContain(expected);
      }
      expect(out).toMatch(/令和\d+年（\d{4}年）\d+月\d+日/);
      expect(out).toMatch(/令和\d+年\d+月\d+日\s+\d{2}:\d{2}/);
      expect(out).not.toContain('不承認');
      expect(out).not.toContain('教示');
      expect(out).not.toContain('所得制限なし'); // an approval does not print the internal proposal note
    });

    it('gives a refusal its reasons and tells how to appeal (教示)', () => {
      const out = text(rejected.pdf, 'rejected');
      for (const expected of ['不承認', '理由', '請求の対象となる住民票の記載事項が特定できないため。', '教示', '審査請求', '3か月以内', '取消訴訟', '6か月以内', 'みどり町を被告として', NAMES.jumin, NAMES.juminChief, rejected.hash.slice(0, 8)]) {
        expect(out.replace(/\n(?=\S)/g, '')).toContain(expected);
      }
      expect(out).not.toContain('課長');
    });

    it('shows the seals as red rings, one in each box, in one row', () => {
      const shots: Record<string, { count: number; top: number; bottom: number; runs: [number, number][] }> = {};
      for (const [name, pdf] of [['approved', approved.pdf], ['rejected', rejected.pdf]] as const) {
        const file = join(dir, `${name}-seal.pdf`);
        writeFileSync(file, pdf);
        expect(spawnSync('pdftoppm', ['-r', '100', '-f', '1', '-l', '1', file, join(dir, `${name}-page`)]).status).toBe(0);
        expect(spawnSync('pdftoppm', ['-r', '100', '-f', '1', '-l', '1', '-png', file, join(dir, `${name}-page`)]).status).toBe(0);
        shots[name] = redAreas(readPpm(readFileSync(join(dir, `${name}-page-1.ppm`))));
        const keep = process.env.YAKUBA_KEEP_RENDERINGS;
        if (keep) {
          mkdirSync(keep, { recursive: true });
          copyFileSync(join(dir, `${name}-page-1.png`), join(keep, `notice-${name}.png`));
        }
      }
      const a = shots.approved!;
      expect(a.runs).toHaveLength(3); // 担当, 係長, 課長 (the 代 mark sits on the 課長 seal's ring)
      expect(shots.rejected!.runs).toHaveLength(2); // 担当, 係長
      for (const s of Object.values(shots)) {
        expect(s.count).toBeGreaterThan(300);
        // One row of seals, each about 50 pt (70 px at 100 dpi) across, in the lower part of an A4 page (1170 px).
        expect(s.bottom - s.top).toBeLessThan(90);
        expect(s.top).toBeGreaterThan(400);
        for (const [from, to] of s.runs) expect(to - from).toBeGreaterThan(55);
      }
    });
  });

  describe('checked at /verify', () => {
    const page = (url: string) => t.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
    const noResident = (body: string) => {
      for (const word of RESIDENT) expect(body).not.toContain(word);
    };

    it('shows the facts of a notice found by its number, without the resident, and without auditing', async () => {
      const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit.entries');
      const res = await page(`/verify/${approved.hash}`);
      expect(res.statusCode, res.body).toBe(200);
      for (const expected of ['この決定通知書はみどり町が発行したものです', approved.reference, '子ども医療費受給資格証の交付申請', '承認', NAMES.officer, NAMES.chief, NAMES.deputy, '代決', approved.hash, '係長', '課長']) {
        expect(res.body).toContain(expected);
      }
      expect(res.body).toMatch(/令和\d+年（\d{4}年）\d+月\d+日 \d{2}:\d{2}/);
      noResident(res.body);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit.entries')).toEqual(before);
      // An upper-case number is the same number; the English page says the same in English.
      expect((await page(`/verify/${approved.hash.toUpperCase()}`)).statusCode).toBe(200);
      const en = await page(`/verify/${approved.hash}?lang=en`);
      expect(en.body).toContain('This decision notice was issued by みどり町');
      expect(en.body).toContain('Approved');
    });

    it('answers the API with the facts, and names what is wrong with a number', async () => {
      const res = await t.inject({ method: 'GET', url: `/api/v1/verify/${approved.hash}` });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { valid: boolean; notice: { reference: string; decision: string; seals: unknown[]; issuer: string } };
      expect(body).toMatchObject({ valid: true, notice: { reference: approved.reference, decision: 'approved', issuer: 'みどり町' } });
      expect(body.notice.seals).toHaveLength(3);
      noResident(res.body);
      const rejectedRes = await t.inject({ method: 'GET', url: `/api/v1/verify/${rejected.hash}` });
      expect(rejectedRes.json()).toMatchObject({ valid: true, notice: { decision: 'rejected' } });
      expect(rejectedRes.body).not.toContain('特定できない'); // the reasons stay on the notice

      const changed = `${approved.hash.slice(0, 63)}${approved.hash.endsWith('0') ? '1' : '0'}`;
      const missing = await t.inject({ method: 'GET', url: `/api/v1/verify/${changed}` });
      expect(missing.statusCode).toBe(404);
      expect(String(missing.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(missing.json()).toMatchObject({ status: 404, detail: 'a decision notice with this number was not found' });
      const bad = await t.inject({ method: 'GET', url: '/api/v1/verify/not-a-hash' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ status: 400, errors: [{ field: 'hash' }] });
      expect((bad.json() as { detail: string }).detail).toMatch(/64 hexadecimal characters/);

      const doc = (await t.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, { get?: { tags?: string[] } }> };
      expect(doc.paths['/api/v1/verify/{hash}']?.get?.tags).toEqual(['cases']);
    });

    it('says plainly that no notice has a changed number (404), and what a number looks like (400)', async () => {
      const changed = `${approved.hash.slice(0, 63)}${approved.hash.endsWith('0') ? '1' : '0'}`;
      const missing = await page(`/verify/${changed}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toContain('この照合番号の決定通知書はありません');
      expect(missing.body).toContain(changed);
      expect(missing.body).toContain('action="/verify"');
      const bad = await page('/verify/12345');
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('照合番号の形が正しくありません');
      expect(bad.body).toContain('64文字');
      expect(bad.body).toContain('5文字でした');
    });

    it('takes a number from the form, spaces and all, to its page', async () => {
      const start = await page('/verify');
      expect(start.statusCode).toBe(200);
      expect(start.body).toContain('enctype="multipart/form-data"');
      const typed = await page(`/verify?hash=${encodeURIComponent(groupedHash(approved.hash))}`);
      expect(typed.statusCode).toBe(303);
      expect(typed.headers.location).toBe(`/verify/${approved.hash}`);
      const wrong = await page('/verify?hash=abc');
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('aria-invalid="true"');
      expect(wrong.body).toContain('value="abc"');
    });

    it('finds the notice by its PDF file, and no notice for any other file', async () => {
      const form = await page('/verify');
      const cookie = cookieHeader(form.headers['set-cookie']);
      const csrf = csrfFrom(form.body);
      const upload = (fields: Record<string, string>, content?: Uint8Array) => {
        const body = multipart(fields, content ? { name: 'notice.pdf', content } : undefined);
        return t.inject({ method: 'POST', url: '/verify', headers: { cookie, accept: 'text/html', 'content-type': body.contentType }, payload: body.payload });
      };
      const found = await upload({ _csrf: csrf }, approved.pdf);
      expect(found.statusCode, found.body.slice(0, 500)).toBe(200);
      expect(found.body).toContain('1バイトも違わず一致します');
      expect(found.body).toContain(approved.reference);
      expect(found.body).toContain(approved.hash);
      noResident(found.body);

      const altered = Buffer.from(approved.pdf);
      altered[altered.length - 10] = altered[altered.length - 10]! ^ 1;
      const other = await upload({ _csrf: csrf }, altered);
      expect(other.statusCode).toBe(404);
      expect(other.body).toContain('このファイルと一致する決定通知書はありません');
      expect((await upload({ _csrf: csrf })).statusCode).toBe(400);
      expect((await upload({ _csrf: 'forged' }, approved.pdf)).statusCode).toBe(403);
    });
  });
});
