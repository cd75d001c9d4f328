/**
 * bench:hub — person lookups and change records through yakuba's HTTP API (real port,
 * bearer token, purpose check, audit entry per read), next to the same work done directly
 * in SQL, on PGlite and on PostgreSQL. Not a test: it prints figures.
 *
 *   npm run bench:hub -- [--residents 20000] [--lookups 3000] [--changes 600] [--concurrency 8] [--only pglite|postgres]
 */
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/platform/config.js';
import type { Db } from '../src/platform/db/db.js';
import { migrate } from '../src/platform/db/migrate.js';
import { buildServer } from '../src/server.js';
import { installDemo } from '../src/demo.js';
import { onEachDatabase, ratio, row, run } from './lib.js';

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: '20000' },
    lookups: { type: 'string', default: '3000' },
    changes: { type: 'string', default: '600' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
  },
});
const N = Number(values.residents);
const LOOKUPS = Number(values.lookups);
const CHANGES = Number(values.changes);
const C = Number(values.concurrency);


async function bench(label: string, db: Db): Promise<void> {
  console.log(`\n## ${label}: ${N} residents, ${C} concurrent clients`);
  await migrate(db);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const seeding = await buildServer(config, db);
  const t0 = performance.now();
  await installDemo(db, seeding, { residents: N, seed: 1, today: '2026-11-22' });
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await seeding.close();
  const server = await buildServer(config, db);
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  const tok = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'demo-spoke', client_secret: 'demo-spoke-secret' }),
  });
  const token = ((await tok.json()) as { access_token: string }).access_token;
  const ids = (await db.query<{ id: string; household_id: string }>(`SELECT id, household_id FROM registry.persons WHERE status = 'resident' ORDER BY id`)).map((r) => r);
  const pick = (i: number) => ids[(i * 7919) % ids.length]!;
  const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'application-review' };

  // -- lookups ------------------------------------------------------------------------------
  const viaApi = await run('person lookup via API (audited)', LOOKUPS, C, async (i) => {
    const res = await fetch(`${base}/api/v1/persons/${pick(i).id}`, { headers });
    if (res.status !== 200) throw new Error(`lookup ${res.status}`);
    await res.arrayBuffer();
  });
  const viaSql = await run('person lookup in SQL (same columns)', LOOKUPS, C, async (i) => {
    await db.query(
      `SELECT p.id, p.family_name, p.given_name, p.family_name_kana, p.given_name_kana, p.sex, p.birth_date, p.status, p.household_id,
              p.relation_to_head, a.* FROM registry.persons p JOIN registry.addresses a ON a.id = p.address_id WHERE p.id = $1`,
      [pick(i).id],
    );
  });
  // The limit for an audited read: the same SELECT and a chained audit row appended in one
  // statement (head locked, hashed in SQL, head moved), committed together.
  const viaSqlAudited = await run('person lookup in SQL + chained audit row, 1 tx', LOOKUPS, C, async (i) => {
    await db.transaction(async (tx) => {
      await tx.query(`SELECT p.*, a.* FROM registry.persons p JOIN registry.addresses a ON a.id = p.address_id WHERE p.id = $1`, [pick(i).id]);
      await tx.query(
        `WITH head AS (SELECT seq, hash FROM audit.head FOR UPDATE),
         entry AS (
           INSERT INTO audit.entries (seq, at, actor_type, actor_id, actor_name, purpose, action, subject_ids, fields, prev_hash, hash)
           SELECT head.seq + 1, now(), 'client', 'bench', 'bench', 'application-review', 'person.read', ARRAY[$1::uuid], '{}', head.hash,
                  encode(sha256(convert_to(head.hash || (head.seq + 1)::text, 'UTF8')), 'hex') FROM head
           RETURNING seq, hash)
         UPDATE audit.head SET seq = entry.seq, hash = entry.hash FROM entry`,
        [pick(i).id],
      );
    });
  });
  console.log(row(viaApi));
  console.log(row(viaSql));
  console.log(row(viaSqlAudited));
  console.log(ratio(viaApi, viaSql), '(vs bare SELECT)');
  console.log(ratio(viaApi, viaSqlAudited), '(vs SELECT + audit row)');

  // -- change records (move-within of distinct households) ----------------------------------
  const households = [...new Set(ids.map((r) => r.household_id))];
  const address = (n: number) => ({
    lgCode: '349992', machiazaId: '0001000', prefecture: '広島県', city: 'みどり町', town: '大字みどり', block: `${n}番地`, building: null,
    full: `広島県みどり町大字みどり${n}番地`, lat: 34.7, lon: 132.3,
  });
  const changes = Math.min(CHANGES, Math.floor(households.length / 2));
  const applyApi = await run('change record via API (move-within)', changes, C, async (i) => {
    const res = await fetch(`${base}/api/v1/registry/changes`, {
      method: 'POST',
      headers: { ...headers, 'x-purpose': 'registry-maintenance', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'move-within', sourceRef: `bench-${db.kind}-${i}`, effectiveDate: '2026-11-22', householdId: households[i], address: address(i) }),
    });
    if (res.status !== 201) throw new Error(`change ${res.status} ${await res.text()}`);
  });
  const applySql = await run('the same writes in SQL, 1 tx', changes, C, async (i) => {
    const hh = households[changes + i]!;
    await db.transaction(async (tx) => {
      const a = address(i);
      const [addr] = await tx.query<{ id: string }>(
        `INSERT INTO registry.addresses (id, lg_code, machiaza_id, prefecture, city, town, block, building, full_text, lat, lon)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [a.lgCode, a.machiazaId, a.prefecture, a.city, a.town, a.block, a.building, a.full, a.lat, a.lon],
      );
      await tx.query('UPDATE registry.households SET address_id = $2 WHERE id = $1', [hh, addr!.id]);
      const members = await tx.query<{ id: string }>(`UPDATE registry.persons SET address_id = $2 WHERE household_id = $1 AND status = 'resident' RETURNING id`, [hh, addr!.id]);
      const ids = members.map((m) => m.id);
      await tx.query(`UPDATE registry.person_history SET valid = daterange(lower(valid), '2026-11-22', '[)') WHERE person_id = ANY($1::uuid[]) AND upper_inf(valid)`, [ids]);
      await tx.query(
        `INSERT INTO registry.person_history (person_id, valid, family_name, given_name, family_name_kana, given_name_kana, status, household_id, relation_to_head, address_id)
         SELECT id, daterange('2026-11-22', NULL, '[)'), family_name, given_name, family_name_kana, given_name_kana, status, household_id, relation_to_head, address_id
           FROM registry.persons WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      await tx.query(
        `INSERT INTO registry.changes (id, source_ref, type, effective_date, body, body_hash, person_ids, actor_id)
         VALUES (gen_random_uuid(), $1, 'move-within', '2026-11-22', '{}', 'x', $2::uuid[], 'bench')`,
        [`sql-${db.kind}-${i}`, ids],
      );
      await tx.query(`INSERT INTO outbox.events (type, subject_ids, payload) VALUES ('bench', $1::uuid[], '{}')`, [ids]);
      await tx.query(
        `WITH head AS (SELECT seq, hash FROM audit.head FOR UPDATE),
         entry AS (
           INSERT INTO audit.entries (seq, at, actor_type, actor_id, actor_name, purpose, action, subject_ids, fields, prev_hash, hash)
           SELECT head.seq + 1, now(), 'client', 'bench', 'bench', 'registry-maintenance', 'registry.change', $1::uuid[], '{}', head.hash,
                  encode(sha256(convert_to(head.hash || (head.seq + 1)::text, 'UTF8')), 'hex') FROM head
           RETURNING seq, hash)
         UPDATE audit.head SET seq = entry.seq, hash = entry.hash FROM entry`,
        [ids],
      );
    });
  });
  console.log(row(applyApi));
  console.log(row(applySql));
  console.log(ratio(applyApi, applySql));
  await server.close();
}

async function main(): Promise<void> {
  console.log(`bench:hub — node ${process.version}, ${new Date().toISOString()}`);
  await onEachDatabase(values.only, (label, db) => bench(label, db));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
