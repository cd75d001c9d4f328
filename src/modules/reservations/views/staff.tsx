/** The facilities desk's pages: the desk's start, a facility's set-up (rules, hours, units), its closures. */
import type { ComponentChildren } from 'preact';
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { momentText } from '../words.js';
import { ErrorSummary, Notice, Styles, type Problem } from './common.js';
import { DeskStyles } from './desk-styles.js';

/** A labelled input with its hint and error, the way every form here shows them. */
export function Field(p: {
  ctx: PageContext;
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: string;
  type?: 'text' | 'number' | 'date' | 'time' | 'email';
  short?: boolean;
  required?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
}) {
  const describedBy = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const type = p.type ?? 'text';
  return (
    <div class={`field${p.error ? ' field-error' : ''}`}>
      <label for={p.id}>{p.label}</label>
      {p.hint && (
        <p class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="error" id={`${p.id}-error`}>
          <span class="visually-hidden">{p.ctx.t('applications.page.errorPrefix')}</span>
          {p.error}
        </p>
      )}
      <input
        type={type}
        id={p.id}
        name={p.id}
        value={p.value}
        class={p.short || type === 'number' ? 'short' : undefined}
        inputMode={type === 'number' ? 'numeric' : undefined}
        min={p.min}
        max={p.max}
        maxLength={p.maxLength}
        required={p.required}
        aria-describedby={describedBy}
      />
    </div>
  );
}

export function Check({ id, label, checked, hint }: { id: string; label: string; checked: boolean; hint?: string }) {
  return (
    <div class="radio">
      <input type="checkbox" id={id} name={id} value="1" checked={checked} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label for={id}>{label}</label>
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

export function DeskPage({ ctx, title, back, problems, notice, children }: { ctx: PageContext; title: string; back?: { href: string; label: string }; problems?: Problem[]; notice?: string | undefined; children?: ComponentChildren }) {
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={`${problems?.length ? t('applications.page.errors.titlePrefix') : ''}${title}`}>
      <Styles />
      <DeskStyles />
      <p class="back">
        <a href={back?.href ?? '/staff/facilities'}>{back?.label ?? t('reservations.desk.back')}</a>
      </p>
      <h1>{title}</h1>
      <Notice text={notice} />
      <ErrorSummary t={t} problems={problems ?? []} />
      {children}
    </Layout>
  );
}

export interface DeskHomeModel {
  facilities: { code: string; name: string; kind: string; active: boolean; lottery: boolean; units: number }[];
}

export function DeskHomePage({ ctx, m }: { ctx: PageContext; m: DeskHomeModel }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('reservations.desk.title')}>
      <Styles />
      <DeskStyles />
      <h1>{t('reservations.desk.title')}</h1>
      <ul class="tiles plain-list">
        <li>
          <a class="tile" href="/staff/facilities/checkin">{t('reservations.desk.checkin')}</a>
        </li>
        <li>
          <a class="tile" href="/staff/facilities/occupancy">{t('reservations.desk.occupancy')}</a>
        </li>
        <li>
          <a class="tile" href="/staff/facilities/revenue">{t('reservations.desk.revenue')}</a>
        </li>
        <li>
          <a class="tile" href="/staff/facilities/lotteries">{t('reservations.desk.lotteries')}</a>
        </li>
      </ul>
      <h2>{t('reservations.desk.facilities')}</h2>
      <TableWrap label={t('reservations.desk.facilities')}>
        <table>
          <caption>{t('reservations.desk.facilitiesCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reservations.book.facility')}</th>
              <th scope="col">{t('reservations.facility.kind')}</th>
              <th scope="col">{t('reservations.desk.units')}</th>
              <th scope="col">{t('reservations.desk.state')}</th>
              <th scope="col">{t('reservations.desk.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {m.facilities.map((f) => (
              <tr key={f.code}>
                <th scope="row">{f.name}</th>
                <td>{t(`reservations.kind.${f.kind}`)}</td>
                <td>{f.units}</td>
                <td>
                  {t(f.active ? 'reservations.desk.inUse' : 'reservations.desk.notInUse')}
                  {f.lottery ? `・${t('reservations.desk.byLottery')}` : ''}
                </td>
                <td>
                  <a href={`/staff/facilities/${f.code}/setup`}>
                    {t('reservations.desk.setup')}
                    <span class="visually-hidden">{t('reservations.of', { name: f.name })}</span>
                  </a>
                  {' ・ '}
                  <a href={`/staff/facilities/${f.code}/blocks`}>
                    {t('reservations.desk.blocks')}
                    <span class="visually-hidden">{t('reservations.of', { name: f.name })}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Layout>
  );
}

export interface SetupModel {
  code: string;
  name: string;
  bus: boolean;
  rules: Record<string, string>;
  flags: { lottery: boolean; active: boolean };
  hours: { weekday: number; open: boolean; opens: string; closes: string }[];
  units: { code: string; name: string; fee: string; capacity: string; active: boolean; parts: string }[];
  newUnit: { unitCode: string; unitNameJa: string; unitNameEn: string; unitFee: string; unitCapacity: string };
  fieldErrors: Record<string, string>;
  problems: Problem[];
  notice?: string;
  log: { at: Date; what: string }[];
}

const RULE_FIELDS = ['capacity', 'residentWindowDays', 'nonresidentWindowDays', 'windowOpensAt', 'closesMinutesBefore', 'holdMinutes', 'cancelDeadlineDays', 'surchargePercent', 'maxActive'] as const;
const WEEK = [1, 2, 3, 4, 5, 6, 0];

export function SetupPage({ ctx, m }: { ctx: PageContext; m: SetupModel }) {
  const { t, locale } = ctx;
  const e = (k: string) => m.fieldErrors[k];
  return (
    <DeskPage ctx={ctx} title={t('reservations.desk.setupTitle', { name: m.name })} problems={m.problems} notice={m.notice}>
      <h2 id="rules">{t('reservations.desk.rules')}</h2>
      <form method="post" action={`/staff/facilities/${m.code}/rules`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        {RULE_FIELDS.map((k) => (
          <Field key={k} ctx={ctx} id={k} label={t(`reservations.desk.rule.${k}`)} hint={t(`reservations.desk.ruleHint.${k}`)} error={e(k)} value={m.rules[k] ?? ''} type={k === 'windowOpensAt' ? 'time' : 'number'} required />
        ))}
        <fieldset class="field">
          <legend>{t('reservations.desk.flags')}</legend>
          <Check id="lottery" label={t('reservations.desk.flag.lottery')} checked={m.flags.lottery} />
          <Check id="active" label={t('reservations.desk.flag.active')} checked={m.flags.active} />
        </fieldset>
        <button type="submit">{t('reservations.desk.saveRules')}</button>
      </form>
      {!m.bus && (
        <>
          <h2 id="hours">{t('reservations.desk.hours')}</h2>
          <form method="post" action={`/staff/facilities/${m.code}/hours`} novalidate>
            <CsrfField token={ctx.csrfToken} />
            {WEEK.map((w) => {
              const h = m.hours.find((x) => x.weekday === w)!;
              const err = e(`hours-${w}`);
              return (
                <fieldset key={w} class={`entry${err ? ' field-error' : ''}`}>
                  <legend>{t(`reservations.weekday.${w}`)}</legend>
                  {err && (
                    <p class="error" id={`hours-${w}-error`}>
                      <span class="visually-hidden">{t('applications.page.errorPrefix')}</span>
                      {err}
                    </p>
                  )}
                  <Check id={`open-${w}`} label={t('reservations.desk.openThatDay')} checked={h.open} />
                  <Field ctx={ctx} id={`opens-${w}`} label={t('reservations.desk.opens')} value={h.opens} type="time" short />
                  <Field ctx={ctx} id={`closes-${w}`} label={t('reservations.desk.closes')} value={h.closes} type="time" short />
                </fieldset>
              );
            })}
            <button type="submit">{t('reservations.desk.saveHours')}</button>
          </form>
        </>
      )}
      <h2 id="units">{t('reservations.desk.unitsTitle')}</h2>
      <form method="post" action={`/staff/facilities/${m.code}/units`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        {m.units.map((u) => (
          <fieldset key={u.code} class="entry">
            <legend>{u.name}</legend>
            {u.parts && <p class="hint">{t('reservations.desk.parts', { parts: u.parts })}</p>}
            <Field ctx={ctx} id={`fee-${u.code}`} label={t('reservations.desk.unitFee')} hint={t('reservations.desk.unitFeeHint')} error={e(`fee-${u.code}`)} value={u.fee} type="number" min={0} />
            <Field ctx={ctx} id={`capacity-${u.code}`} label={t('reservations.desk.unitCapacity')} hint={t('reservations.desk.unitCapacityHint')} error={e(`capacity-${u.code}`)} value={u.capacity} type="number" min={1} />
            <Check id={`active-${u.code}`} label={t('reservations.desk.unitActive')} checked={u.active} />
          </fieldset>
        ))}
        <button type="submit">{t('reservations.desk.saveUnits')}</button>
      </form>
      {!m.bus && (
        <>
          <h2 id="new-unit">{t('reservations.desk.addUnit')}</h2>
          <form method="post" action={`/staff/facilities/${m.code}/units/new`} novalidate>
            <CsrfField token={ctx.csrfToken} />
            <Field ctx={ctx} id="unitCode" label={t('reservations.desk.unitCode')} hint={t('reservations.desk.unitCodeHint')} error={e('unitCode')} value={m.newUnit.unitCode} maxLength={40} required />
            <Field ctx={ctx} id="unitNameJa" label={t('reservations.desk.unitNameJa')} error={e('unitNameJa')} value={m.newUnit.unitNameJa} maxLength={100} required />
            <Field ctx={ctx} id="unitNameEn" label={t('reservations.desk.unitNameEn')} value={m.newUnit.unitNameEn} maxLength={100} />
            <Field ctx={ctx} id="unitFee" label={t('reservations.desk.unitFee')} hint={t('reservations.desk.unitFeeHint')} error={e('unitFee')} value={m.newUnit.unitFee} type="number" min={0} required />
            <Field ctx={ctx} id="unitCapacity" label={t('reservations.desk.unitCapacity')} hint={t('reservations.desk.unitCapacityHint')} error={e('unitCapacity')} value={m.newUnit.unitCapacity} type="number" min={1} />
            <button type="submit">{t('reservations.desk.addUnitSubmit')}</button>
          </form>
        </>
      )}
      {m.log.length > 0 && (
        <>
          <h2>{t('reservations.desk.log')}</h2>
          <ul>
            {m.log.map((l, i) => (
              <li key={i}>
                {momentText(l.at, locale)} {t(`reservations.desk.logWhat.${l.what}`)}
              </li>
            ))}
          </ul>
        </>
      )}
    </DeskPage>
  );
}

export interface BlocksModel {
  code: string;
  name: string;
  units: { code: string; name: string }[];
  blocks: { id: string; what: string; start: Date; end: Date; reason: string; note: string }[];
  values: { unit: string; fromDate: string; toDate: string; fromTime: string; toTime: string; reason: string; noteJa: string; noteEn: string };
  fieldErrors: Record<string, string>;
  problems: Problem[];
  notice?: string;
}

export function BlocksPage({ ctx, m }: { ctx: PageContext; m: BlocksModel }) {
  const { t, locale } = ctx;
  const v = m.values;
  const e = (k: string) => m.fieldErrors[k];
  return (
    <DeskPage ctx={ctx} title={t('reservations.desk.blocksTitle', { name: m.name })} problems={m.problems} notice={m.notice}>
      <h2>{t('reservations.desk.blocksNow')}</h2>
      {m.blocks.length === 0 ? (
        <p>{t('reservations.desk.noBlocks')}</p>
      ) : (
        <TableWrap label={t('reservations.desk.blocksNow')}>
          <table>
            <caption>{t('reservations.desk.blocksCaption', { name: m.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reservations.desk.from')}</th>
                <th scope="col">{t('reservations.desk.to')}</th>
                <th scope="col">{t('reservations.book.unit')}</th>
                <th scope="col">{t('reservations.desk.reason')}</th>
                <th scope="col">{t('reservations.desk.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {m.blocks.map((k) => (
                <tr key={k.id}>
                  <th scope="row">{momentText(k.start, locale)}</th>
                  <td>{momentText(k.end, locale)}</td>
                  <td>{k.what}</td>
                  <td>
                    {t(`reservations.desk.reason.${k.reason}`)}
                    {k.note ? `（${k.note}）` : ''}
                  </td>
                  <td>
                    <form class="inline-form" method="post" action={`/staff/facilities/${m.code}/blocks/${k.id}/remove`}>
                      <CsrfField token={ctx.csrfToken} />
                      <button type="submit" class="secondary small">
                        {t('reservations.desk.removeBlock')}
                        <span class="visually-hidden">{`${momentText(k.start, locale)} ${k.what}`}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2 id="new-block">{t('reservations.desk.addBlock')}</h2>
      <form method="post" action={`/staff/facilities/${m.code}/blocks`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <div class="field">
          <label for="unit">{t('reservations.book.unit')}</label>
          <select id="unit" name="unit">
            <option value="" selected={v.unit === ''}>
              {t('reservations.desk.wholeFacility')}
            </option>
            {m.units.map((u) => (
              <option key={u.code} value={u.code} selected={v.unit === u.code}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <Field ctx={ctx} id="fromDate" label={t('reservations.desk.fromDate')} error={e('fromDate')} value={v.fromDate} type="date" required />
        <Field ctx={ctx} id="fromTime" label={t('reservations.desk.fromTime')} hint={t('reservations.desk.timeHint')} error={e('fromTime')} value={v.fromTime} type="time" short />
        <Field ctx={ctx} id="toDate" label={t('reservations.desk.toDate')} error={e('toDate')} value={v.toDate} type="date" required />
        <Field ctx={ctx} id="toTime" label={t('reservations.desk.toTime')} hint={t('reservations.desk.timeHint')} error={e('toTime')} value={v.toTime} type="time" short />
        <fieldset class="field">
          <legend>{t('reservations.desk.reason')}</legend>
          {(['closed', 'maintenance', 'event'] as const).map((r) => (
            <div class="radio" key={r}>
              <input type="radio" id={`reason-${r}`} name="reason" value={r} checked={v.reason === r} />
              <label for={`reason-${r}`}>{t(`reservations.desk.reason.${r}`)}</label>
            </div>
          ))}
        </fieldset>
        <Field ctx={ctx} id="noteJa" label={t('reservations.desk.noteJa')} hint={t('reservations.desk.noteHint')} value={v.noteJa} maxLength={200} />
        <Field ctx={ctx} id="noteEn" label={t('reservations.desk.noteEn')} value={v.noteEn} maxLength={200} />
        <button type="submit">{t('reservations.desk.addBlockSubmit')}</button>
      </form>
    </DeskPage>
  );
}
