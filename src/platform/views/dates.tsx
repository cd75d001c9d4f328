/**
 * Dates as people read them: Japanese pages show the era (和暦) with the western year beside
 * it — 昭和31年（1956年）9月29日 — because many residents and counter staff think in eras;
 * English pages show 29 Sep 1956. Machines still get ISO dates (in `dateTime`, and the API).
 */
import type { Locale } from '../i18n.js';

const era = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', timeZone: 'UTC' });
const english = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export function formatDate(iso: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const date = new Date(`${iso}T00:00:00Z`);
  if (locale === 'en') return english.format(date);
  const eraYear = era.format(date); // 昭和31年, 平成元年
  return `${eraYear}（${m[1]}年）${Number(m[2])}月${Number(m[3])}日`;
}

/** A date in a <time> element: readable text, machine-readable value. */
export function DateText({ iso, locale }: { iso: string; locale: Locale }) {
  return <time dateTime={iso}>{formatDate(iso, locale)}</time>;
}
