/** SQL of registered groups (団体登録). */
import type { Queryable } from '../../platform/db/db.js';

export type GroupState = 'applied' | 'approved' | 'rejected' | 'withdrawn';

export interface GroupRow {
  id: string;
  name: string;
  representative_id: string;
  members: number;
  activity: string;
  contact_email: string | null;
  state: GroupState;
  reduction_code: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_at: Date;
  demo: boolean;
}

const GROUP = `id, name, representative_id, members, activity, contact_email, state, reduction_code, decided_by, decided_at, decision_note, created_at, demo`;

export async function insertGroup(db: Queryable, g: { id: string; name: string; representativeId: string; members: number; activity: string; contactEmail: string | null; demo: boolean; state?: GroupState; reductionCode?: string | null }): Promise<GroupRow> {
  const rows = await db.query<GroupRow>(
    `INSERT INTO reservations.groups (id, name, representative_id, members, activity, contact_email, state, reduction_code, decided_at, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $7 IN ('approved', 'rejected') THEN now() END, $9) RETURNING ${GROUP}`,
    [g.id, g.name, g.representativeId, g.members, g.activity, g.contactEmail, g.state ?? 'applied', g.reductionCode ?? null, g.demo],
  );
  return rows[0]!;
}

export async function findGroup(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<GroupRow | undefined> {
  return (await db.query<GroupRow>(`SELECT ${GROUP} FROM reservations.groups WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]))[0];
}

export async function groupsOf(db: Queryable, representativeId: string): Promise<GroupRow[]> {
  return db.query<GroupRow>(`SELECT ${GROUP} FROM reservations.groups WHERE representative_id = $1 ORDER BY created_at DESC, id`, [representativeId]);
}

export async function listGroups(db: Queryable, state: GroupState | undefined, limit: number): Promise<GroupRow[]> {
  return db.query<GroupRow>(`SELECT ${GROUP} FROM reservations.groups WHERE ($1::text IS NULL OR state = $1) ORDER BY created_at, id LIMIT $2`, [state ?? null, limit]);
}

export async function decideGroup(db: Queryable, id: string, d: { state: 'approved' | 'rejected'; reductionCode: string | null; staffId: string; note: string | null; at: Date }): Promise<boolean> {
  const rows = await db.query(
    `UPDATE reservations.groups SET state = $2, reduction_code = $3, decided_by = $4, decision_note = $5, decided_at = $6 WHERE id = $1 AND state = 'applied' RETURNING id`,
    [id, d.state, d.reductionCode, d.staffId, d.note, d.at],
  );
  return rows.length === 1;
}

export async function withdrawGroup(db: Queryable, id: string, representativeId: string): Promise<boolean> {
  const rows = await db.query(`UPDATE reservations.groups SET state = 'withdrawn' WHERE id = $1 AND representative_id = $2 AND state IN ('applied', 'approved') RETURNING id`, [id, representativeId]);
  return rows.length === 1;
}
