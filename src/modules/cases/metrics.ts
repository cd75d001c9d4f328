/**
 * Front-office metrics (処理状況の見える化) from the cases and their timelines only: how many
 * cases came in, were completed or withdrawn, how many were still open at the period's end,
 * how long processing took, where the time went (per state) and how much of it was spent
 * waiting for the resident, the share decided within the standard period, and the share
 * that came in online. Aggregates only: no case, person or staff member is named.
 *
 * Dates are Japan dates: a period `from`–`to` runs from `from` 00:00 JST to the end of `to`.
 */
import type { Queryable } from '../../platform/db/db.js';
import { validationError, type FieldIssue } from '../../platform/errors.js';
import { addDays } from './runtime.js';
import { STATES, type CaseState } from './states.js';
import type { Channel } from './store.js';

export const GROUPINGS = ['procedure', 'department', 'channel', 'month'] as const;
export type Grouping = (typeof GROUPINGS)[number];
export const CHANNELS: readonly Channel[] = ['online', 'paper', 'counter'];
/** A period may span at most this many years. */
export const MAX_YEARS = 3;

export interface MetricsQuery {
  /** First day (Japan date, YYYY-MM-DD), inclusive. */
  from: string;
  /** Last day (Japan date), inclusive. */
  to: string;
  by: Grouping;
  /** Departments the reader may see; undefined: every department. */
  departments?: readonly string[] | undefined;
  department?: string | undefined;
  procedure?: string | undefined;
  channel?: Channel | undefined;
}

/** Time spent in one state by the cases completed in the period (a case's stays in the state summed). */
export interface StepFigure {
  state: CaseState;
  /** Completed cases that were in this state at some time. */
  cases: number;
  meanHours: number;
  medianHours: number;
  totalHours: number;
}

export interface Figures {
  /** Received in the period. */
  received: number;
  /** Of those, received online. */
  online: number;
  /** online / received; null when nothing was received. */
  onlineShare: number | null;
  /** Completed (notice issued) in the period. */
  completed: number;
  /** Withdrawn in the period. */
  withdrawn: number;
  /** Received by the end of the period and not closed by then. */
  backlog: number;
  /** received_at → completed_at of the cases completed in the period, in days. */
  processingDays: { median: number | null; p90: number | null; mean: number | null };
  /** Completed cases decided (Japan date) on or before their due date (which moves later by paused days). */
  withinStandard: number;
  withinStandardShare: number | null;
  /** Time in state `waiting` of the cases completed in the period. */
  waiting: { cases: number; totalDays: number; meanDays: number | null };
  steps: StepFigure[];
}

export interface GroupFigures extends Figures {
  /** A procedure code, department code, channel, or month (YYYY-MM). */
  key: string;
}

export interface MetricsResult {
  from: string;
  to: string;
  by: Grouping;
  total: Figures;
  groups: GroupFigures[];
}

// ---- pure helpers ---------------------------------------------------------------------

const round = (x: number | null | undefined, places = 2): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** places) / 10 ** places;
const share = (n: number, of: number) => (of > 0 ? round(n / of, 4) : null);

export const isDate = (s: string | undefined): s is string =>
  !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The same day `n` months later (clamped to the month's last day). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export const monthStart = (date: string) => `${date.slice(0, 7)}-01`;
export const monthEnd = (date: string) => addDays(addMonths(monthStart(date), 1), -1);

/** The months a period touches (YYYY-MM), in order. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = monthStart(from); m <= to; m = addMonths(m, 1)) out.push(m.slice(0, 7));
  return out;
}

export const PRESETS = ['this-month', '3-months', '12-months'] as const;
export type Preset = (typeof PRESETS)[number];

/** A preset period ending today: this month so far, or the last 3 or 12 months counting this one. */
export function presetPeriod(preset: Preset, today: string): { from: string; to: string } {
  const back = preset === 'this-month' ? 0 : preset === '3-months' ? 2 : 11;
  return { from: addMonths(monthStart(today), -back), to: today };
}

/** The messages of the field issues `parseMetricsQuery` names (pages turn them into words). */
export const ISSUES = {
  date: 'a date YYYY-MM-DD',
  order: 'on or after from',
  long: `within ${MAX_YEARS} years of from`,
  department: 'not a department code',
  procedure: 'not a procedure code',
  by: `one of ${GROUPINGS.join(', ')}`,
  channel: `one of ${CHANNELS.join(', ')}`,
} as const;

export interface RawMetricsQuery {
  from?: string | undefined;
  to?: string | undefined;
  by?: string | undefined;
  department?: string | undefined;
  procedure?: string | undefined;
  channel?: string | undefined;
}

/**
 * Checks a query as it came in and fills the defaults (the last 12 months, grouped by
 * procedure). Throws a validation error naming each bad field.
 */
export function parseMetricsQuery(raw: RawMetricsQuery, today: string, known: { departments: ReadonlySet<string>; procedures: ReadonlySet<string> }): MetricsQuery {
  const issues: FieldIssue[] = [];
  const blank = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  const to = blank(raw.to) ?? today;
  const from = blank(raw.from) ?? (isDate(to) ? presetPeriod('12-months', to).from : today);
  if (!isDate(from)) issues.push({ field: 'from', message: ISSUES.date });
  if (!isDate(to)) issues.push({ field: 'to', message: ISSUES.date });
  if (isDate(from) && isDate(to)) {
    if (to < from) issues.push({ field: 'to', message: ISSUES.order });
    else if (to >= addMonths(from, 12 * MAX_YEARS)) issues.push({ field: 'to', message: ISSUES.long });
  }
  const by = blank(raw.by) ?? 'procedure';
  if (!(GROUPINGS as readonly string[]).includes(by)) issues.push({ field: 'by', message: ISSUES.by });
  const department = blank(raw.department);
  if (department && !known.departments.has(department)) issues.push({ field: 'department', message: ISSUES.department });
  const procedure = blank(raw.procedure);
  if (procedure && !known.procedures.has(procedure)) issues.push({ field: 'procedure', message: ISSUES.procedure });
  const channel = blank(raw.channel);
  if (channel && !(CHANNELS as readonly string[]).includes(channel)) issues.push({ field: 'channel', message: ISSUES.channel });
  if (issues.length) throw validationError(`the metrics query is not valid: ${issues.map((i) => i.field).join(', ')}`, issues);
  return { from, to, by: by as Grouping, department, procedure, channel: channel as Channel | undefined };
}

// ---- the SQL ---------------------------------------------------------------------------

const JST = `'Asia/Tokyo'`;
/** The first moment of the period, and the first moment after it. */
const T0 = `($5::date::timestamp AT TIME ZONE ${JST})`;
const T1 = `(($6::date + 1)::timestamp AT TIME ZONE ${JST})`;
const SCOPE = `($1::text[] IS NULL OR c.department = ANY($1::text[]))
  AND ($2::text IS NULL OR c.department = $2) AND ($3::text IS NULL OR c.procedure_code = $3) AND ($4::text IS NULL OR c.channel = $4)`;

/** The group of a case: a column, or for months the month (in Japan) of the moment being counted. */
function keyOf(by: Grouping, at: string): string {
  if (by === 'month') return `to_char(${at} AT TIME ZONE ${JST}, 'YYYY-MM')`;
  return { procedure: 'c.procedure_code', department: 'c.department', channel: 'c.channel' }[by];
}

interface Row {
  k: string | null;
  /** 1 for the total row of GROUPING SETS. */
  g: number;
}

const receivedSql = (by: Grouping) => `
  SELECT k, GROUPING(k)::int AS g, count(*)::int AS received, count(*) FILTER (WHERE channel = 'online')::int AS online
    FROM (SELECT ${keyOf(by, 'c.received_at')} AS k, c.channel FROM cases.cases c
           WHERE ${SCOPE} AND c.received_at >= ${T0} AND c.received_at < ${T1}) x
   GROUP BY GROUPING SETS ((k), ())`;

/** When a closed case was closed: completed_at for completed cases, closed_at for withdrawn ones. */
const CLOSED_AT = `(CASE WHEN c.state = 'completed' THEN c.completed_at ELSE c.closed_at END)`;

/** Completed (by completed_at) and withdrawn (by closed_at) in the period, with processing days. */
const closedSql = (by: Grouping) => `
  SELECT k, GROUPING(k)::int AS g,
         count(*) FILTER (WHERE state = 'completed')::int AS completed,
         count(*) FILTER (WHERE state = 'withdrawn')::int AS withdrawn,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE state = 'completed') AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY days) FILTER (WHERE state = 'completed') AS p90,
         avg(days) FILTER (WHERE state = 'completed') AS mean,
         count(*) FILTER (WHERE state = 'completed' AND within)::int AS within
    FROM (SELECT ${keyOf(by, CLOSED_AT)} AS k, c.state,
                 extract(epoch FROM c.completed_at - c.received_at)::float8 / 86400 AS days,
                 (coalesce(c.decided_at, c.completed_at) AT TIME ZONE ${JST})::date <= c.due_date AS within
            FROM cases.cases c
           WHERE ${SCOPE} AND c.state IN ('completed', 'withdrawn') AND ${CLOSED_AT} >= ${T0} AND ${CLOSED_AT} < ${T1}) x
   GROUP BY GROUPING SETS ((k), ())`;

/** The first moment after the Japan date in parameter `p`. */
const after = (p: string) => `((${p}::date + 1)::timestamp AT TIME ZONE ${JST})`;

/** Open at the end of the period: received before it ended, not closed by then. $5 is the period's last day. */
const backlogSql = (by: Exclude<Grouping, 'month'>) => `
  SELECT k, GROUPING(k)::int AS g, count(*)::int AS backlog
    FROM (SELECT ${keyOf(by, '')} AS k FROM cases.cases c
           WHERE ${SCOPE} AND c.received_at < ${after('$5')} AND (c.closed_at IS NULL OR c.closed_at >= ${after('$5')})) x
   GROUP BY GROUPING SETS ((k), ())`;

/** Open at the end of each month (the last one ends with the period): $5 the months' last days. */
const monthlyBacklogSql = `
  SELECT to_char(e.d, 'YYYY-MM') AS k, 0 AS g, count(c.id)::int AS backlog
    FROM unnest($5::date[]) AS e(d)
    JOIN cases.cases c ON ${SCOPE} AND c.received_at < ${after('e.d')} AND (c.closed_at IS NULL OR c.closed_at >= ${after('e.d')})
   GROUP BY e.d`;

/**
 * Time per state of the cases completed in the period. A stay in a state starts at a step
 * that moved the case into it and ends at the next step that moved it elsewhere: steps that
 * keep the state (assign, a first-level approve) do not end it. Stays of one case in the
 * same state (in review again after a send-back) are summed.
 */
const stepsSql = (by: Grouping) => `
  WITH done AS (
    SELECT c.id, ${keyOf(by, 'c.completed_at')} AS k FROM cases.cases c
     WHERE ${SCOPE} AND c.state = 'completed' AND c.completed_at >= ${T0} AND c.completed_at < ${T1}
  ), moves AS (
    SELECT s.case_id, s.to_state AS state,
           extract(epoch FROM lead(s.at) OVER (PARTITION BY s.case_id ORDER BY s.seq) - s.at)::float8 AS secs
      FROM cases.steps s JOIN done d ON d.id = s.case_id
     WHERE s.from_state IS DISTINCT FROM s.to_state
  ), per_case AS (
    SELECT case_id, state, sum(secs) AS secs FROM moves WHERE secs IS NOT NULL GROUP BY case_id, state
  )
  SELECT d.k, GROUPING(d.k)::int AS g, p.state, count(*)::int AS cases,
         avg(p.secs) / 3600 AS mean_hours,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY p.secs) / 3600 AS median_hours,
         sum(p.secs) / 3600 AS total_hours
    FROM per_case p JOIN done d ON d.id = p.case_id
   GROUP BY GROUPING SETS ((d.k, p.state), (p.state))`;

export function emptyFigures(): Figures {
  return {
    received: 0, online: 0, onlineShare: null, completed: 0, withdrawn: 0, backlog: 0,
    processingDays: { median: null, p90: null, mean: null }, withinStandard: 0, withinStandardShare: null,
    waiting: { cases: 0, totalDays: 0, meanDays: null }, steps: [],
  };
}

/** The metrics of a period, in total and per group. */
export async function caseMetrics(db: Queryable, q: MetricsQuery): Promise<MetricsResult> {
  const scope = [q.departments ? [...q.departments] : null, q.department ?? null, q.procedure ?? null, q.channel ?? null];
  const params = [...scope, q.from, q.to];
  const months = monthsOf(q.from, q.to);
  const [received, closed, backlog, steps] = await Promise.all([
    db.query<Row & { received: number; online: number }>(receivedSql(q.by), params),
    db.query<Row & { completed: number; withdrawn: number; median: number | null; p90: number | null; mean: number | null; within: number }>(closedSql(q.by), params),
    q.by === 'month'
      ? db.query<Row & { backlog: number }>(monthlyBacklogSql, [...scope, months.map((m) => [monthEnd(`${m}-01`), q.to].sort()[0])])
      : db.query<Row & { backlog: number }>(backlogSql(q.by), [...scope, q.to]),
    db.query<Row & { state: CaseState; cases: number; mean_hours: number; median_hours: number; total_hours: number }>(stepsSql(q.by), params),
  ]);

  const total = emptyFigures();
  const groups = new Map<string, Figures>(q.by === 'month' ? months.map((m) => [m, emptyFigures()]) : []);
  const figuresOf = (r: Row): Figures => {
    if (r.g === 1) return total;
    const key = r.k ?? '';
    let f = groups.get(key);
    if (!f) groups.set(key, (f = emptyFigures()));
    return f;
  };
  for (const r of received) Object.assign(figuresOf(r), { received: r.received, online: r.online });
  for (const r of closed) {
    Object.assign(figuresOf(r), {
      completed: r.completed,
      withdrawn: r.withdrawn,
      processingDays: { median: round(r.median), p90: round(r.p90), mean: round(r.mean) },
      withinStandard: r.within,
    });
  }
  for (const r of backlog) figuresOf(r).backlog = r.backlog;
  // By month, the period's backlog is the last month's (whose end is the period's end).
  if (q.by === 'month') total.backlog = groups.get(months[months.length - 1]!)?.backlog ?? 0;
  for (const r of steps) {
    figuresOf(r).steps.push({ state: r.state, cases: r.cases, meanHours: round(r.mean_hours)!, medianHours: round(r.median_hours)!, totalHours: round(r.total_hours)! });
  }
  const finish = (f: Figures): Figures => {
    f.steps.sort((a, b) => STATES.indexOf(a.state) - STATES.indexOf(b.state));
    const w = f.steps.find((s) => s.state === 'waiting');
    f.waiting = w ? { cases: w.cases, totalDays: round(w.totalHours / 24)!, meanDays: round(w.meanHours / 24) } : { cases: 0, totalDays: 0, meanDays: null };
    f.onlineShare = share(f.online, f.received);
    f.withinStandardShare = share(f.withinStandard, f.completed);
    return f;
  };
  return {
    from: q.from,
    to: q.to,
    by: q.by,
    total: finish(total),
    groups: [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, f]) => ({ key, ...finish(f) })),
  };
}

// ---- CSV --------------------------------------------------------------------------------

/**
 * One CSV cell: quoted when it holds a quote, comma or line break; a text starting with
 * = + - @ (or a tab / carriage return) gets a leading apostrophe so a spreadsheet does not
 * run it as a formula. Numbers are written as they are; null is an empty cell.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Lines of cells, CRLF-terminated, behind a UTF-8 byte order mark (Excel in Japan reads it as UTF-8). */
export const csvText = (rows: readonly (readonly (string | number | null | undefined)[])[]): string =>
  `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
