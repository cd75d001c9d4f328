/** SQL of the `access` schema only. */
import type { Queryable } from '../../platform/db/db.js';

export interface PurposeRow {
  code: string;
  name_ja: string;
  name_en: string;
  description_ja: string;
  sensitive_fields: string[];
}

export interface StaffRow {
  id: string;
  login: string;
  display_name: string;
  department: string;
  roles: string[];
  password_hash: string;
  failed_attempts: number;
  locked_until: Date | null;
  session_version: number;
  active: boolean;
}

export interface ClientRow {
  id: string;
  name: string;
  secret_hash: string;
  purposes: string[];
  fields: string[];
  active: boolean;
}

export interface RoleRow {
  code: string;
  name_ja: string;
  name_en: string;
  purposes: string[];
  fields: string[];
}

const STAFF_COLUMNS = 'id, login, display_name, department, roles, password_hash, failed_attempts, locked_until, session_version, active';

export const listPurposes = (db: Queryable) =>
  db.query<PurposeRow>('SELECT code, name_ja, name_en, description_ja, sensitive_fields FROM access.purposes ORDER BY code');

export const listRoles = (db: Queryable) => db.query<RoleRow>('SELECT code, name_ja, name_en, purposes, fields FROM access.roles ORDER BY code');

export async function findStaffByLogin(db: Queryable, login: string): Promise<StaffRow | undefined> {
  return (await db.query<StaffRow>(`SELECT ${STAFF_COLUMNS} FROM access.staff WHERE login = $1`, [login]))[0];
}

export async function findStaffById(db: Queryable, id: string): Promise<StaffRow | undefined> {
  return (await db.query<StaffRow>(`SELECT ${STAFF_COLUMNS} FROM access.staff WHERE id = $1`, [id]))[0];
}

/** Counts a failed sign-in and locks the account when the limit is reached, atomically. */
export async function recordFailedSignIn(db: Queryable, id: string, limit: number, lockMinutes: number): Promise<void> {
  await db.query(
    `UPDATE access.staff SET
       failed_attempts = failed_attempts + 1,
       locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
     WHERE id = $1`,
    [id, limit, lockMinutes],
  );
}

export async function recordSignIn(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE access.staff SET failed_attempts = 0, locked_until = NULL WHERE id = $1', [id]);
}

export async function bumpSessionVersion(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE access.staff SET session_version = session_version + 1 WHERE id = $1', [id]);
}

export async function insertStaff(
  db: Queryable,
  s: { id: string; login: string; displayName: string; department: string; roles: string[]; passwordHash: string; demo: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO access.staff (id, login, display_name, department, roles, password_hash, demo)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7)`,
    [s.id, s.login, s.displayName, s.department, s.roles, s.passwordHash, s.demo],
  );
}

export async function findClient(db: Queryable, id: string): Promise<ClientRow | undefined> {
  return (
    await db.query<ClientRow>('SELECT id, name, secret_hash, purposes, fields, active FROM access.clients WHERE id = $1', [id])
  )[0];
}

export async function insertClient(
  db: Queryable,
  c: { id: string; name: string; secretHash: string; purposes: string[]; fields: string[]; demo: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO access.clients (id, name, secret_hash, purposes, fields, demo) VALUES ($1, $2, $3, $4::text[], $5::text[], $6)`,
    [c.id, c.name, c.secretHash, c.purposes, c.fields, c.demo],
  );
}

export async function findResidentIdentity(db: Queryable, issuer: string, subject: string): Promise<string | undefined> {
  const rows = await db.query<{ person_id: string }>(
    'SELECT person_id FROM access.resident_identities WHERE issuer = $1 AND subject = $2',
    [issuer, subject],
  );
  return rows[0]?.person_id;
}

export async function linkResidentIdentity(db: Queryable, issuer: string, subject: string, personId: string): Promise<void> {
  await db.query(
    `INSERT INTO access.resident_identities (issuer, subject, person_id) VALUES ($1, $2, $3)
     ON CONFLICT (issuer, subject) DO NOTHING`,
    [issuer, subject, personId],
  );
}

export async function revokeSession(db: Queryable, sessionId: string, expiresAt: Date): Promise<void> {
  await db.query('DELETE FROM access.revoked_sessions WHERE expires_at < now()');
  await db.query(
    'INSERT INTO access.revoked_sessions (session_id, expires_at) VALUES ($1, $2) ON CONFLICT (session_id) DO NOTHING',
    [sessionId, expiresAt],
  );
}

export async function isSessionRevoked(db: Queryable, sessionId: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM access.revoked_sessions WHERE session_id = $1', [sessionId])).length > 0;
}

/** Staff members by id (names on timelines and notices, assignee lists); never password data. */
export async function staffDirectory(db: Queryable, ids?: readonly string[]): Promise<{ id: string; login: string; display_name: string; department: string; roles: string[]; active: boolean }[]> {
  return db.query(
    `SELECT id, login, display_name, department, roles, active FROM access.staff
      WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) ORDER BY login`,
    [ids ?? null],
  );
}
