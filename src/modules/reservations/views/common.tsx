/** What the reservations pages share: a few style rules, the error summary, statuses in words. */
import type { ComponentChildren } from 'preact';
import type { Translate } from '../../../platform/i18n.js';

/** The few rules reservations adds to the shared stylesheet (served by the module; CSP allows only same-origin styles). */
export const RESERVATIONS_CSS = `
main:has(.rsv-wide) { max-width: 72rem; }
.rsv-facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 1rem; }
.rsv-facts dt { font-weight: 700; }
.rsv-facts dd { margin: 0; overflow-wrap: anywhere; }
.rsv-cal td, .rsv-cal th { text-align: center; min-width: 4.5em; padding: 0.375rem 0.25rem; }
/* Hidden words stay inside the scrolling table, not beyond the page's edge. */
.rsv-cal td, .rsv-cal th, .rsv-cal caption { position: relative; }
.rsv-cal th[scope=row] { text-align: left; white-space: normal; min-width: 6.5em; }
.rsv-cal th[scope=col] { white-space: normal; }
.rsv-cal th[scope=row] .time { display: block; font-weight: 400; white-space: nowrap; }
.rsv-cal td a { display: inline-block; min-height: 44px; min-width: 44px; padding: 0.5rem 0.25rem; font-weight: 700; }
.rsv-cal .s-available { background: var(--color-primitive-green-50, #e6f5e9); }
.rsv-cal .s-taken, .rsv-cal .s-full { background: var(--color-neutral-solid-gray-50, #f2f2f2); }
.rsv-cal .s-closed, .rsv-cal .s-no-slots { background: var(--color-neutral-solid-gray-100, #e6e6e6); color: var(--ink); }
.rsv-cal .s-lottery { background: var(--color-primitive-yellow-100, #fff3c4); }
.rsv-cal .day { display: block; font-weight: 700; }
.rsv-cal .word { display: block; font-size: var(--font-size-14); }
.rsv-month { table-layout: fixed; }
.rsv-month td, .rsv-month th { min-width: 0; vertical-align: top; padding: 0.25rem 0.125rem; overflow-wrap: anywhere; }
.rsv-month td { height: 4.5rem; }
.rsv-month td a { min-width: 0; display: block; padding: 0.25rem 0; }
.rsv-trip dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 0.5rem; }
.rsv-trip dt { font-weight: 700; }
.rsv-trip dd { margin: 0; overflow-wrap: anywhere; }
.rsv-trip .rsv-status { font-weight: 700; }
.rsv-nav { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0.5rem 0 1rem; }
.rsv-nav a { display: inline-block; min-height: 44px; padding: 0.5rem 0; }
.rsv-legend { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; list-style: none; font-size: var(--font-size-14); }
.rsv-legend li span { display: inline-block; border: 1px solid var(--line); padding: 0 0.4rem; }
.rsv-fee { font-size: var(--font-size-20); font-weight: 700; }
.rsv-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem; }
.rsv-list > li { border: 1px solid var(--line); border-radius: var(--border-radius-8); padding: 1rem; }
.rsv-list h2, .rsv-list h3 { margin-top: 0; font-size: var(--font-size-20); }
.rsv-feed input { font-family: var(--font-family-mono); font-size: var(--font-size-14); max-width: 100%; }
.rsv-offers { border-left: 0.5rem solid var(--color-primitive-yellow-600, #b78f00); background: var(--color-primitive-yellow-50, #fffbe6); padding: 0.5rem 1rem; margin: 0 0 1.5rem; }
.rsv-offers h2 { margin-top: 0.5rem; }
.rsv-offers a { font-weight: 700; }
.rsv-methods .radio { min-height: 48px; }
.rsv-reductions .radio { flex-wrap: wrap; }
.rsv-reductions .radio .hint { flex-basis: 100%; margin: 0 0 0.5rem 1.75rem; }
`;
export const RESERVATIONS_CSS_HREF = '/facilities/assets/reservations.css';
export const Styles = () => <link rel="stylesheet" href={RESERVATIONS_CSS_HREF} />;

export interface Problem {
  message: string;
  /** The field the problem is about (its input's id), if any. */
  field?: string;
}

export function ErrorSummary({ t, problems, children }: { t: Translate; problems: Problem[]; children?: ComponentChildren }) {
  if (problems.length === 0) return null;
  return (
    <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{t('applications.page.errors.title')}</h2>
      <ul>
        {problems.map((p) => (
          <li key={p.message}>{p.field ? <a href={`#${p.field}`}>{p.message}</a> : p.message}</li>
        ))}
      </ul>
      {children}
    </div>
  );
}

export function Notice({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}
