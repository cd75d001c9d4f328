/** How facilities, times and money read in each language (pages, mail and feeds share these). */
import type { Locale } from '../../platform/i18n.js';
import { formatDate } from '../../platform/views/dates.js';
import { clockOf, dateOf, weekdayOf } from './time.js';

const WEEKDAYS: Record<Locale, readonly string[]> = {
  ja: ['日', '月', '火', '水', '木', '金', '土'],
  'ja-easy': ['にち', 'げつ', 'か', 'すい', 'もく', 'きん', 'ど'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};

export const weekdayName = (date: string, locale: Locale): string => WEEKDAYS[locale][weekdayOf(date)]!;

/** A date with its weekday: 令和8年（2026年）12月5日（土） / Sat 5 Dec 2026. */
export function dayText(date: string, locale: Locale): string {
  return locale === 'en' ? `${weekdayName(date, locale)} ${formatDate(date, locale)}` : `${formatDate(date, locale)}（${weekdayName(date, locale)}）`;
}

/** A short date for table headers: 12月5日（土） / Sat 5 Dec. */
export function shortDay(date: string, locale: Locale): string {
  const [, m, d] = date.split('-').map(Number) as [number, number, number];
  if (locale === 'en') return `${weekdayName(date, locale)} ${d} ${new Date(`${date}T00:00:00Z`).toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })}`;
  return `${m}月${d}日（${weekdayName(date, locale)}）`;
}

/** A time range in Japan: 9:00〜12:00 / 9:00–12:00. */
export function clockRange(start: Date, end: Date, locale: Locale): string {
  const c = (d: Date) => clockOf(d).replace(/^0/, '');
  return locale === 'en' ? `${c(start)}–${c(end)}` : `${c(start)}〜${c(end)}`;
}

/** The day and the times of a booking. */
export const whenText = (start: Date, end: Date, locale: Locale): string => `${dayText(dateOf(start), locale)} ${clockRange(start, end, locale)}`;

/** Yen as written: 1,200円 / ¥1,200. */
export const yen = (amount: number, locale: Locale): string => (locale === 'en' ? `¥${amount.toLocaleString('en')}` : `${amount.toLocaleString('ja')}円`);

/** A name in the reader's language (English where given, else Japanese). */
export const nameIn = (x: { nameJa: string; nameEn: string }, locale: Locale): string => (locale === 'en' ? x.nameEn || x.nameJa : x.nameJa);
export const placeIn = (x: { placeJa: string; placeEn: string }, locale: Locale): string => (locale === 'en' ? x.placeEn || x.placeJa : x.placeJa);

/** A moment in Japan: the day and the clock time. */
export const momentText = (d: Date, locale: Locale): string => `${dayText(dateOf(d), locale)} ${clockOf(d).replace(/^0/, '')}`;
