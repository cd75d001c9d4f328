/**
 * bench:cases — case processing: officers moving cases over the HTTP API (session, CSRF,
 * If-Match, row lock, version and transition checks, timeline step, audit entry, event, the
 * resident's mail) next to the same rows written directly in SQL; and the metrics dashboard's
 * query over the demo town's year of history, through the API and called directly. On PGlite
 * and on PostgreSQL. Not a test: it prints figures.
 *
 *   npm run bench:cases -- [--residents 5000] [--actions 400] [--pglite-actions 200] [--metrics 40] [--concurrency 8] [--only pglite|postgres]
 */
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/platform/config.js';
import type { Db } from '../src/platform/db/db.js';
import { migrate } from '../src/platform/db/migrate.js';
import { recordAccess } from '../src/platform/audit.js';
import { newId } from '../src/platform/ids.js';
import { buildServer } from '../src/server.js';
import { DEMO_PASSWORD, installDemo } from '../src/demo.js';
import { caseMetrics } from '../src/modules/cases/metrics.js';
import { cookieHeader, csrfFrom } from '../src/testing/server.js';
import { onEachDatabase, ratio, row, run } from './lib.js';

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: '5000' },
    actions: { type: 'string', default: '400' },
    'pglite-actions': { type: 'string', default: '200' },
    metrics: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
  },
});
const N = Number(values.residents);
const C = Number(values.concurrency);
const M = Number(values.metrics);
const TODAY = '2026-11-22';
const PROCEDURE = 'residence-certificate-request';

/** Signs a demo staff member in through the form and chooses the purpose, as a browser would. */
async function staffSession(base: string, login: string): Promise<Record<string, string>> {
  const form = await fetch(`${base}/staff/sign-in`);
  let cookie = cookieHeader(form.headers.getSetCookie());
  const signedIn = await fetch(`${base}/staff/sign-in`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login, password: DEMO_PASSWORD, _csrf: csrfFrom(await form.text()) }).toString(),
  });
  if (signedIn.status !== 303) throw new Error(`sign-in ${signedIn.status}`);
  cookie = cookieHeader(signedIn.headers.getSetCookie(), cookie);
  const page = await fetch(`${base}/staff/purpose`, { headers: { cookie } });
  const csrf = csrfFrom(await page.text());
  const chosen = await fetch(`${base}/staff/purpose`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ purpose: 'application-review', _csrf: csrf }).toString(),
  });
  cookie = cookieHeader(chosen.headers.getSetCookie(), cookie);
  return { cookie, 'x-csrf-token': csrf, 'x-purpose': 'application-review', 'content-type': 'application/json' };
}

/** Opens `n` received cases of one procedure directly (their applications are not needed to move them). */
async function openCases(db: Db, n: number, tag: string): Promise<string[]> {
  const ids = Array.from({ length: n }, () => newId());
  await db.query(
    `INSERT INTO cases.cases (id, application_id, reference, procedure_code, department, channel, state, received_at, standard_days, due_date, demo)
     SELECT id, gen_random_uuid(), $2 || '-' || lpad(ord::text, 6, '0') || '-01', $3, 'jumin', 'online', 'received', now(), 7, $4::date + 7, true
       FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, ord)`,
    [ids, `B${tag}`, PROCEDURE, TODAY],
  );
  await db.query(
    `INSERT INTO cases.steps (case_id, seq, action, from_state, to_state, at, actor_kind) SELECT id, 1, 'receive', NULL, 'received', now(), 'system' FROM unnest($1::uuid[]) AS id`,
    [ids],
  );
  return ids;
}

async function bench(label: string, db: Db, actions: number): Promise<void> {
  console.log(`\n## ${label}: ${N} residents with a year of case history; ${actions} case actions, ${C} concurrent officers; ${M} metrics reads`);
  if (db.kind === 'pglite') console.log('(PGlite runs one query at a time: the concurrent requests queue on it)');
  await migrate(db);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent' });
  const seeding = await buildServer(config, db, { today: () => TODAY });
  const t0 = performance.now();
  await installDemo(db, seeding, { residents: N, seed: 1, today: TODAY });
  await seeding.close();
  const [history] = await db.query<{ cases: number; steps: number }>('SELECT (SELECT count(*) FROM cases.cases)::int AS cases, (SELECT count(*) FROM cases.steps)::int AS steps');
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${history!.cases} cases, ${history!.steps} timeline steps`);

  const server = await buildServer(config, db, { today: () => TODAY });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  try {
    const officer = await staffSession(base, 'shinsa');
    const viaApi = await openCases(db, actions, `${db.kind}A`);
    const viaSql = await openCases(db, actions, `${db.kind}S`);

    // -- start-review through yakuba: If-Match with the version read before -------------------
    const act = async (i: number) => {
      const res = await fetch(`${base}/api/v1/cases/${viaApi[i]}/actions`, {
        method: 'POST', headers: { ...officer, 'if-match': '"1"' }, body: JSON.stringify({ action: 'start-review' }),
      });
      if (res.status !== 200) throw new Error(`action ${res.status} ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
    };
    const api = await run('start-review via API (If-Match)', actions, C, act);
    const [moved] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases.cases WHERE id = ANY($1::uuid[]) AND state = 'in-review' AND lock_version = 2`, [viaApi]);
    if (moved!.n !== actions) throw new Error(`expected ${actions} cases in review, found ${moved!.n}`);

    // -- the limit: lock, update, step, event, chained audit entry in one transaction -------------
    const staffId = (await server.access.findStaffId('shinsa'))!;
    const sql = async (i: number) => {
      await db.transaction(async (tx) => {
        const [c] = await tx.query<{ lock_version: number }>('SELECT lock_version FROM cases.cases WHERE id = $1 FOR UPDATE', [viaSql[i]]);
        if (c!.lock_version !== 1) throw new Error('stale');
        await tx.query(`UPDATE cases.cases SET state = 'in-review', assignee = $2, lock_version = lock_version + 1, updated_at = now() WHERE id = $1`, [viaSql[i], staffId]);
        await tx.query(
          `INSERT INTO cases.steps (case_id, seq, action, from_state, to_state, at, actor_kind, actor_id, actor_name) VALUES ($1, 2, 'start-review', 'received', 'in-review', now(), 'staff', $2, '審査 一郎')`,
          [viaSql[i], staffId],
        );
        await tx.query(`INSERT INTO outbox.events (type, subject_ids, payload) VALUES ('case.changed', '{}', $1::jsonb)`, [JSON.stringify({ caseId: viaSql[i], action: 'start-review' })]);
        await recordAccess(tx, { actorType: 'staff', actorId: staffId, actorName: '審査 一郎', role: 'case-officer', purpose: 'application-review', action: 'case.start-review', subjectIds: [], fields: ['case'], requestId: `sql-${i}`, sourceIp: '127.0.0.1' });
      });
    };
    const direct = await run('the same rows in SQL', actions, C, sql);
    console.log(row(api));
    console.log(row(direct));
    console.log(ratio(api, direct));

    // -- metrics over the year: the dashboard's query through the API, and called directly ------
    const q = { from: '2025-11-23', to: TODAY, by: 'procedure' as const };
    const viaHttp = await run('metrics via API (12 months, by procedure)', M, 2, async () => {
      const res = await fetch(`${base}/api/v1/metrics/cases?from=${q.from}&to=${q.to}&by=${q.by}`, { headers: officer });
      if (res.status !== 200) throw new Error(`metrics ${res.status} ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
    });
    const viaFn = await run('the same queries called directly', M, 2, async () => {
      await caseMetrics(db, q);
    });
    const result = await caseMetrics(db, q);
    console.log(`metrics: ${result.total.received} received, ${result.total.completed} completed, backlog ${result.total.backlog}, median ${result.total.processingDays.median} days`);
    console.log(row(viaHttp));
    console.log(row(viaFn));
    console.log(ratio(viaHttp, viaFn));
  } finally {
    await server.close();
  }
}

await onEachDatabase(values.only, (label, db, kind) => bench(label, db, Number(kind === 'pglite' ? values['pglite-actions'] : values.actions)));
