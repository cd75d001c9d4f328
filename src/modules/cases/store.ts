/** SQL of the `cases` schema only. Columns are listed explicitly; nothing else reads these tables. */
import type { Queryable } from '../../platform/db/db.js';
import type { CaseState, Position } from './states.js';

export type Channel = 'online' | 'paper' | 'counter';

export interface CaseRow {
  id: string;
  /** The latest step's action (lists only): an answer or a send-back the officer should notice. */
  last_action?: string | null;
  application_id: string;
  reference: string;
  procedure_code: string;
  department: string;
  channel: Channel;
  applicant_person_id: string | null;
  subject_person_id: string | null;
  state: CaseState;
  assignee: string | null;
  received_at: Date;
  standard_days: number;
  due_date: string;
  paused_since: Date | null;
  paused_days: number;
  route: string[];
  proposal_outcome: 'approve' | 'reject' | null;
  proposed_by: string | null;
  approved_levels: number;
  decision: 'approved' | 'rejected' | null;
  decided_at: Date | null;
  completed_at: Date | null;
  closed_at: Date | null;
  lock_version: number;
  updated_at: Date;
  demo: boolean;
}

const COLUMNS = `c.id, c.application_id, c.reference, c.procedure_code, c.department, c.channel, c.applicant_person_id,
  c.subject_person_id, c.state, c.assignee, c.received_at, c.standard_days, c.due_date, c.paused_since, c.paused_days, c.route,
  c.proposal_outcome, c.proposed_by, c.approved_levels, c.decision, c.decided_at, c.completed_at, c.closed_at, c.lock_version,
  c.updated_at, c.demo`;

export interface NewCase {
  id: string;
  applicationId: string;
  reference: string;
  procedureCode: string;
  department: string;
  channel: Channel;
  applicantId: string | null;
  subjectId: string | null;
  receivedAt: Date;
  standardDays: number;
  dueDate: string;
  demo: boolean;
}

export async function insertCase(db: Queryable, c: NewCase): Promise<void> {
  await db.query(
    `INSERT INTO cases.cases (id, application_id, reference, procedure_code, department, channel, applicant_person_id, subject_person_id,
       state, received_at, standard_days, due_date, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'received', $9, $10, $11, $12)`,
    [c.id, c.applicationId, c.reference, c.procedureCode, c.department, c.channel, c.applicantId, c.subjectId, c.receivedAt, c.standardDays, c.dueDate, c.demo],
  );
}

export async function findCase(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<CaseRow | undefined> {
  const rows = await db.query<CaseRow>(`SELECT ${COLUMNS} FROM cases.cases c WHERE c.id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function findCases(db: Queryable, ids: readonly string[]): Promise<CaseRow[]> {
  if (ids.length === 0) return [];
  return db.query<CaseRow>(`SELECT ${COLUMNS} FROM cases.cases c WHERE c.id = ANY($1::uuid[])`, [ids]);
}

export async function casesOfApplications(db: Queryable, applicationIds: readonly string[]): Promise<CaseRow[]> {
  if (applicationIds.length === 0) return [];
  return db.query<CaseRow>(`SELECT ${COLUMNS} FROM cases.cases c WHERE c.application_id = ANY($1::uuid[])`, [applicationIds]);
}

/** The columns an action may change; `lock_version` and `updated_at` move with every change. */
export type CaseChange = Partial<
  Pick<
    CaseRow,
    | 'state' | 'assignee' | 'due_date' | 'paused_since' | 'paused_days' | 'route' | 'proposal_outcome' | 'proposed_by'
    | 'approved_levels' | 'decision' | 'decided_at' | 'completed_at' | 'closed_at'
  >
>;

const CHANGEABLE = new Set<keyof CaseChange>([
  'state', 'assignee', 'due_date', 'paused_since', 'paused_days', 'route', 'proposal_outcome', 'proposed_by',
  'approved_levels', 'decision', 'decided_at', 'completed_at', 'closed_at',
]);

/** Applies a change if the case is still at `version`; the new row, or undefined when it moved on. */
export async function updateCase(db: Queryable, id: string, version: number, change: CaseChange, at: Date): Promise<CaseRow | undefined> {
  const keys = (Object.keys(change) as (keyof CaseChange)[]).filter((k) => CHANGEABLE.has(k));
  const sets = keys.map((k, i) => `${k} = $${i + 4}${k === 'route' ? '::text[]' : ''}`);
  const rows = await db.query<CaseRow>(
    `UPDATE cases.cases c SET ${[...sets, 'lock_version = lock_version + 1', 'updated_at = $3'].join(', ')}
      WHERE c.id = $1 AND c.lock_version = $2 RETURNING ${COLUMNS}`,
    [id, version, at, ...keys.map((k) => change[k])],
  );
  return rows[0];
}

// ---- the timeline ----------------------------------------------------------------------

export interface StepRow {
  case_id: string;
  seq: number;
  action: string;
  from_state: CaseState | null;
  to_state: CaseState;
  at: Date;
  actor_kind: 'staff' | 'resident' | 'system';
  actor_id: string | null;
  actor_name: string | null;
  on_behalf_of: string | null;
  on_behalf_name: string | null;
  level: number | null;
  position: string | null;
  comment: string | null;
}

export type NewStep = Omit<StepRow, 'seq'>;

export async function insertStep(db: Queryable, s: NewStep): Promise<void> {
  await db.query(
    `INSERT INTO cases.steps (case_id, seq, action, from_state, to_state, at, actor_kind, actor_id, actor_name, on_behalf_of, on_behalf_name, level, position, comment)
     SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM cases.steps WHERE case_id = $1`,
    [s.case_id, s.action, s.from_state, s.to_state, s.at, s.actor_kind, s.actor_id, s.actor_name, s.on_behalf_of, s.on_behalf_name, s.level, s.position, s.comment],
  );
}

/** The timelines of several cases at once, each in order. */
export async function stepsOfCases(db: Queryable, caseIds: readonly string[]): Promise<Map<string, StepRow[]>> {
  const out = new Map<string, StepRow[]>(caseIds.map((id) => [id, []]));
  if (caseIds.length === 0) return out;
  const rows = await db.query<StepRow>(
    `SELECT case_id, seq, action, from_state, to_state, at, actor_kind, actor_id, actor_name, on_behalf_of, on_behalf_name, level, position, comment
       FROM cases.steps WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, seq`,
    [caseIds],
  );
  for (const r of rows) out.get(r.case_id)!.push(r);
  return out;
}

export async function stepsOf(db: Queryable, caseId: string): Promise<StepRow[]> {
  return db.query<StepRow>(
    `SELECT case_id, seq, action, from_state, to_state, at, actor_kind, actor_id, actor_name, on_behalf_of, on_behalf_name, level, position, comment
       FROM cases.steps WHERE case_id = $1 ORDER BY seq`,
    [caseId],
  );
}

// ---- who works where, and who stands in for whom ----------------------------------------

export async function positionsOf(db: Queryable, staffId: string): Promise<{ department: string; position: Position }[]> {
  return db.query(`SELECT department, position FROM cases.staff_units WHERE staff_id = $1 ORDER BY department, position`, [staffId]);
}

export async function setPositions(db: Queryable, staffId: string, units: readonly { department: string; position: Position }[]): Promise<void> {
  await db.query('DELETE FROM cases.staff_units WHERE staff_id = $1', [staffId]);
  for (const u of units) {
    await db.query('INSERT INTO cases.staff_units (staff_id, department, position) VALUES ($1, $2, $3)', [staffId, u.department, u.position]);
  }
}

export async function staffIn(db: Queryable, department: string, position: Position): Promise<string[]> {
  const rows = await db.query<{ staff_id: string }>('SELECT staff_id FROM cases.staff_units WHERE department = $1 AND position = $2', [department, position]);
  return rows.map((r) => r.staff_id);
}

export interface DelegationRow {
  id: string;
  from_staff: string;
  to_staff: string;
  valid_from: string;
  valid_to: string;
  reason: string;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

const DELEGATION_COLUMNS = 'id, from_staff, to_staff, valid_from, valid_to, reason, created_by, created_at, revoked_at';

export async function insertDelegation(
  db: Queryable,
  d: { id: string; fromStaff: string; toStaff: string; validFrom: string; validTo: string; reason: string; createdBy: string; demo: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO cases.delegations (id, from_staff, to_staff, valid_from, valid_to, reason, created_by, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [d.id, d.fromStaff, d.toStaff, d.validFrom, d.validTo, d.reason, d.createdBy, d.demo],
  );
}

export async function revokeDelegation(db: Queryable, id: string, by: string): Promise<boolean> {
  const rows = await db.query(`UPDATE cases.delegations SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL AND (from_staff = $2 OR created_by = $2) RETURNING id`, [id, by]);
  return rows.length === 1;
}

/** Delegations to or from a staff member that are not revoked and not yet over. */
export async function delegationsOf(db: Queryable, staffId: string, today: string): Promise<DelegationRow[]> {
  return db.query<DelegationRow>(
    `SELECT ${DELEGATION_COLUMNS} FROM cases.delegations
      WHERE (from_staff = $1 OR to_staff = $1) AND revoked_at IS NULL AND valid_to >= $2 ORDER BY valid_from`,
    [staffId, today],
  );
}

/** Whom `staffId` stands in for today. */
export async function standingInFor(db: Queryable, staffId: string, today: string): Promise<string[]> {
  const rows = await db.query<{ from_staff: string }>(
    `SELECT from_staff FROM cases.delegations WHERE to_staff = $1 AND revoked_at IS NULL AND valid_from <= $2 AND valid_to >= $2`,
    [staffId, today],
  );
  return rows.map((r) => r.from_staff);
}

// ---- the inbox --------------------------------------------------------------------------

export interface CaseFilter {
  departments: readonly string[];
  procedure?: string | undefined;
  /** A state, or `open` for every state not closed. */
  state?: CaseState | 'open' | undefined;
  channel?: Channel | undefined;
  /** An officer's id, or `none` for cases nobody has taken. */
  assignee?: string | undefined;
  /** Cases due on or before this date. */
  dueBy?: string | undefined;
  overdueOn?: string | undefined;
  limit: number;
  offset: number;
}

/** Open cases first, the most overdue first (paused ones after running ones), then the newest closed. */
export async function listCases(db: Queryable, f: CaseFilter): Promise<{ rows: CaseRow[]; total: number }> {
  // Conditions are added only when asked for, so the planner sees a literal `closed_at IS NULL`
  // (the partial index of open cases) rather than an OR it cannot use.
  const params: unknown[] = [f.departments];
  const where = ['c.department = ANY($1::text[])'];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.procedure) add((n) => `c.procedure_code = ${n}`, f.procedure);
  if (f.state === 'open') where.push('c.closed_at IS NULL');
  else if (f.state) add((n) => `c.state = ${n}`, f.state);
  if (f.channel) add((n) => `c.channel = ${n}`, f.channel);
  if (f.assignee === 'none') where.push('c.assignee IS NULL');
  else if (f.assignee) add((n) => `c.assignee::text = ${n}`, f.assignee);
  if (f.dueBy) add((n) => `c.due_date <= ${n}::date`, f.dueBy);
  if (f.overdueOn) add((n) => `c.closed_at IS NULL AND c.paused_since IS NULL AND c.due_date < ${n}::date`, f.overdueOn);
  const sqlWhere = where.join(' AND ');
  const [rows, count] = await Promise.all([
    db.query<CaseRow>(
      `SELECT ${COLUMNS}, (SELECT s.action FROM cases.steps s WHERE s.case_id = c.id ORDER BY s.seq DESC LIMIT 1) AS last_action
         FROM cases.cases c WHERE ${sqlWhere}
        ORDER BY (c.closed_at IS NULL) DESC, (c.paused_since IS NULL) DESC, c.due_date, c.received_at DESC, c.reference
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, f.limit, f.offset],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases.cases c WHERE ${sqlWhere}`, params),
  ]);
  return { rows, total: count[0]?.n ?? 0 };
}

export interface NoticeRow {
  id: string;
  case_id: string;
  hash: string;
  pdf_sha256: string;
  decision: 'approved' | 'rejected';
  facts: Record<string, unknown>;
  issued_at: Date;
  issued_by: string | null;
}

const NOTICE_COLUMNS = 'id, case_id, hash, pdf_sha256, decision, facts, issued_at, issued_by';

export async function noticesOf(db: Queryable, caseIds: readonly string[]): Promise<NoticeRow[]> {
  if (caseIds.length === 0) return [];
  return db.query<NoticeRow>(`SELECT ${NOTICE_COLUMNS} FROM cases.notices WHERE case_id = ANY($1::uuid[]) ORDER BY issued_at DESC`, [caseIds]);
}

export async function noticeByHash(db: Queryable, hash: string): Promise<NoticeRow | undefined> {
  return (await db.query<NoticeRow>(`SELECT ${NOTICE_COLUMNS} FROM cases.notices WHERE hash = $1`, [hash]))[0];
}

export async function noticeByPdfSha256(db: Queryable, sha: string): Promise<NoticeRow | undefined> {
  return (await db.query<NoticeRow>(`SELECT ${NOTICE_COLUMNS} FROM cases.notices WHERE pdf_sha256 = $1`, [sha]))[0];
}

export async function noticePdf(db: Queryable, id: string): Promise<Uint8Array | undefined> {
  return (await db.query<{ pdf: Uint8Array }>('SELECT pdf FROM cases.notices WHERE id = $1', [id]))[0]?.pdf;
}

export async function insertNoticeRow(
  db: Queryable,
  n: { id: string; caseId: string; hash: string; pdfSha256: string; decision: 'approved' | 'rejected'; facts: Record<string, unknown>; pdfBase64: string; issuedAt: Date; issuedBy: string | null; demo: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO cases.notices (id, case_id, hash, pdf_sha256, decision, facts, pdf, issued_at, issued_by, demo)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, decode($7, 'base64'), $8, $9, $10)`,
    [n.id, n.caseId, n.hash, n.pdfSha256, n.decision, JSON.stringify(n.facts), n.pdfBase64, n.issuedAt, n.issuedBy, n.demo],
  );
}

/** The notices issued on a date (in Japan) for cases of these departments, in reference order. */
export async function noticesIssuedOn(db: Queryable, date: string, departments: readonly string[]): Promise<{ id: string; case_id: string; reference: string }[]> {
  // The day in Japan as a range of instants, so the index on issued_at serves it.
  return db.query(
    `SELECT n.id, n.case_id, c.reference FROM cases.notices n JOIN cases.cases c ON c.id = n.case_id
      WHERE n.issued_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Tokyo' AND n.issued_at < ($1::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'
        AND c.department = ANY($2::text[])
      ORDER BY c.reference, n.issued_at`,
    [date, departments],
  );
}
