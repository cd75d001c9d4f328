/** Small helpers for the benchmarks: timing, percentiles, concurrency, printing, a scratch database. */
import pg from 'pg';
import { openDb, type Db } from '../src/platform/db/db.js';

export interface Result {
  name: string;
  ops: number;
  seconds: number;
  latenciesMs: number[];
}

export const perSecond = (r: Result) => r.ops / r.seconds;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `total` operations with `concurrency` workers; each `op(i)` is timed. */
export async function run(name: string, total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next;
      next += 1;
      if (i >= total) return;
      const t0 = performance.now();
      await op(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { name, ops: total, seconds: (performance.now() - started) / 1000, latenciesMs: latencies.sort((a, b) => a - b) };
}

export function row(r: Result): string {
  return `${r.name.padEnd(44)} ${perSecond(r).toFixed(0).padStart(8)}/s   p50 ${percentile(r.latenciesMs, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(r.latenciesMs, 99).toFixed(2).padStart(7)} ms`;
}

export function ratio(app: Result, sql: Result): string {
  return `   → yakuba / SQL: ${(perSecond(app) / perSecond(sql)).toFixed(2)} of the throughput, p50 ×${(percentile(app.latenciesMs, 50) / Math.max(percentile(sql.latenciesMs, 50), 0.001)).toFixed(1)}`;
}

/** The PostgreSQL server benchmarks run against (a fresh database is created on it and dropped). */
export const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new, empty database on PG_URL for one run, and how to drop it afterwards. */
export async function freshPostgres(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const name = `yakuba_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const db = await openDb({ url: url.toString(), poolSize: 10 });
  return {
    db,
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Runs a benchmark on embedded PGlite and on a scratch PostgreSQL database (or only one: `--only`). */
export async function onEachDatabase(only: string | undefined, run: (label: string, db: Db, kind: 'pglite' | 'postgres') => Promise<void>): Promise<void> {
  if (only !== 'postgres') {
    const db = await openDb({});
    try {
      await run('PGlite (embedded, in memory)', db, 'pglite');
    } finally {
      await db.close();
    }
  }
  if (only !== 'pglite') {
    const { db, drop } = await freshPostgres();
    try {
      await run(`PostgreSQL (${new URL(PG_URL).host})`, db, 'postgres');
    } finally {
      await db.close();
      await drop();
    }
  }
}
