/**
 * The event outbox. `emitEvent` writes an event in the caller's transaction, so a change
 * and its announcement commit together. `sequenceEvents` gives committed events their
 * feed position in commit order; readers page by position and never miss a late commit.
 */
import type { Db, Queryable } from './db/db.js';

export interface OutboxEvent {
  position: number;
  type: string;
  subjectIds: string[];
  payload: Record<string, unknown>;
  occurredAt: Date;
}

export async function emitEvent(
  tx: Queryable,
  type: string,
  subjectIds: readonly string[],
  payload: Record<string, unknown>,
): Promise<void> {
  await tx.query('INSERT INTO outbox.events (type, subject_ids, payload) VALUES ($1, $2::uuid[], $3::jsonb)', [
    type,
    subjectIds,
    JSON.stringify(payload),
  ]);
}

/** Assigns positions to committed, unsequenced events. Safe to call from many processes. */
export async function sequenceEvents(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const [seq] = await tx.query<{ last_position: number }>('SELECT last_position FROM outbox.sequencer FOR UPDATE');
    const last = seq?.last_position ?? 0;
    const rows = await tx.query<{ n: number }>(
      `WITH pending AS (
         SELECT id, row_number() OVER (ORDER BY id) AS rn FROM outbox.events WHERE position IS NULL ORDER BY id LIMIT 10000)
       UPDATE outbox.events e SET position = $1 + p.rn FROM pending p WHERE e.id = p.id
       RETURNING 1 AS n`,
      [last],
    );
    if (rows.length > 0) await tx.query('UPDATE outbox.sequencer SET last_position = $1', [last + rows.length]);
    return rows.length;
  });
}

interface EventRow {
  position: number;
  type: string;
  subject_ids: string[];
  payload: Record<string, unknown>;
  occurred_at: Date;
}

export async function readEvents(
  db: Queryable,
  opts: { after: number; limit: number; types?: readonly string[] | undefined },
): Promise<OutboxEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT position, type, subject_ids, payload, occurred_at FROM outbox.events
      WHERE position > $1 AND ($3::text[] IS NULL OR type = ANY($3::text[]))
      ORDER BY position LIMIT $2`,
    [opts.after, opts.limit, opts.types && opts.types.length > 0 ? opts.types : null],
  );
  return rows.map((r) => ({
    position: r.position,
    type: r.type,
    subjectIds: r.subject_ids,
    payload: r.payload,
    occurredAt: r.occurred_at,
  }));
}

/** The last position handed out: a new subscriber starts here (no back-fill). */
export async function headPosition(db: Queryable): Promise<number> {
  const [row] = await db.query<{ last_position: number }>('SELECT last_position FROM outbox.sequencer');
  return Number(row?.last_position ?? 0);
}
