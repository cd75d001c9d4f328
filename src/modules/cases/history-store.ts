/**
 * SQL that writes the demo town's year of case history in bulk (`unnest`, in chunks): the
 * cases as planned and their timelines. Used only by the seed; the live cases go through store.ts.
 */
import type { Queryable } from '../../platform/db/db.js';
import type { PlannedCase } from './seed-plan.js';

const CHUNK = 4000;
const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function insertCases(tx: Queryable, plan: readonly PlannedCase[], references: readonly string[]): Promise<void> {
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

export async function insertSteps(tx: Queryable, plan: readonly PlannedCase[]): Promise<void> {
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
