/**
 * The signature tablet: the forms being signed for, a box to sign in with a finger or pen
 * (pointer events draw on a canvas; the script posts it as a PNG), and, without JavaScript,
 * the way to sign on paper instead.
 */
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import type { VisitRow } from '../store.js';
import { CounterStyles } from './common.js';

export interface SignItem {
  name: string;
  /** What the form says (label and value), for the resident to read before signing. */
  lines: { label: string; value: string }[];
}

export function SignPage({ ctx, m }: { ctx: PageContext; m: { visit: VisitRow; items: SignItem[]; problem: string | undefined } }) {
  const { t } = ctx;
  const base = `/staff/counter/visits/${m.visit.id}`;
  return (
    <Layout ctx={ctx} title={`${m.problem ? t('applications.page.errors.titlePrefix') : ''}${t('counter.sign.title')}`} kiosk>
      <CounterStyles />
      <h1>{t('counter.sign.title')}</h1>
      {m.problem && (
        <p class="error" role="alert" id="sign-error">
          {m.problem}
        </p>
      )}
      <p class="lead">{t('counter.sign.lead')}</p>
      {m.items.map((item, i) => (
        <details key={i} open={m.items.length === 1}>
          <summary>{item.name}</summary>
          <dl class="counter-facts">
            {item.lines.flatMap((l, j) => [<dt key={`${j}-k`}>{l.label}</dt>, <dd key={`${j}-v`}>{l.value}</dd>])}
          </dl>
        </details>
      ))}
      <noscript>
        <p class="notice">{t('counter.sign.noscript')}</p>
      </noscript>
      <form method="post" action={`${base}/sign`} class="counter-sign" data-sign-form hidden data-empty={t('counter.sign.empty')}>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="how" value="tablet" />
        <input type="hidden" name="signature" value="" data-signature />
        <p id="sign-label">{t('counter.sign.canvas')}</p>
        <canvas data-sign-pad width={1200} height={420} role="img" aria-labelledby="sign-label" tabIndex={0} />
        <p role="status" class="hint" data-sign-status />
        <div class="counter-inline">
          <button type="button" class="secondary" data-sign-clear>
            {t('counter.sign.clear')}
          </button>
          <button type="submit" id="sign-submit">
            {t('counter.sign.submit')}
          </button>
        </div>
      </form>
      <p class="hint">
        <a href={base}>{t('counter.sign.back')}</a>
      </p>
      <script src="/counter/assets/counter.js" defer />
    </Layout>
  );
}
