/**
 * Historical applications for the demo town: submissions and applications written in bulk
 * (one statement per table), numbered from the shared reference sequence in the order they
 * were submitted, so references made later by live submissions never collide with them.
 * Every row is marked demo. Used only by the demo seed, never on real data.
 */
import type { Queryable } from '../../platform/db/db.js';
import { addDays, addYears, type ApplicationsRuntime } from './runtime.js';
import type { ActingAs, Channel } from './store.js';

export interface HistoryRow {
  submissionId: string;
  applicationId: string;
  procedureCode: string;
  channel: Channel;
  submittedAt: Date;
  /** When the resident started the form (online) or the clerk keyed it in (counter, paper). */
  createdAt: Date;
  applicantId: string | null;
  subjectId: string | null;
  actingAs: ActingAs | null;
  applicantRelation: string | null;
  subjectRelation: string | null;
  /** Staff who keyed in a counter or paper application. */
  keyedBy: string | null;
  data: Record<string, unknown>;
  /** `submitted` while its case is open; `closed` once decided and notified; `withdrawn`. */
  status: 'submitted' | 'closed' | 'withdrawn';
  /** When it was closed or withdrawn (its last change). */
  closedAt: Date | null;
}

/** The date of a moment in Japan (YYYY-MM-DD). */
const dateInJapan = (d: Date): string => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);

/**
 * Writes the rows; returns each application's reference (`YYYY-NNNNNN-01`, the year of its
 * submission), in the order of `rows`.
 */
export async function seedHistory(rt: Pick<ApplicationsRuntime, 'catalog'>, tx: Queryable, rows: readonly HistoryRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.submittedAt.getTime() - rows[b]!.submittedAt.getTime() || a - b);
  const numbers = (
    await tx.query<{ n: number }>(`SELECT nextval('applications.reference_seq')::bigint AS n FROM generate_series(1, $1::int) ORDER BY 1`, [rows.length])
  ).map((r) => Number(r.n));
  const submissionRefs = new Array<string>(rows.length);
  order.forEach((i, k) => {
    const n = String(numbers[k]!);
    submissionRefs[i] = `${dateInJapan(rows[i]!.submittedAt).slice(0, 4)}-${n.padStart(Math.max(6, n.length), '0')}`;
  });
  const refs = submissionRefs.map((s) => `${s}-01`);

  const CHUNK = 2000;
  for (let from = 0; from < rows.length; from += CHUNK) {
    const part = rows.slice(from, from + CHUNK);
    const at = (i: number) => from + i;
    await tx.query(
      `INSERT INTO applications.submissions (id, reference, bundle, channel, applicant_person_id, keyed_by, status_token_hash, submitted_at, demo)
       SELECT id, reference, NULL, channel, applicant, keyed_by, NULL, submitted_at, true
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::timestamptz[])
           AS t (id, reference, channel, applicant, keyed_by, submitted_at)`,
      [
        part.map((r) => r.submissionId), part.map((_, i) => submissionRefs[at(i)]), part.map((r) => r.channel),
        part.map((r) => r.applicantId), part.map((r) => r.keyedBy), part.map((r) => r.submittedAt.toISOString()),
      ],
    );
    const procedure = (code: string) => {
      const p = rt.catalog.procedures.get(code);
      if (!p) throw new Error(`seedHistory: unknown procedure ${code}`);
      return p;
    };
    await tx.query(
      `INSERT INTO applications.applications
         (id, submission_id, reference, procedure_code, procedure_version, department, status, channel, owner_key, applicant_person_id,
          subject_person_id, acting_as, applicant_relation, subject_relation, data, lock_version, created_at, updated_at, submitted_at,
          due_date, retain_until, keyed_by, demo)
       SELECT id, submission_id, reference, procedure_code, procedure_version, department, status, channel, owner_key, applicant,
              subject, acting_as, applicant_relation, subject_relation, data::jsonb, CASE WHEN status = 'submitted' THEN 2 ELSE 3 END,
              created_at, coalesce(closed_at, submitted_at), submitted_at, due_date, retain_until, keyed_by, true
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::uuid[],
                     $11::uuid[], $12::text[], $13::text[], $14::text[], $15::text[], $16::timestamptz[], $17::timestamptz[], $18::timestamptz[],
                     $19::date[], $20::date[], $21::uuid[])
           AS t (id, submission_id, reference, procedure_code, procedure_version, department, status, channel, owner_key, applicant,
                 subject, acting_as, applicant_relation, subject_relation, data, created_at, closed_at, submitted_at,
                 due_date, retain_until, keyed_by)`,
      [
        part.map((r) => r.applicationId),
        part.map((r) => r.submissionId),
        part.map((_, i) => refs[at(i)]),
        part.map((r) => r.procedureCode),
        part.map((r) => procedure(r.procedureCode).version),
        part.map((r) => procedure(r.procedureCode).department.code),
        part.map((r) => r.status),
        part.map((r) => r.channel),
        part.map((r) => (r.keyedBy ? `staff:${r.keyedBy}` : `person:${r.applicantId}`)),
        part.map((r) => r.applicantId),
        part.map((r) => r.subjectId),
        part.map((r) => r.actingAs),
        part.map((r) => r.applicantRelation),
        part.map((r) => r.subjectRelation),
        part.map((r) => JSON.stringify(r.data)),
        part.map((r) => r.createdAt.toISOString()),
        part.map((r) => r.closedAt?.toISOString() ?? null),
        part.map((r) => r.submittedAt.toISOString()),
        part.map((r) => addDays(dateInJapan(r.submittedAt), procedure(r.procedureCode).standardPeriodDays)),
        part.map((r) => addYears(dateInJapan(r.submittedAt), procedure(r.procedureCode).retentionYears)),
        part.map((r) => r.keyedBy),
      ],
    );
  }
  return refs;
}
