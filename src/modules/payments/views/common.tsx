/** Amounts and moments as the payments pages show them. */
import type { Locale, Translate } from '../../../platform/i18n.js';
import { formatDate } from '../../../platform/views/dates.js';

const number = new Intl.NumberFormat('ja-JP');
const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Tokyo' });

/** 1,200円 / ¥1,200. */
export const yen = (t: Translate, amount: number): string => t('payments.yen', { amount: number.format(amount) });

/** A moment in Japan time: the date as pages write dates, and the time of day. */
export function japanTime(t: Translate, locale: Locale, at: Date): string {
  const date = new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
  return t('payments.japanTime', { date: formatDate(date, locale), time: clock.format(at) });
}

/** The time of day in Japan, HH:MM. */
export const clockTime = (at: Date): string => clock.format(at);

export function Moment({ t, locale, at }: { t: Translate; locale: Locale; at: Date }) {
  return <time dateTime={at.toISOString()}>{japanTime(t, locale, at)}</time>;
}

/** The few rules the payments pages add to the shared stylesheet (served by the module; CSP allows only same-origin styles). */
export const PAYMENTS_CSS = `
.sim-qr svg { width: 12rem; height: 12rem; display: block; background: #fff; margin: 0 0 1rem; }
.pay-amount { font-size: var(--font-size-24, 1.5rem); }
.pay-figures td.num, .pay-figures th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.pay-figures tr.total td, .pay-figures tr.total th { font-weight: 700; border-top: 2px solid var(--ink); }
`;
export const PAYMENTS_CSS_HREF = '/payments/assets/payments.css';
export const PaymentsStyles = () => <link rel="stylesheet" href={PAYMENTS_CSS_HREF} />;
