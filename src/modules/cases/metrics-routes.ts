/**
 * Front-office metrics over HTTP: `GET /api/v1/metrics/cases` (JSON), the same as CSV, and
 * the staff dashboard `/staff/metrics`. Staff see the departments where they hold a
 * position; a spoke (client) sees every department. Aggregates only: no personal data is
 * read, so no audit entry is written per person.
 */
import { Type, type Static } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { DomainError, forbidden } from '../../platform/errors.js';
import { translator, type Locale, type Translate } from '../../platform/i18n.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { AccessContext } from '../access/index.js';
import { authorityOf, departmentsOf } from './approval.js';
import './metrics-messages.js';
import {
  caseMetrics, CHANNELS, csvText, emptyFigures, GROUPINGS, ISSUES, parseMetricsQuery, presetPeriod, PRESETS,
  type Figures, type Grouping, type MetricsQuery, type MetricsResult, type Preset, type RawMetricsQuery,
} from './metrics.js';
import type { CasesRuntime } from './runtime.js';
import { OPEN_STATES, STATES } from './states.js';
import { METRICS_CSS, METRICS_CSS_HREF, MetricsPage, type FormField, type MetricsForm, type MetricsPageModel } from './views/metrics.js';

const PURPOSE = 'application-review';
const ROLES = ['case-officer', 'approver'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(s: T) => Type.Union([s, Type.Null()]);

const QuerySchema = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date', description: 'first day (Japan date), inclusive; default: the first day of the month 11 months before `to`' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'last day (Japan date), inclusive; default: today. At most 3 years after `from`' })),
    by: Type.Optional(Type.Enum([...GROUPINGS], { description: 'how the groups are formed (default procedure)' })),
    department: Type.Optional(Type.String({ maxLength: 64, description: 'a department code; staff may name only departments where they hold a position' })),
    procedure: Type.Optional(Type.String({ maxLength: 64 })),
    channel: Type.Optional(Type.Enum([...CHANNELS])),
    lang: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: false },
);

const FiguresProps = {
  received: Type.Integer({ description: 'received in the period' }),
  online: Type.Integer({ description: 'of those, received online' }),
  onlineShare: Nullable(Type.Number({ description: 'online / received' })),
  completed: Type.Integer({ description: 'decision notice issued in the period' }),
  withdrawn: Type.Integer({ description: 'withdrawn in the period' }),
  backlog: Type.Integer({ description: 'received by the end of the period and not closed then' }),
  processingDays: Type.Object(
    { median: Nullable(Type.Number()), p90: Nullable(Type.Number()), mean: Nullable(Type.Number()) },
    { description: 'days from receipt to notice of the cases completed in the period' },
  ),
  withinStandard: Type.Integer({ description: 'completed cases decided (Japan date) on or before their due date' }),
  withinStandardShare: Nullable(Type.Number()),
  waiting: Type.Object(
    { cases: Type.Integer(), totalDays: Type.Number(), meanDays: Nullable(Type.Number()) },
    { description: 'time waiting for the resident, of the cases completed in the period (mean over the cases that waited)' },
  ),
  steps: Type.Array(
    Type.Object({ state: Type.Enum([...STATES]), cases: Type.Integer(), meanHours: Type.Number(), medianHours: Type.Number(), totalHours: Type.Number() }),
    { description: 'time per state of the cases completed in the period (a case’s stays in a state summed)' },
  ),
};

const MetricsSchema = Type.Object({
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  by: Type.Enum([...GROUPINGS]),
  filters: Type.Object({ department: Nullable(Type.String()), procedure: Nullable(Type.String()), channel: Nullable(Type.String()) }),
  departments: Nullable(Type.Array(Type.String(), { description: 'the departments counted (null: all)' })),
  total: Type.Object(FiguresProps),
  groups: Type.Array(
    Type.Object({
      key: Type.String({ description: 'procedure code, department code, channel, or month (YYYY-MM)' }),
      name: Type.String(),
      standardDays: Type.Optional(Type.Integer({ description: 'by procedure: its standard processing period (標準処理期間)' })),
      ...FiguresProps,
    }),
  ),
});
type MetricsBody = Static<typeof MetricsSchema>;

function catalogOf(rt: CasesRuntime) {
  const procedures = rt.applications.catalog.procedures;
  const departments = new Map<string, Record<Locale, string>>();
  for (const p of procedures.values()) if (!departments.has(p.department.code)) departments.set(p.department.code, p.department.names);
  return { procedures, departments };
}

function labeller(rt: CasesRuntime, locale: Locale, t: Translate) {
  const { procedures, departments } = catalogOf(rt);
  return (by: Grouping, key: string): string => {
    if (by === 'procedure') return procedures.get(key)?.names[locale] ?? key;
    if (by === 'department') return departments.get(key)?.[locale] ?? key;
    if (by === 'channel') return t(`cases.channel.${key}`);
    return key;
  };
}

/** The departments a reader may count: a staff member's own; a spoke all (undefined). */
async function visibleDepartments(rt: CasesRuntime, ctx: AccessContext): Promise<string[] | undefined> {
  const p = ctx.principal;
  if (p.kind !== 'staff') return undefined;
  return departmentsOf(await authorityOf(rt.db, rt.access, { id: p.id, name: p.name }, rt.today()));
}

/** Authorize, check the query, and limit it to what the reader may see. */
async function apiQuery(rt: CasesRuntime, req: FastifyRequest, raw: RawMetricsQuery): Promise<MetricsQuery> {
  const ctx = rt.access.authorizeAccess(req, { kinds: ['staff', 'client'], purposes: [PURPOSE] });
  const { procedures, departments } = catalogOf(rt);
  const q = parseMetricsQuery(raw, rt.today(), { departments: new Set(departments.keys()), procedures: new Set(procedures.keys()) });
  const mine = await visibleDepartments(rt, ctx);
  if (mine && q.department && !mine.includes(q.department)) {
    throw forbidden(`department ${q.department}: its figures are for staff with a position there`);
  }
  return { ...q, departments: mine };
}

function present(rt: CasesRuntime, r: MetricsResult, q: MetricsQuery, label: (by: Grouping, key: string) => string): MetricsBody {
  const { procedures } = catalogOf(rt);
  return {
    from: r.from,
    to: r.to,
    by: r.by,
    filters: { department: q.department ?? null, procedure: q.procedure ?? null, channel: q.channel ?? null },
    departments: q.departments ? [...q.departments] : null,
    total: r.total,
    groups: r.groups.map((g) => {
      const standardDays = r.by === 'procedure' ? procedures.get(g.key)?.standardPeriodDays : undefined;
      return { ...g, name: label(r.by, g.key), ...(standardDays !== undefined ? { standardDays } : {}) };
    }),
  };
}

const pct = (s: number | null) => (s === null ? null : Math.round(s * 1000) / 10);
const days = (hours: number | null | undefined) => (hours === null || hours === undefined ? null : Math.round((hours / 24) * 100) / 100);

/** The CSV: a Japanese header, one line per group, then the total. */
export function metricsCsv(r: MetricsResult, label: (by: Grouping, key: string) => string): string {
  const t = translator('ja');
  const header = [
    t('cases.metrics.csv.code'), t('cases.metrics.col.group'), t('cases.metrics.fig.received'), t('cases.metrics.csv.online'), t('cases.metrics.csv.onlineShare'),
    t('cases.metrics.fig.completed'), t('cases.metrics.fig.withdrawn'), t('cases.metrics.fig.backlog'), t('cases.metrics.csv.median'), t('cases.metrics.csv.p90'),
    t('cases.metrics.csv.mean'), t('cases.metrics.csv.within'), t('cases.metrics.csv.withinShare'), t('cases.metrics.csv.waitingCases'),
    t('cases.metrics.csv.waitingTotal'), t('cases.metrics.csv.waitingMean'),
    ...OPEN_STATES.map((s) => t('cases.metrics.csv.state', { state: t(`cases.state.${s}`) })),
  ];
  const line = (code: string, name: string, f: Figures) => [
    code, name, f.received, f.online, pct(f.onlineShare), f.completed, f.withdrawn, f.backlog, f.processingDays.median, f.processingDays.p90, f.processingDays.mean,
    f.withinStandard, pct(f.withinStandardShare), f.waiting.cases, f.waiting.totalDays, f.waiting.meanDays,
    ...OPEN_STATES.map((s) => days(f.steps.find((x) => x.state === s)?.meanHours)),
  ];
  return csvText([header, ...r.groups.map((g) => line(g.key, label(r.by, g.key), g)), line('', t('cases.metrics.total'), r.total)]);
}

export function registerMetrics(app: App, rt: CasesRuntime): void {
  const security: { [label: string]: string[] }[] = [{ session: [] }, { bearer: [] }];
  const description =
    'Aggregates from the cases and their timelines, per group and in total. Staff (session) see the departments where they hold a position; ' +
    `a spoke needs a token with purpose ${PURPOSE} and sees all. No personal data. 400 names a bad field (to before from, a period over 3 years, an unknown code).`;

  app.get(METRICS_CSS_HREF, (_req, reply) => reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(METRICS_CSS));

  app.get(
    '/api/v1/metrics/cases',
    { schema: { tags: ['cases'], summary: 'Front-office metrics of case processing (JSON)', description, security, querystring: QuerySchema, response: { 200: MetricsSchema } } },
    async (req) => {
      const q = await apiQuery(rt, req, req.query);
      return present(rt, await caseMetrics(rt.db, q), q, labeller(rt, req.locale, req.t));
    },
  );

  app.get(
    '/api/v1/metrics/cases.csv',
    { schema: { tags: ['cases'], summary: 'Front-office metrics of case processing as CSV (UTF-8 with BOM, Japanese header)', description, security, querystring: QuerySchema } },
    async (req, reply) => {
      const q = await apiQuery(rt, req, req.query);
      const csv = metricsCsv(await caseMetrics(rt.db, q), labeller(rt, 'ja', translator('ja')));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="case-metrics-${q.from}_${q.to}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  /** The signed-in staff member working on cases under purpose application-review; else a redirect. */
  function staffCtx(req: FastifyRequest, reply: FastifyReply): AccessContext | undefined {
    if (!rt.access.staffPage(req, reply, { purposes: [PURPOSE], roles: ROLES })) return undefined;
    return rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [PURPOSE] });
  }

  const Opt = (n: number) => Type.Optional(Type.String({ maxLength: n }));
  app.get(
    '/staff/metrics',
    {
      config: { page: true },
      schema: { querystring: Type.Object({ preset: Opt(16), from: Opt(32), to: Opt(32), department: Opt(64), procedure: Opt(64), channel: Opt(16), by: Opt(16), lang: Opt(10) }) },
    },
    async (req, reply) => {
      const ctx = staffCtx(req, reply);
      if (!ctx) return reply;
      const { model, status } = await dashboard(rt, req, ctx, req.query);
      return sendPage(reply, MetricsPage({ ctx: pageContext(req), m: model }), status);
    },
  );
}

type PageQuery = RawMetricsQuery & { preset?: string | undefined };

/** The dashboard's model: the form as given, its errors, and — when it is valid — the figures. */
async function dashboard(rt: CasesRuntime, req: FastifyRequest, ctx: AccessContext, raw: PageQuery): Promise<{ model: MetricsPageModel; status: number }> {
  const { t, locale } = req;
  const { procedures, departments } = catalogOf(rt);
  const mine = (await visibleDepartments(rt, ctx)) ?? [];
  const given = raw.from || raw.to;
  const chosen = (PRESETS as readonly string[]).includes(raw.preset ?? '') ? (raw.preset as Preset) : undefined;
  // Dates edited on the form win over the preset they were filled from.
  const edited = chosen && given && (() => {
    const p = presetPeriod(chosen, rt.today());
    return (raw.from ?? p.from) !== p.from || (raw.to ?? p.to) !== p.to;
  })();
  const preset: Preset | 'custom' = chosen && !edited ? chosen : raw.preset === 'custom' || given ? 'custom' : '12-months';
  const period = preset === 'custom' ? { from: raw.from ?? '', to: raw.to ?? '' } : presetPeriod(preset, rt.today());
  const by = (GROUPINGS as readonly string[]).includes(raw.by ?? '') ? (raw.by as Grouping) : 'procedure';
  const form: MetricsForm = { preset, ...period, department: raw.department ?? '', procedure: raw.procedure ?? '', channel: raw.channel ?? '', by };
  const model: MetricsPageModel = {
    form,
    errors: [],
    departments: mine.map((code) => ({ code, name: departments.get(code)?.[locale] ?? code })),
    procedures: [...procedures.values()].filter((p) => mine.includes(p.department.code)).map((p) => ({ code: p.code, name: p.names[locale] })),
    noPosition: mine.length === 0,
    purpose: ctx.purpose,
  };
  let q: MetricsQuery;
  try {
    q = parseMetricsQuery({ ...period, by: raw.by, department: raw.department, procedure: raw.procedure, channel: raw.channel }, rt.today(), {
      departments: new Set(departments.keys()),
      procedures: new Set(procedures.keys()),
    });
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'validation') throw err;
    model.errors = (err.issues ?? []).map((i) => ({ field: i.field as FormField, message: issueText(t, i.field as FormField, i.message) }));
    return { model, status: 400 };
  }
  if (q.department && !mine.includes(q.department)) {
    model.errors = [{ field: 'department', message: t('cases.metrics.error.department') }];
    return { model, status: 403 };
  }
  if (mine.length === 0) return { model, status: 200 };
  const scoped: MetricsQuery = { ...q, departments: mine };
  const label = labeller(rt, locale, t);
  const needed = [...new Set<Grouping>(['month', 'procedure', 'channel', q.by])];
  const results = new Map(await Promise.all(needed.map(async (by) => [by, await caseMetrics(rt.db, { ...scoped, by })] as const)));
  const of = (by: Grouping) => results.get(by)!;
  const params = new URLSearchParams({ from: q.from, to: q.to, by: q.by });
  for (const k of ['department', 'procedure', 'channel'] as const) if (q[k]) params.set(k, q[k]);
  model.data = {
    from: q.from,
    to: q.to,
    total: of(q.by).total,
    table: of(q.by).groups.map((g) => ({ key: g.key, label: label(q.by, g.key), f: g })),
    monthly: of('month').groups.map((g) => ({ key: g.key, f: g })),
    perProcedure: of('procedure').groups.map((g) => ({ key: g.key, label: label('procedure', g.key), standardDays: procedures.get(g.key)?.standardPeriodDays ?? null, f: g })),
    perChannel: CHANNELS.map((c) => ({ key: c, label: label('channel', c), f: of('channel').groups.find((g) => g.key === c) ?? emptyFigures() })),
    csvHref: `/api/v1/metrics/cases.csv?${params.toString()}`,
  };
  model.sections = await Promise.all(rt.dashboardSections.map((section) => section({ from: q.from, to: q.to }, { t, locale })));
  return { model, status: 200 };
}

function issueText(t: Translate, field: FormField, message: string): string {
  if (field === 'from') return t('cases.metrics.error.from');
  if (field === 'to') return message === ISSUES.order ? t('cases.metrics.error.order') : message === ISSUES.long ? t('cases.metrics.error.long') : t('cases.metrics.error.to');
  return t('cases.metrics.error.choice', { field: t(`cases.metrics.${field}`) });
}
