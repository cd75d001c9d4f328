/** The resident's bookings: the list (with the waiting list and the calendar feed), one booking, the cancellation. */
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { formatDate } from '../../../platform/views/dates.js';
import type { BookingView } from '../read.js';
import { momentText, whenText, yen } from '../words.js';
import { ErrorSummary, Notice, Styles, type Problem } from './common.js';

const whatOf = (b: BookingView) => (b.unit ? `${b.facility.name} ${b.unit.name}` : b.trip ? `${b.facility.name}（${b.trip.route}）` : b.facility.name);

export interface MineModel {
  upcoming: BookingView[];
  /** Slots offered from the waiting list, held for a while: shown first. */
  offers: BookingView[];
  past: BookingView[];
  waits: { id: string; what: string; when: string; state: string; place: number | null }[];
  feedUrl: string;
  notice?: string;
}

export function MyBookingsPage({ ctx, m }: { ctx: PageContext; m: MineModel }) {
  const { t, locale } = ctx;
  const table = (rows: BookingView[], caption: string) => (
    <TableWrap label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reservations.mine.reference')}</th>
            <th scope="col">{t('reservations.book.facility')}</th>
            <th scope="col">{t('reservations.book.when')}</th>
            <th scope="col">{t('reservations.mine.state')}</th>
            <th scope="col">{t('reservations.book.fee')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={b.id}>
              <th scope="row">
                <a href={`/me/bookings/${b.id}`}>{b.reference}</a>
              </th>
              <td>{whatOf(b)}</td>
              <td>{whenText(b.start, b.end, locale)}</td>
              <td>{t(`reservations.state.${b.state}`)}</td>
              <td>{yen(b.fee.amount, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
  return (
    <Layout ctx={ctx} title={t('reservations.mine.title')}>
      <Styles />
      <h1>{t('reservations.mine.title')}</h1>
      <Notice text={m.notice} />
      {m.offers.length > 0 && (
        <section class="rsv-offers" aria-labelledby="offers-h">
          <h2 id="offers-h">{t('reservations.mine.offers')}</h2>
          <ul>
            {m.offers.map((b) => (
              <li key={b.id}>
                <a href={`/me/bookings/${b.id}`}>
                  {whatOf(b)}・{whenText(b.start, b.end, locale)}
                </a>
                {b.holdUntil && <>：{t('reservations.booking.payBy', { until: momentText(b.holdUntil, locale) })}</>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <a href="/facilities">{t('reservations.mine.bookMore')}</a>
      </p>
      <h2>{t('reservations.mine.upcoming')}</h2>
      {m.upcoming.length === 0 ? <p>{t('reservations.mine.none')}</p> : table(m.upcoming, t('reservations.mine.upcoming'))}
      <h2>{t('reservations.mine.waiting')}</h2>
      {m.waits.length === 0 ? (
        <p>{t('reservations.mine.noWaits')}</p>
      ) : (
        <ul>
          {m.waits.map((w) => (
            <li key={w.id}>
              {w.what}・{w.when}・{w.state === 'waiting' && w.place !== null ? t('reservations.mine.place', { n: w.place }) : t(`reservations.wait.state.${w.state}`)}
              {w.state === 'waiting' && (
                <form class="inline-form" method="post" action={`/me/waitlist/${w.id}/leave`}>
                  <CsrfField token={ctx.csrfToken} />{' '}
                  <button type="submit" class="secondary small">
                    {t('reservations.mine.leave')}
                    <span class="visually-hidden">{t('reservations.mine.leaveWhat', { what: `${w.what} ${w.when}` })}</span>
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      {m.past.length > 0 && (
        <>
          <h2>{t('reservations.mine.past')}</h2>
          {table(m.past, t('reservations.mine.past'))}
        </>
      )}
      <h2 id="feed">{t('reservations.mine.feed')}</h2>
      <div class="rsv-feed">
        <p>{t('reservations.mine.feedLead')}</p>
        <p class="field">
          <label for="feed-url">{t('reservations.mine.feedUrl')}</label>
          <input type="text" id="feed-url" readOnly value={m.feedUrl} />
        </p>
        <form method="post" action="/me/bookings/feed">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="secondary">
            {t('reservations.mine.feedRenew')}
          </button>
        </form>
      </div>
      <p>
        <a href="/me/facility-groups">{t('reservations.groups.link')}</a>
      </p>
    </Layout>
  );
}

export interface BookingModel {
  b: BookingView;
  methods: readonly string[];
  problems: Problem[];
  notice?: string;
  /** Back from the payment page and not confirmed yet (the payment is still open). */
  checking: boolean;
  /** Back from the payment page, whose payment was declined, given up or ran out: what happened (pay again below). */
  paymentProblem?: string;
}

export function BookingPage({ ctx, m }: { ctx: PageContext; m: BookingModel }) {
  const { t, locale } = ctx;
  const { b } = m;
  const title = t('reservations.booking.title', { reference: b.reference });
  return (
    <Layout ctx={ctx} title={title}>
      <Styles />
      <p class="back">
        <a href="/me/bookings">{t('reservations.back.mine')}</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary t={t} problems={m.problems} />
      <Notice text={m.notice} />
      {m.paymentProblem && b.state === 'held' && (
        <div class="error-summary" role="alert" aria-labelledby="pay-problem-title" tabIndex={-1}>
          <h2 id="pay-problem-title">{t('reservations.booking.payment.title')}</h2>
          <p>{m.paymentProblem}</p>
        </div>
      )}
      {m.checking && b.state === 'held' && (
        <p class="notice" role="status">
          {t('reservations.booking.checking')} <a href={`/me/bookings/${b.id}?paid=1`}>{t('reservations.booking.reload')}</a>
        </p>
      )}
      <p>
        <span class="badge badge-state">{t(`reservations.state.${b.state}`)}</span>
      </p>
      <dl class="rsv-facts">
        <dt>{t('reservations.book.facility')}</dt>
        <dd>{whatOf(b)}</dd>
        <dt>{t('reservations.book.when')}</dt>
        <dd>{whenText(b.start, b.end, locale)}</dd>
        <dt>{t('reservations.facility.place')}</dt>
        <dd>{b.facility.place}</dd>
        {b.facility.kind !== 'bus' && (
          <>
            <dt>{t('reservations.book.people')}</dt>
            <dd>{t('reservations.people', { n: b.people })}</dd>
            <dt>{t('reservations.book.purpose')}</dt>
            <dd>{b.purposeOfUse || '—'}</dd>
          </>
        )}
        <dt>{t('reservations.booking.base')}</dt>
        <dd>{yen(b.fee.base, locale)}</dd>
        {b.fee.surcharge > 0 && (
          <>
            <dt>{t('reservations.booking.surcharge')}</dt>
            <dd>{yen(b.fee.surcharge, locale)}</dd>
          </>
        )}
        {b.fee.reduction > 0 && (
          <>
            <dt>{t('reservations.booking.reduction')}</dt>
            <dd>−{yen(b.fee.reduction, locale)}</dd>
          </>
        )}
        <dt>{t('reservations.booking.amount')}</dt>
        <dd class="rsv-fee">{yen(b.fee.amount, locale)}</dd>
        {b.paidBy && (
          <>
            <dt>{t('reservations.booking.paidBy')}</dt>
            <dd>{t(`reservations.paidBy.${b.paidBy}`)}</dd>
          </>
        )}
      </dl>

      {b.state === 'held' && b.holdUntil && (
        <section aria-labelledby="pay-h">
          <h2 id="pay-h">{t('reservations.booking.pay')}</h2>
          <p>{t('reservations.booking.payBy', { until: momentText(b.holdUntil, locale) })}</p>
          {m.methods.length === 0 ? (
            <p>{t('reservations.booking.noOnline')}</p>
          ) : (
            <form method="post" action={`/me/bookings/${b.id}/pay`}>
              <CsrfField token={ctx.csrfToken} />
              <fieldset class="field rsv-methods">
                <legend>{t('reservations.booking.method')}</legend>
                {m.methods.map((x, i) => (
                  <div class="radio" key={x}>
                    <input type="radio" id={`method-${x}`} name="method" value={x} checked={i === 0} />
                    <label for={`method-${x}`}>{t(`reservations.method.${x}`)}</label>
                  </div>
                ))}
              </fieldset>
              <button type="submit">{t('reservations.booking.payButton', { amount: yen(b.fee.amount, locale) })}</button>
            </form>
          )}
        </section>
      )}

      {b.refunds.length > 0 && (
        <section aria-labelledby="refund-h">
          <h2 id="refund-h">{t('reservations.booking.refunds')}</h2>
          <ul>
            {b.refunds.map((r, i) => (
              <li key={i}>
                {yen(r.amount, locale)}：{t(`reservations.refund.${r.state}`)}
              </li>
            ))}
          </ul>
        </section>
      )}

      {(b.state === 'held' || b.state === 'confirmed') && (
        <section aria-labelledby="cancel-h">
          <h2 id="cancel-h">{t('reservations.booking.cancel')}</h2>
          {b.cancellation.allowed ? (
            <>
              <p>
                {b.state === 'held'
                  ? t('reservations.booking.cancelHeld')
                  : t('reservations.booking.cancelTerms', { refund: yen(b.cancellation.refund, locale), percent: b.cancellation.refundPercent, date: formatDate(b.cancellation.lastDate, locale) })}
              </p>
              <p>
                <a class="button secondary" href={`/me/bookings/${b.id}/cancel`}>
                  {t('reservations.booking.cancelLink')}
                </a>
              </p>
            </>
          ) : (
            <p>{b.begun ? t('reservations.booking.begun') : t('reservations.rule.cancellation-deadline', { lastDate: formatDate(b.cancellation.lastDate, locale) })}</p>
          )}
        </section>
      )}
    </Layout>
  );
}

export function CancelPage({ ctx, b, problems }: { ctx: PageContext; b: BookingView; problems: Problem[] }) {
  const { t, locale } = ctx;
  const title = `${problems.length ? t('applications.page.errors.titlePrefix') : ''}${t('reservations.cancel.title', { reference: b.reference })}`;
  return (
    <Layout ctx={ctx} title={title}>
      <Styles />
      <p class="back">
        <a href={`/me/bookings/${b.id}`}>{t('reservations.back.booking', { reference: b.reference })}</a>
      </p>
      <h1>{t('reservations.cancel.title', { reference: b.reference })}</h1>
      <ErrorSummary t={t} problems={problems} />
      <dl class="rsv-facts">
        <dt>{t('reservations.book.facility')}</dt>
        <dd>{whatOf(b)}</dd>
        <dt>{t('reservations.book.when')}</dt>
        <dd>{whenText(b.start, b.end, locale)}</dd>
        <dt>{t('reservations.cancel.refund')}</dt>
        <dd class="rsv-fee">{yen(b.state === 'held' ? 0 : b.cancellation.refund, locale)}</dd>
      </dl>
      <p>{b.state === 'held' ? t('reservations.booking.cancelHeld') : t('reservations.cancel.lead', { percent: b.cancellation.refundPercent })}</p>
      {b.cancellation.allowed && (
        <form method="post" action={`/me/bookings/${b.id}/cancel`}>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="version" value={String(b.version)} />
          <button type="submit">{t('reservations.cancel.submit')}</button>
        </form>
      )}
    </Layout>
  );
}
