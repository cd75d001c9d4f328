/**
 * The daily reconciliation (日次の収納照合): the ledger's movements of one Japan date summed
 * per provider and method — captured, refunded, fees, net (captured − refunded − fees) and
 * counts — to check against each provider's settlement statement. As JSON and as CSV (UTF-8
 * with a byte order mark, Japanese header, cells a spreadsheet will not run as formulas).
 */
import type { Queryable } from '../../platform/db/db.js';
import { hasMessage, type Translate } from '../../platform/i18n.js';
import { japanDay } from './runtime.js';
import * as store from './store.js';

export interface ReconciliationLine {
  provider: string;
  method: string;
  captures: number;
  captured: number;
  refunds: number;
  refunded: number;
  fees: number;
  net: number;
}

export interface Reconciliation {
  date: string;
  lines: ReconciliationLine[];
  total: Omit<ReconciliationLine, 'provider' | 'method'>;
}

export async function reconcile(db: Queryable, date: string): Promise<Reconciliation> {
  const { from, to } = japanDay(date);
  const lines = (await store.ledgerSums(db, from, to)).map((r) => ({
    provider: r.provider, method: r.method, captures: r.captures, captured: r.captured, refunds: r.refunds, refunded: r.refunded, fees: r.fees,
    net: r.captured - r.refunded - r.fees,
  }));
  const sum = (k: keyof Reconciliation['total']) => lines.reduce((s, l) => s + l[k], 0);
  return {
    date,
    lines,
    total: { captures: sum('captures'), captured: sum('captured'), refunds: sum('refunds'), refunded: sum('refunded'), fees: sum('fees'), net: sum('net') },
  };
}

/**
 * One CSV cell: quoted when it holds a quote, comma or line break; a text starting with
 * = + - @ (or a tab / carriage return) gets a leading apostrophe so a spreadsheet does not run
 * it as a formula. Numbers are written as they are.
 */
export function csvCell(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const csvText = (rows: readonly (readonly (string | number)[])[]): string => `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

export const providerLabel = (t: Translate, code: string) => (hasMessage(`payments.provider.${code}`) ? t(`payments.provider.${code}`) : code);
/** What a payment is for, in words where the catalogue has them (`reservation` → 施設予約), else its code. */
export const purposeLabel = (t: Translate, code: string) => (hasMessage(`payments.for.${code}`) ? t(`payments.for.${code}`) : code);
export const methodLabel = (t: Translate, code: string) => (hasMessage(`payments.method.${code}`) ? t(`payments.method.${code}`) : code);

/** The CSV: a Japanese header, a line per provider and method, then the total. */
export function reconciliationCsv(r: Reconciliation, t: Translate): string {
  const header = ['date', 'provider', 'method', 'captures', 'captured', 'refunds', 'refunded', 'fees', 'net'].map((k) => t(`payments.csv.${k}`));
  const figures = (l: Reconciliation['total']) => [l.captures, l.captured, l.refunds, l.refunded, l.fees, l.net];
  return csvText([
    header,
    ...r.lines.map((l) => [r.date, providerLabel(t, l.provider), methodLabel(t, l.method), ...figures(l)]),
    [r.date, t('payments.total'), '', ...figures(r.total)],
  ]);
}
