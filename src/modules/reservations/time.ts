/**
 * Time in the town: Japan has one zone and no daylight saving, so a wall-clock time there is
 * UTC+9 throughout. Dates are YYYY-MM-DD, clock times HH:MM, ranges half-open [start, end).
 */
const OFFSET_MS = 9 * 3_600_000;

/** The moment of a date and clock time in Japan. */
export const jst = (date: string, time: string): Date => new Date(`${date}T${time.slice(0, 5)}:00+09:00`);

/** The date in Japan of a moment (YYYY-MM-DD). */
export const dateOf = (d: Date): string => new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 10);

/** The clock time in Japan of a moment (HH:MM). */
export const clockOf = (d: Date): string => new Date(d.getTime() + OFFSET_MS).toISOString().slice(11, 16);

/** 0 Sunday … 6 Saturday, of a date. */
export const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole calendar days from `a` to `b` (negative when b is earlier). */
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** Minutes since midnight of HH:MM (or HH:MM:SS). */
export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export const timeOfMinutes = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export const isDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The Monday of the week of a date (weeks start on Monday in the week view). */
export function mondayOf(date: string): string {
  const wd = weekdayOf(date);
  return addDays(date, wd === 0 ? -6 : 1 - wd);
}

/** The first of the month of a date, and the months around it. */
export const monthOf = (date: string): string => `${date.slice(0, 7)}-01`;
export function addMonths(month: string, n: number): string {
  const d = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}
export const daysInMonth = (month: string): number => {
  const d = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1, 0);
  return d.getUTCDate();
};

/** A tstzrange literal, half-open. */
export const rangeLiteral = (start: Date, end: Date): string => `[${start.toISOString()},${end.toISOString()})`;
