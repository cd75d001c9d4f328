/** SQL of the `registry` schema only. Columns are listed explicitly; nothing else reads these tables. */
import type { Queryable } from '../../platform/db/db.js';
import type { Address, PersonRecord } from './schema.js';

export interface PersonRow {
  id: string;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  sex: 0 | 1 | 2 | 9;
  birth_date: string;
  status: PersonRecord['status'];
  household_id: string | null;
  relation_to_head: string;
  address_id: string;
  my_number_enc: string | null;
  demo: boolean;
  version: number;
}

interface AddressRow {
  id: string;
  lg_code: string;
  machiaza_id: string;
  prefecture: string;
  city: string;
  town: string;
  block: string;
  building: string | null;
  full_text: string;
  lat: number | null;
  lon: number | null;
}

const PERSON_COLUMNS =
  'p.id, p.family_name, p.given_name, p.family_name_kana, p.given_name_kana, p.sex, p.birth_date, p.status, p.household_id, p.relation_to_head, p.address_id, p.my_number_enc, p.demo, p.version';
const ADDRESS_COLUMNS = 'a.id, a.lg_code, a.machiaza_id, a.prefecture, a.city, a.town, a.block, a.building, a.full_text, a.lat, a.lon';

export function toAddress(r: AddressRow): Address {
  return {
    lgCode: r.lg_code,
    machiazaId: r.machiaza_id,
    prefecture: r.prefecture,
    city: r.city,
    town: r.town,
    block: r.block,
    building: r.building,
    full: r.full_text,
    lat: r.lat,
    lon: r.lon,
  };
}

export async function insertAddress(db: Queryable, id: string, a: Address): Promise<void> {
  await db.query(
    `INSERT INTO registry.addresses (id, lg_code, machiaza_id, prefecture, city, town, block, building, full_text, lat, lon)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [id, a.lgCode, a.machiazaId, a.prefecture, a.city, a.town, a.block, a.building, a.full, a.lat, a.lon],
  );
}

export async function findAddresses(db: Queryable, ids: readonly string[]): Promise<Map<string, Address>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<AddressRow>(`SELECT ${ADDRESS_COLUMNS} FROM registry.addresses a WHERE a.id = ANY($1::uuid[])`, [
    [...new Set(ids)],
  ]);
  return new Map(rows.map((r) => [r.id, toAddress(r)]));
}

// ---- persons -----------------------------------------------------------------------------

export async function findPersons(db: Queryable, ids: readonly string[], opts: { lock?: boolean } = {}): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return db.query<PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM registry.persons p WHERE p.id = ANY($1::uuid[]) ORDER BY p.id${opts.lock ? ' FOR UPDATE' : ''}`,
    [[...new Set(ids)]],
  );
}

export async function findPerson(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<PersonRow | undefined> {
  return (await findPersons(db, [id], opts))[0];
}

export async function householdMembers(db: Queryable, householdId: string, opts: { lock?: boolean; residentsOnly?: boolean } = {}): Promise<PersonRow[]> {
  return db.query<PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM registry.persons p
      WHERE p.household_id = $1 ${opts.residentsOnly ? "AND p.status = 'resident'" : ''}
      ORDER BY (p.relation_to_head = '本人') DESC, p.birth_date, p.id${opts.lock ? ' FOR UPDATE' : ''}`,
    [householdId],
  );
}

export interface NewPersonRow {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  matchKey: string;
  kanaKey: string;
  sex: number;
  birthDate: string;
  status: PersonRecord['status'];
  householdId: string | null;
  relationToHead: string;
  addressId: string;
  myNumberEnc: string | null;
  myNumberHash: string | null;
  demo: boolean;
}

/** Inserts many persons in one statement (unnest of column arrays): seeding and move-ins. */
export async function insertPersons(db: Queryable, rows: readonly NewPersonRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof NewPersonRow>(k: K) => rows.map((r) => r[k]);
  await db.query(
    `INSERT INTO registry.persons (id, family_name, given_name, family_name_kana, given_name_kana, match_key, kana_key, sex,
       birth_date, status, household_id, relation_to_head, address_id, my_number_enc, my_number_hash, demo)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::smallint[],
       $9::date[], $10::text[], $11::uuid[], $12::text[], $13::uuid[], $14::text[], $15::text[], $16::boolean[])`,
    [col('id'), col('familyName'), col('givenName'), col('familyNameKana'), col('givenNameKana'), col('matchKey'), col('kanaKey'),
      col('sex'), col('birthDate'), col('status'), col('householdId'), col('relationToHead'), col('addressId'), col('myNumberEnc'),
      col('myNumberHash'), col('demo')],
  );
}

export async function updatePerson(
  db: Queryable,
  id: string,
  set: Partial<{
    familyName: string; givenName: string; familyNameKana: string; givenNameKana: string; matchKey: string; kanaKey: string;
    status: PersonRecord['status']; householdId: string | null; relationToHead: string; addressId: string;
  }>,
): Promise<void> {
  const columns: Record<string, string> = {
    familyName: 'family_name', givenName: 'given_name', familyNameKana: 'family_name_kana', givenNameKana: 'given_name_kana',
    matchKey: 'match_key', kanaKey: 'kana_key', status: 'status', householdId: 'household_id', relationToHead: 'relation_to_head',
    addressId: 'address_id',
  };
  const entries = Object.entries(set).filter(([k]) => k in columns);
  if (entries.length === 0) return;
  const assignments = entries.map(([k], i) => `${columns[k]} = $${i + 2}`).join(', ');
  await db.query(`UPDATE registry.persons SET ${assignments}, version = version + 1, updated_at = now() WHERE id = $1`, [
    id,
    ...entries.map(([, v]) => v),
  ]);
}

export async function myNumberTaken(db: Queryable, hash: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM registry.persons WHERE my_number_hash = $1', [hash])).length > 0;
}

export interface SearchHit extends PersonRow {
  town: string;
}

/** A search key as a LIKE prefix: its own % _ and \ match themselves. */
const likePrefix = (key: string | undefined) => (key ? key.replace(/[\\%_]/g, (c) => `\\${c}`) : null);

/** Prefix search on the matching keys, or equality on the birth date; keyset-paged. */
export async function searchPersons(
  db: Queryable,
  q: { nameKey?: string | undefined; kanaKey?: string | undefined; birthDate?: string | undefined; includeAll: boolean; after?: { k: string; id: string } | undefined; limit: number },
): Promise<(SearchHit & { sort_key: string })[]> {
  return db.query<SearchHit & { sort_key: string }>(
    `SELECT ${PERSON_COLUMNS}, a.town, p.kana_key AS sort_key
       FROM registry.persons p JOIN registry.addresses a ON a.id = p.address_id
      WHERE ($1::date IS NOT NULL AND p.birth_date = $1::date
             OR $2::text IS NOT NULL AND p.match_key LIKE $2 || '%' ESCAPE '\\'
             OR $3::text IS NOT NULL AND p.kana_key LIKE $3 || '%' ESCAPE '\\')
        AND ($4 OR p.status = 'resident')
        AND ($5::text IS NULL OR (p.kana_key, p.id) > ($5::text, $6::uuid))
      ORDER BY p.kana_key, p.id
      LIMIT $7`,
    [q.birthDate ?? null, likePrefix(q.nameKey), likePrefix(q.kanaKey), q.includeAll, q.after?.k ?? null, q.after?.id ?? null, q.limit],
  );
}

// ---- households ---------------------------------------------------------------------------

export interface HouseholdRow {
  id: string;
  head_person_id: string | null;
  address_id: string;
  status: 'active' | 'dissolved';
  created_on: string;
}

export async function findHousehold(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<HouseholdRow | undefined> {
  return (
    await db.query<HouseholdRow>(
      `SELECT id, head_person_id, address_id, status, created_on FROM registry.households WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
      [id],
    )
  )[0];
}

export async function insertHouseholds(
  db: Queryable,
  rows: readonly { id: string; headPersonId: string | null; addressId: string; createdOn: string; demo: boolean }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO registry.households (id, head_person_id, address_id, created_on, demo)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::date[], $5::boolean[])`,
    [rows.map((r) => r.id), rows.map((r) => r.headPersonId), rows.map((r) => r.addressId), rows.map((r) => r.createdOn), rows.map((r) => r.demo)],
  );
}

export async function updateHousehold(
  db: Queryable,
  id: string,
  set: Partial<{ headPersonId: string | null; addressId: string; status: 'active' | 'dissolved' }>,
): Promise<void> {
  await db.query(
    `UPDATE registry.households SET
       head_person_id = CASE WHEN $2 THEN $3::uuid ELSE head_person_id END,
       address_id = COALESCE($4::uuid, address_id),
       status = COALESCE($5, status)
     WHERE id = $1`,
    [id, 'headPersonId' in set, set.headPersonId ?? null, set.addressId ?? null, set.status ?? null],
  );
}

export async function insertAddresses(db: Queryable, rows: readonly { id: string; a: Address }[]): Promise<void> {
  if (rows.length === 0) return;
  const col = (f: (x: { id: string; a: Address }) => unknown) => rows.map(f);
  await db.query(
    `INSERT INTO registry.addresses (id, lg_code, machiaza_id, prefecture, city, town, block, building, full_text, lat, lon)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
       $10::float8[], $11::float8[])`,
    [col((r) => r.id), col((r) => r.a.lgCode), col((r) => r.a.machiazaId), col((r) => r.a.prefecture), col((r) => r.a.city),
      col((r) => r.a.town), col((r) => r.a.block), col((r) => r.a.building), col((r) => r.a.full), col((r) => r.a.lat), col((r) => r.a.lon)],
  );
}

export async function findPersonByMyNumberHash(db: Queryable, hash: string): Promise<PersonRow | undefined> {
  return (await db.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM registry.persons p WHERE p.my_number_hash = $1 FOR UPDATE`, [hash]))[0];
}

export async function householdSizes(db: Queryable, householdIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.query<{ household_id: string; n: number }>(
    `SELECT household_id, count(*)::int AS n FROM registry.persons
      WHERE household_id = ANY($1::uuid[]) AND status = 'resident' GROUP BY household_id`,
    [[...new Set(householdIds)]],
  );
  return new Map(rows.map((r) => [r.household_id, Number(r.n)]));
}

/** Residents with exactly this matching key and birth date (at most `limit`). */
export async function findResidentsByKey(db: Queryable, matchKey: string, birthDate: string, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM registry.persons WHERE match_key = $1 AND birth_date = $2::date AND status = 'resident' ORDER BY id LIMIT $3`,
    [matchKey, birthDate, limit],
  );
  return rows.map((r) => r.id);
}

/** Demo residents without names (the case-history seed picks applicants and subjects from them); ordered by id. */
export async function demoPeople(db: Queryable, limit: number): Promise<{ id: string; household_id: string | null; birth_date: string; sex: number; relation_to_head: string }[]> {
  return db.query(
    `SELECT id, household_id, birth_date, sex, relation_to_head FROM registry.persons
      WHERE demo AND status = 'resident' ORDER BY id LIMIT $1`,
    [limit],
  );
}

/** Demo heads of households with more than one member, to offer on the demo sign-in page. */
export async function demoHeadsWithFamily(db: Queryable, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT p.id FROM registry.persons p
      WHERE p.demo AND p.status = 'resident' AND p.relation_to_head = '本人'
        AND EXISTS (SELECT 1 FROM registry.persons c WHERE c.household_id = p.household_id AND c.id <> p.id AND c.status = 'resident')
      ORDER BY p.id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.id);
}

export async function anyPersons(db: Queryable): Promise<boolean> {
  return (await db.query('SELECT 1 FROM registry.persons LIMIT 1')).length > 0;
}

// ---- the counter (for-counter.ts) ---------------------------------------------------------

/** Residents with exactly this matching key and birth date, whole rows (at most `limit`), by id. */
export async function residentsByKey(db: Queryable, matchKey: string, birthDate: string, limit: number): Promise<PersonRow[]> {
  return db.query<PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM registry.persons p
      WHERE p.match_key = $1 AND p.birth_date = $2::date AND p.status = 'resident'
      ORDER BY p.id LIMIT $3`,
    [matchKey, birthDate, limit],
  );
}
