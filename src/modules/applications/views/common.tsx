/** Small parts every applications page shares: badges, the error summary, values as people read them. */
import type { ComponentChildren } from 'preact';
import type { Locale, Translate } from '../../../platform/i18n.js';
import { formatDate } from '../../../platform/views/dates.js';
import type { InputField, Procedure } from '../definition-schema.js';
import { localized } from '../form.js';
import { targetOf, type ShownIssue } from '../page-form.js';

export function Badge({ children, kind = 'record' }: { children?: ComponentChildren; kind?: 'record' | 'state' | 'warn' }) {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

/** 「町の記録から」: this value came from the town's records. */
export const RecordBadge = ({ t }: { t: Translate }) => <Badge>{t('applications.page.fromRecords')}</Badge>;

/** The GOV.UK error summary: a heading and a link to each field, read out on arrival. */
export function ErrorSummary({ t, issues, title, hrefOf }: { t: Translate; issues: readonly ShownIssue[]; title?: string; hrefOf?: (i: ShownIssue) => string | undefined }) {
  if (issues.length === 0) return null;
  return (
    <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{title ?? t('applications.page.errors.title')}</h2>
      <ul>
        {issues.map((i, n) => {
          const href = hrefOf ? hrefOf(i) : `#${targetOf(i.path)}`;
          return <li key={`${i.path}-${n}`}>{href ? <a href={href}>{i.message}</a> : i.message}</li>;
        })}
      </ul>
    </div>
  );
}

const JST_TIME = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Tokyo' });
const JST_DATE = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Tokyo' });

/** hh:mm in Japan time. */
export const clockText = (d: Date): string => JST_TIME.format(d);

/** A moment as people read it: 令和8年（2026年）11月22日 14:05 (Japan time). */
export function DateTimeText({ at, locale }: { at: Date | string; locale: Locale }) {
  const d = typeof at === 'string' ? new Date(at) : at;
  return <time dateTime={d.toISOString()}>{`${formatDate(JST_DATE.format(d), locale)} ${clockText(d)}`}</time>;
}

export function feeText(p: Procedure, t: Translate): string {
  return p.fee.amount === 0 ? t('applications.page.fee.free') : t('applications.page.fee.yen', { amount: p.fee.amount.toLocaleString('ja-JP') });
}

const isIsoDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
export const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** A stored value as text: option labels, 和暦 dates, はい/いいえ. */
export function valueText(f: InputField, v: unknown, locale: Locale, t: Translate): string {
  if (f.type === 'checkbox') return v === true ? t('applications.page.yes') : t('applications.page.no');
  if (isEmpty(v)) return t('applications.page.empty');
  const label = (x: unknown) => {
    const o = f.options?.find((opt) => opt.value === String(x));
    return o ? localized(o.label, locale) : String(x);
  };
  if (f.type === 'select' || f.type === 'radio') return label(v);
  if (f.type === 'checkboxes') return (Array.isArray(v) ? v : [v]).map(label).join(locale === 'en' ? ', ' : '、');
  if (f.type === 'date' && isIsoDate(v)) return formatDate(v, locale);
  return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
}

export const statusText = (status: string, t: Translate): string => t(`applications.page.status.${status}`);
export const channelText = (channel: string, t: Translate): string => t(`applications.page.channel.${channel}`);

/** The procedure's facts: department, fee, standard period, sign-in. */
export function ProcedureFacts({ p, t, locale, brief = false }: { p: Procedure; t: Translate; locale: Locale; brief?: boolean }) {
  return (
    <dl class="facts">
      <dt>{t('applications.page.department')}</dt>
      <dd>{localized(p.department.names, locale)}</dd>
      <dt>{t('applications.page.fee')}</dt>
      <dd>
        {feeText(p, t)}
        {p.fee.note && !brief ? `（${localized(p.fee.note, locale)}）` : ''}
      </dd>
      <dt>{t('applications.page.period')}</dt>
      <dd>{p.standardPeriodDays === 0 ? t('applications.page.period.sameDay') : t('applications.page.period.days', { n: p.standardPeriodDays })}</dd>
      <dt>{t('applications.page.signIn')}</dt>
      <dd>{p.signIn === 'required' ? t('applications.page.signIn.required') : t('applications.page.signIn.none')}</dd>
    </dl>
  );
}
