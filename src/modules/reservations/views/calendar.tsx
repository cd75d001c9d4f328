/**
 * The availability calendar without JavaScript: tables with headers, every cell saying in
 * words what the slot is (空き・予約済み・抽選・休館・受付前・受付終了), so a screen reader
 * reads "第1会議室, 12月5日（土）, 午前 9:00〜12:00: 空き" and the link says what it books.
 */
import { Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import type { DaySummary, SlotStatus } from '../calendar.js';
import { dayText, momentText, shortDay, yen } from '../words.js';
import { Styles } from './common.js';

export interface MonthModel {
  code: string;
  name: string;
  /** The first of the month, YYYY-MM-DD. */
  month: string;
  /** Weeks from Sunday; null outside the month. */
  weeks: (DaySummary | null)[][];
  prev: string | undefined;
  next: string;
  today: string;
}

const monthTitle = (month: string, locale: PageContext['locale']) =>
  locale === 'en'
    ? new Date(`${month}T00:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
    : `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;

const SUNDAY_FIRST = [0, 1, 2, 3, 4, 5, 6];

export function MonthPage({ ctx, m }: { ctx: PageContext; m: MonthModel }) {
  const { t, locale } = ctx;
  const title = t('reservations.month.title', { name: m.name, month: monthTitle(m.month, locale) });
  return (
    <Layout ctx={ctx} title={title}>
      <Styles />
      <p class="back">
        <a href={`/facilities/${m.code}`}>{t('reservations.back.facility', { name: m.name })}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('reservations.month.lead')}</p>
      <nav class="rsv-nav" aria-label={t('reservations.month.nav')}>
        {m.prev && <a href={`/facilities/${m.code}/calendar?month=${m.prev.slice(0, 7)}`}>{t('reservations.month.prev', { month: monthTitle(m.prev, locale) })}</a>}
        <a href={`/facilities/${m.code}/calendar?month=${m.next.slice(0, 7)}`}>{t('reservations.month.next', { month: monthTitle(m.next, locale) })}</a>
        <a href={`/facilities/${m.code}/week`}>{t('reservations.facility.week')}</a>
      </nav>
      <TableWrap label={title}>
        <table class="rsv-cal rsv-month">
          <caption>{title}</caption>
          <thead>
            <tr>
              {SUNDAY_FIRST.map((w) => (
                <th scope="col" key={w}>
                  <abbr title={t(`reservations.weekday.${w}`)}>{t(`reservations.weekdayShort.${w}`)}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.weeks.map((week, i) => (
              <tr key={i}>
                {week.map((d, j) =>
                  d ? (
                    <td key={d.date} class={`s-${d.state}`} aria-current={d.date === m.today ? 'date' : undefined}>
                      <span class="day">{Number(d.date.slice(8))}</span>
                      {d.state === 'past' || d.state === 'no-slots' ? (
                        <span class="word">{t(`reservations.day.${d.state}`)}</span>
                      ) : (
                        <a href={`/facilities/${m.code}/week?from=${d.date}`}>
                          <span class="visually-hidden">{dayText(d.date, locale)} </span>
                          <span class="word">{t(`reservations.day.${d.state}`, { n: d.available })}</span>
                        </a>
                      )}
                    </td>
                  ) : (
                    <td key={`x${j}`} />
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Legend ctx={ctx} />
    </Layout>
  );
}

export interface WeekCell {
  date: string;
  status: SlotStatus;
  opensAt?: Date;
  bookHref?: string;
  waitHref?: string;
  /** The word when the status's own does not fit (a full bus: 満席). */
  word?: string;
}

export interface WeekModel {
  code: string;
  name: string;
  from: string;
  days: string[];
  prev: string | undefined;
  next: string;
  units: { code: string; name: string; rows: { name?: string; label: string; time: string; cells: (WeekCell | null)[] }[] }[];
  trips: { id: string; date: string; time: string; route: string; fare: number; free: number; seats: number; status: SlotStatus; opensAt?: Date; bookHref?: string; waitHref?: string }[];
  bus: boolean;
}

function Cell({ ctx, c, what }: { ctx: PageContext; c: WeekCell | null; what: string }) {
  const { t, locale } = ctx;
  if (!c) return <td class="s-no-slots">{t('reservations.day.no-slots')}</td>;
  const word = c.word ?? t(`reservations.status.${c.status}`);
  return (
    <td class={`s-${c.status}`}>
      {c.bookHref ? (
        <a href={c.bookHref}>
          {word}
          <span class="visually-hidden">{t('reservations.week.bookWhat', { what })}</span>
        </a>
      ) : (
        <span>{word}</span>
      )}
      {c.status === 'not-yet-open' && c.opensAt && <span class="word">{t('reservations.week.opens', { at: momentText(c.opensAt, locale) })}</span>}
      {c.waitHref && (
        <span class="word">
          <a href={c.waitHref}>
            {t('reservations.week.wait')}
            <span class="visually-hidden">{t('reservations.week.waitWhat', { what })}</span>
          </a>
        </span>
      )}
    </td>
  );
}

export function WeekPage({ ctx, m }: { ctx: PageContext; m: WeekModel }) {
  const { t, locale } = ctx;
  const range = `${shortDay(m.days[0]!, locale)}〜${shortDay(m.days[m.days.length - 1]!, locale)}`;
  const title = t('reservations.week.title', { name: m.name, range });
  return (
    <Layout ctx={ctx} title={title}>
      <Styles />
      <p class="back">
        <a href={`/facilities/${m.code}`}>{t('reservations.back.facility', { name: m.name })}</a>
      </p>
      <h1>{title}</h1>
      <p>{t(m.bus ? 'reservations.week.leadBus' : 'reservations.week.lead')}</p>
      <nav class="rsv-nav" aria-label={t('reservations.week.nav')}>
        {m.prev && <a href={`/facilities/${m.code}/week?from=${m.prev}`}>{t('reservations.week.prev')}</a>}
        <a href={`/facilities/${m.code}/week?from=${m.next}`}>{t('reservations.week.next')}</a>
        <a href={`/facilities/${m.code}/calendar?month=${m.from.slice(0, 7)}`}>{t('reservations.week.month')}</a>
      </nav>
      {m.bus ? (
        m.trips.length === 0 ? (
          <p>{t('reservations.bus.none')}</p>
        ) : (
          [...new Set(m.trips.map((x) => x.date))].map((date) => (
            <section key={date} aria-labelledby={`d-${date}`}>
              <h2 id={`d-${date}`}>{dayText(date, locale)}</h2>
              <ul class="rsv-list">
                {m.trips.filter((x) => x.date === date).map((trip) => {
                  const what = `${dayText(trip.date, locale)} ${trip.time}`;
                  const word = trip.status === 'taken' ? t('reservations.status.full') : t(`reservations.status.${trip.status}`);
                  return (
                    <li key={trip.id} class={`rsv-trip s-${trip.status}`}>
                      <h3>{trip.time}</h3>
                      <dl>
                        <dt>{t('reservations.bus.route')}</dt>
                        <dd>{trip.route}</dd>
                        <dt>{t('reservations.bus.fare')}</dt>
                        <dd>{yen(trip.fare, locale)}</dd>
                        <dt>{t('reservations.bus.seats')}</dt>
                        <dd>{t('reservations.bus.free', { free: trip.free, seats: trip.seats })}</dd>
                        <dt>{t('reservations.bus.status')}</dt>
                        <dd>
                          <span class="rsv-status">{word}</span>
                          {trip.status === 'not-yet-open' && trip.opensAt && <> {t('reservations.week.opens', { at: momentText(trip.opensAt, locale) })}</>}
                        </dd>
                      </dl>
                      {trip.bookHref && (
                        <a class="button" href={trip.bookHref}>
                          {t('reservations.bus.book')}
                          <span class="visually-hidden">{t('reservations.week.bookWhat', { what })}</span>
                        </a>
                      )}
                      {trip.waitHref && (
                        <a class="button secondary" href={trip.waitHref}>
                          {t('reservations.week.wait')}
                          <span class="visually-hidden">{t('reservations.week.waitWhat', { what })}</span>
                        </a>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          ))
        )
      ) : (
        m.units.map((u) => {
          const caption = t('reservations.week.caption', { unit: u.name, range });
          return (
            <section key={u.code} aria-labelledby={`u-${u.code}`}>
              <h2 id={`u-${u.code}`}>{u.name}</h2>
              <TableWrap label={caption}>
                <table class="rsv-cal">
                  <caption class="visually-hidden">{caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('reservations.week.time')}</th>
                      {m.days.map((d) => (
                        <th scope="col" key={d}>
                          {shortDay(d, locale)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {u.rows.map((r) => (
                      <tr key={r.time}>
                        <th scope="row">
                          {r.name && <span>{r.name} </span>}
                          <span class="time">{r.label}</span>
                        </th>
                        {r.cells.map((c, i) => (
                          <Cell key={m.days[i]} ctx={ctx} c={c} what={`${u.name} ${dayText(m.days[i]!, locale)} ${r.name ? `${r.name} ` : ''}${r.label}`} />
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </section>
          );
        })
      )}
      <Legend ctx={ctx} />
    </Layout>
  );
}

function Legend({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <>
      <h2>{t('reservations.legend.title')}</h2>
      <ul class="rsv-legend">
        {(['available', 'taken', 'lottery', 'closed', 'not-yet-open', 'past'] as const).map((s) => (
          <li key={s}>
            <span class={`s-${s}`}>{t(`reservations.status.${s}`)}</span>：{t(`reservations.legend.${s}`)}
          </li>
        ))}
      </ul>
    </>
  );
}
