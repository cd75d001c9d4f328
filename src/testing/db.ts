/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new
 * database on the server named by TEST_DATABASE_URL (dropped again by `close`).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../platform/db/db.js';
import { migrate } from '../platform/db/migrate.js';

export interface TestDb extends Db {
  /** Drops the throwaway database (PostgreSQL) and closes connections. */
  close(): Promise<void>;
}

export const testDatabaseUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

export async function openTestDb(opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const serverUrl = testDatabaseUrl();
  let db: Db;
  let drop: (() => Promise<void>) | undefined;
  if (serverUrl) {
    const name = `yakuba_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    db = await openDb({ url: url.toString(), poolSize: 6 });
    drop = async () => {
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  } else {
    db = await openDb({});
  }
  if (opts.migrate !== false) await migrate(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await close();
      if (drop) await drop();
    },
  });
}
