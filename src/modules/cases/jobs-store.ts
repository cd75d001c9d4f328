/** SQL of the bulk jobs (`cases.jobs`): claiming with a lease token, progress and the end, only while the token holds. */
import type { Queryable } from '../../platform/db/db.js';
import type { JobKind, JobParams, JobResult, JobView } from './jobs.js';

export interface JobRow {
  id: string;
  kind: JobKind;
  state: JobView['state'];
  created_by: string;
  params: JobParams;
  total: number;
  done: number;
  failed: number;
  results: JobResult[];
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
  has_output: boolean;
}

const JOB_COLUMNS = `j.id, j.kind, j.state, j.created_by, j.params, j.total, j.done, j.failed, j.results, j.error, j.created_at, j.finished_at,
  (j.output IS NOT NULL) AS has_output`;

export async function insertJob(db: Queryable, j: { id: string; kind: JobKind; createdBy: string; params: JobParams; total: number }): Promise<void> {
  await db.query(`INSERT INTO cases.jobs (id, kind, created_by, params, total) VALUES ($1, $2, $3, $4::jsonb, $5)`, [j.id, j.kind, j.createdBy, JSON.stringify(j.params), j.total]);
}

export async function findJob(db: Queryable, id: string): Promise<JobRow | undefined> {
  return (await db.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM cases.jobs j WHERE j.id = $1`, [id]))[0];
}

export async function jobOutput(db: Queryable, id: string): Promise<{ output: Uint8Array | null; created_by: string; results: JobResult[] } | undefined> {
  return (await db.query<{ output: Uint8Array | null; created_by: string; results: JobResult[] }>('SELECT output, created_by, results FROM cases.jobs WHERE id = $1', [id]))[0];
}

/** Takes the oldest queued job, or a running one whose worker's lease ran out, under a new token. */
export async function claimJob(db: Queryable, token: string): Promise<JobRow | undefined> {
  const rows = await db.query<JobRow>(
    `WITH next AS (
       SELECT id FROM cases.jobs WHERE state = 'queued' OR (state = 'running' AND lease_until < now())
        ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
     UPDATE cases.jobs j SET state = 'running', lease_token = $1, lease_until = now() + interval '10 minutes'
       FROM next WHERE j.id = next.id
     RETURNING ${JOB_COLUMNS}`,
    [token],
  );
  return rows[0];
}

/** Adds one case's result; false when the token no longer holds the job (another worker took it). */
export async function recordResult(db: Queryable, id: string, token: string, r: JobResult): Promise<boolean> {
  const rows = await db.query(
    `UPDATE cases.jobs SET done = done + $3, failed = failed + $4, results = results || $5::jsonb, lease_until = now() + interval '10 minutes'
      WHERE id = $1 AND lease_token = $2 RETURNING id`,
    [id, token, r.ok ? 1 : 0, r.ok ? 0 : 1, JSON.stringify([r])],
  );
  return rows.length === 1;
}

/** Starts the results over (a print made again in one go when resumed). */
export async function restartJob(db: Queryable, id: string, token: string, total: number): Promise<void> {
  await db.query(`UPDATE cases.jobs SET total = $3, done = 0, failed = 0, results = '[]' WHERE id = $1 AND lease_token = $2`, [id, token, total]);
}

export async function finishJob(db: Queryable, id: string, token: string, state: 'done' | 'failed', error: string | null, output?: Uint8Array): Promise<void> {
  await db.query(
    `UPDATE cases.jobs SET state = $3, error = $4, output = CASE WHEN $5::text IS NULL THEN NULL ELSE decode($5, 'base64') END,
            finished_at = now(), lease_until = NULL, lease_token = NULL WHERE id = $1 AND lease_token = $2`,
    [id, token, state, error, output ? Buffer.from(output).toString('base64') : null],
  );
}
