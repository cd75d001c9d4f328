/**
 * The demo town's year of case history, so the inbox, the approvers' queues and the metrics
 * mean something on first start: planned (pure, `seed-plan.ts`) from the demo residents and
 * the procedure definitions, then written in bulk in one transaction — submissions and
 * applications through the applications module's front door, cases and their timelines
 * here. Every row is marked demo; no notice PDFs are made for history. Prints nothing.
 */
import type { Db } from '../../platform/db/db.js';
import type { Applications, HistoryRow, Procedure } from '../applications/index.js';
import type { Registry } from '../registry/index.js';
import { planHistory, type PlannedCase, type PlanProcedure } from './seed-plan.js';
import type { DepartmentStaff } from './seed-timeline.js';
import { STATES, type CaseState, type Position } from './states.js';
import { insertCases, insertSteps } from './history-store.js';

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
  /** The applications taken at the counter (for the counter's own history of visits). */
  atCounter: { applicationId: string; reference: string; procedureCode: string; personId: string; subjectId: string | null; receivedAt: Date }[];
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
  const references = await deps.db.transaction(async (tx) => {
    const refs = await deps.applications.seedHistory(tx, plan.map(historyRow));
    await insertCases(tx, plan, refs);
    await insertSteps(tx, plan);
    return refs;
  });
  const byState = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<CaseState, number>;
  for (const c of plan) byState[c.state]++;
  const atCounter = plan.flatMap((c, i) =>
    c.channel === 'counter'
      ? [{ applicationId: c.applicationId, reference: references[i]!, procedureCode: c.procedureCode, personId: c.applicantId, subjectId: c.subjectId, receivedAt: new Date(c.receivedAt) }]
      : [],
  );
  return { cases: plan.length, steps: plan.reduce((n, c) => n + c.steps.length, 0), byState, atCounter };
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

