/** The metrics dashboard: filters, key figures, charts (inline SVG) with their numbers, a table per group. */
import type { ComponentChild } from 'preact';
import type { Locale, Translate } from '../../../platform/i18n.js';
import { Layout, type PageContext } from '../../../platform/views/layout.js';
import { formatDate } from '../../../platform/views/dates.js';
import type { Figures, Grouping, Preset } from '../metrics.js';
import { GROUPINGS, PRESETS } from '../metrics.js';
import { OPEN_STATES } from '../states.js';
import { ChartFrame, COLOURS, hbarHeight, HBars, Legend, MonthlyBars, NumberTable, type HBar, type MonthBar } from './metrics-charts.js';

/** The few rules the dashboard adds to the shared stylesheet (CSP allows only same-origin styles). */
export const METRICS_CSS = `
.metrics-figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: 0.5rem; list-style: none; margin: 0 0 1rem; padding: 0; }
.metrics-figures li { border: 1px solid var(--line); border-radius: var(--border-radius-8); padding: 0.75rem; }
.metrics-figures .label { margin: 0; font-size: var(--font-size-14); font-weight: 700; }
.metrics-figures .value { margin: 0.25rem 0 0; font-size: var(--font-size-28); font-weight: 700; line-height: 1.2; }
.metrics-figures .note { margin: 0.25rem 0 0; font-size: var(--font-size-14); color: var(--muted); }
.metrics-dates { display: flex; flex-wrap: wrap; gap: 0 1rem; }
.metrics-dates .field { flex: 1 1 10rem; }
.chart { margin: 0 0 1.5rem; min-width: 0; }
.chart h3 { font-size: var(--font-size-18); margin: 0 0 0.25rem; }
.chart > svg { display: block; width: 100%; max-width: 36rem; height: auto; }
.chart-legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0 0 0.25rem; font-size: var(--font-size-14); }
.chart-legend svg { vertical-align: middle; margin-right: 0.25rem; }
table.metrics-table th { white-space: normal; }
table.metrics-table th[scope=row] { min-width: 9em; }
table.metrics-table .num { text-align: right; white-space: nowrap; }
table.metrics-table thead .num { white-space: normal; min-width: 4.5em; }
@media (min-width: 64rem) { .metrics-charts { display: grid; grid-template-columns: 1fr 1fr; gap: 0 2rem; } }
`;
export const METRICS_CSS_HREF = '/staff/metrics/assets/metrics.css';

export interface MetricsForm {
  preset: Preset | 'custom';
  from: string;
  to: string;
  department: string;
  procedure: string;
  channel: string;
  by: Grouping;
}

export type FormField = 'from' | 'to' | 'department' | 'procedure' | 'channel' | 'by';

export interface MetricsPageModel {
  form: MetricsForm;
  errors: { field: FormField; message: string }[];
  departments: { code: string; name: string }[];
  procedures: { code: string; name: string }[];
  noPosition: boolean;
  purpose: string;
  data?:
    | {
        from: string;
        to: string;
        total: Figures;
        table: { key: string; label: string; f: Figures }[];
        monthly: { key: string; f: Figures }[];
        perProcedure: { key: string; label: string; standardDays: number | null; f: Figures }[];
        perChannel: { key: string; label: string; f: Figures }[];
        csvHref: string;
      }
    | undefined;
  /** Parts other modules add for the same period (the counter's visits). */
  sections?: ComponentChild[];
}


function formats(t: Translate, locale: Locale) {
  const nf = (digits: number) => new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'ja-JP', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  const n0 = nf(0);
  const n1 = nf(1);
  return {
    count: (n: number) => t('cases.metrics.count', { n: n0.format(n) }),
    days: (n: number | null) => (n === null ? t('cases.metrics.none') : t('cases.metrics.days', { n: n1.format(n) })),
    /** Days, or hours when under a day. */
    duration: (hours: number) => (hours < 24 ? t('cases.metrics.hours', { n: n1.format(hours) }) : t('cases.metrics.days', { n: n1.format(hours / 24) })),
    pct: (s: number | null) => (s === null ? t('cases.metrics.none') : t('cases.metrics.percent', { n: n1.format(s * 100) })),
    num: (n: number) => n1.format(n),
  };
}

function monthText(t: Translate, locale: Locale, key: string, long = false): string {
  const [y, m] = key.split('-');
  const mon = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', { month: 'short', timeZone: 'UTC' }).format(new Date(`${key}-01T00:00:00Z`));
  return t(long ? 'cases.metrics.month.long' : 'cases.metrics.month.short', { y: y ?? '', m: Number(m), mon });
}

function Select({ id, label, value, options, all }: { id: FormField; label: string; value: string; options: { code: string; name: string }[]; all?: string | undefined }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={id}>
        {all !== undefined && <option value="">{all}</option>}
        {options.map((o) => (
          <option key={o.code} value={o.code} selected={o.code === value}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function Filters({ ctx, m }: { ctx: PageContext; m: MetricsPageModel }) {
  const { t } = ctx;
  const err = (f: FormField) => m.errors.find((e) => e.field === f)?.message;
  const dateField = (f: 'from' | 'to') => (
    <div class="field">
      <label for={f}>{t(`cases.metrics.${f}`)}</label>
      {err(f) && (
        <p class="error" id={`${f}-error`}>
          {err(f)}
        </p>
      )}
      <input type="date" id={f} name={f} value={m.form[f]} aria-describedby={['dates-hint', err(f) ? `${f}-error` : ''].filter(Boolean).join(' ')} aria-invalid={err(f) ? 'true' : undefined} />
    </div>
  );
  return (
    <form method="get" action="/staff/metrics" class="card" aria-labelledby="filters-h">
      <h2 id="filters-h" class="card-title">
        {t('cases.metrics.filters')}
      </h2>
      <fieldset>
        <legend>
          <strong>{t('cases.metrics.period')}</strong>
        </legend>
        {[...PRESETS, 'custom' as const].map((p) => (
          <div class="radio" key={p}>
            <input type="radio" id={`preset-${p}`} name="preset" value={p} checked={m.form.preset === p} />
            <label for={`preset-${p}`}>{t(`cases.metrics.preset.${p}`)}</label>
          </div>
        ))}
        <p class="hint" id="dates-hint">
          {t('cases.metrics.datesHint')}
        </p>
        <div class="metrics-dates">
          {dateField('from')}
          {dateField('to')}
        </div>
      </fieldset>
      <div class="filters">
        <Select id="department" label={t('cases.metrics.department')} value={m.form.department} options={m.departments} all={t('cases.metrics.allMine')} />
        <Select id="procedure" label={t('cases.metrics.procedure')} value={m.form.procedure} options={m.procedures} all={t('cases.metrics.all')} />
        <Select id="channel" label={t('cases.metrics.channel')} value={m.form.channel} options={['online', 'paper', 'counter'].map((c) => ({ code: c, name: t(`cases.channel.${c}`) }))} all={t('cases.metrics.all')} />
        <Select id="by" label={t('cases.metrics.by')} value={m.form.by} options={GROUPINGS.map((g) => ({ code: g, name: t(`cases.metrics.by.${g}`) }))} />
      </div>
      <p>
        <button type="submit">{t('cases.metrics.submit')}</button>
      </p>
    </form>
  );
}

function KeyFigures({ ctx, total, to }: { ctx: PageContext; total: Figures; to: string }) {
  const { t, locale } = ctx;
  const f = formats(t, locale);
  const items: [string, string, string | undefined][] = [
    ['received', f.count(total.received), undefined],
    ['completed', f.count(total.completed), t('cases.metrics.note.completed', { n: total.withdrawn })],
    ['backlog', f.count(total.backlog), t('cases.metrics.note.backlog', { date: formatDate(to, locale) })],
    ['median', f.days(total.processingDays.median), t('cases.metrics.note.processing', { n: total.completed })],
    ['p90', f.days(total.processingDays.p90), undefined],
    ['within', f.pct(total.withinStandardShare), t('cases.metrics.note.within', { n: total.withinStandard, of: total.completed })],
    ['online', f.pct(total.onlineShare), t('cases.metrics.note.online', { n: total.online, of: total.received })],
    ['waiting', f.days(total.waiting.meanDays), t('cases.metrics.note.waiting', { n: total.waiting.cases, days: f.num(total.waiting.totalDays) })],
  ];
  return (
    <section aria-labelledby="figures-h">
      <h2 id="figures-h">{t('cases.metrics.figures')}</h2>
      <ul class="metrics-figures">
        {items.map(([key, value, note]) => (
          <li key={key}>
            <p class="label">{t(`cases.metrics.fig.${key}`)}</p>
            <p class="value">{value}</p>
            {note && <p class="note">{note}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

type Data = NonNullable<MetricsPageModel['data']>;

function Charts({ ctx, d }: { ctx: PageContext; d: Data }) {
  const { t, locale } = ctx;
  const f = formats(t, locale);
  const dataLabel = t('cases.metrics.chart.data');
  const months: MonthBar[] = d.monthly.map((m, i) => ({
    label: monthText(t, locale, m.key),
    // The year under each January, and under the first month unless a January follows closely.
    year: m.key.endsWith('-01') || (i === 0 && !d.monthly.slice(1, 3).some((n) => n.key.endsWith('-01'))) ? m.key.slice(0, 4) : undefined,
    received: m.f.received,
    completed: m.f.completed,
  }));
  const procs = d.perProcedure.filter((p) => p.f.completed > 0).sort((a, b) => (b.f.processingDays.median ?? 0) - (a.f.processingDays.median ?? 0));
  const procRows: HBar[] = procs.map((p) => ({
    label: p.label,
    value: p.f.processingDays.median ?? 0,
    valueText: f.days(p.f.processingDays.median),
    whisker: p.f.processingDays.p90,
    mark: p.standardDays,
  }));
  const completed = d.total.completed;
  const stepRows: HBar[] = OPEN_STATES.flatMap((s) => {
    const step = d.total.steps.find((x) => x.state === s);
    if (!step || completed === 0) return [];
    const hours = step.totalHours / completed;
    return [{ label: t(`cases.state.${s}`), value: hours / 24, valueText: f.duration(hours), colour: s === 'waiting' ? COLOURS.completed : COLOURS.received }];
  });
  const channelRows: HBar[] = d.perChannel.map((c) => ({ label: c.label, value: c.f.received, valueText: `${f.count(c.f.received)}（${f.pct(d.total.received ? c.f.received / d.total.received : null)}）` }));
  const dayUnit = (n: number) => t('cases.metrics.days', { n });
  const countUnit = (n: number) => t('cases.metrics.count', { n });
  const empty = t('cases.metrics.chart.empty');
  return (
    <section aria-labelledby="charts-h">
      <h2 id="charts-h">{t('cases.metrics.charts')}</h2>
      <div class="metrics-charts">
        <ChartFrame
          id="chart-monthly"
          empty={d.total.received + d.total.completed ? undefined : empty}
          title={t('cases.metrics.chart.monthly')}
          desc={t('cases.metrics.chart.monthly.desc', {
            first: monthText(t, locale, d.monthly[0]?.key ?? d.from.slice(0, 7), true),
            last: monthText(t, locale, d.monthly[d.monthly.length - 1]?.key ?? d.to.slice(0, 7), true),
            received: d.total.received,
            completed: d.total.completed,
          })}
          legend={<Legend items={[{ label: t('cases.metrics.legend.received'), swatch: 'bar', colour: COLOURS.received }, { label: t('cases.metrics.legend.completed'), swatch: 'bar', colour: COLOURS.completed }]} />}
          dataLabel={dataLabel}
          height={MonthlyBars.height}
          table={
            <NumberTable
              caption={t('cases.metrics.chart.monthly')}
              head={[t('cases.metrics.col.month'), t('cases.metrics.fig.received'), t('cases.metrics.fig.completed'), t('cases.metrics.fig.withdrawn'), t('cases.metrics.fig.backlog')]}
              rows={d.monthly.map((m) => [monthText(t, locale, m.key, true), f.count(m.f.received), f.count(m.f.completed), f.count(m.f.withdrawn), f.count(m.f.backlog)])}
            />
          }
        >
          <MonthlyBars months={months} t={t} />
        </ChartFrame>
        <ChartFrame
          id="chart-procedures"
          empty={procRows.length ? undefined : empty}
          title={t('cases.metrics.chart.procedures')}
          desc={t('cases.metrics.chart.procedures.desc')}
          legend={
            <Legend
              items={[
                { label: t('cases.metrics.legend.median'), swatch: 'bar', colour: COLOURS.received },
                { label: t('cases.metrics.legend.p90'), swatch: 'line', colour: COLOURS.ink },
                { label: t('cases.metrics.legend.standard'), swatch: 'dash', colour: COLOURS.completed },
              ]}
            />
          }
          dataLabel={dataLabel}
          height={hbarHeight(procRows.length)}
          table={
            <NumberTable
              caption={t('cases.metrics.chart.procedures')}
              head={[t('cases.metrics.procedure'), t('cases.metrics.fig.completed'), t('cases.metrics.legend.median'), t('cases.metrics.legend.p90'), t('cases.metrics.col.standard'), t('cases.metrics.fig.within')]}
              rows={procs.map((p) => [p.label, f.count(p.f.completed), f.days(p.f.processingDays.median), f.days(p.f.processingDays.p90), f.days(p.standardDays), f.pct(p.f.withinStandardShare)])}
            />
          }
        >
          <HBars rows={procRows} unit={dayUnit} />
        </ChartFrame>
        <ChartFrame
          id="chart-steps"
          empty={stepRows.length ? undefined : empty}
          title={t('cases.metrics.chart.steps')}
          desc={t('cases.metrics.chart.steps.desc', { total: f.num(d.total.processingDays.mean ?? 0) })}
          legend={<Legend items={[{ label: t('cases.metrics.legend.waiting'), swatch: 'bar', colour: COLOURS.completed }]} />}
          dataLabel={dataLabel}
          height={hbarHeight(stepRows.length)}
          table={
            <NumberTable
              caption={t('cases.metrics.chart.steps')}
              head={[t('cases.metrics.col.state'), t('cases.metrics.col.cases'), t('cases.metrics.col.mean'), t('cases.metrics.col.median'), t('cases.metrics.col.perCase')]}
              rows={d.total.steps.map((s) => [t(`cases.state.${s.state}`), f.count(s.cases), f.duration(s.meanHours), f.duration(s.medianHours), f.duration(completed ? s.totalHours / completed : 0)])}
            />
          }
        >
          <HBars rows={stepRows} unit={dayUnit} />
        </ChartFrame>
        <ChartFrame
          id="chart-channels"
          empty={d.total.received ? undefined : empty}
          title={t('cases.metrics.chart.channels')}
          desc={t('cases.metrics.chart.channels.desc', { total: d.total.received })}
          dataLabel={dataLabel}
          height={hbarHeight(channelRows.length)}
          table={
            <NumberTable
              caption={t('cases.metrics.chart.channels')}
              head={[t('cases.metrics.channel'), t('cases.metrics.fig.received'), t('cases.metrics.col.share')]}
              rows={d.perChannel.map((c) => [c.label, f.count(c.f.received), f.pct(d.total.received ? c.f.received / d.total.received : null)])}
            />
          }
        >
          <HBars rows={channelRows} unit={countUnit} />
        </ChartFrame>
      </div>
    </section>
  );
}

function GroupTable({ ctx, d, by }: { ctx: PageContext; d: Data; by: Grouping }) {
  const { t, locale } = ctx;
  const f = formats(t, locale);
  const row = (label: string, x: Figures) => [
    label, f.count(x.received), f.count(x.completed), f.count(x.withdrawn), f.count(x.backlog), f.days(x.processingDays.median), f.days(x.processingDays.p90),
    f.pct(x.withinStandardShare), f.pct(x.onlineShare), f.days(x.waiting.meanDays),
  ];
  const caption = t('cases.metrics.table', { by: t(`cases.metrics.by.${by}`) });
  return (
    <section>
      <h2>{caption}</h2>
      <NumberTable
        caption={caption}
        head={[t('cases.metrics.col.group'), ...['received', 'completed', 'withdrawn', 'backlog', 'median', 'p90', 'within', 'online', 'waiting'].map((k) => t(`cases.metrics.fig.${k}`))]}
        rows={d.table.map((g) => row(by === 'month' ? monthText(t, locale, g.key, true) : g.label, g.f))}
        foot={row(t('cases.metrics.total'), d.total)}
        hideCaption
      />
    </section>
  );
}

export function MetricsPage({ ctx, m }: { ctx: PageContext; m: MetricsPageModel }) {
  const { t, locale } = ctx;
  const d = m.data;
  return (
    <Layout ctx={ctx} title={t('cases.metrics.title')}>
      <link rel="stylesheet" href={METRICS_CSS_HREF} />
      <h1>{t('cases.metrics.title')}</h1>
      <p class="lead">{t('cases.metrics.lead')}</p>
      <p class="notice">
        {t('cases.metrics.purpose', { purpose: t(`purpose.${m.purpose}`) })} <a href="/staff/purpose?next=/staff/metrics">{t('staff.purpose.change')}</a>
      </p>
      {m.errors.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
          <h2 id="error-summary-title">{t('cases.metrics.errors')}</h2>
          <ul>
            {m.errors.map((e) => (
              <li key={e.field}>
                <a href={`#${e.field}`}>{e.message}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {m.noPosition && <p class="notice">{t('cases.metrics.noPosition')}</p>}
      <Filters ctx={ctx} m={m} />
      {d && (
        <>
          <p>
            <strong>{t('cases.metrics.range', { from: formatDate(d.from, locale), to: formatDate(d.to, locale) })}</strong>
          </p>
          <p>
            <a class="button secondary" href={d.csvHref} download>
              {t('cases.metrics.csv')}
            </a>
          </p>
          <KeyFigures ctx={ctx} total={d.total} to={d.to} />
          <Charts ctx={ctx} d={d} />
          <GroupTable ctx={ctx} d={d} by={m.form.by} />
          {m.sections}
          <details>
            <summary>{t('cases.metrics.definitions')}</summary>
            <p>{t('cases.metrics.definitions.text')}</p>
          </details>
        </>
      )}
    </Layout>
  );
}
