/**
 * What the counter's visits show about the front office: how many came, how long a visit
 * took (start to end), how many forms were filled without handwriting (procedures sent at
 * a visit), pages printed, signatures on the tablet, fees due. Aggregates only; no person.
 */
import type { Queryable } from '../../platform/db/db.js';

export interface VisitFigures {
  started: number;
  ended: number;
  abandoned: number;
  /** Still at the counter (open or sent, not ended). */
  inProgress: number;
  /** Seconds from start to end of the ended visits. */
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Procedures sent at visits: forms nobody had to write by hand. */
  formsNotHandwritten: number;
  pagesPrinted: number;
  signedOnTablet: number;
  signedOnPaper: number;
  feesDue: number;
  certificates: number;
  byStart: { preEntry: number; card: number; search: number };
}

export interface RecentVisit {
  reference: string;
  startedAt: Date;
  seconds: number;
  procedures: number;
  pages: number;
  startedBy: string;
}

/** Visits started from `from` to `to` (Japan dates, inclusive). */
export async function visitMetrics(db: Queryable, period: { from: string; to: string }): Promise<VisitFigures> {
  const [row] = await db.query<Record<string, number | null>>(
    `WITH v AS (
       SELECT * FROM counter.visits
        WHERE started_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Tokyo'
          AND started_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'
     ), d AS (
       SELECT extract(epoch FROM ended_at - started_at) AS s FROM v WHERE state = 'ended'
     )
     SELECT count(*)::int AS started,
            count(*) FILTER (WHERE state = 'ended')::int AS ended,
            count(*) FILTER (WHERE state = 'abandoned')::int AS abandoned,
            count(*) FILTER (WHERE state IN ('open', 'sent'))::int AS in_progress,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) FROM d)::float8 AS median,
            (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY s) FROM d)::float8 AS p90,
            (SELECT count(*) FROM counter.visit_applications a WHERE a.visit_id IN (SELECT id FROM v))::int AS forms,
            coalesce(sum(pages_printed), 0)::int AS pages,
            count(*) FILTER (WHERE signed_on = 'tablet' AND state <> 'abandoned')::int AS tablet,
            count(*) FILTER (WHERE signed_on = 'paper' AND state <> 'abandoned')::int AS paper,
            (SELECT coalesce(sum(amount), 0) FROM counter.visit_fees f WHERE f.status = 'due' AND f.visit_id IN (SELECT id FROM v WHERE state <> 'abandoned'))::int AS fees,
            (SELECT coalesce(sum(copies), 0) FROM counter.visit_fees f WHERE f.kind = 'certificate' AND f.visit_id IN (SELECT id FROM v WHERE state <> 'abandoned'))::int AS certificates,
            count(*) FILTER (WHERE started_by = 'pre-entry')::int AS pre_entry,
            count(*) FILTER (WHERE started_by = 'card')::int AS card,
            count(*) FILTER (WHERE started_by = 'search')::int AS search
       FROM v`,
    [period.from, period.to],
  );
  const n = (k: string) => Number(row?.[k] ?? 0);
  const sec = (k: string) => (row?.[k] === null || row?.[k] === undefined ? null : Math.round(Number(row[k])));
  return {
    started: n('started'),
    ended: n('ended'),
    abandoned: n('abandoned'),
    inProgress: n('in_progress'),
    medianSeconds: sec('median'),
    p90Seconds: sec('p90'),
    formsNotHandwritten: n('forms'),
    pagesPrinted: n('pages'),
    signedOnTablet: n('tablet'),
    signedOnPaper: n('paper'),
    feesDue: n('fees'),
    certificates: n('certificates'),
    byStart: { preEntry: n('pre_entry'), card: n('card'), search: n('search') },
  };
}

/** The latest ended visits of the period, newest first: reference, duration, procedures, pages. */
export async function recentVisits(db: Queryable, period: { from: string; to: string }, limit = 10): Promise<RecentVisit[]> {
  const rows = await db.query<{ reference: string; started_at: Date; seconds: number; procedures: number; pages: number; started_by: string }>(
    `SELECT v.reference, v.started_at, extract(epoch FROM v.ended_at - v.started_at)::float8 AS seconds,
            (SELECT count(*) FROM counter.visit_applications a WHERE a.visit_id = v.id)::int AS procedures,
            v.pages_printed AS pages, v.started_by
       FROM counter.visits v
      WHERE v.state = 'ended'
        AND v.started_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Tokyo'
        AND v.started_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'
      ORDER BY v.ended_at DESC, v.id
      LIMIT $3`,
    [period.from, period.to, limit],
  );
  return rows.map((r) => ({ reference: r.reference, startedAt: r.started_at, seconds: Math.round(Number(r.seconds)), procedures: r.procedures, pages: r.pages, startedBy: r.started_by }));
}
