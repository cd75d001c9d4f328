/** What the staff case pages share: the countdown to the due date, moments in Japan time, the tabs, the error summary and the page's styles. */
import type { ComponentChildren } from 'preact';
import type { Locale, Translate } from '../../../platform/i18n.js';
import { formatDate } from '../../../platform/views/dates.js';
import type { Position } from '../states.js';

/** The few rules these pages add to the shared stylesheet (served by the module; CSP allows only same-origin styles). */
export const STAFF_CSS = `
main:has(.cases-wide) { max-width: 80rem; }
.cases-countdown { font-weight: 700; white-space: nowrap; }
.cases-overdue { display: inline-block; padding: 0 0.5rem; border-radius: var(--border-radius-4); background: var(--color-semantic-error-2); color: var(--color-neutral-white); }
.cases-today { display: inline-block; padding: 0 0.5rem; border-radius: var(--border-radius-4); border: 2px solid var(--color-semantic-error-2); }
.cases-paused { font-weight: 400; color: var(--muted); white-space: normal; }
tr.cases-late > td:first-child { box-shadow: inset 6px 0 0 var(--color-semantic-error-2); padding-left: 0.9rem; }
.cases-tabs ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0 0.25rem; padding: 0; margin: 0 0 1rem; border-bottom: 2px solid var(--line); }
.cases-tabs a { display: inline-block; padding: 0.5rem 1rem; min-height: 44px; }
.cases-tabs a[aria-current=page] { font-weight: 700; color: var(--ink); box-shadow: inset 0 -4px 0 var(--accent); text-decoration: none; }
.cases-check { width: 1.5rem; height: 1.5rem; }
.cases-actions { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); }
.cases-actions .card h3 { margin-top: 0; }
.cases-route { margin: 0 0 1rem; padding-left: 1.5rem; }
.cases-route li { padding: 0.25rem 0; }
.cases-progress progress { width: 100%; max-width: 28rem; height: 1.5rem; display: block; margin: 0.25rem 0; }
.cases-comment { white-space: pre-wrap; overflow-wrap: anywhere; }
.cases-muted { color: var(--muted); font-size: var(--font-size-14); }
.cases-print { margin-top: 1.5rem; }
`;
export const STAFF_CSS_HREF = '/staff/cases/assets/staff.css';

/** The module's stylesheet; `<link rel=stylesheet>` is allowed in the body and the layout has no slot in the head. */
export const StaffStyles = () => <link rel="stylesheet" href={STAFF_CSS_HREF} />;

const JST_DATE = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Tokyo' });
const JST_TIME = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Tokyo' });

/** A moment's date in Japan, as people read it. */
export function DayText({ at, locale }: { at: string; locale: Locale }) {
  const d = new Date(at);
  return <time dateTime={d.toISOString()}>{formatDate(JST_DATE.format(d), locale)}</time>;
}

/** A moment in Japan time: date and hh:mm. */
export function MomentText({ at, locale }: { at: string; locale: Locale }) {
  const d = new Date(at);
  return <time dateTime={d.toISOString()}>{`${formatDate(JST_DATE.format(d), locale)} ${JST_TIME.format(d)}`}</time>;
}

/** 「あと3日」, 「本日が期限」, 「2日超過」 (marked), or 「回答待ちで停止中」; nothing once closed. */
export function Countdown({ t, daysLeft, paused }: { t: Translate; daysLeft: number | null; paused: boolean }) {
  if (daysLeft === null) return null;
  if (paused) return <span class="cases-countdown cases-paused">{t('cases.staff.countdown.paused')}</span>;
  if (daysLeft < 0) return <span class="cases-countdown cases-overdue">{t('cases.staff.countdown.over', { n: -daysLeft })}</span>;
  if (daysLeft === 0) return <span class="cases-countdown cases-today">{t('cases.staff.countdown.today')}</span>;
  return <span class="cases-countdown">{t('cases.staff.countdown.left', { n: daysLeft })}</span>;
}

export const isLate = (c: { daysLeft: number | null; paused: boolean }) => c.daysLeft !== null && !c.paused && c.daysLeft < 0;

/** A procedure's or department's name in the page's language. */
export const nameIn = (names: { ja: string; 'ja-easy'?: string; en?: string }, locale: Locale): string => names[locale] ?? names.ja;

export const stateText = (t: Translate, s: string) => t(`cases.state.${s}`);
export const positionText = (t: Translate, p: Position | string) => t(`cases.position.${p}`);

export type Tab = 'inbox' | 'approvals' | 'delegations';

/** The lists a staff member moves between: all cases, what awaits their approval, delegations. */
export function StaffTabs({ t, current, awaiting, approver }: { t: Translate; current: Tab; awaiting: number; approver: boolean }) {
  const tabs: [Tab, string, string][] = [
    ['inbox', '/staff/cases', t('cases.staff.tab.inbox')],
    ...(approver ? ([['approvals', '/staff/cases/approvals', t('cases.staff.tab.approvals', { n: awaiting })]] as [Tab, string, string][]) : []),
    ['delegations', '/staff/cases/delegations', t('cases.staff.tab.delegations')],
  ];
  return (
    <nav class="cases-tabs" aria-label={t('cases.staff.tabs')}>
      <ul>
        {tabs.map(([key, href, label]) => (
          <li key={key}>
            <a href={href} aria-current={key === current ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export interface PageError {
  /** The element the message links to (without #), or none. */
  field?: string;
  message: string;
}

/** The GOV.UK error summary: read out on arrival, each message linking to its field. */
export function ErrorSummary({ t, errors, title }: { t: Translate; errors: readonly PageError[]; title?: string }) {
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{title ?? t('cases.staff.error.title')}</h2>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>{e.field ? <a href={`#${e.field}`}>{e.message}</a> : e.message}</li>
        ))}
      </ul>
    </div>
  );
}

/** A notice after a successful post (`?done=`). */
export function Flash({ children }: { children?: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}
