/**
 * Bulk work as jobs with progress: approve cases a staff member selected after review, or
 * print the day's decision notices as one PDF. A job runs in the background as the staff
 * member who started it (their grant is checked again when it runs); each case is its own
 * transaction, so one refusal (someone else's change, own proposal) fails that case only.
 */
import type { Queryable } from '../../platform/db/db.js';
import { DomainError, notFound, validationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { createPoller } from '../../platform/poller.js';
import { recordAccess } from '../../platform/audit.js';
import type { AccessContext } from '../access/index.js';
import { authorityOf, departmentsOf } from './approval.js';
import { combineNotices } from './notice.js';
import type { CasesRuntime } from './runtime.js';
import { performAction } from './service.js';
import * as store from './store.js';
import * as jobStore from './jobs-store.js';
import type { JobRow } from './jobs-store.js';

export type JobKind = 'approve' | 'print-notices';
export const JOB_LIMIT = 200;

export interface JobResult {
  caseId: string;
  reference: string;
  ok: boolean;
  /** Why a case was not done: the problem's kind and message (no personal data). */
  problem?: string;
}

export interface JobView {
  id: string;
  kind: JobKind;
  state: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  failed: number;
  results: JobResult[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  hasOutput: boolean;
}

export type JobParams =
  | { kind: 'approve'; cases: { id: string; version: number }[]; comment?: string }
  | { kind: 'print-notices'; date: string; department?: string };

export interface JobRunner {
  start(): void;
  stop(): Promise<void>;
  /** Queues a job for a staff member; returns its id. */
  create(staffId: string, params: JobParams): Promise<string>;
  /** A job as its creator sees it (anyone else: undefined). */
  view(id: string, staffId: string): Promise<JobView | undefined>;
  /** The job's PDF (print-notices), for its creator; audited, since the notices name residents. */
  output(id: string, ctx: AccessContext): Promise<Uint8Array | undefined>;
  /** Runs queued jobs to the end now (tests, and a CLI could). */
  drain(): Promise<void>;
}

const toView = (r: JobRow): JobView => ({
  id: r.id, kind: r.kind, state: r.state, total: r.total, done: r.done, failed: r.failed, results: r.results, error: r.error,
  createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, hasOutput: r.has_output,
});

/** Another worker took the job over (this one stalled past its lease): stop, and let its writes roll back. */
class LostLease extends Error {
  override name = 'LostLease';
}

/** The staff member a job acts as, if they still hold the purpose; the context its audit entries name. */
async function actingStaff(rt: CasesRuntime, job: JobRow): Promise<{ ctx: AccessContext; id: string; name: string } | undefined> {
  const [s] = await rt.access.staffDirectory([job.created_by]);
  if (!s || !s.active || !(await rt.access.grantHolds({ kind: 'staff', id: s.id }, 'application-review'))) return undefined;
  const principal = {
    kind: 'staff' as const, id: s.id, name: s.name, login: s.login, department: s.department, roles: s.roles,
    purposes: ['application-review'], fields: [], fieldsByPurpose: {}, taskPurpose: 'application-review',
  };
  return { id: s.id, name: s.name, ctx: { principal, purpose: 'application-review', requestId: `job:${job.id}`, sourceIp: 'job' } };
}

const problemOf = (err: unknown) => (err instanceof DomainError ? `${err.code}: ${err.message}` : 'internal error');

export function createJobRunner(rt: CasesRuntime): JobRunner {
  /** Records one case's result, in the caller's transaction when given; only while this worker holds the job. */
  async function progress(db: Queryable, job: JobRow, token: string, r: JobResult): Promise<void> {
    if (!(await jobStore.recordResult(db, job.id, token, r))) throw new LostLease(`job ${job.id}`);
  }
  const finish = (job: JobRow, token: string, state: 'done' | 'failed', error: string | null, output?: Uint8Array) =>
    jobStore.finishJob(rt.db, job.id, token, state, error, output);

  async function run(job: JobRow, token: string): Promise<void> {
    const staff = await actingStaff(rt, job);
    if (!staff) return void (await finish(job, token, 'failed', 'the staff member who started this job may no longer review applications'));
    const auth = await authorityOf(rt.db, rt.access, staff, rt.today());
    const mine = new Set(departmentsOf(auth));
    const p = job.params;
    if (p.kind === 'approve') {
      // A case approved before a crash has its result recorded with it: resuming skips it.
      const already = new Set(job.results.map((r) => r.caseId));
      for (const c of p.cases.filter((x) => !already.has(x.id))) {
        try {
          await performAction(rt, { kind: 'staff', ...staff }, c.id, { action: 'approve', version: c.version, comment: p.comment }, {
            inTransaction: (tx, updated) => progress(tx, job, token, { caseId: c.id, reference: updated.reference, ok: true }),
          });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          // The reference of a case outside one's departments is not told (nor whether it exists).
          const row = await store.findCase(rt.db, c.id);
          const reference = row && mine.has(row.department) ? row.reference : '';
          await progress(rt.db, job, token, { caseId: c.id, reference, ok: false, problem: problemOf(err) });
        }
      }
      return void (await finish(job, token, 'done', null));
    }
    const departments = [...mine].filter((d) => !p.department || d === p.department);
    const notices = await store.noticesIssuedOn(rt.db, p.date, departments);
    // Printing starts over when resumed: the PDF is made in one go.
    await jobStore.restartJob(rt.db, job.id, token, notices.length);
    const pdfs: Uint8Array[] = [];
    for (const n of notices) {
      const pdf = await store.noticePdf(rt.db, n.id);
      if (pdf) pdfs.push(pdf);
      await progress(rt.db, job, token, { caseId: n.case_id, reference: n.reference, ok: !!pdf, ...(pdf ? {} : { problem: 'not-found: the notice file is missing' }) });
    }
    await finish(job, token, 'done', null, pdfs.length ? await combineNotices(pdfs) : undefined);
  }

  async function pass(): Promise<boolean> {
    const token = newId();
    const job = await jobStore.claimJob(rt.db, token);
    if (!job) return false;
    try {
      await run(job, token);
    } catch (err) {
      if (err instanceof LostLease) {
        rt.log.warn({ job: job.id }, 'case job taken over by another worker');
        return true;
      }
      rt.log.error({ job: job.id, err: err instanceof Error ? err.name : 'error' }, 'case job stopped on an internal error');
      await finish(job, token, 'failed', 'the job stopped on an internal error; the cases done so far stay done');
    }
    return true;
  }

  const poller = createPoller({ pass, pollMs: 1000, onError: (err) => rt.log.error({ err: err instanceof Error ? err.name : 'error' }, 'case job worker failed') });
  return {
    start: () => poller.start(),
    stop: () => poller.stop(),
    async create(staffId, params) {
      if (params.kind === 'approve') {
        if (params.cases.length === 0) throw validationError('choose at least one case', [{ field: 'cases', message: 'empty' }]);
        if (params.cases.length > JOB_LIMIT) throw validationError(`at most ${JOB_LIMIT} cases in one job`, [{ field: 'cases', message: `at most ${JOB_LIMIT}` }]);
        if (new Set(params.cases.map((c) => c.id)).size !== params.cases.length) throw validationError('a case is listed twice', [{ field: 'cases', message: 'duplicate' }]);
      }
      const id = newId();
      await jobStore.insertJob(rt.db, { id, kind: params.kind, createdBy: staffId, params, total: params.kind === 'approve' ? params.cases.length : 0 });
      return id;
    },
    async view(id, staffId) {
      const r = await jobStore.findJob(rt.db, id);
      return r && r.created_by === staffId ? toView(r) : undefined;
    },
    async output(id, ctx) {
      const r = await jobStore.jobOutput(rt.db, id);
      if (!r || r.created_by !== ctx.principal.id) throw notFound(`job ${id}`);
      if (!r.output) return undefined;
      const cases = await store.findCases(rt.db, r.results.filter((x) => x.ok).map((x) => x.caseId));
      const subjects = [...new Set(cases.flatMap((c) => [c.subject_person_id, c.applicant_person_id]).filter((x): x is string => !!x))];
      if (subjects.length) await recordAccess(rt.db, rt.access.auditEntry(ctx, 'case.read-notice', subjects, ['case']));
      return r.output;
    },
    async drain() {
      while (await pass());
    },
  };
}
