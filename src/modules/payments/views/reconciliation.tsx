/** The accounting desk's daily reconciliation: the day's figures per provider and method, the CSV, and every movement of the day. */
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { formatDate } from '../../../platform/views/dates.js';
import type { Reconciliation, ReconciliationLine } from '../reconciliation.js';
import { methodLabel, providerLabel, purposeLabel } from '../reconciliation.js';
import { clockTime, Moment, PaymentsStyles, yen } from './common.js';

export interface ReconciliationPageModel {
  date: string;
  /** Set when the date asked for was not a date. */
  problem?: string;
  r: Reconciliation;
  movements: { at: Date; kind: 'capture' | 'refund' | 'fee'; amount: number; method: string; reference: string; purpose: string }[];
  /** Refunds the provider has not settled yet (any day). */
  pending: RefundLine[];
  /** Refunds the provider refused that nobody has tried again (any day): the payer has not got the money back. */
  refused: RefundLine[];
  /** Provider events naming another amount than their payment's (not applied). */
  mismatches: { at: Date; reference: string; method: string; type: string; expected: number; named: number | null }[];
  /** What the last action did. */
  notice?: string;
  /** Why the last action could not be done. */
  actionProblem?: string;
}

interface RefundLine {
  id: string;
  createdAt: Date;
  amount: number;
  reference: string;
  method: string;
  attempts: number;
  lastError: string | null;
  automatic: boolean;
}

export function ReconciliationPage({ ctx, m }: { ctx: PageContext; m: ReconciliationPageModel }) {
  const { t, locale } = ctx;
  const day = formatDate(m.date, locale);
  const figures = (l: Omit<ReconciliationLine, 'provider' | 'method'>) => (
    <>
      <td class="num">{l.captures}</td>
      <td class="num">{yen(t, l.captured)}</td>
      <td class="num">{l.refunds}</td>
      <td class="num">{yen(t, l.refunded)}</td>
      <td class="num">{yen(t, l.fees)}</td>
      <td class="num">{yen(t, l.net)}</td>
    </>
  );
  return (
    <Layout ctx={ctx} title={`${m.problem || m.actionProblem ? t('applications.page.errors.titlePrefix') : ''}${t('payments.staff.title')}`}>
      <PaymentsStyles />
      <h1>{t('payments.staff.title')}</h1>
      {m.notice && (
        <p class="notice" role="status">
          {m.notice}
        </p>
      )}
      {m.actionProblem && (
        <div class="error-summary" role="alert" aria-labelledby="pay-problem-title" tabIndex={-1}>
          <h2 id="pay-problem-title">{t('applications.page.errors.title')}</h2>
          <p>{m.actionProblem}</p>
        </div>
      )}
      <p class="lead">{t('payments.staff.lead')}</p>
      {m.refused.length > 0 && (
        <>
          <h2 id="refused-h">{t('payments.staff.refused')}</h2>
          <p>{t('payments.staff.refusedLead')}</p>
          <TableWrap label={t('payments.staff.refused')}>
            <table class="pay-figures" aria-labelledby="refused-h">
              <thead>
                <tr>
                  <th scope="col">{t('payments.staff.requested')}</th>
                  <th scope="col" class="num">{t('payments.sim.amount')}</th>
                  <th scope="col">{t('payments.csv.method')}</th>
                  <th scope="col">{t('payments.staff.reference')}</th>
                  <th scope="col">{t('payments.staff.retry')}</th>
                </tr>
              </thead>
              <tbody>
                {m.refused.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Moment t={t} locale={locale} at={r.createdAt} />
                      {r.automatic && <span class="tag">{t('payments.staff.automatic')}</span>}
                    </td>
                    <td class="num">{yen(t, r.amount)}</td>
                    <td>{methodLabel(t, r.method)}</td>
                    <td>{r.reference}</td>
                    <td>
                      <form method="post" action={`/staff/payments/refunds/${r.id}/retry`}>
                        <CsrfField token={ctx.csrfToken} />
                        <button type="submit" class="secondary small">
                          {t('payments.staff.retry')}
                          <span class="visually-hidden">{t('payments.staff.retryWhat', { reference: r.reference, amount: yen(t, r.amount) })}</span>
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      {m.mismatches.length > 0 && (
        <>
          <h2 id="mismatch-h">{t('payments.staff.mismatches')}</h2>
          <p>{t('payments.staff.mismatchesLead')}</p>
          <TableWrap label={t('payments.staff.mismatches')}>
            <table class="pay-figures" aria-labelledby="mismatch-h">
              <thead>
                <tr>
                  <th scope="col">{t('payments.staff.received')}</th>
                  <th scope="col">{t('payments.staff.reference')}</th>
                  <th scope="col">{t('payments.csv.method')}</th>
                  <th scope="col">{t('payments.staff.eventType')}</th>
                  <th scope="col" class="num">{t('payments.staff.expected')}</th>
                  <th scope="col" class="num">{t('payments.staff.named')}</th>
                </tr>
              </thead>
              <tbody>
                {m.mismatches.map((x, i) => (
                  <tr key={i}>
                    <td>
                      <Moment t={t} locale={locale} at={x.at} />
                    </td>
                    <td>{x.reference}</td>
                    <td>{methodLabel(t, x.method)}</td>
                    <td>{x.type}</td>
                    <td class="num">{yen(t, x.expected)}</td>
                    <td class="num">{x.named === null ? '—' : yen(t, x.named)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      <form method="get" action="/staff/payments" class="filters">
        <div class={`field${m.problem ? ' field-error' : ''}`}>
          <label for="pay-date">{t('payments.staff.date')}</label>
          {m.problem && (
            <p class="error" id="pay-date-error">
              <span class="visually-hidden">{t('applications.page.errorPrefix')}</span>
              {m.problem}
            </p>
          )}
          <input type="date" id="pay-date" name="date" value={m.date} aria-describedby={m.problem ? 'pay-date-error' : undefined} />
        </div>
        <div class="field">
          <button type="submit">{t('payments.staff.show')}</button>
        </div>
      </form>
      <h2 id="sum-h">{t('payments.staff.summary', { date: day })}</h2>
      <TableWrap label={t('payments.staff.summary', { date: day })}>
        <table class="pay-figures" aria-labelledby="sum-h">
          <thead>
            <tr>
              <th scope="col">{t('payments.csv.provider')}</th>
              <th scope="col">{t('payments.csv.method')}</th>
              <th scope="col" class="num">{t('payments.csv.captures')}</th>
              <th scope="col" class="num">{t('payments.csv.captured')}</th>
              <th scope="col" class="num">{t('payments.csv.refunds')}</th>
              <th scope="col" class="num">{t('payments.csv.refunded')}</th>
              <th scope="col" class="num">{t('payments.csv.fees')}</th>
              <th scope="col" class="num">{t('payments.csv.net')}</th>
            </tr>
          </thead>
          <tbody>
            {m.r.lines.map((l) => (
              <tr key={`${l.provider}:${l.method}`}>
                <td>{providerLabel(t, l.provider)}</td>
                <th scope="row">{methodLabel(t, l.method)}</th>
                {figures(l)}
              </tr>
            ))}
            <tr class="total">
              <th scope="row" colSpan={2}>
                {t('payments.total')}
              </th>
              {figures(m.r.total)}
            </tr>
          </tbody>
        </table>
      </TableWrap>
      <p>
        <a href={`/api/v1/payments/reconciliation.csv?date=${m.date}`} download={`reconciliation-${m.date}.csv`}>
          {t('payments.staff.csv')}
        </a>
      </p>
      <h2 id="mov-h">{t('payments.staff.movements', { date: day })}</h2>
      {m.movements.length === 0 ? (
        <p>{t('payments.staff.none')}</p>
      ) : (
        <TableWrap label={t('payments.staff.movements', { date: day })}>
          <table class="pay-figures" aria-labelledby="mov-h">
            <thead>
              <tr>
                <th scope="col">{t('payments.staff.time')}</th>
                <th scope="col">{t('payments.staff.kind')}</th>
                <th scope="col" class="num">{t('payments.sim.amount')}</th>
                <th scope="col">{t('payments.csv.method')}</th>
                <th scope="col">{t('payments.staff.reference')}</th>
                <th scope="col">{t('payments.staff.purposeCol')}</th>
              </tr>
            </thead>
            <tbody>
              {m.movements.map((x, i) => (
                <tr key={i}>
                  <td>
                    <time dateTime={x.at.toISOString()}>{clockTime(x.at)}</time>
                  </td>
                  <td>{t(`payments.kind.${x.kind}`)}</td>
                  <td class="num">{yen(t, x.amount)}</td>
                  <td>{methodLabel(t, x.method)}</td>
                  <td>{x.reference}</td>
                  <td>{purposeLabel(t, x.purpose)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {m.pending.length > 0 && (
        <>
          <h2 id="pend-h">{t('payments.staff.pending')}</h2>
          <p>{t('payments.staff.pendingLead')}</p>
          <TableWrap label={t('payments.staff.pending')}>
            <table class="pay-figures" aria-labelledby="pend-h">
              <thead>
                <tr>
                  <th scope="col">{t('payments.staff.requested')}</th>
                  <th scope="col" class="num">{t('payments.sim.amount')}</th>
                  <th scope="col">{t('payments.csv.method')}</th>
                  <th scope="col">{t('payments.staff.reference')}</th>
                  <th scope="col" class="num">{t('payments.staff.attempts')}</th>
                  <th scope="col">{t('payments.staff.lastError')}</th>
                </tr>
              </thead>
              <tbody>
                {m.pending.map((r, i) => (
                  <tr key={i}>
                    <td>
                      <Moment t={t} locale={locale} at={r.createdAt} />
                      {r.automatic && <span class="tag">{t('payments.staff.automatic')}</span>}
                    </td>
                    <td class="num">{yen(t, r.amount)}</td>
                    <td>{methodLabel(t, r.method)}</td>
                    <td>{r.reference}</td>
                    <td class="num">{r.attempts}</td>
                    <td>{r.lastError ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </Layout>
  );
}
