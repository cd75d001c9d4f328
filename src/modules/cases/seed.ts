/**
 * The demo town's year of case history, so the inbox, the approvers' queues and the metrics
 * mean something on first start: planned (pure, `seed-plan.ts`) from the demo residents and
 * the procedure definitions, then written in bulk in one transaction — submissions and
 * applications through the applications module's front door, cases and their timelines
 * here. Every row is marked demo; no notice PDFs are made for history. Prints nothing.
 */
import type { Db, Queryable } from '../../platform/db/db.js';
import type { Applications, HistoryRow, Procedure } from '../applications/index.js';
import type { Registry } from '../registry/index.js';
import { planHistory, type PlannedCase, type PlanProcedure } from './seed-plan.js';
import type { DepartmentStaff } from './seed-timeline.js';
import { STATES, type CaseState, type Position } from './states.js';

export { planHistory, type PlannedCase, type PlanInput, type PlanProcedure } from './seed-plan.js';

export interface HistoryOptions {
  seed: number;
  /** YYYY-MM-DD in Japan: the history covers the 365 days before it and stops at its start. */
  today: string;
  /** The staff who worked the cases, with their positions per department code. */
  staff: readonly { id: string; name: string; units: readonly { department: string; position: Position }[] }[];
  /** The counter clerk who keyed in counter and paper applications. */
  clerkId?: string | null;
  /** At most this many residents are drawn on, and volumes scale to them (default 50,000). */
  maxResidents?: number;
}

export interface HistoryDeps {
  db: Db;
  registry: Pick<Registry, 'demoPeople'>;
  applications: Pick<Applications, 'catalog' | 'seedHistory'>;
}

export interface HistorySummary {
  cases: number;
  steps: number;
  byState: Record<CaseState, number>;
}

/** What the plan needs of each procedure definition. */
export function planProcedures(procedures: Iterable<Procedure>): PlanProcedure[] {
  return [...procedures].map((p) => {
    const age = p.rules.find((r) => r.kind === 'subject-age');
    return {
      code: p.code,
      department: p.department.code,
      standardDays: p.standardPeriodDays,
      route: p.approvalRoute,
      subjectStatus: p.subjectStatus,
      ages: age && age.kind === 'subject-age' ? { atLeast: age.atLeast, under: age.under } : {},
      category: p.category,
      choices: p.fields
        .filter((f) => (f.type === 'radio' || f.type === 'select') && !f.visibleWhen && f.options?.length)
        .map((f) => ({ id: f.id, values: (f as { options: { value: string }[] }).options.map((o) => o.value) })),
    };
  });
}

export function staffByDepartment(staff: HistoryOptions['staff']): Map<string, DepartmentStaff> {
  const out = new Map<string, DepartmentStaff>();
  for (const s of staff) {
    for (const u of s.units) {
      const d = out.get(u.department) ?? out.set(u.department, { officer: [], chief: [], manager: [] }).get(u.department)!;
      d[u.position].push({ id: s.id, name: s.name });
    }
  }
  return out;
}

/** The residents the demo sign-in page offers first: heads of households of two or more, by id. */
export function signInResidents(people: readonly { id: string; householdId: string | null; relationToHead: string }[], n = 20): string[] {
  const size = new Map<string, number>();
  for (const p of people) if (p.householdId) size.set(p.householdId, (size.get(p.householdId) ?? 0) + 1);
  return people
    .filter((p) => p.relationToHead === '本人' && (size.get(p.householdId ?? '') ?? 0) > 1)
    .map((p) => p.id)
    .sort()
    .slice(0, n);
}

export async function seedCaseHistory(deps: HistoryDeps, opts: HistoryOptions): Promise<HistorySummary> {
  const people = await deps.registry.demoPeople(opts.maxResidents ?? 50_000);
  const plan = planHistory({
    seed: opts.seed,
    today: opts.today,
    residents: people.length,
    people,
    procedures: planProcedures(deps.applications.catalog.procedures.values()),
    staff: staffByDepartment(opts.staff),
    clerkId: opts.clerkId ?? null,
    preferred: signInResidents(people),
  });
  await deps.db.transaction(async (tx) => {
    const references = await deps.applications.seedHistory(tx, plan.map(historyRow));
    await insertCases(tx, plan, references);
    await insertSteps(tx, plan);
  });
  const byState = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<CaseState, number>;
  for (const c of plan) byState[c.state]++;
  return { cases: plan.length, steps: plan.reduce((n, c) => n + c.steps.length, 0), byState };
}

function historyRow(c: PlannedCase): HistoryRow {
  return {
    submissionId: c.submissionId,
    applicationId: c.applicationId,
    procedureCode: c.procedureCode,
    channel: c.channel,
    submittedAt: c.receivedAt,
    createdAt: c.createdAt,
    applicantId: c.applicantId,
    subjectId: c.subjectId,
    actingAs: c.actingAs,
    applicantRelation: c.applicantRelation,
    subjectRelation: c.subjectRelation,
    keyedBy: c.keyedBy,
    data: c.data,
    status: c.state === 'completed' ? 'closed' : c.state === 'withdrawn' ? 'withdrawn' : 'submitted',
    closedAt: c.closedAt,
  };
}

const CHUNK = 4000;
const iso = (d: Date | null) => d?.toISOString() ?? null;

async function insertCases(tx: Queryable, plan: readonly PlannedCase[], references: readonly string[]): Promise<void> {
  for (let from = 0; from < plan.length; from += CHUNK) {
    const part = plan.slice(from, from + CHUNK);
    const col = <T>(f: (c: PlannedCase) => T) => part.map(f);
    await tx.query(
      `INSERT INTO cases.cases (id, application_id, reference, procedure_code, department, channel, applicant_person_id, subject_person_id,
         state, assignee, received_at, standard_days, due_date, paused_since, paused_days, route, proposal_outcome, proposed_by, approved_levels,
         decision, decided_at, completed_at, closed_at, lock_version, updated_at, demo)
       SELECT id, application_id, reference, procedure_code, department, channel, applicant, subject, state, assignee, received_at, standard_days,
              due_date, paused_since, paused_days, coalesce(string_to_array(route, ','), '{}'), proposal_outcome, proposed_by, approved_levels,
              decision, decided_at, completed_at, closed_at, lock_version, updated_at, true
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::text[], $10::uuid[],
                     $11::timestamptz[], $12::int[], $13::date[], $14::timestamptz[], $15::int[], $16::text[], $17::text[], $18::uuid[], $19::int[],
                     $20::text[], $21::timestamptz[], $22::timestamptz[], $23::timestamptz[], $24::int[], $25::timestamptz[])
           AS t (id, application_id, reference, procedure_code, department, channel, applicant, subject, state, assignee, received_at, standard_days,
                 due_date, paused_since, paused_days, route, proposal_outcome, proposed_by, approved_levels, decision, decided_at, completed_at,
                 closed_at, lock_version, updated_at)`,
      [
        col((c) => c.caseId), col((c) => c.applicationId), part.map((_, i) => references[from + i]), col((c) => c.procedureCode),
        col((c) => c.department), col((c) => c.channel), col((c) => c.applicantId), col((c) => c.subjectId), col((c) => c.state),
        col((c) => c.assignee), col((c) => c.receivedAt.toISOString()), col((c) => c.standardDays), col((c) => c.dueDate),
        col((c) => iso(c.pausedSince)), col((c) => c.pausedDays), col((c) => c.route.join(',')), col((c) => c.proposalOutcome),
        col((c) => c.proposedBy), col((c) => c.approvedLevels), col((c) => c.decision), col((c) => iso(c.decidedAt)),
        col((c) => iso(c.completedAt)), col((c) => iso(c.closedAt)), col((c) => c.lockVersion), col((c) => c.updatedAt.toISOString()),
      ],
    );
  }
}

async function insertSteps(tx: Queryable, plan: readonly PlannedCase[]): Promise<void> {
  const rows = plan.flatMap((c) => c.steps.map((s, i) => ({ caseId: c.caseId, seq: i + 1, s })));
  for (let from = 0; from < rows.length; from += CHUNK) {
    const part = rows.slice(from, from + CHUNK);
    await tx.query(
      `INSERT INTO cases.steps (case_id, seq, action, from_state, to_state, at, actor_kind, actor_id, actor_name, level, position, comment)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::uuid[], $9::text[],
                            $10::int[], $11::text[], $12::text[])`,
      [
        part.map((r) => r.caseId), part.map((r) => r.seq), part.map((r) => r.s.action), part.map((r) => r.s.from), part.map((r) => r.s.to),
        part.map((r) => r.s.at.toISOString()), part.map((r) => r.s.actorKind), part.map((r) => r.s.actorId), part.map((r) => r.s.actorName),
        part.map((r) => r.s.level), part.map((r) => r.s.position), part.map((r) => r.s.comment),
      ],
    );
  }
}
