/**
 * The dashboard's charts, drawn on the server as inline SVG (no JavaScript): each is a
 * labelled image (title + description) with its numbers in a table beside it, scales to
 * the page width (viewBox, 360 units wide: readable at 360 px), and uses colours with at
 * least 3:1 contrast on white; series differ by more than colour (position, legend, shape).
 */
import type { ComponentChildren } from 'preact';
import type { Translate } from '../../../platform/i18n.js';
import { TableWrap } from '../../../platform/views/layout.js';

export const COLOURS = {
  /** Digital Agency blue-900: 11.6:1 on white. */
  received: '#0017c1',
  /** orange-800: 4.7:1 on white, and apart from blue for colour-blind readers. */
  completed: '#c74700',
  ink: '#1a1a1a',
  muted: '#4d4d4d',
  grid: '#cccccc',
} as const;

const W = 360;

/** Tick marks from 0 in steps of 1, 2 or 5 × 10ⁿ, at most six, the last at or above `max`. */
export function niceTicks(max: number): number[] {
  const top = max > 0 ? max : 1;
  const raw = top / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v < top + step - 1e-9 && ticks.length < 7; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

export function ChartFrame(props: {
  id: string;
  title: string;
  desc: string;
  legend?: ComponentChildren;
  table: ComponentChildren;
  dataLabel: string;
  children: ComponentChildren;
  height: number;
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string | undefined;
}) {
  const { id, title, desc } = props;
  if (props.empty) {
    return (
      <section class="chart">
        <h3 id={`${id}-h`}>{title}</h3>
        <p>{props.empty}</p>
      </section>
    );
  }
  return (
    <section class="chart">
      <h3 id={`${id}-h`}>{title}</h3>
      {props.legend}
      <svg viewBox={`0 0 ${W} ${props.height}`} width="100%" role="img" aria-labelledby={`${id}-t ${id}-d`} focusable="false">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        {props.children}
      </svg>
      <details>
        <summary>{props.dataLabel}</summary>
        {props.table}
      </details>
    </section>
  );
}

export function Legend({ items }: { items: { label: string; swatch: 'bar' | 'line' | 'dash'; colour: string }[] }) {
  return (
    <ul class="chart-legend">
      {items.map((i) => (
        <li key={i.label}>
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            {i.swatch === 'bar' && <rect x="1" y="3" width="14" height="10" fill={i.colour} />}
            {i.swatch === 'line' && <line x1="1" y1="8" x2="15" y2="8" stroke={i.colour} stroke-width="2" />}
            {i.swatch === 'dash' && <line x1="8" y1="1" x2="8" y2="15" stroke={i.colour} stroke-width="2" stroke-dasharray="3 2" />}
          </svg>
          {i.label}
        </li>
      ))}
    </ul>
  );
}

export interface MonthBar {
  /** Axis label (e.g. 4月); `year` when the year should be shown under it. */
  label: string;
  year?: string | undefined;
  received: number;
  completed: number;
}

/** Received and completed per month, as pairs of vertical bars. */
export function MonthlyBars({ months, t }: { months: MonthBar[]; t: Translate }) {
  const padL = 40;
  const padR = 6;
  const padT = 10;
  const plotH = 150;
  const plotW = W - padL - padR;
  const ticks = niceTicks(Math.max(1, ...months.map((m) => Math.max(m.received, m.completed))));
  const top = ticks[ticks.length - 1]!;
  const y = (v: number) => padT + plotH - (v / top) * plotH;
  const band = plotW / Math.max(1, months.length);
  const barW = Math.min(band * 0.38, 14);
  const every = Math.ceil(months.length / 12);
  return (
    <g font-size="11" fill={COLOURS.ink}>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={padL} x2={W - padR} y1={y(v)} y2={y(v)} stroke={COLOURS.grid} stroke-width="1" />
          <text x={padL - 4} y={y(v) + 3.5} text-anchor="end">
            {t('cases.metrics.count', { n: v })}
          </text>
        </g>
      ))}
      {months.map((m, i) => {
        const x = padL + band * i + band / 2;
        return (
          <g key={`${m.label}-${i}`}>
            <rect x={x - barW - 0.5} y={y(m.received)} width={barW} height={padT + plotH - y(m.received)} fill={COLOURS.received} />
            <rect x={x + 0.5} y={y(m.completed)} width={barW} height={padT + plotH - y(m.completed)} fill={COLOURS.completed} />
            {i % every === 0 && (
              <text x={x} y={padT + plotH + 13} text-anchor="middle" font-size="10">
                {m.label}
              </text>
            )}
            {m.year && (
              <text x={x} y={padT + plotH + 26} text-anchor="middle" fill={COLOURS.muted} font-size="10">
                {m.year}
              </text>
            )}
          </g>
        );
      })}
      <line x1={padL} x2={W - padR} y1={padT + plotH} y2={padT + plotH} stroke={COLOURS.ink} stroke-width="1" />
    </g>
  );
}
MonthlyBars.height = 194;

export interface HBar {
  label: string;
  value: number;
  valueText: string;
  colour?: string | undefined;
  /** A thin line from the bar's end to this value (the 90th percentile). */
  whisker?: number | null | undefined;
  /** A dashed mark at this value (the standard period). */
  mark?: number | null | undefined;
}

/** Roughly how wide a text is at `size` (full-width characters one em, others half). */
const textWidth = (s: string, size: number) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0xff ? size : size * 0.58), 0);

/** The text cut to fit `width` with an ellipsis (the full text is in the table beside the chart). */
export function fitText(s: string, size: number, width: number): string {
  if (textWidth(s, size) <= width) return s;
  let out = '';
  for (const ch of s) {
    if (textWidth(`${out}${ch}…`, size) > width) break;
    out += ch;
  }
  return `${out}…`;
}

const ROW = 44;
const AXIS = 24;

export const hbarHeight = (rows: number) => 6 + rows * ROW + AXIS;

/** Horizontal bars, one row each: the label above, the value at the right. */
export function HBars({ rows, unit }: { rows: HBar[]; unit: (n: number) => string }) {
  const x0 = 8;
  const x1 = W - 12;
  const ticks = niceTicks(Math.max(0, ...rows.flatMap((r) => [r.value, r.whisker ?? 0, r.mark ?? 0])));
  const top = ticks[ticks.length - 1]!;
  const x = (v: number) => x0 + (Math.max(0, v) / top) * (x1 - x0);
  const bottom = 6 + rows.length * ROW;
  return (
    <g font-size="11" fill={COLOURS.ink}>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={x(v)} x2={x(v)} y1={6} y2={bottom} stroke={COLOURS.grid} stroke-width="1" />
          <text x={x(v)} y={bottom + 15} text-anchor={v === 0 ? 'start' : v === top ? 'end' : 'middle'} font-size="11">
            {unit(v)}
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const rowTop = 6 + i * ROW;
        const barY = rowTop + 19;
        return (
          <g key={`${r.label}-${i}`}>
            <text x={x0 + 4} y={rowTop + 13} font-size="13">
              {fitText(r.label, 13, x1 - x0 - textWidth(r.valueText, 12) - 14)}
            </text>
            <text x={x1} y={rowTop + 13} text-anchor="end" font-weight="700" font-size="12">
              {r.valueText}
            </text>
            <rect x={x0} y={barY} width={Math.max(r.value > 0 ? 1.5 : 0, x(r.value) - x0)} height="13" fill={r.colour ?? COLOURS.received} />
            {r.whisker != null && r.whisker > r.value && (
              <g stroke={COLOURS.ink} stroke-width="2">
                <line x1={x(r.value)} x2={x(r.whisker)} y1={barY + 6.5} y2={barY + 6.5} />
                <line x1={x(r.whisker)} x2={x(r.whisker)} y1={barY + 1} y2={barY + 12} />
              </g>
            )}
            {r.mark != null && (
              <line x1={x(r.mark)} x2={x(r.mark)} y1={barY - 4} y2={barY + 17} stroke={COLOURS.completed} stroke-width="2.5" stroke-dasharray="3 2" />
            )}
          </g>
        );
      })}
      <line x1={x0} x2={x0} y1={6} y2={bottom} stroke={COLOURS.ink} stroke-width="1" />
    </g>
  );
}

/** The numbers behind a chart (or the figures per group): a row header, then numbers aligned right. */
export function NumberTable({ caption, head, rows, foot, hideCaption }: { caption: string; head: string[]; rows: string[][]; foot?: string[] | undefined; hideCaption?: boolean }) {
  return (
    <TableWrap label={caption}>
      <table class="metrics-table">
        <caption class={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" class={i > 0 ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...rows, ...(foot ? [foot] : [])].map((r, i) => (
            <tr key={`${r[0]}-${i}`}>
              <th scope="row">{r[0]}</th>
              {r.slice(1).map((c, j) => (
                <td key={j} class="num">
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
