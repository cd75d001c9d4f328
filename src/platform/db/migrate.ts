/**
 * Forward-only SQL migrations: `migrations/NNNN_name.sql`, applied in order, each in its
 * own transaction, recorded in `platform.migrations`. Several processes starting at once
 * are serialised by an advisory lock (PostgreSQL); PGlite has only one connection.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'migrations');
export const MIGRATION_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return files.map((name) => {
    const m = MIGRATION_NAME.exec(name);
    if (!m) throw new Error(`migration file name must look like 0001_name.sql: ${name}`);
    return { version: Number(m[1]), name, sql: readFileSync(join(dir, name), 'utf8') };
  });
}

const LOCK_KEY = 73_112_024;

export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = listMigrations(dir);
  const applied: string[] = [];
  // Each step takes a transaction-scoped advisory lock, so processes starting together on
  // one PostgreSQL apply each migration once; PGlite has a single connection anyway.
  const lock = async (tx: Queryable) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
  };
  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.exec(`CREATE SCHEMA IF NOT EXISTS platform;
      CREATE TABLE IF NOT EXISTS platform.migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  for (const m of migrations) {
    const ran = await db.transaction(async (tx) => {
      await lock(tx);
      const done = await tx.query('SELECT 1 FROM platform.migrations WHERE version = $1', [m.version]);
      if (done.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO platform.migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (ran) applied.push(m.name);
  }
  return applied;
}
