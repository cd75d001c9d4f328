/**
 * The demo town's year of counter visits: one per application the case history took at the
 * counter, so the dashboard shows visit durations from the first start. Deterministic: each
 * visit's minutes come from a hash of its application id. Demo rows only.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.js';
import type { Procedure } from '../applications/index.js';
import { newId } from '../../platform/ids.js';

export interface CounterHistoryRow {
  applicationId: string;
  reference: string;
  procedureCode: string;
  personId: string;
  subjectId: string | null;
  receivedAt: Date;
}

const MINUTE = 60_000;

/** A number in [0, 1) from the application id and a salt: the same every time. */
function share(id: string, salt: string): number {
  return createHash('sha256').update(`${salt}|${id}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** Pages a procedure prints: its official form's pages, or one plain page. */
export function pagesOf(p: Procedure | undefined): number {
  const form = p?.paperForm;
  if (!form?.file) return 1;
  return Math.max(1, ...(form.fields ?? []).map((f) => f.page ?? 1), form.signature?.page ?? 1);
}

export async function seedVisitHistory(db: Queryable, rows: readonly CounterHistoryRow[], opts: { clerkId: string; procedures: ReadonlyMap<string, Procedure> }): Promise<number> {
  const visits = rows.map((r) => {
    // Checking the ID and asking what remains before sending; the fees and the forms after.
    const before = Math.round((4 + 14 * share(r.applicationId, 'before')) * MINUTE);
    const after = Math.round((1 + 6 * share(r.applicationId, 'after')) * MINUTE);
    const pages = pagesOf(opts.procedures.get(r.procedureCode));
    const prints = share(r.applicationId, 'prints') < 0.3 ? 2 : 1;
    const fee = opts.procedures.get(r.procedureCode)?.fee.amount ?? 0;
    return {
      id: newId(),
      ...r,
      startedBy: share(r.applicationId, 'how') < 0.6 ? 'card' : 'search',
      startedAt: new Date(r.receivedAt.getTime() - before),
      endedAt: new Date(r.receivedAt.getTime() + after),
      pages: pages * prints,
      prints,
      fee,
    };
  });
  for (let i = 0; i < visits.length; i += 500) {
    const part = visits.slice(i, i + 500);
    await db.query(
      `INSERT INTO counter.visits (id, reference, person_id, started_by, staff_id, state, started_at, sent_at, ended_at, pages_printed, prints, signed_at, signed_on, demo)
       SELECT v.id, 'V-' || extract(year FROM v.started_at AT TIME ZONE 'Asia/Tokyo')::text || '-' || lpad(nextval('counter.visit_number')::text, 6, '0'),
              v.person, v.how, $1, 'ended', v.started_at, v.sent_at, v.ended_at, v.pages, v.prints, v.sent_at, 'paper', true
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::int[], $9::int[])
           AS v (id, person, how, started_at, sent_at, ended_at, pages, prints)
        ORDER BY v.started_at`,
      [
        opts.clerkId, part.map((v) => v.id), part.map((v) => v.personId), part.map((v) => v.startedBy), part.map((v) => v.startedAt), part.map((v) => v.receivedAt),
        part.map((v) => v.endedAt), part.map((v) => v.pages), part.map((v) => v.prints),
      ],
    );
    await db.query(
      `INSERT INTO counter.visit_applications (visit_id, application_id, reference, procedure_code) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])`,
      [part.map((v) => v.id), part.map((v) => v.applicationId), part.map((v) => v.reference), part.map((v) => v.procedureCode)],
    );
    const paid = part.filter((v) => v.fee > 0);
    if (paid.length) {
      await db.query(
        `INSERT INTO counter.visit_fees (id, visit_id, kind, code, subject_person_id, copies, unit_fee, amount, status, created_at)
         SELECT gen_random_uuid(), f.visit, 'procedure', f.code, f.subject, 1, f.fee, f.fee, 'due', f.at
           FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[], $5::timestamptz[]) AS f (visit, code, subject, fee, at)`,
        [paid.map((v) => v.id), paid.map((v) => v.procedureCode), paid.map((v) => v.subjectId), paid.map((v) => v.fee), paid.map((v) => v.receivedAt)],
      );
    }
  }
  return visits.length;
}
