/** SQL of registry.person_history and registry.changes: valid-time history and the kept change records. */
import type { Queryable } from '../../platform/db/db.js';

export interface Snapshot {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  status: string;
  householdId: string | null;
  relationToHead: string;
  addressId: string;
}

export interface HistoryRow {
  person_id: string;
  valid_from: string;
  valid_to: string | null;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  status: string;
  household_id: string | null;
  relation_to_head: string;
  address_id: string;
  change_id: string | null;
}

const HISTORY_COLUMNS = `person_id, lower(valid)::text AS valid_from, upper(valid)::text AS valid_to, family_name, given_name,
  family_name_kana, given_name_kana, status, household_id, relation_to_head, address_id, change_id`;

export async function openHistoryRows(
  db: Queryable,
  rows: readonly { personId: string; from: string; s: Snapshot; changeId: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  const col = (f: (r: (typeof rows)[number]) => unknown) => rows.map(f);
  await db.query(
    `INSERT INTO registry.person_history (person_id, valid, family_name, given_name, family_name_kana, given_name_kana, status,
       household_id, relation_to_head, address_id, change_id)
     SELECT u.pid, daterange(u.vfrom, NULL, '[)'), u.fn, u.gn, u.fk, u.gk, u.st, u.hh, u.rel, u.addr, u.chg
       FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::text[],
                   $10::uuid[], $11::uuid[]) AS u(pid, vfrom, fn, gn, fk, gk, st, hh, rel, addr, chg)`,
    [col((r) => r.personId), col((r) => r.from), col((r) => r.s.familyName), col((r) => r.s.givenName), col((r) => r.s.familyNameKana),
      col((r) => r.s.givenNameKana), col((r) => r.s.status), col((r) => r.s.householdId), col((r) => r.s.relationToHead),
      col((r) => r.s.addressId), col((r) => r.changeId)],
  );
}

/**
 * The persons `ids` enter a new state from `from` on, taken from their current rows, in four
 * statements whatever the household size. Returns the id of a person whose history already
 * runs past `from` (the change would rewrite the past), or undefined when done.
 */
export async function recordStates(db: Queryable, ids: readonly string[], from: string, changeId: string): Promise<string | undefined> {
  if (ids.length === 0) return undefined;
  const later = await db.query<{ person_id: string }>(
    `SELECT person_id FROM registry.person_history WHERE person_id = ANY($1::uuid[]) AND upper_inf(valid) AND lower(valid) > $2::date LIMIT 1`,
    [ids, from],
  );
  if (later[0]) return later[0].person_id;
  // A second change on the same day replaces that day's stretch.
  await db.query(`DELETE FROM registry.person_history WHERE person_id = ANY($1::uuid[]) AND upper_inf(valid) AND lower(valid) = $2::date`, [ids, from]);
  await db.query(
    `UPDATE registry.person_history SET valid = daterange(lower(valid), $2::date, '[)') WHERE person_id = ANY($1::uuid[]) AND upper_inf(valid)`,
    [ids, from],
  );
  await db.query(
    `INSERT INTO registry.person_history (person_id, valid, family_name, given_name, family_name_kana, given_name_kana, status,
       household_id, relation_to_head, address_id, change_id)
     SELECT id, daterange($2::date, NULL, '[)'), family_name, given_name, family_name_kana, given_name_kana, status, household_id,
            relation_to_head, address_id, $3::uuid
       FROM registry.persons WHERE id = ANY($1::uuid[])`,
    [ids, from, changeId],
  );
  return undefined;
}

export async function historyOf(db: Queryable, personId: string): Promise<HistoryRow[]> {
  return db.query<HistoryRow>(`SELECT ${HISTORY_COLUMNS} FROM registry.person_history WHERE person_id = $1 ORDER BY lower(valid)`, [personId]);
}

export async function historyAsOf(db: Queryable, personId: string, date: string): Promise<HistoryRow | undefined> {
  return (
    await db.query<HistoryRow>(`SELECT ${HISTORY_COLUMNS} FROM registry.person_history WHERE person_id = $1 AND valid @> $2::date`, [
      personId,
      date,
    ])
  )[0];
}

// ---- change records ------------------------------------------------------------------------

export interface ChangeRow {
  id: string;
  source_ref: string;
  type: string;
  effective_date: string;
  body_hash: string;
  person_ids: string[];
  recorded_at: Date;
}

export async function findChangeBySourceRef(db: Queryable, sourceRef: string): Promise<ChangeRow | undefined> {
  return (
    await db.query<ChangeRow>(
      'SELECT id, source_ref, type, effective_date, body_hash, person_ids, recorded_at FROM registry.changes WHERE source_ref = $1',
      [sourceRef],
    )
  )[0];
}

export async function insertChange(
  db: Queryable,
  c: { id: string; sourceRef: string; type: string; effectiveDate: string; body: unknown; bodyHash: string; personIds: string[]; actorId: string },
): Promise<ChangeRow> {
  const [row] = await db.query<ChangeRow>(
    `INSERT INTO registry.changes (id, source_ref, type, effective_date, body, body_hash, person_ids, actor_id)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::uuid[], $8)
     RETURNING id, source_ref, type, effective_date, body_hash, person_ids, recorded_at`,
    [c.id, c.sourceRef, c.type, c.effectiveDate, JSON.stringify(c.body), c.bodyHash, c.personIds, c.actorId],
  );
  return row!;
}

export async function changesOf(db: Queryable, personId: string): Promise<ChangeRow[]> {
  return db.query<ChangeRow>(
    `SELECT id, source_ref, type, effective_date, body_hash, person_ids, recorded_at FROM registry.changes
      WHERE person_ids @> ARRAY[$1::uuid] ORDER BY effective_date, recorded_at`,
    [personId],
  );
}
