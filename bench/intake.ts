/**
 * bench:intake — online applications: signed-in residents submitting a 20-field form with one
 * 200 KB attachment through yakuba's HTTP API (real port, session cookie, CSRF, register read
 * with its audit entry, validation, one transaction), next to the same rows inserted directly
 * in SQL, on PGlite and on PostgreSQL. Not a test: it prints figures.
 *
 *   npm run bench:intake -- [--residents 2000] [--submissions 400] [--pglite-submissions 200] [--warmup 20] [--concurrency 8] [--only pglite|postgres]
 *
 * BENCH_LOG_LEVEL=error shows the server's own errors (silent by default).
 */
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/platform/config.js';
import type { Db } from '../src/platform/db/db.js';
import { migrate } from '../src/platform/db/migrate.js';
import { deriveKey, randomToken, sha256Hex, signToken } from '../src/platform/crypto.js';
import { buildServer } from '../src/server.js';
import { installDemo } from '../src/demo.js';
import { sampleData } from '../src/modules/applications/testing.js';
import type { FormData } from '../src/modules/applications/form.js';
import { cookieHeader, csrfFrom } from '../src/testing/server.js';
import { onEachDatabase, ratio, row, run } from './lib.js';

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: '2000' },
    submissions: { type: 'string', default: '400' },
    'pglite-submissions': { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
  },
});
const N = Number(values.residents);
const WARMUP = Number(values.warmup);
const C = Number(values.concurrency);

/**
 * 罹災証明書: a resident applies for their own household after a flood. The scenario opens
 * the conditional questions (damaged home elsewhere, a rented flat, flood depth); the town's
 * records fill the applicant and household, `sampleData` every other visible field.
 */
const PROCEDURE = 'disaster-certificate';
const SCENARIO: FormData = { damagedPlace: 'different', buildingType: 'apartment', ownership: 'rented', cause: 'storm-flood' };
const SLOT = 'damagePhotos';
const FILENAME = 'higai-shashin.jpg';
/** 200 KB that sniff as JPEG (the slot takes photos: JPEG or PNG): a JFIF header, then padding. */
const FILE = Buffer.alloc(200 * 1024, 0x20);
Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex').copy(FILE);
Buffer.from('ffd9', 'hex').copy(FILE, FILE.length - 2);
const FILE_B64 = FILE.toString('base64');
const FILE_SHA256 = sha256Hex(FILE);

/** The values a form holds: each filled field once (entries of lists of fields counted one by one). */
function fieldsFilled(v: unknown): number {
  if (Array.isArray(v)) return v.length > 0 && typeof v[0] === 'object' ? v.reduce((n: number, x) => n + fieldsFilled(x), 0) : 1;
  if (v && typeof v === 'object') return Object.values(v).reduce((n: number, x) => n + fieldsFilled(x), 0);
  return v === undefined || v === null || v === '' ? 0 : 1;
}


async function bench(label: string, db: Db, submissions: number): Promise<void> {
  console.log(`\n## ${label}: ${N} residents, ${submissions} submissions (+${WARMUP} warm-up), ${C} concurrent residents`);
  if (db.kind === 'pglite') console.log('(PGlite runs one query at a time: the concurrent requests queue on it)');
  await migrate(db);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent' });
  const seeding = await buildServer(config, db);
  const t0 = performance.now();
  await installDemo(db, seeding, { residents: N, seed: 1, today: '2026-11-22' });
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await seeding.close();
  const server = await buildServer(config, db);
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  const procedure = server.applications.catalog.procedures.get(PROCEDURE)!;

  // Adult residents, each used once: one open application per procedure and person.
  const adults = (
    await db.query<{ id: string }>(`SELECT id FROM registry.persons WHERE status = 'resident' AND birth_date <= '2008-11-22' ORDER BY id`)
  ).map((r) => r.id);
  const need = 2 * (WARMUP + submissions);
  if (adults.length < need) throw new Error(`${adults.length} adult residents for ${need} submissions: raise --residents`);
  const viaApiIds = adults.slice(0, WARMUP + submissions);
  const viaSqlIds = adults.slice(WARMUP + submissions, need);

  // The session a sign-in leaves (as residentSession in src/testing/server.ts makes it), and a
  // CSRF token: bound to the browser's yk_csrf nonce cookie, not to the session, so one page
  // load gives the token every resident's browser would get for its own nonce.
  const page = await fetch(`${base}/staff/sign-in`);
  const csrfCookie = cookieHeader(page.headers.getSetCookie());
  const csrf = csrfFrom(await page.text());
  const cookieKey = deriveKey(config.secret, 'cookie');
  const cookieOf = (personId: string) =>
    `yk_session=${signToken(cookieKey, { k: 'resident', id: personId, demo: false, sid: randomToken(16) }, config.sessionTtlSeconds)}; ${csrfCookie}`;

  // Each resident opens the form first: the pre-fill from the town's records (not timed).
  const prepT0 = performance.now();
  const forms: { cookie: string; data: FormData }[] = [];
  let fromRecords = 0;
  for (const id of viaApiIds) {
    const cookie = cookieOf(id);
    const res = await fetch(`${base}/api/v1/procedures/${PROCEDURE}/prefill`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`prefill ${res.status} ${await res.text()}`);
    const pre = (await res.json()) as { data: FormData; prefilled: string[] };
    fromRecords = pre.prefilled.length;
    forms.push({ cookie, data: sampleData(procedure, { ...pre.data, ...SCENARIO }, { all: true }) });
  }
  const fields = fieldsFilled(forms[0]!.data);
  console.log(
    `${PROCEDURE}: ${fields} fields filled (${fromRecords} from the town's records), 1 attachment of ${FILE.length / 1024} KB (${SLOT}, JPEG); ` +
      `${viaApiIds.length} residents' forms pre-filled in ${((performance.now() - prepT0) / 1000).toFixed(1)} s`,
  );

  const submit = async (i: number) => {
    const form = forms[i]!;
    // The body as a browser builds it: the form as JSON, the file as base64.
    const body = `{"procedure":"${PROCEDURE}","data":${JSON.stringify(form.data)},"attachments":[{"slot":"${SLOT}","filename":"${FILENAME}","content":"${FILE_B64}"}]}`;
    const res = await fetch(`${base}/api/v1/applications`, {
      method: 'POST',
      headers: { cookie: form.cookie, 'x-csrf-token': csrf, 'idempotency-key': `bench-${db.kind}-${i}-${randomUUID()}`, 'content-type': 'application/json' },
      body,
    });
    if (res.status !== 201) throw new Error(`submission ${res.status} ${(await res.text()).slice(0, 500)}`);
    await res.arrayBuffer();
  };

  // -- through yakuba ------------------------------------------------------------------------
  await run('warm-up', WARMUP, C, (i) => submit(i));
  const viaApi = await run('submission via API (20 fields + 200 KB)', submissions, C, (i) => submit(WARMUP + i));

  const measured = viaApiIds.slice(WARMUP);
  const [counts] = await db.query<{ applications: number; attachments: number; audits: number; reads: number; keys: number; events: number; mails: number }>(
    `SELECT
       (SELECT count(*) FROM applications.applications WHERE status = 'submitted' AND procedure_code = $2 AND subject_person_id = ANY($1::uuid[]))::int AS applications,
       (SELECT count(*) FROM applications.attachments t JOIN applications.applications a ON a.id = t.application_id
         WHERE a.subject_person_id = ANY($1::uuid[]) AND t.size_bytes = $3)::int AS attachments,
       (SELECT count(*) FROM audit.entries WHERE action = 'application.submit' AND actor_id = ANY($5::text[]))::int AS audits,
       (SELECT count(*) FROM audit.entries WHERE action = 'person.read-for-application' AND actor_id = ANY($5::text[]))::int AS reads,
       (SELECT count(*) FROM applications.idempotency_keys WHERE owner_key = ANY($4::text[]))::int AS keys,
       (SELECT count(*) FROM outbox.events WHERE type = 'application.submitted' AND subject_ids && $1::uuid[])::int AS events,
       (SELECT count(*) FROM platform.mail_queue m JOIN applications.submissions s ON s.reference = m.ref
         WHERE m.tag = 'application.receipt' AND s.applicant_person_id = ANY($1::uuid[]))::int AS mails`,
    [measured, PROCEDURE, FILE.length, measured.map((id) => `person:${id}`), measured],
  );
  const [stored] = await db.query<{ data: FormData }>(`SELECT data FROM applications.applications WHERE subject_person_id = $1`, [measured[0]]);
  console.log(
    `checked in SQL for the ${submissions} measured residents: ${counts!.applications} applications (${fieldsFilled(stored!.data)} fields stored each), ` +
      `${counts!.attachments} attachments of 200 KB, ${counts!.audits} audit entries 'application.submit',`,
  );
  console.log(
    `  ${counts!.keys} idempotency keys, ${counts!.events} events, ${counts!.mails} receipt mails queued; ` +
      `${counts!.reads} audit entries 'person.read-for-application' (opening the form and submitting it each read the register)`,
  );
  if (counts!.applications !== submissions || counts!.attachments !== submissions || counts!.audits !== submissions) {
    throw new Error(`expected exactly ${submissions} applications, attachments and 'application.submit' audit entries`);
  }

  // -- the limit: the same rows in plain SQL, one transaction per submission ----------------
  // Submission (reference from the sequence), Idempotency-Key, application with its data,
  // attachment bytes, chained audit entry, outbox event, receipt mail. No HTTP, no session,
  // no register read, no validation; the data is the JSON yakuba stored for the first form.
  const data = JSON.stringify(stored!.data);
  const mailText = 'みどり町 電子申請の受付のお知らせ\n'.repeat(20);
  const insertSql = async (i: number) => {
    const person = viaSqlIds[i]!;
    await db.transaction(async (tx) => {
      const [s] = await tx.query<{ id: string; reference: string }>(
        `INSERT INTO applications.submissions (id, reference, channel, applicant_person_id, demo)
         VALUES (gen_random_uuid(), to_char(now() AT TIME ZONE 'Asia/Tokyo', 'YYYY') || '-' || lpad(nextval('applications.reference_seq')::text, 6, '0'), 'online', $1, true)
         RETURNING id, reference`,
        [person],
      );
      await tx.query('INSERT INTO applications.idempotency_keys (owner_key, key, request_hash, submission_id) VALUES ($1, $2, $3, $4)', [
        `person:${person}`, `sql-${db.kind}-${i}`, FILE_SHA256, s!.id,
      ]);
      const [a] = await tx.query<{ id: string }>(
        `INSERT INTO applications.applications
           (id, submission_id, reference, procedure_code, procedure_version, department, status, channel, owner_key, applicant_person_id, subject_person_id,
            acting_as, applicant_relation, subject_relation, data, prefilled, submitted_at, due_date, retain_until, demo)
         VALUES (gen_random_uuid(), $1, $2 || '-01', $3, 1, 'bosai', 'submitted', 'online', $4, $5, $5, 'self', '本人', '本人', $6::jsonb,
                 '{/applicantInfo/fullName,/applicantInfo/address,/household/headName,/household/address}', now(), '2026-12-22', '2031-11-22', true)
         RETURNING id`,
        [s!.id, s!.reference, PROCEDURE, `person:${person}`, person, data],
      );
      await tx.query(
        `INSERT INTO applications.attachments (id, application_id, slot, filename, content_type, size_bytes, sha256, content)
         VALUES (gen_random_uuid(), $1, $2, $3, 'image/jpeg', $4, $5, decode($6, 'base64'))`,
        // As yakuba sends it: base64 text decoded in SQL (PGlite hex-encodes binary parameters slowly).
        [a!.id, SLOT, FILENAME, FILE.length, FILE_SHA256, FILE.toString('base64')],
      );
      await tx.query(`INSERT INTO outbox.events (type, subject_ids, payload) VALUES ('application.submitted', $1::uuid[], $2::jsonb)`, [
        [person], JSON.stringify({ applicationId: a!.id, submissionId: s!.id, reference: `${s!.reference}-01`, procedure: PROCEDURE, department: 'bosai', channel: 'online', lifeEvent: null }),
      ]);
      await tx.query(
        `WITH head AS (SELECT seq, hash FROM audit.head FOR UPDATE),
         entry AS (
           INSERT INTO audit.entries (seq, at, actor_type, actor_id, actor_name, purpose, action, subject_ids, fields, prev_hash, hash)
           SELECT head.seq + 1, now(), 'resident', $1, 'resident', 'application-intake', 'application.submit', ARRAY[$2::uuid], '{application}', head.hash,
                  encode(sha256(convert_to(head.hash || (head.seq + 1)::text, 'UTF8')), 'hex') FROM head
           RETURNING seq, hash)
         UPDATE audit.head SET seq = entry.seq, hash = entry.hash FROM entry`,
        [person, person],
      );
      await tx.query(`INSERT INTO platform.mail_queue (tag, ref, to_address, subject, body) VALUES ('application.receipt', $1, 'resident@example.jp', $2, $3)`, [
        s!.reference, `【みどり町】申請を受け付けました（受付番号 ${s!.reference}）`, mailText,
      ]);
    });
  };
  await run('warm-up', WARMUP, C, (i) => insertSql(i));
  const viaSql = await run('the same rows in SQL, 1 tx', submissions, C, (i) => insertSql(WARMUP + i));

  console.log(row(viaApi));
  console.log(row(viaSql));
  console.log(ratio(viaApi, viaSql));
  await server.close();
}

async function main(): Promise<void> {
  console.log(`bench:intake — node ${process.version}, ${new Date().toISOString()}`);
  await onEachDatabase(values.only, (label, db, kind) => bench(label, db, Number(kind === 'pglite' ? values['pglite-submissions'] : values.submissions)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
