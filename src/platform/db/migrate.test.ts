import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../testing/db.js';
import { listMigrations, migrate, MIGRATION_NAME, MIGRATIONS_DIR } from './migrate.js';

describe('migrations', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb({ migrate: false });
  });
  afterAll(async () => db.close());

  it('are named NNNN_snake_case.sql and numbered 1, 2, 3… without gaps', () => {
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => !f.startsWith('.'));
    for (const f of files) expect(f).toMatch(MIGRATION_NAME);
    expect(listMigrations().map((m) => m.version)).toEqual(files.map((_, i) => i + 1));
  });

  it('apply in order to an empty database, and a second run applies nothing', async () => {
    const applied = await migrate(db);
    expect(applied).toEqual(listMigrations().map((m) => m.name));
    expect(await migrate(db)).toEqual([]);
    const schemas = await db.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname IN ('platform', 'outbox', 'audit', 'access', 'registry') ORDER BY nspname`,
    );
    expect(schemas.map((s) => s.nspname)).toEqual(['access', 'audit', 'outbox', 'platform', 'registry']);
  });

  it('use only what both PostgreSQL 15 and PGlite provide (the registry exclusion constraint works)', async () => {
    const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'btree_gist'`);
    expect(rows[0]?.n).toBe(1);
  });
});
