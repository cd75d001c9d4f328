/** The desk's lottery pages: the rounds, opening one, and one round with its draw. */
import { CsrfField, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { momentText } from '../words.js';
import type { Problem } from './common.js';
import { Check, DeskPage, Field } from './staff.js';

export interface StaffRoundsModel {
  rounds: { id: string; facility: string; name: string; state: string; appliesUntil: Date; drawsAt: Date; slots: number; entries: number }[];
  notice?: string;
}

export function StaffRoundsPage({ ctx, m }: { ctx: PageContext; m: StaffRoundsModel }) {
  const { t, locale } = ctx;
  const title = t('reservations.desk.lotteries');
  return (
    <DeskPage ctx={ctx} title={title} notice={m.notice}>
      <p>
        <a class="button" href="/staff/facilities/lotteries/new">
          {t('reservations.desk.lottery.open')}
        </a>
      </p>
      {m.rounds.length === 0 ? (
        <p>{t('reservations.lottery.list.none')}</p>
      ) : (
        <TableWrap label={title}>
          <table>
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reservations.desk.lottery.round')}</th>
                <th scope="col">{t('reservations.lottery.stateLabel')}</th>
                <th scope="col">{t('reservations.lottery.applies')}</th>
                <th scope="col">{t('reservations.lottery.drawsAt')}</th>
                <th scope="col">{t('reservations.lottery.entries')}</th>
              </tr>
            </thead>
            <tbody>
              {m.rounds.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <a href={`/staff/facilities/lotteries/${r.id}`}>{`${r.facility} ${r.name}`}</a>
                  </th>
                  <td>{t(`reservations.lottery.state.${r.state}`)}</td>
                  <td>{t('reservations.desk.lottery.until', { at: momentText(r.appliesUntil, locale) })}</td>
                  <td>{momentText(r.drawsAt, locale)}</td>
                  <td>{t('reservations.desk.lottery.counts', { entries: r.entries, slots: r.slots })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </DeskPage>
  );
}

export interface NewRoundModel {
  facilities: { code: string; name: string }[];
  code: string;
  units: { code: string; name: string }[];
  values: Record<string, string>;
  weekdays: number[];
  chosenUnits: string[];
  fieldErrors: Record<string, string>;
  problems: Problem[];
}

const WEEK = [1, 2, 3, 4, 5, 6, 0];

export function NewRoundPage({ ctx, m }: { ctx: PageContext; m: NewRoundModel }) {
  const { t } = ctx;
  const v = m.values;
  const e = (k: string) => m.fieldErrors[k];
  const back = { href: '/staff/facilities/lotteries', label: t('reservations.desk.lottery.back') };
  if (!m.code) {
    return (
      <DeskPage ctx={ctx} title={t('reservations.desk.lottery.open')} back={back} problems={m.problems}>
        {m.facilities.length === 0 ? (
          <p>{t('reservations.desk.lottery.noFacility')}</p>
        ) : (
          <form method="get" action="/staff/facilities/lotteries/new">
            <div class="field">
              <label for="facility">{t('reservations.book.facility')}</label>
              <select id="facility" name="facility">
                {m.facilities.map((f) => (
                  <option key={f.code} value={f.code}>
                    {f.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">{t('reservations.desk.next')}</button>
          </form>
        )}
      </DeskPage>
    );
  }
  const name = m.facilities.find((f) => f.code === m.code)?.name ?? m.code;
  return (
    <DeskPage ctx={ctx} title={t('reservations.desk.lottery.openFor', { name })} back={back} problems={m.problems}>
      <p class="lead">{t('reservations.desk.lottery.lead')}</p>
      <form method="post" action="/staff/facilities/lotteries" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="facility" value={m.code} />
        <Field ctx={ctx} id="nameJa" label={t('reservations.desk.lottery.nameJa')} hint={t('reservations.desk.lottery.nameHint')} error={e('nameJa')} value={v.nameJa ?? ''} maxLength={100} required />
        <Field ctx={ctx} id="nameEn" label={t('reservations.desk.lottery.nameEn')} value={v.nameEn ?? ''} maxLength={100} />
        <fieldset class={`entry${e('appliesFrom') || e('appliesUntil') ? ' field-error' : ''}`}>
          <legend>{t('reservations.lottery.applies')}</legend>
          <Field ctx={ctx} id="appliesFromDate" label={t('reservations.desk.lottery.appliesFrom')} error={e('appliesFrom')} value={v.appliesFromDate ?? ''} type="date" required />
          <Field ctx={ctx} id="appliesFromTime" label={t('reservations.desk.fromTime')} value={v.appliesFromTime ?? '09:00'} type="time" short />
          <Field ctx={ctx} id="appliesUntilDate" label={t('reservations.desk.lottery.appliesUntil')} error={e('appliesUntil')} value={v.appliesUntilDate ?? ''} type="date" required />
          <Field ctx={ctx} id="appliesUntilTime" label={t('reservations.desk.toTime')} value={v.appliesUntilTime ?? '17:00'} type="time" short />
        </fieldset>
        <fieldset class={`entry${e('drawsAt') ? ' field-error' : ''}`}>
          <legend>{t('reservations.lottery.drawsAt')}</legend>
          <Field ctx={ctx} id="drawsAtDate" label={t('reservations.desk.date')} error={e('drawsAt')} value={v.drawsAtDate ?? ''} type="date" required />
          <Field ctx={ctx} id="drawsAtTime" label={t('reservations.desk.time')} value={v.drawsAtTime ?? '10:00'} type="time" short />
        </fieldset>
        <fieldset class={`entry${e('slots') ? ' field-error' : ''}`}>
          <legend>{t('reservations.lottery.slots')}</legend>
          {e('slots') && (
            <p class="error" id="slots-error">
              <span class="visually-hidden">{t('applications.page.errorPrefix')}</span>
              {e('slots')}
            </p>
          )}
          <Field ctx={ctx} id="from" label={t('reservations.desk.lottery.slotsFrom')} error={e('from')} value={v.from ?? ''} type="date" required />
          <Field ctx={ctx} id="to" label={t('reservations.desk.lottery.slotsTo')} value={v.to ?? ''} type="date" required />
          <fieldset class="field">
            <legend>{t('reservations.desk.lottery.weekdays')}</legend>
            {WEEK.map((w) => (
              <Check key={w} id={`weekday-${w}`} label={t(`reservations.weekday.${w}`)} checked={m.weekdays.includes(w)} />
            ))}
          </fieldset>
          <fieldset class="field">
            <legend>{t('reservations.desk.lottery.units')}</legend>
            {m.units.map((u) => (
              <Check key={u.code} id={`unit-${u.code}`} label={u.name} checked={m.chosenUnits.includes(u.code)} />
            ))}
          </fieldset>
        </fieldset>
        <Field ctx={ctx} id="holdHours" label={t('reservations.desk.lottery.holdHours')} hint={t('reservations.desk.lottery.holdHoursHint')} error={e('holdHours')} value={v.holdHours ?? '72'} type="number" min={1} max={336} />
        <Field ctx={ctx} id="maxWins" label={t('reservations.desk.lottery.maxWins')} hint={t('reservations.desk.lottery.maxWinsHint')} error={e('maxWins')} value={v.maxWins ?? '1'} type="number" min={1} max={100} />
        <button type="submit">{t('reservations.desk.lottery.openSubmit')}</button>
      </form>
    </DeskPage>
  );
}

export interface StaffRoundModel {
  id: string;
  title: string;
  state: string;
  appliesFrom: Date;
  appliesUntil: Date;
  drawsAt: Date;
  slots: { key: string; when: string; unit: string; entries: number; winner?: { reference: string; state: string } }[];
  entries: number;
  canDraw: boolean;
  canCancel: boolean;
  draw?: { seed: string; digest: string; winners: number; drawnAt: Date };
  problems: Problem[];
  notice?: string;
}

export function StaffRoundPage({ ctx, m }: { ctx: PageContext; m: StaffRoundModel }) {
  const { t, locale } = ctx;
  return (
    <DeskPage ctx={ctx} title={m.title} back={{ href: '/staff/facilities/lotteries', label: t('reservations.desk.lottery.back') }} problems={m.problems} notice={m.notice}>
      <dl class="rsv-facts">
        <dt>{t('reservations.lottery.stateLabel')}</dt>
        <dd>{t(`reservations.lottery.state.${m.state}`)}</dd>
        <dt>{t('reservations.lottery.applies')}</dt>
        <dd>{t('reservations.lottery.range', { from: momentText(m.appliesFrom, locale), to: momentText(m.appliesUntil, locale) })}</dd>
        <dt>{t('reservations.lottery.drawsAt')}</dt>
        <dd>{momentText(m.drawsAt, locale)}</dd>
        <dt>{t('reservations.lottery.entries')}</dt>
        <dd>{t('reservations.lottery.count', { n: m.entries })}</dd>
      </dl>
      {(m.canDraw || m.canCancel) && (
        <div class="actions">
          {m.canDraw && (
            <form method="post" action={`/staff/facilities/lotteries/${m.id}/draw`}>
              <CsrfField token={ctx.csrfToken} />
              <button type="submit">{t('reservations.desk.lottery.draw')}</button>
            </form>
          )}
          {m.canCancel && (
            <form method="post" action={`/staff/facilities/lotteries/${m.id}/cancel`}>
              <CsrfField token={ctx.csrfToken} />
              <button type="submit" class="secondary">
                {t('reservations.desk.lottery.cancel')}
              </button>
            </form>
          )}
        </div>
      )}
      {m.state === 'open' && !m.canDraw && <p>{t('reservations.desk.lottery.notYet')}</p>}
      {m.draw && (
        <>
          <h2>{t('reservations.lottery.record')}</h2>
          <dl class="rsv-facts">
            <dt>{t('reservations.lottery.drawnAt')}</dt>
            <dd>{momentText(m.draw.drawnAt, locale)}</dd>
            <dt>{t('reservations.lottery.seed')}</dt>
            <dd>
              <code class="id">{m.draw.seed}</code>
            </dd>
            <dt>{t('reservations.lottery.digest')}</dt>
            <dd>
              <code class="id">{m.draw.digest}</code>
            </dd>
          </dl>
          <p>
            <a href={`/lotteries/${m.id}`}>{t('reservations.desk.lottery.public')}</a>
          </p>
        </>
      )}
      <h2>{t('reservations.lottery.slots')}</h2>
      <TableWrap label={t('reservations.lottery.slots')}>
        <table>
          <caption>{t('reservations.lottery.slotsCaption', { name: m.title })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reservations.book.when')}</th>
              <th scope="col">{t('reservations.book.unit')}</th>
              <th scope="col">{t('reservations.lottery.entries')}</th>
              {m.draw && <th scope="col">{t('reservations.desk.lottery.winner')}</th>}
            </tr>
          </thead>
          <tbody>
            {m.slots.map((s) => (
              <tr key={s.key}>
                <th scope="row">{s.when}</th>
                <td>{s.unit}</td>
                <td>{t('reservations.lottery.count', { n: s.entries })}</td>
                {m.draw && <td>{s.winner ? `${s.winner.reference}（${t(`reservations.state.${s.winner.state}`)}）` : t('reservations.lottery.slotFree')}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </DeskPage>
  );
}
