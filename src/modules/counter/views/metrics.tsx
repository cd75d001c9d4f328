/** The counter's part of the metrics dashboard: visits, their duration, forms not handwritten. */
import type { Locale, Translate } from '../../../platform/i18n.js';
import { TableWrap } from '../../../platform/views/layout.js';
import type { RecentVisit, VisitFigures } from '../metrics.js';
import { CounterStyles, durationText, MomentText, yen } from './common.js';

export function VisitMetricsSection({ t, locale, f, recent }: { t: Translate; locale: Locale; f: VisitFigures; recent: RecentVisit[] }) {
  const rows: [string, string][] = [
    [t('counter.metrics.visits'), t('counter.metrics.count', { n: f.started })],
    [t('counter.metrics.ended'), t('counter.metrics.count', { n: f.ended })],
    [t('counter.metrics.inProgress'), t('counter.metrics.count', { n: f.inProgress })],
    [t('counter.metrics.abandoned'), t('counter.metrics.count', { n: f.abandoned })],
    [t('counter.metrics.median'), durationText(f.medianSeconds, t)],
    [t('counter.metrics.p90'), durationText(f.p90Seconds, t)],
    [t('counter.metrics.forms'), t('counter.metrics.count', { n: f.formsNotHandwritten })],
    [t('counter.metrics.pages'), String(f.pagesPrinted)],
    [t('counter.metrics.tablet'), String(f.signedOnTablet)],
    [t('counter.metrics.paper'), String(f.signedOnPaper)],
    [t('counter.metrics.certificates'), String(f.certificates)],
    [t('counter.metrics.fees'), yen(f.feesDue)],
  ];
  return (
    <section aria-labelledby="counter-metrics-h" id="counter-metrics">
      <CounterStyles />
      <h2 id="counter-metrics-h">{t('counter.metrics.title')}</h2>
      <p>{t('counter.metrics.lead')}</p>
      <dl class="counter-facts">
        {rows.flatMap(([k, v]) => [<dt key={`${k}-k`}>{k}</dt>, <dd key={`${k}-v`}>{v}</dd>])}
      </dl>
      <p>{t('counter.metrics.byStart', { pre: f.byStart.preEntry, card: f.byStart.card, search: f.byStart.search })}</p>
      {recent.length > 0 && (
        <TableWrap label={t('counter.metrics.recent')}>
          <table>
            <caption>{t('counter.metrics.recent')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('counter.metrics.reference')}</th>
                <th scope="col">{t('counter.metrics.started')}</th>
                <th scope="col">{t('counter.metrics.duration')}</th>
                <th scope="col">{t('counter.metrics.procedures')}</th>
                <th scope="col">{t('counter.metrics.pages')}</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((r) => (
                <tr key={r.reference}>
                  <th scope="row">{r.reference}</th>
                  <td>
                    <MomentText at={r.startedAt} locale={locale} />
                  </td>
                  <td>{durationText(r.seconds, t)}</td>
                  <td>{r.procedures}</td>
                  <td>{r.pages}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
