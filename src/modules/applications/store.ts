/** SQL of the `applications` schema only. Columns are listed explicitly; nothing else reads these tables. */
import type { Queryable } from '../../platform/db/db.js';

export type Status = 'draft' | 'submitted' | 'closed' | 'withdrawn';
export type Channel = 'online' | 'paper' | 'counter';
export type ActingAs = 'self' | 'household' | 'agent';

export interface ApplicationRow {
  id: string;
  submission_id: string | null;
  reference: string | null;
  procedure_code: string;
  procedure_version: number;
  department: string;
  status: Status;
  channel: Channel;
  owner_key: string;
  applicant_person_id: string | null;
  subject_person_id: string | null;
  acting_as: ActingAs | null;
  applicant_relation: string | null;
  subject_relation: string | null;
  data: Record<string, unknown>;
  corrections: { path: string; note: string }[];
  prefilled: string[];
  lock_version: number;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  due_date: string | null;
  retain_until: string | null;
  keyed_by: string | null;
  demo: boolean;
  bundle: string | null;
  draft_group: string | null;
}

const COLUMNS = `a.id, a.submission_id, a.reference, a.procedure_code, a.procedure_version, a.department, a.status, a.channel,
  a.owner_key, a.applicant_person_id, a.subject_person_id, a.acting_as, a.applicant_relation, a.subject_relation, a.data,
  a.corrections, a.prefilled, a.lock_version, a.created_at, a.updated_at, a.submitted_at, a.due_date, a.retain_until, a.keyed_by, a.demo,
  a.bundle, a.draft_group`;

export interface NewDraft {
  id: string;
  procedureCode: string;
  procedureVersion: number;
  department: string;
  channel: Channel;
  ownerKey: string;
  applicantId: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
  corrections: { path: string; note: string }[];
  prefilled: string[];
  keyedBy: string | null;
  bundle: string | null;
  draftGroup: string | null;
  demo: boolean;
}

export async function insertDraft(db: Queryable, d: NewDraft): Promise<void> {
  await db.query(
    `INSERT INTO applications.applications
       (id, procedure_code, procedure_version, department, status, channel, owner_key, applicant_person_id, subject_person_id, data, corrections, keyed_by,
        bundle, draft_group, demo, prefilled)
     VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, $13, $14, $15::text[])`,
    [
      d.id, d.procedureCode, d.procedureVersion, d.department, d.channel, d.ownerKey, d.applicantId, d.subjectId,
      JSON.stringify(d.data), JSON.stringify(d.corrections), d.keyedBy, d.bundle, d.draftGroup, d.demo, d.prefilled,
    ],
  );
}

/** Saves a draft if it is still at `lockVersion`; returns the new version, or undefined when stale. */
export async function updateDraft(
  db: Queryable,
  id: string,
  lockVersion: number,
  d: { data: Record<string, unknown>; corrections: { path: string; note: string }[] },
): Promise<number | undefined> {
  const rows = await db.query<{ lock_version: number }>(
    `UPDATE applications.applications SET data = $3::jsonb, corrections = $4::jsonb, lock_version = lock_version + 1, updated_at = now()
      WHERE id = $1 AND status = 'draft' AND lock_version = $2 RETURNING lock_version`,
    [id, lockVersion, JSON.stringify(d.data), JSON.stringify(d.corrections)],
  );
  return rows[0]?.lock_version;
}

export async function draftsOfGroup(db: Queryable, group: string): Promise<ApplicationRow[]> {
  return db.query<ApplicationRow>(`SELECT ${COLUMNS} FROM applications.applications a WHERE a.draft_group = $1 AND a.status = 'draft' ORDER BY a.created_at, a.id`, [group]);
}

export async function deleteDraft(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(`DELETE FROM applications.applications WHERE id = $1 AND status = 'draft' RETURNING id`, [id])).length === 1;
}

export async function findApplication(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<ApplicationRow | undefined> {
  const rows = await db.query<ApplicationRow>(
    `SELECT ${COLUMNS} FROM applications.applications a 
      WHERE a.id = $1${opts.lock ? ' FOR UPDATE OF a' : ''}`,
    [id],
  );
  return rows[0];
}

export async function findApplications(db: Queryable, ids: readonly string[], opts: { lock?: boolean } = {}): Promise<ApplicationRow[]> {
  if (ids.length === 0) return [];
  return db.query<ApplicationRow>(
    `SELECT ${COLUMNS} FROM applications.applications a 
      WHERE a.id = ANY($1::uuid[]) ORDER BY a.id${opts.lock ? ' FOR UPDATE OF a' : ''}`,
    [[...new Set(ids)]],
  );
}

/** The open application of a procedure for a subject, if any (the duplicate check). */
export async function findOpen(db: Queryable, procedureCode: string, subjectId: string): Promise<{ id: string; reference: string } | undefined> {
  const rows = await db.query<{ id: string; reference: string }>(
    `SELECT id, reference FROM applications.applications WHERE procedure_code = $1 AND subject_person_id = $2 AND status = 'submitted'`,
    [procedureCode, subjectId],
  );
  return rows[0];
}

export interface SubmissionRow {
  id: string;
  reference: string;
  bundle: string | null;
  channel: Channel;
  applicant_person_id: string | null;
  keyed_by: string | null;
  submitted_at: Date;
  demo: boolean;
}

export async function insertSubmission(
  db: Queryable,
  s: { id: string; bundle: string | null; channel: Channel; applicantId: string | null; keyedBy: string | null; statusTokenHash: string | null; demo: boolean; locale?: string },
): Promise<SubmissionRow> {
  const rows = await db.query<SubmissionRow>(
    `INSERT INTO applications.submissions (id, reference, bundle, channel, applicant_person_id, keyed_by, status_token_hash, demo, locale)
     VALUES ($1, to_char(now() AT TIME ZONE 'Asia/Tokyo', 'YYYY') || '-' || (SELECT lpad(n::text, greatest(6, length(n::text)), '0') FROM nextval('applications.reference_seq') AS n),
             $2, $3, $4, $5, $6, $7, $8)
     RETURNING id, reference, bundle, channel, applicant_person_id, keyed_by, submitted_at, demo`,
    [s.id, s.bundle, s.channel, s.applicantId, s.keyedBy, s.statusTokenHash, s.demo, s.locale ?? 'ja'],
  );
  return rows[0]!;
}

export async function findSubmission(db: Queryable, id: string): Promise<SubmissionRow | undefined> {
  const rows = await db.query<SubmissionRow>(
    `SELECT id, reference, bundle, channel, applicant_person_id, keyed_by, submitted_at, demo FROM applications.submissions WHERE id = $1`,
    [id],
  );
  return rows[0];
}

export async function findSubmissionByToken(db: Queryable, tokenHash: string): Promise<SubmissionRow | undefined> {
  const rows = await db.query<SubmissionRow>(
    `SELECT id, reference, bundle, channel, applicant_person_id, keyed_by, submitted_at, demo FROM applications.submissions WHERE status_token_hash = $1`,
    [tokenHash],
  );
  return rows[0];
}

export async function applicationsOfSubmission(db: Queryable, submissionId: string): Promise<ApplicationRow[]> {
  return db.query<ApplicationRow>(
    `SELECT ${COLUMNS} FROM applications.applications a 
      WHERE a.submission_id = $1 ORDER BY a.reference`,
    [submissionId],
  );
}

/** Turns a draft into a submitted application of `submission`; false if it is no longer a draft. */
export async function markSubmitted(
  db: Queryable,
  id: string,
  s: {
    submissionId: string;
    reference: string;
    data: Record<string, unknown>;
    corrections: { path: string; note: string }[];
    prefilled: string[];
    subjectId: string | null;
    applicantId: string | null;
    actingAs: ActingAs | null;
    applicantRelation: string | null;
    subjectRelation: string | null;
    dueDate: string;
    retainUntil: string;
  },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE applications.applications
        SET status = 'submitted', submission_id = $2, reference = $3, data = $4::jsonb, corrections = $5::jsonb, subject_person_id = $6,
            applicant_person_id = $7, acting_as = $8, applicant_relation = $9, subject_relation = $10, due_date = $11, retain_until = $12,
            prefilled = $13::text[], submitted_at = now(), updated_at = now(), lock_version = lock_version + 1
      WHERE id = $1 AND status = 'draft' RETURNING id`,
    [
      id, s.submissionId, s.reference, JSON.stringify(s.data), JSON.stringify(s.corrections), s.subjectId, s.applicantId,
      s.actingAs, s.applicantRelation, s.subjectRelation, s.dueDate, s.retainUntil, s.prefilled,
    ],
  );
  return rows.length === 1;
}

/** Locks a draft for a change that must see it still a draft (submitting, attaching). */
export async function lockDraft(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM applications.applications WHERE id = $1 AND status = 'draft' FOR UPDATE`, [id])).length === 1;
}

// ---- attachments ----------------------------------------------------------------------

export interface AttachmentMeta {
  id: string;
  application_id: string;
  slot: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  created_at: Date;
}

export async function insertAttachment(
  db: Queryable,
  a: { id: string; applicationId: string; slot: string; filename: string; contentType: string; content: Buffer; sha256: string },
): Promise<void> {
  await db.query(
    `INSERT INTO applications.attachments (id, application_id, slot, filename, content_type, size_bytes, sha256, content)
     VALUES ($1, $2, $3, $4, $5, $6, $7, decode($8, 'base64'))`,
    // As base64 text: PGlite turns a binary parameter into hex byte by byte (~7x slower).
    [a.id, a.applicationId, a.slot, a.filename, a.contentType, a.content.length, a.sha256, a.content.toString('base64')],
  );
}

export async function attachmentsOf(db: Queryable, applicationIds: readonly string[]): Promise<AttachmentMeta[]> {
  if (applicationIds.length === 0) return [];
  return db.query<AttachmentMeta>(
    `SELECT id, application_id, slot, filename, content_type, size_bytes, sha256, created_at FROM applications.attachments
      WHERE application_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [[...applicationIds]],
  );
}

export async function attachmentContent(db: Queryable, applicationId: string, id: string): Promise<(AttachmentMeta & { content: Uint8Array }) | undefined> {
  const rows = await db.query<AttachmentMeta & { content: Uint8Array }>(
    `SELECT id, application_id, slot, filename, content_type, size_bytes, sha256, created_at, content FROM applications.attachments
      WHERE application_id = $1 AND id = $2`,
    [applicationId, id],
  );
  return rows[0];
}

export async function deleteAttachment(db: Queryable, applicationId: string, id: string): Promise<boolean> {
  return (await db.query('DELETE FROM applications.attachments WHERE application_id = $1 AND id = $2 RETURNING id', [applicationId, id])).length === 1;
}

// ---- idempotency -----------------------------------------------------------------------

export async function findIdempotencyKey(db: Queryable, ownerKey: string, key: string): Promise<{ request_hash: string; submission_id: string } | undefined> {
  const rows = await db.query<{ request_hash: string; submission_id: string }>(
    'SELECT request_hash, submission_id FROM applications.idempotency_keys WHERE owner_key = $1 AND key = $2',
    [ownerKey, key],
  );
  return rows[0];
}

export async function insertIdempotencyKey(db: Queryable, ownerKey: string, key: string, requestHash: string, submissionId: string): Promise<void> {
  await db.query('INSERT INTO applications.idempotency_keys (owner_key, key, request_hash, submission_id) VALUES ($1, $2, $3, $4)', [ownerKey, key, requestHash, submissionId]);
}

// ---- lists -----------------------------------------------------------------------------

export interface ListRow extends ApplicationRow {
  attachment_count: number;
}

/** A resident's applications: theirs (drafts included) and submitted ones about their household. */
export async function listForResident(db: Queryable, personId: string, householdIds: readonly string[], limit: number): Promise<ApplicationRow[]> {
  return db.query<ApplicationRow>(
    `SELECT ${COLUMNS} FROM applications.applications a 
      WHERE a.owner_key = $1
         OR (a.status <> 'draft' AND (a.applicant_person_id = $2 OR a.subject_person_id = ANY($3::uuid[])))
      ORDER BY a.status = 'draft' DESC, a.updated_at DESC, a.id LIMIT $4`,
    [`person:${personId}`, personId, [...householdIds], limit],
  );
}

export interface InboxFilter {
  departments: readonly string[] | undefined;
  procedure: string | undefined;
  channel: Channel | undefined;
  status: Status | undefined;
  /** The reference of the last row of the previous page (references grow with submission). */
  after: string | undefined;
  limit: number;
}

export async function inbox(db: Queryable, f: InboxFilter): Promise<ApplicationRow[]> {
  const params: unknown[] = [];
  const where = [`a.status <> 'draft'`];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.departments) add('a.department = ANY(?::text[])', [...f.departments]);
  if (f.procedure) add('a.procedure_code = ?', f.procedure);
  if (f.channel) add('a.channel = ?', f.channel);
  if (f.status) add('a.status = ?', f.status);
  if (f.after) add('a.reference < ?', f.after);
  params.push(f.limit);
  return db.query<ApplicationRow>(
    `SELECT ${COLUMNS} FROM applications.applications a 
      WHERE ${where.join(' AND ')} ORDER BY a.reference DESC LIMIT $${params.length}`,
    params,
  );
}

// ---- agents ----------------------------------------------------------------------------

export async function isAgent(db: Queryable, agentId: string, principalId: string, today: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM applications.agents WHERE agent_person_id = $1 AND principal_person_id = $2
        AND valid_from <= $3::date AND (valid_to IS NULL OR valid_to >= $3::date)`,
    [agentId, principalId, today],
  );
  return rows.length > 0;
}

export async function principalsOf(db: Queryable, agentId: string, today: string): Promise<{ principal_person_id: string; kind: string }[]> {
  return db.query(
    `SELECT principal_person_id, kind FROM applications.agents WHERE agent_person_id = $1
        AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to >= $2::date) ORDER BY created_at`,
    [agentId, today],
  );
}

export async function insertAgent(
  db: Queryable,
  a: { id: string; principalId: string; agentId: string; kind: string; validFrom: string; validTo: string | null; registeredBy: string | null; demo: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO applications.agents (id, principal_person_id, agent_person_id, kind, valid_from, valid_to, registered_by, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [a.id, a.principalId, a.agentId, a.kind, a.validFrom, a.validTo, a.registeredBy, a.demo],
  );
}

// ---- after submission (the case processing module decides) ------------------------------

/** Closes a submitted application: decided and notified (`closed`) or withdrawn by the resident. */
export async function closeApplication(db: Queryable, id: string, status: 'closed' | 'withdrawn'): Promise<boolean> {
  const rows = await db.query(
    `UPDATE applications.applications SET status = $2, updated_at = now(), lock_version = lock_version + 1
      WHERE id = $1 AND status = 'submitted' RETURNING id`,
    [id, status],
  );
  return rows.length === 1;
}

/** The data a resident sent with an application (to find where they asked to be told), and the language they applied in. */
export async function contactOf(db: Queryable, id: string): Promise<{ data: Record<string, unknown>; locale: string } | undefined> {
  const rows = await db.query<{ data: Record<string, unknown>; locale: string }>(
    `SELECT a.data, s.locale FROM applications.applications a JOIN applications.submissions s ON s.id = a.submission_id WHERE a.id = $1 AND a.status <> 'draft'`,
    [id],
  );
  return rows[0];
}

/** Submitted applications still open (for a module that must know each of them, e.g. after an upgrade). */
export async function openApplications(db: Queryable): Promise<ApplicationRow[]> {
  return db.query<ApplicationRow>(`SELECT ${COLUMNS} FROM applications.applications a WHERE a.status = 'submitted' ORDER BY a.submitted_at, a.reference`);
}

/** Copies a draft's attachments to another draft (a pre-entry's documents into the counter's form); new ids from gen_random_uuid. */
export async function copyAttachments(db: Queryable, fromId: string, toId: string): Promise<number> {
  const rows = await db.query(
    `INSERT INTO applications.attachments (id, application_id, slot, filename, content_type, size_bytes, sha256, content)
     SELECT gen_random_uuid(), $2, slot, filename, content_type, size_bytes, sha256, content FROM applications.attachments WHERE application_id = $1
     RETURNING id`,
    [fromId, toId],
  );
  return rows.length;
}
