/** The few rules the lottery and desk pages add (served by the module: CSP allows only same-origin styles). */
export const DESK_CSS = `
/* Hidden words in table cells stay inside the scrolling table region, not beyond the page's edge. */
.table-wrap { position: relative; }
input[type=time] {
  font: inherit; width: 100%; max-width: 14rem; min-height: 48px; padding: 0.5rem 0.75rem;
  border: 1px solid var(--color-neutral-solid-gray-600); border-radius: var(--border-radius-8); background: var(--color-neutral-white);
}
`;
export const DESK_CSS_HREF = '/facilities/assets/desk.css';
export const DeskStyles = () => <link rel="stylesheet" href={DESK_CSS_HREF} />;
