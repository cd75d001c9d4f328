/**
 * bench:booking — the race for popular slots: 500 signed-in residents book 50 slots at once
 * (10 for each slot) through yakuba's HTTP API (real port, session cookie, CSRF, the rules,
 * the per-booker lock, the exclusion constraint deciding between them, the hold, the audit
 * entry, the mail, the event). Each race must end with exactly 50 bookings, 450 answers 409 and
 * no two live claims overlapping (checked in SQL). On PGlite, on PostgreSQL, and with two
 * server processes on one PostgreSQL; next to the same inserts done directly in SQL (booking
 * and claim in one transaction, the constraint refusing the losers): the limit. Not a test: it
 * prints figures.
 *
 *   npm run bench:booking -- [--clients 500] [--slots 50] [--rounds 3] [--warmup 100] [--only pglite|postgres]
 *
 * With `--serve <postgres url>` it is one of the two server processes (started by the bench).
 * BENCH_LOG_LEVEL=error shows the server's own errors (silent by default).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/platform/config.js';
import { deriveKey, randomToken, signToken } from '../src/platform/crypto.js';
import { openDb, type Db } from '../src/platform/db/db.js';
import { migrate } from '../src/platform/db/migrate.js';
import { newId } from '../src/platform/ids.js';
import { buildServer } from '../src/server.js';
import { moveInFamily, person } from '../src/modules/registry/testing.js';
import { insertFacility, insertUnit, setHours } from '../src/modules/reservations/setup-store.js';
import { cookieHeader, csrfFrom } from '../src/testing/server.js';
import { freshPostgres, percentile, perSecond, run, type Result } from './lib.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    slots: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '100' },
    only: { type: 'string' },
    serve: { type: 'string' },
  },
});
const CLIENTS = Number(values.clients);
const SLOTS = Number(values.slots);
const ROUNDS = Number(values.rounds);
const WARMUP = Number(values.warmup);
const HOURS = 10; // 09:00–19:00, one-hour slots
const UNITS = Math.ceil(SLOTS / HOURS);
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent' });

// ---- the bench -----------------------------------------------------------------------------------

const jstDate = (days: number) => new Date(Date.now() + 9 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
const at = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+09:00`);

interface Town {
  residents: string[];
  facilityId: string;
  units: { id: string; code: string }[];
}

/** The bench facility (5 rooms, one-hour slots 9–19, every day, booking a year ahead) and 500 residents. */
async function prepare(db: Db): Promise<Town> {
  await migrate(db);
  const server = await buildServer(config, db);
  try {
    await server.access.createClient(db, { id: 'bench-core', name: 'Bench core system', secret: 'bench-core-secret', purposes: ['registry-maintenance'], fields: [], demo: true });
    const tok = await server.app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'bench-core', client_secret: 'bench-core-secret' } });
    const token = (tok.json() as { access_token: string }).access_token;
    const residents: string[] = [];
    for (let f = 0; residents.length < CLIENTS; f += 1) {
      const persons = [person({ givenName: `一郎${f}` }), ...[1, 2, 3, 4].map((k) => person({ givenName: `家族${f}-${k}`, relationToHead: '子', birthDate: '1990-01-01' }))];
      const res = await server.app.inject({ method: 'POST', url: '/api/v1/registry/changes', headers: { authorization: `Bearer ${token}`, 'x-purpose': 'registry-maintenance' }, payload: moveInFamily({ persons }) });
      if (res.statusCode !== 201) throw new Error(`move-in ${res.statusCode} ${res.body.slice(0, 300)}`);
      residents.push(...(res.json() as { personIds: string[] }).personIds);
    }
    const facilityId = newId();
    const units: Town['units'] = [];
    await db.transaction(async (tx) => {
      await insertFacility(tx, {
        id: facilityId, code: 'bench', kind: 'room', nameJa: 'ベンチ会館', nameEn: 'Bench hall', placeJa: '', placeEn: '', descriptionJa: '', descriptionEn: '', capacity: 20, slotMinutes: 60,
        holdMinutes: 30, konbiniHoldHours: 0, residentWindowDays: 400, nonresidentWindowDays: 30, windowOpensAt: '00:00', closesMinutesBefore: 60, cancelDeadlineDays: 1,
        surchargePercent: 50, maxActive: 100, lottery: false, sortOrder: 999, demo: true,
      });
      await setHours(tx, facilityId, [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '09:00', closes: '19:00' })));
      for (let u = 0; u < UNITS; u += 1) {
        const unit = { id: newId(), code: `room-${u + 1}` };
        await insertUnit(tx, { id: unit.id, facilityId, code: unit.code, nameJa: `${u + 1}号室`, nameEn: `Room ${u + 1}`, kind: 'space', hourlyFee: 300, capacity: null, sortOrder: u, demo: true });
        units.push(unit);
      }
    });
    return { residents: residents.slice(0, CLIENTS), facilityId, units };
  } finally {
    await server.close();
  }
}

/** Slot `i` of a date: the unit and the hour. */
const slotOf = (town: Town, date: string, i: number) => {
  const s = i % SLOTS;
  return { unit: town.units[Math.floor(s / HOURS)]!, start: at(date, 9 + (s % HOURS)), end: at(date, 10 + (s % HOURS)) };
};

interface Race {
  result: Result;
  won: number;
  refused: number;
}

/** Checks a race's outcome in SQL: exactly SLOTS live bookings that day, no overlapping live claims. */
async function verify(db: Db, town: Town, date: string, label: string, answers?: { won: number; refused: number }): Promise<string> {
  const [r] = await db.query<{ bookings: number; overlaps: number }>(
    `SELECT (SELECT count(*) FROM reservations.bookings WHERE facility_id = $1 AND state = 'held' AND period && tstzrange($2, $3))::int AS bookings,
            (SELECT count(*) FROM reservations.claims a JOIN reservations.claims b ON a.unit_id = b.unit_id AND a.id < b.id AND a.period && b.period
              WHERE a.released_at IS NULL AND b.released_at IS NULL)::int AS overlaps`,
    [town.facilityId, at(date, 0), at(date, 23)],
  );
  const ok = r!.bookings === SLOTS && r!.overlaps === 0 && (!answers || (answers.won === SLOTS && answers.refused === CLIENTS - SLOTS));
  const line = `${label} ${date}: ${r!.bookings} bookings, ${r!.overlaps} overlaps${answers ? `, ${answers.won} × 201, ${answers.refused} × 409` : ''}`;
  if (!ok) throw new Error(`race failed — ${line}`);
  return line;
}

/** The residents' sessions on each server: cookie and CSRF token. */
async function sessions(bases: string[], town: Town) {
  const key = deriveKey(config.secret, 'cookie');
  const perBase = await Promise.all(
    bases.map(async (base) => {
      const page = await fetch(`${base}/staff/sign-in`);
      return { base, csrfCookie: cookieHeader(page.headers.getSetCookie()), csrf: csrfFrom(await page.text()) };
    }),
  );
  return town.residents.map((id, i) => {
    const b = perBase[i % perBase.length]!;
    const cookie = `yk_session=${signToken(key, { k: 'resident', id, demo: false, sid: randomToken(16) }, config.sessionTtlSeconds)}; ${b.csrfCookie}`;
    return { base: b.base, headers: { cookie, 'x-csrf-token': b.csrf, 'content-type': 'application/json' } };
  });
}

async function raceApi(db: Db, bases: string[], town: Town, date: string, label: string, clients = CLIENTS): Promise<Race> {
  const who = await sessions(bases, town);
  let won = 0;
  let refused = 0;
  const result = await run(label, clients, clients, async (i) => {
    const s = slotOf(town, date, i);
    const res = await fetch(`${who[i]!.base}/api/v1/bookings`, {
      method: 'POST',
      headers: who[i]!.headers,
      body: JSON.stringify({ facility: 'bench', unit: s.unit.code, start: s.start.toISOString(), people: 2, purposeOfUse: '練習' }),
    });
    const body = await res.text();
    if (res.status === 201) won += 1;
    else if (res.status === 409 && body.includes('この枠はすでに予約されています')) refused += 1;
    else throw new Error(`booking ${res.status} ${body.slice(0, 300)}`);
  });
  return { result, won, refused };
}

async function raceSql(db: Db, town: Town, date: string, label: string): Promise<Race> {
  let won = 0;
  let refused = 0;
  const result = await run(label, CLIENTS, CLIENTS, async (i) => {
    const s = slotOf(town, date, i);
    const id = randomUUID();
    try {
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO reservations.bookings (id, reference, facility_id, unit_id, period, state, booker_kind, person_id, people, purpose_of_use, base_amount, amount, hold_until, source, created_at, demo)
           VALUES ($1, 'B-' || lpad(nextval('reservations.booking_number')::text, 8, '0'), $2, $3, tstzrange($4, $5), 'held', 'resident', $6, 2, '練習', 300, 300, now() + interval '30 minutes', 'online', now(), true)`,
          [id, town.facilityId, s.unit.id, s.start, s.end, town.residents[i]!],
        );
        await tx.query(`INSERT INTO reservations.claims (unit_id, period, booking_id) VALUES ($1, tstzrange($2, $3), $4)`, [s.unit.id, s.start, s.end, id]);
      });
      won += 1;
    } catch (err) {
      if ((err as { code?: string }).code !== '23P01') throw err;
      refused += 1;
    }
  });
  return { result, won, refused };
}

/** Rounds of one kind of race, each on a fresh day, verified, their timings pooled. */
async function rounds(db: Db, town: Town, label: string, firstDay: number, race: (date: string) => Promise<Race>): Promise<Result> {
  const pooled: Result = { name: label, ops: 0, seconds: 0, latenciesMs: [] };
  for (let r = 0; r < ROUNDS; r += 1) {
    const date = jstDate(firstDay + r);
    const x = await race(date);
    console.log(`  ${await verify(db, town, date, `${label}, round ${r + 1}`, x)}`);
    pooled.ops += x.result.ops;
    pooled.seconds += x.result.seconds;
    pooled.latenciesMs.push(...x.result.latenciesMs);
  }
  pooled.latenciesMs.sort((a, b) => a - b);
  return pooled;
}

const fmt = (r: Result) =>
  `${r.name.padEnd(40)} ${(perSecond(r)).toFixed(0).padStart(6)} answers/s ${((SLOTS * (r.ops / CLIENTS)) / r.seconds).toFixed(0).padStart(6)} bookings/s   p50 ${percentile(r.latenciesMs, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(r.latenciesMs, 99).toFixed(1).padStart(7)} ms`;
const versus = (app: Result, sql: Result) =>
  `   → yakuba / SQL: ${(perSecond(app) / perSecond(sql)).toFixed(2)} of the throughput, p99 ×${(percentile(app.latenciesMs, 99) / Math.max(percentile(sql.latenciesMs, 99), 0.001)).toFixed(1)}`;

async function oneServer(label: string, db: Db, town: Town, day: number): Promise<Result> {
  const server = await buildServer(config, db);
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  try {
    const warm = await raceApi(db, [base], town, jstDate(day), 'warm-up', Math.min(WARMUP, CLIENTS));
    console.log(`  warm-up: ${warm.won} booked, ${warm.refused} refused`);
    return await rounds(db, town, label, day + 1, (date) => raceApi(db, [base], town, date, label));
  } finally {
    await server.close();
  }
}

/** Starts a server process on the database; resolves with its address once it listens. */
function startProcess(url: string): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', url], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, base: `http://127.0.0.1:${m[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`server process ended (${code}) before listening`)));
  });
}

async function twoProcesses(url: string, db: Db, town: Town, day: number): Promise<Result> {
  const procs = await Promise.all([startProcess(url), startProcess(url)]);
  try {
    const bases = procs.map((p) => p.base);
    const warm = await raceApi(db, bases, town, jstDate(day), 'warm-up', Math.min(WARMUP, CLIENTS));
    console.log(`  warm-up: ${warm.won} booked, ${warm.refused} refused`);
    return await rounds(db, town, 'race via API (2 server processes)', day + 1, (date) => raceApi(db, bases, town, date, 'race via API (2 server processes)'));
  } finally {
    for (const p of procs) {
      const ended = new Promise((r) => p.child.once('exit', r));
      p.child.kill('SIGTERM');
      await ended;
    }
  }
}

async function main(): Promise<void> {
  console.log(`# bench:booking — ${CLIENTS} concurrent residents racing for ${SLOTS} slots (${CLIENTS / SLOTS} per slot), ${ROUNDS} rounds each`);
  console.log('answers/s: 201s and 409s per second; bookings/s: slots booked per second of race; p50/p99: one resident’s wait, all arriving at once');
  if (values.only !== 'postgres') {
    const db = await openDb({});
    try {
      console.log('\n## PGlite (embedded, in memory; one query at a time: the concurrent requests queue on it)');
      const town = await prepare(db);
      const api = await oneServer('race via API (1 server)', db, town, 10);
      const sql = await rounds(db, town, 'the same inserts in SQL', 20, (date) => raceSql(db, town, date, 'the same inserts in SQL'));
      console.log(fmt(api));
      console.log(fmt(sql));
      console.log(versus(api, sql));
    } finally {
      await db.close();
    }
  }
  if (values.only !== 'pglite') {
    const { db, drop } = await freshPostgres();
    try {
      const url = new URL(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
      url.pathname = `/yakuba_bench_${process.pid}`;
      console.log(`\n## PostgreSQL (${url.host}; pool of 10 connections per server process)`);
      const town = await prepare(db);
      const api = await oneServer('race via API (1 server)', db, town, 10);
      const two = await twoProcesses(url.toString(), db, town, 30);
      const sql = await rounds(db, town, 'the same inserts in SQL', 20, (date) => raceSql(db, town, date, 'the same inserts in SQL'));
      console.log(fmt(api));
      console.log(fmt(two));
      console.log(fmt(sql));
      console.log(versus(api, sql));
      console.log(versus(two, sql));
    } finally {
      await db.close();
      await drop();
    }
  }
}

// ---- one of the two server processes, or the bench -------------------------------------------

async function serve(url: string): Promise<void> {
  const db = await openDb({ url, poolSize: 10 });
  const server = await buildServer(config, db);
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`PORT ${(server.app.server.address() as AddressInfo).port}\n`);
  const stop = async () => {
    await server.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

if (values.serve) await serve(values.serve);
else await main();
