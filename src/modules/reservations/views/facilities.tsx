/** The facilities anyone can read: the list, and one facility with its hours, fees and rules. */
import { Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import type { Facility, Reduction } from '../facility-store.js';
import { nameIn, placeIn, yen } from '../words.js';
import { Styles } from './common.js';

export function FacilityListPage({ ctx, facilities }: { ctx: PageContext; facilities: Facility[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('reservations.list.title')}>
      <Styles />
      <h1>{t('reservations.list.title')}</h1>
      <p class="lead">{t('reservations.list.lead')}</p>
      {facilities.length === 0 ? (
        <p>{t('reservations.list.none')}</p>
      ) : (
        <ul class="rsv-list">
          {facilities.map((f) => (
            <li key={f.code}>
              <h2>
                <a href={`/facilities/${f.code}`}>{nameIn(f, locale)}</a>
              </h2>
              <p>
                <span class="tag">{t(`reservations.kind.${f.kind}`)}</span> {placeIn(f, locale)}
              </p>
              <p>
                <a href={`/facilities/${f.code}/calendar`}>
                  {t('reservations.list.calendar')}
                  <span class="visually-hidden">{t('reservations.of', { name: nameIn(f, locale) })}</span>
                </a>
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

const WEEKDAY_ORDER = [1, 2, 3, 4, 5, 6, 0];

export function FacilityPage({ ctx, f, reductions, icsUrl }: { ctx: PageContext; f: Facility; reductions: Reduction[]; icsUrl: string }) {
  const { t, locale } = ctx;
  const name = nameIn(f, locale);
  const spaces = f.units.filter((u) => u.kind === 'space');
  return (
    <Layout ctx={ctx} title={name}>
      <Styles />
      <p class="back">
        <a href="/facilities">{t('reservations.back.list')}</a>
      </p>
      <h1>{name}</h1>
      <p>{locale === 'en' ? f.descriptionEn || f.descriptionJa : f.descriptionJa}</p>
      <dl class="rsv-facts">
        <dt>{t('reservations.facility.place')}</dt>
        <dd>{placeIn(f, locale)}</dd>
        <dt>{t('reservations.facility.kind')}</dt>
        <dd>{t(`reservations.kind.${f.kind}`)}</dd>
      </dl>
      <p class="actions">
        <a class="button" href={`/facilities/${f.code}/calendar`}>
          {t('reservations.list.calendar')}
        </a>
        <a class="button secondary" href={`/facilities/${f.code}/week`}>
          {t('reservations.facility.week')}
        </a>
      </p>

      <h2>{f.kind === 'bus' ? t('reservations.facility.days') : t('reservations.facility.hours')}</h2>
      <TableWrap label={t('reservations.facility.hours')}>
        <table>
          <caption class="visually-hidden">{t('reservations.facility.hoursOf', { name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reservations.facility.weekday')}</th>
              <th scope="col">{t('reservations.facility.open')}</th>
            </tr>
          </thead>
          <tbody>
            {WEEKDAY_ORDER.map((w) => {
              const h = f.hours.get(w);
              return (
                <tr key={w}>
                  <th scope="row">{t(`reservations.weekday.${w}`)}</th>
                  <td>{h ? `${h.opens}〜${h.closes}` : t('reservations.facility.closedDay')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {f.periods.length > 0 && (
        <>
          <h2>{t('reservations.facility.periods')}</h2>
          <ul>
            {f.periods.map((p) => (
              <li key={p.code}>
                {nameIn(p, locale)} {p.starts}〜{p.ends}
              </li>
            ))}
          </ul>
        </>
      )}

      {f.kind !== 'bus' && (
        <>
          <h2>{t('reservations.facility.fees')}</h2>
          <TableWrap label={t('reservations.facility.fees')}>
            <table>
              <caption class="visually-hidden">{t('reservations.facility.feesOf', { name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reservations.facility.unit')}</th>
                  <th scope="col">{t('reservations.facility.capacity')}</th>
                  <th scope="col">{t('reservations.facility.hourly')}</th>
                </tr>
              </thead>
              <tbody>
                {spaces.map((u) => (
                  <tr key={u.code}>
                    <th scope="row">{nameIn(u, locale)}</th>
                    <td>{t('reservations.people', { n: u.capacity ?? f.capacity })}</td>
                    <td>{yen(u.hourlyFee, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      <p>{t('reservations.facility.surcharge', { percent: f.nonresidentSurchargePercent })}</p>

      <h2>{t('reservations.facility.rules')}</h2>
      <ul>
        <li>{t('reservations.facility.window', { resident: f.residentWindowDays, nonresident: f.nonresidentWindowDays, time: f.windowOpensAt })}</li>
        <li>{t('reservations.facility.hold', { minutes: f.holdMinutes })}</li>
        <li>{t('reservations.facility.limit', { n: f.maxActivePerBooker })}</li>
        <li>{f.cancelDeadlineDays === 0 ? t('reservations.facility.deadlineSameDay') : t('reservations.facility.deadline', { days: f.cancelDeadlineDays })}</li>
        {[...f.cancellation]
          .sort((a, b) => b.daysBefore - a.daysBefore)
          .map((s) => (
            <li key={s.daysBefore}>{t('reservations.facility.refundStep', { days: s.daysBefore, percent: s.refundPercent })}</li>
          ))}
        {f.lottery && <li>{t('reservations.facility.lottery')}</li>}
      </ul>

      {reductions.length > 0 && (
        <>
          <h2>{t('reservations.facility.reductions')}</h2>
          <ul>
            {reductions.map((r) => (
              <li key={r.code}>
                {t('reservations.reduction.line', { name: nameIn(r, locale), percent: r.percent })}（{locale === 'en' ? r.proofEn || r.proofJa : r.proofJa}）
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>{t('reservations.facility.feed')}</h2>
      <p>
        {t('reservations.facility.feedLead')} <a href={icsUrl}>{t('reservations.facility.feedLink', { name })}</a>
      </p>
    </Layout>
  );
}
