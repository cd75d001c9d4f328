/** What the counter's pages share: the stylesheet, a person's facts, times in Japan. */
import type { Locale, Translate } from '../../../platform/i18n.js';
import { formatDate } from '../../../platform/views/dates.js';
import type { CounterPerson } from '../../registry/index.js';

/** The few rules the counter adds to the shared stylesheet (served by the module; CSP allows only same-origin styles). */
export const COUNTER_CSS = `
main:has(.counter-wide) { max-width: 72rem; }
.counter-ways { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); }
.counter-ways section { border: 1px solid var(--line); border-radius: var(--border-radius-8); padding: 1rem; }
.counter-ways h2 { margin-top: 0; font-size: var(--font-size-20); }
.counter-code input { font-family: monospace; letter-spacing: 0.05em; }
.counter-person dl, .counter-facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 1rem; }
.counter-person dt, .counter-facts dt { font-weight: 700; }
.counter-person dd, .counter-facts dd { margin: 0; overflow-wrap: anywhere; }
.counter-compare td.differs { background: var(--color-semantic-warning-1, #fff3cd); font-weight: 700; }
.counter-steps { display: grid; gap: 1.5rem; }
.counter-steps > section { border-top: 4px solid var(--line); padding-top: 0.5rem; }
.desk-item { border: 1px solid var(--line); border-radius: var(--border-radius-8); padding: 0.75rem 1rem; margin: 0 0 1rem; }
.desk-item h3 { margin-top: 0; }
.desk-group { margin: 1rem 0 0.5rem; font-size: var(--font-size-16); }
.desk-subject { font-weight: 400; }
.desk-known dl { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.25rem 1rem; }
.desk-known dl div { display: contents; }
.desk-known dd { margin: 0; overflow-wrap: anywhere; }
.counter-inline { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
.counter-inline .field { margin: 0; }
.counter-total { font-size: var(--font-size-20); font-weight: 700; }
.counter-sign canvas { width: 100%; max-width: 40rem; height: auto; aspect-ratio: 1200 / 420; border: 2px solid var(--ink); border-radius: var(--border-radius-8); touch-action: none; background: #fff; display: block; }
.counter-sign-img { max-width: 20rem; border: 1px solid var(--line); background: #fff; }
.counter-qr img { width: 14rem; height: 14rem; image-rendering: pixelated; background: #fff; }
.counter-qr .code { font-family: monospace; font-size: var(--font-size-20); letter-spacing: 0.05em; overflow-wrap: anywhere; }
.counter-video { width: 100%; max-width: 24rem; }
.counter-nowrap, td form button { white-space: nowrap; }
.counter-code input { width: 100%; max-width: 36rem; }
.counter-pick { margin: 0 0 1rem; }
.counter-pick .field { margin: 0.25rem 0 0 2rem; }
@media print { header, footer, nav, .no-print, .skip-link { display: none !important; } .counter-qr img { width: 6cm; height: 6cm; } }
`;
export const COUNTER_CSS_HREF = '/counter/assets/counter.css';
export const CounterStyles = () => <link rel="stylesheet" href={COUNTER_CSS_HREF} />;

const JST_DATE = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Tokyo' });
const JST_TIME = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Tokyo' });

/** A moment in Japan: date and clock time. */
export function MomentText({ at, locale }: { at: Date; locale: Locale }) {
  return (
    <time dateTime={at.toISOString()}>
      {formatDate(JST_DATE.format(at), locale)} {JST_TIME.format(at)}
    </time>
  );
}

export const clock = (at: Date): string => JST_TIME.format(at);

export const fullName = (p: Pick<CounterPerson, 'familyName' | 'givenName'>): string => `${p.familyName} ${p.givenName}`;
export const fullKana = (p: Pick<CounterPerson, 'familyNameKana' | 'givenNameKana'>): string => `${p.familyNameKana} ${p.givenNameKana}`;

/** A person's facts as the register holds them. */
export function PersonFacts({ t, locale, p }: { t: Translate; locale: Locale; p: CounterPerson }) {
  return (
    <dl class="counter-facts">
      <dt>{t('counter.field.name')}</dt>
      <dd>{fullName(p)}</dd>
      <dt>{t('counter.field.kana')}</dt>
      <dd>{fullKana(p)}</dd>
      <dt>{t('counter.field.birthDate')}</dt>
      <dd>{formatDate(p.birthDate, locale)}</dd>
      <dt>{t('counter.field.sex')}</dt>
      <dd>{t(`counter.sex.${p.sex}`)}</dd>
      <dt>{t('counter.field.address')}</dt>
      <dd>{p.address}</dd>
    </dl>
  );
}

/** A duration as people say it: 「12分30秒」. */
export function durationText(seconds: number | null, t: Translate): string {
  if (seconds === null) return t('counter.metrics.none');
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? t('counter.duration.hm', { h, m }) : t('counter.duration.ms', { m, s });
}

export const yen = (n: number): string => `${n.toLocaleString('ja-JP')}円`;
