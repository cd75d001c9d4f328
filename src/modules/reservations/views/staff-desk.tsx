/** The desk's day and figures: checking people in, occupancy by weekday × hour, revenue. */
import { CsrfField, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { hasMessage } from '../../../platform/i18n.js';
import { rateOf, type Occupancy } from '../occupancy.js';
import type { Revenue } from '../revenue.js';
import { dayText, yen } from '../words.js';
import type { Problem } from './common.js';
import { DeskPage, Field } from './staff.js';

export interface PickModel {
  facilities: { code: string; name: string }[];
  code: string;
}

function FacilityPick({ ctx, m }: { ctx: PageContext; m: PickModel }) {
  return (
    <div class="field">
      <label for="facility">{ctx.t('reservations.book.facility')}</label>
      <select id="facility" name="facility">
        {m.facilities.map((f) => (
          <option key={f.code} value={f.code} selected={f.code === m.code}>
            {f.name}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface CheckinRow {
  id: string;
  reference: string;
  what: string;
  when: string;
  people: number;
  state: string;
  booker: string;
  amount: number;
  paidBy: string | null;
  version: number;
  canCheckIn: boolean;
  canCollect: boolean;
  canNoShow: boolean;
}

export interface CheckinModel extends PickModel {
  date: string;
  reference: string;
  rows: CheckinRow[];
  problems: Problem[];
  notice?: string;
}

export function CheckinPage({ ctx, m }: { ctx: PageContext; m: CheckinModel }) {
  const { t, locale } = ctx;
  const caption = t('reservations.desk.checkinCaption', { name: m.facilities.find((f) => f.code === m.code)?.name ?? '', date: dayText(m.date, locale) });
  return (
    <DeskPage ctx={ctx} title={t('reservations.desk.checkin')} problems={m.problems} notice={m.notice}>
      <form method="get" action="/staff/facilities/checkin" class="filters">
        <FacilityPick ctx={ctx} m={m} />
        <Field ctx={ctx} id="date" label={t('reservations.desk.date')} value={m.date} type="date" />
        <button type="submit" class="secondary">
          {t('reservations.desk.show')}
        </button>
      </form>
      <form method="get" action="/staff/facilities/checkin" class="filters">
        <Field ctx={ctx} id="reference" label={t('reservations.desk.byReference')} hint={t('reservations.desk.byReferenceHint')} value={m.reference} maxLength={20} />
        <button type="submit" class="secondary">
          {t('reservations.desk.find')}
        </button>
      </form>
      <h2>{caption}</h2>
      {m.rows.length === 0 ? (
        <p>{t('reservations.desk.noBookings')}</p>
      ) : (
        <TableWrap label={caption}>
          <table>
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reservations.mine.reference')}</th>
                <th scope="col">{t('reservations.book.when')}</th>
                <th scope="col">{t('reservations.book.unit')}</th>
                <th scope="col">{t('reservations.desk.booker')}</th>
                <th scope="col">{t('reservations.book.people')}</th>
                <th scope="col">{t('reservations.mine.state')}</th>
                <th scope="col">{t('reservations.desk.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {m.rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.reference}</th>
                  <td>{r.when}</td>
                  <td>{r.what}</td>
                  <td>{r.booker}</td>
                  <td>{t('reservations.people', { n: r.people })}</td>
                  <td>
                    {t(`reservations.state.${r.state}`)}
                    {r.state === 'held' && r.amount > 0 ? `（${yen(r.amount, locale)}）` : ''}
                  </td>
                  <td>
                    {r.canCheckIn && (
                      <form class="inline-form" method="post" action={`/staff/facilities/checkin/${r.id}`}>
                        <CsrfField token={ctx.csrfToken} />
                        <input type="hidden" name="version" value={String(r.version)} />
                        <button type="submit" class="small">
                          {t('reservations.desk.checkInButton')}
                          <span class="visually-hidden">{r.reference}</span>
                        </button>
                      </form>
                    )}
                    {r.canCollect && (
                      <form class="inline-form" method="post" action={`/staff/facilities/checkin/${r.id}`}>
                        <CsrfField token={ctx.csrfToken} />
                        <input type="hidden" name="version" value={String(r.version)} />
                        <input type="hidden" name="collect" value="1" />
                        <button type="submit" class="small">
                          {t('reservations.desk.collectButton', { amount: yen(r.amount, locale) })}
                          <span class="visually-hidden">{r.reference}</span>
                        </button>
                      </form>
                    )}
                    {r.canNoShow && (
                      <form class="inline-form" method="post" action={`/staff/facilities/checkin/${r.id}/no-show`}>
                        <CsrfField token={ctx.csrfToken} />{' '}
                        <button type="submit" class="secondary small">
                          {t('reservations.desk.noShowButton')}
                          <span class="visually-hidden">{r.reference}</span>
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </DeskPage>
  );
}

export interface OccupancyModel extends PickModel {
  from: string;
  to: string;
  occ: Occupancy | undefined;
  problems: Problem[];
}

const WEEK = [1, 2, 3, 4, 5, 6, 0];

export function OccupancyPage({ ctx, m }: { ctx: PageContext; m: OccupancyModel }) {
  const { t, locale } = ctx;
  const name = m.facilities.find((f) => f.code === m.code)?.name ?? '';
  const caption = t('reservations.desk.occupancyCaption', { name, from: dayText(m.from, locale), to: dayText(m.to, locale) });
  const o = m.occ;
  const total = o ? rateOf(o.total) : undefined;
  return (
    <DeskPage ctx={ctx} title={t('reservations.desk.occupancy')} problems={m.problems}>
      <form method="get" action="/staff/facilities/occupancy" class="filters">
        <FacilityPick ctx={ctx} m={m} />
        <Field ctx={ctx} id="from" label={t('reservations.desk.fromDate')} value={m.from} type="date" />
        <Field ctx={ctx} id="to" label={t('reservations.desk.toDate')} hint={t('reservations.desk.periodHint')} value={m.to} type="date" />
        <button type="submit" class="secondary">
          {t('reservations.desk.show')}
        </button>
      </form>
      {o && (
        <>
          <h2>{caption}</h2>
          <p>
            {total === undefined
              ? t('reservations.desk.occupancyNone')
              : t('reservations.desk.occupancyTotal', { rate: total, booked: Math.round(o.total.booked / 60), open: Math.round(o.total.open / 60) })}
          </p>
          <p class="hint">{t('reservations.desk.occupancyHow')}</p>
          {o.hours.length > 0 && (
            <TableWrap label={caption}>
              <table>
                <caption>{caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('reservations.desk.hour')}</th>
                    {WEEK.map((w) => (
                      <th scope="col" key={w}>
                        {t(`reservations.weekday.${w}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {o.hours.map((h) => (
                    <tr key={h}>
                      <th scope="row">{t('reservations.desk.hourRow', { h })}</th>
                      {WEEK.map((w) => {
                        const r = rateOf(o.cells[w]![h]!);
                        return <td key={w}>{r === undefined ? t('reservations.desk.notOpen') : `${r}%`}</td>;
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </>
      )}
    </DeskPage>
  );
}

export interface RevenueModel {
  from: string;
  to: string;
  rev: Revenue | undefined;
  problems: Problem[];
  financeLink: boolean;
}

export function RevenuePage({ ctx, m }: { ctx: PageContext; m: RevenueModel }) {
  const { t, locale } = ctx;
  const r = m.rev;
  const caption = t('reservations.desk.revenueCaption', { from: dayText(m.from, locale), to: dayText(m.to, locale) });
  const method = (code: string) => (hasMessage(`payments.method.${code}`) ? t(`payments.method.${code}`) : code);
  return (
    <DeskPage ctx={ctx} title={t('reservations.desk.revenue')} problems={m.problems}>
      <form method="get" action="/staff/facilities/revenue" class="filters">
        <Field ctx={ctx} id="from" label={t('reservations.desk.fromDate')} value={m.from} type="date" />
        <Field ctx={ctx} id="to" label={t('reservations.desk.toDate')} hint={t('reservations.desk.periodHint')} value={m.to} type="date" />
        <button type="submit" class="secondary">
          {t('reservations.desk.show')}
        </button>
      </form>
      {r && (
        <>
          <h2>{caption}</h2>
          <p>{t('reservations.desk.revenueTotal', { net: yen(r.total.net, locale) })}</p>
          {!r.ledger && <p class="notice">{t('reservations.desk.noLedger')}</p>}
          <TableWrap label={caption}>
            <table>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reservations.book.facility')}</th>
                  <th scope="col">{t('reservations.desk.onlineCaptured')}</th>
                  <th scope="col">{t('reservations.desk.onlineRefunded')}</th>
                  <th scope="col">{t('reservations.desk.fees')}</th>
                  <th scope="col">{t('reservations.desk.counterReceived')}</th>
                  <th scope="col">{t('reservations.desk.counterRefunded')}</th>
                  <th scope="col">{t('reservations.desk.net')}</th>
                  <th scope="col">{t('reservations.desk.owed')}</th>
                </tr>
              </thead>
              <tbody>
                {[...r.lines, { ...r.total, name: t('reservations.desk.total') }].map((l, i) => (
                  <tr key={i}>
                    <th scope="row">{l.name || t('reservations.desk.unknownFacility')}</th>
                    <td>{`${yen(l.online.captured, locale)}（${t('reservations.desk.count', { n: l.online.captures })}）`}</td>
                    <td>{yen(l.online.refunded, locale)}</td>
                    <td>{yen(l.online.fees, locale)}</td>
                    <td>{`${yen(l.counter.received, locale)}（${t('reservations.desk.count', { n: l.counter.receipts })}）`}</td>
                    <td>{yen(l.counter.refunded, locale)}</td>
                    <td>{yen(l.net, locale)}</td>
                    <td>{yen(l.counter.owed, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {r.byMethod.length > 0 && (
            <>
              <h2>{t('reservations.desk.byMethod')}</h2>
              <TableWrap label={t('reservations.desk.byMethod')}>
                <table>
                  <caption>{t('reservations.desk.byMethod')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('reservations.desk.method')}</th>
                      <th scope="col">{t('reservations.desk.onlineCaptured')}</th>
                      <th scope="col">{t('reservations.desk.onlineRefunded')}</th>
                      <th scope="col">{t('reservations.desk.fees')}</th>
                      <th scope="col">{t('reservations.desk.net')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.byMethod.map((x) => (
                      <tr key={x.method}>
                        <th scope="row">{method(x.method)}</th>
                        <td>{`${yen(x.captured, locale)}（${t('reservations.desk.count', { n: x.captures })}）`}</td>
                        <td>{yen(x.refunded, locale)}</td>
                        <td>{yen(x.fees, locale)}</td>
                        <td>{yen(x.net, locale)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </>
          )}
          <p class="hint">{t('reservations.desk.revenueHow')}</p>
          {m.financeLink && (
            <p>
              <a href="/staff/payments">{t('reservations.desk.reconciliation')}</a>
            </p>
          )}
        </>
      )}
    </DeskPage>
  );
}
