/** SQL of the `counter` schema only. */
import type { Queryable } from '../../platform/db/db.js';

export type StartedBy = 'pre-entry' | 'card' | 'search';
export type VisitState = 'open' | 'sent' | 'ended' | 'abandoned';

export interface PreEntryRow {
  id: string;
  token_id: string;
  person_id: string;
  draft_group: string;
  created_at: Date;
  expires_on: string;
  used_at: Date | null;
  used_by_visit: string | null;
  demo: boolean;
}

const PRE = `id, token_id, person_id, draft_group, created_at, expires_on::text AS expires_on, used_at, used_by_visit, demo`;

export async function insertPreEntry(db: Queryable, r: { id: string; tokenId: string; personId: string; draftGroup: string; expiresOn: string; demo: boolean }): Promise<void> {
  await db.query(`INSERT INTO counter.pre_entries (id, token_id, person_id, draft_group, expires_on, demo) VALUES ($1, $2, $3, $4, $5::date, $6)`, [
    r.id, r.tokenId, r.personId, r.draftGroup, r.expiresOn, r.demo,
  ]);
}

export async function findPreEntry(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<PreEntryRow | undefined> {
  return (await db.query<PreEntryRow>(`SELECT ${PRE} FROM counter.pre_entries WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]))[0];
}

export async function findPreEntryByToken(db: Queryable, tokenId: string): Promise<PreEntryRow | undefined> {
  return (await db.query<PreEntryRow>(`SELECT ${PRE} FROM counter.pre_entries WHERE token_id = $1`, [tokenId]))[0];
}

export async function preEntriesOf(db: Queryable, personId: string, limit = 20): Promise<PreEntryRow[]> {
  return db.query<PreEntryRow>(`SELECT ${PRE} FROM counter.pre_entries WHERE person_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [personId, limit]);
}

export async function deletePreEntry(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(`DELETE FROM counter.pre_entries WHERE id = $1 AND used_at IS NULL AND NOT EXISTS (SELECT 1 FROM counter.visits v WHERE v.pre_entry_id = $1 AND v.state = 'open') RETURNING id`, [id])).length === 1;
}

/** Pre-entries no visit may use any more (their QR code says it too); unused ones only. */
export async function markPreEntryUsed(db: Queryable, id: string, visitId: string): Promise<boolean> {
  return (await db.query(`UPDATE counter.pre_entries SET used_at = now(), used_by_visit = $2 WHERE id = $1 AND used_at IS NULL RETURNING id`, [id, visitId])).length === 1;
}

export interface VisitRow {
  id: string;
  reference: string;
  person_id: string;
  started_by: StartedBy;
  pre_entry_id: string | null;
  staff_id: string;
  state: VisitState;
  started_at: Date;
  sent_at: Date | null;
  ended_at: Date | null;
  pages_printed: number;
  prints: number;
  has_signature: boolean;
  signed_at: Date | null;
  signed_on: 'tablet' | 'paper' | null;
  signed_digest: string | null;
  printed_digest: string | null;
  submission_id: string | null;
  lock_version: number;
  demo: boolean;
}

const VISIT = `id, reference, person_id, started_by, pre_entry_id, staff_id, state, started_at, sent_at, ended_at, pages_printed, prints,
  signature IS NOT NULL AS has_signature, signed_at, signed_on, signed_digest, printed_digest, submission_id, lock_version, demo`;

export async function insertVisit(
  db: Queryable,
  v: { id: string; personId: string; startedBy: StartedBy; preEntryId: string | null; staffId: string; startedAt: Date; year: number; startKey: string | null; demo: boolean },
): Promise<VisitRow> {
  const rows = await db.query<VisitRow>(
    `INSERT INTO counter.visits (id, reference, person_id, started_by, pre_entry_id, staff_id, started_at, start_key, demo)
     VALUES ($1, 'V-' || $7::text || '-' || lpad(nextval('counter.visit_number')::text, 6, '0'), $2, $3, $4, $5, $6, $8, $9)
     RETURNING ${VISIT}`,
    [v.id, v.personId, v.startedBy, v.preEntryId, v.staffId, v.startedAt, String(v.year), v.startKey, v.demo],
  );
  return rows[0]!;
}

export async function findVisitByKey(db: Queryable, staffId: string, key: string): Promise<VisitRow | undefined> {
  return (await db.query<VisitRow>(`SELECT ${VISIT} FROM counter.visits WHERE staff_id = $1 AND start_key = $2`, [staffId, key]))[0];
}

export async function setPrinted(db: Queryable, id: string, pages: number, digest: string): Promise<void> {
  await db.query(`UPDATE counter.visits SET pages_printed = pages_printed + $2, prints = prints + 1, printed_digest = $3, lock_version = lock_version + 1 WHERE id = $1`, [id, pages, digest]);
}

export async function findVisit(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<VisitRow | undefined> {
  return (await db.query<VisitRow>(`SELECT ${VISIT} FROM counter.visits WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]))[0];
}

/** A staff member's visits still at the counter (open or sent, not ended), newest first. */
export async function openVisitsOf(db: Queryable, staffId: string, limit = 20): Promise<VisitRow[]> {
  return db.query<VisitRow>(`SELECT ${VISIT} FROM counter.visits WHERE staff_id = $1 AND state IN ('open', 'sent') ORDER BY started_at DESC, id LIMIT $2`, [staffId, limit]);
}

export async function setSignature(db: Queryable, id: string, s: { png: Buffer | null; on: 'tablet' | 'paper' | null; at: Date | null; digest: string | null }): Promise<void> {
  await db.query(
    `UPDATE counter.visits SET signature = decode($2, 'base64'), signed_on = $3, signed_at = $4, signed_digest = $5, lock_version = lock_version + 1 WHERE id = $1`,
    [id, s.png ? s.png.toString('base64') : null, s.on, s.at, s.digest],
  );
}

export const NO_SIGNATURE = { png: null, on: null, at: null, digest: null } as const;

export async function signatureOf(db: Queryable, id: string): Promise<Uint8Array | undefined> {
  const rows = await db.query<{ signature: Uint8Array | null }>(`SELECT signature FROM counter.visits WHERE id = $1`, [id]);
  return rows[0]?.signature ?? undefined;
}

export async function markSent(db: Queryable, id: string, submissionId: string, at: Date): Promise<boolean> {
  return (
    await db.query(`UPDATE counter.visits SET state = 'sent', submission_id = $2, sent_at = $3, lock_version = lock_version + 1 WHERE id = $1 AND state = 'open' RETURNING id`, [id, submissionId, at])
  ).length === 1;
}

export async function closeVisit(db: Queryable, id: string, state: 'ended' | 'abandoned', at: Date): Promise<boolean> {
  const from = state === 'ended' ? `('open', 'sent')` : `('open')`;
  return (await db.query(`UPDATE counter.visits SET state = $2, ended_at = $3, lock_version = lock_version + 1 WHERE id = $1 AND state IN ${from} RETURNING id`, [id, state, at])).length === 1;
}

export async function insertVisitApplications(db: Queryable, visitId: string, apps: readonly { id: string; reference: string; procedureCode: string }[]): Promise<void> {
  if (apps.length === 0) return;
  await db.query(
    `INSERT INTO counter.visit_applications (visit_id, application_id, reference, procedure_code)
     SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[])`,
    [visitId, apps.map((a) => a.id), apps.map((a) => a.reference), apps.map((a) => a.procedureCode)],
  );
}

export async function visitApplications(db: Queryable, visitId: string): Promise<{ application_id: string; reference: string; procedure_code: string }[]> {
  return db.query(`SELECT application_id, reference, procedure_code FROM counter.visit_applications WHERE visit_id = $1 ORDER BY reference`, [visitId]);
}

export interface FeeRow {
  id: string;
  visit_id: string;
  kind: 'certificate' | 'procedure';
  code: string;
  subject_person_id: string | null;
  copies: number;
  unit_fee: number;
  amount: number;
  status: 'due' | 'paid' | 'waived';
}

export async function insertFees(db: Queryable, visitId: string, fees: readonly { id: string; kind: FeeRow['kind']; code: string; subjectId: string | null; copies: number; unitFee: number }[]): Promise<void> {
  if (fees.length === 0) return;
  await db.query(
    `INSERT INTO counter.visit_fees (id, visit_id, kind, code, subject_person_id, copies, unit_fee, amount)
     SELECT f.id, $1, f.kind, f.code, f.subject, f.copies, f.unit_fee, f.copies * f.unit_fee
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::int[], $7::int[]) AS f (id, kind, code, subject, copies, unit_fee)`,
    [visitId, fees.map((f) => f.id), fees.map((f) => f.kind), fees.map((f) => f.code), fees.map((f) => f.subjectId), fees.map((f) => f.copies), fees.map((f) => f.unitFee)],
  );
}

export async function feesOf(db: Queryable, visitId: string): Promise<FeeRow[]> {
  return db.query<FeeRow>(
    `SELECT id, visit_id, kind, code, subject_person_id, copies, unit_fee, amount, status FROM counter.visit_fees WHERE visit_id = $1 ORDER BY created_at, id`,
    [visitId],
  );
}

/** An abandoned visit owes nothing. */
export async function deleteFees(db: Queryable, visitId: string): Promise<void> {
  await db.query(`DELETE FROM counter.visit_fees WHERE visit_id = $1`, [visitId]);
}

/** Unused pre-entries that expired before `before`: their ids and draft groups (to purge). */
export async function expiredPreEntries(db: Queryable, before: string, limit = 200): Promise<{ id: string; person_id: string; draft_group: string }[]> {
  return db.query(
    `SELECT id, person_id, draft_group FROM counter.pre_entries p
      WHERE used_at IS NULL AND expires_on < $1::date AND NOT EXISTS (SELECT 1 FROM counter.visits v WHERE v.pre_entry_id = p.id AND v.state = 'open')
      ORDER BY expires_on, id LIMIT $2`,
    [before, limit],
  );
}

export async function deleteFee(db: Queryable, visitId: string, id: string): Promise<boolean> {
  return (await db.query(`DELETE FROM counter.visit_fees WHERE visit_id = $1 AND id = $2 AND kind = 'certificate' RETURNING id`, [visitId, id])).length === 1;
}

export async function deleteProcedureFees(db: Queryable, visitId: string): Promise<void> {
  await db.query(`DELETE FROM counter.visit_fees WHERE visit_id = $1 AND kind = 'procedure'`, [visitId]);
}
