/** The booking form (仮予約) and the waiting-list form: one slot, who and how many, the fee. */
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import { yen } from '../words.js';
import { ErrorSummary, Styles, type Problem } from './common.js';

export interface BookModel {
  mode: 'book' | 'wait';
  code: string;
  facility: string;
  what: string;
  when: string;
  unit?: string;
  trip?: string;
  start?: string;
  capacity: number;
  bus: boolean;
  /** The resident price of the slot. */
  base: number;
  holdMinutes: number;
  reductions: { code: string; name: string; percent: number; proof: string }[];
  groups: { id: string; name: string }[];
  values: { people: string; purposeOfUse: string; reduction: string; groupId: string; contactEmail: string };
  problems: Problem[];
  fieldErrors: Record<string, string>;
  /** The slot was taken meanwhile: where to wait for it instead. */
  waitHref?: string;
}

function FieldError({ t, id, message }: { t: PageContext['t']; id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="error" id={`${id}-error`}>
      <span class="visually-hidden">{t('applications.page.errorPrefix')}</span>
      {message}
    </p>
  );
}

export function BookPage({ ctx, m }: { ctx: PageContext; m: BookModel }) {
  const { t, locale } = ctx;
  const titleKey = m.mode === 'book' ? 'reservations.book.title' : 'reservations.wait.title';
  const title = `${m.problems.length ? t('applications.page.errors.titlePrefix') : ''}${t(titleKey)}`;
  const action = `/facilities/${m.code}/${m.mode === 'book' ? 'book' : 'wait'}`;
  const err = (id: string) => m.fieldErrors[id];
  const describedBy = (id: string, hint?: boolean) => [hint ? `${id}-hint` : '', err(id) ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <Layout ctx={ctx} title={title}>
      <Styles />
      <p class="back">
        <a href={`/facilities/${m.code}/week`}>{t('reservations.back.week', { name: m.facility })}</a>
      </p>
      <h1>{t(titleKey)}</h1>
      <ErrorSummary t={t} problems={m.problems}>
        {m.waitHref && (
          <p>
            <a href={m.waitHref}>{t('reservations.book.waitInstead')}</a>
          </p>
        )}
      </ErrorSummary>
      <dl class="rsv-facts">
        <dt>{t('reservations.book.facility')}</dt>
        <dd>{m.facility}</dd>
        <dt>{m.bus ? t('reservations.bus.route') : t('reservations.book.unit')}</dt>
        <dd>{m.what}</dd>
        <dt>{t('reservations.book.when')}</dt>
        <dd>{m.when}</dd>
        <dt>{t('reservations.book.fee')}</dt>
        <dd>
          {yen(m.base, locale)}
          {m.bus ? t('reservations.book.perSeat') : ''}
        </dd>
      </dl>
      <p class="lead">{m.mode === 'book' ? t('reservations.book.lead', { minutes: m.holdMinutes }) : t('reservations.wait.lead')}</p>
      <form method="post" action={action} novalidate>
        <CsrfField token={ctx.csrfToken} />
        {m.unit && <input type="hidden" name="unit" value={m.unit} />}
        {m.trip && <input type="hidden" name="trip" value={m.trip} />}
        {m.start && <input type="hidden" name="start" value={m.start} />}
        {m.bus ? (
          <input type="hidden" name="people" value="1" />
        ) : (
          <div class={`field${err('people') ? ' field-error' : ''}`}>
            <label for="people">{t('reservations.book.people')}</label>
            <p class="hint" id="people-hint">
              {t('reservations.book.peopleHint', { n: m.capacity })}
            </p>
            <FieldError t={t} id="people" message={err('people')} />
            <input type="number" id="people" name="people" class="short" min={1} max={m.capacity} inputMode="numeric" value={m.values.people} aria-describedby={describedBy('people', true)} required />
          </div>
        )}
        {!m.bus && (
          <div class={`field${err('purposeOfUse') ? ' field-error' : ''}`}>
            <label for="purposeOfUse">{t('reservations.book.purpose')}</label>
            <p class="hint" id="purposeOfUse-hint">
              {t('reservations.book.purposeHint')}
            </p>
            <FieldError t={t} id="purposeOfUse" message={err('purposeOfUse')} />
            <input type="text" id="purposeOfUse" name="purposeOfUse" maxLength={200} value={m.values.purposeOfUse} aria-describedby={describedBy('purposeOfUse', true)} required />
          </div>
        )}
        {m.groups.length > 0 && (
          <div class="field">
            <label for="groupId">{t('reservations.book.as')}</label>
            <select id="groupId" name="groupId">
              <option value="" selected={m.values.groupId === ''}>
                {t('reservations.book.asSelf')}
              </option>
              {m.groups.map((g) => (
                <option key={g.id} value={g.id} selected={m.values.groupId === g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {m.reductions.length > 0 && (
          <fieldset class={`field rsv-reductions${err('reduction') ? ' field-error' : ''}`} aria-describedby={describedBy('reduction', true)}>
            <legend>{t('reservations.book.reduction')}</legend>
            <p class="hint" id="reduction-hint">
              {t('reservations.book.reductionHint')}
            </p>
            <FieldError t={t} id="reduction" message={err('reduction')} />
            <div class="radio">
              <input type="radio" id="reduction" name="reduction" value="" checked={m.values.reduction === ''} />
              <label for="reduction">{t('reservations.book.noReduction')}</label>
            </div>
            {m.reductions.map((r) => (
              <div class="radio" key={r.code}>
                <input type="radio" id={`reduction-${r.code}`} name="reduction" value={r.code} checked={m.values.reduction === r.code} aria-describedby={`reduction-${r.code}-proof`} />
                <label for={`reduction-${r.code}`}>{t('reservations.reduction.line', { name: r.name, percent: r.percent })}</label>
                <span class="hint" id={`reduction-${r.code}-proof`}>
                  {r.proof}
                </span>
              </div>
            ))}
          </fieldset>
        )}
        <div class={`field${err('contactEmail') ? ' field-error' : ''}`}>
          <label for="contactEmail">{t(m.mode === 'book' ? 'reservations.book.email' : 'reservations.wait.email')}</label>
          <p class="hint" id="contactEmail-hint">
            {t(m.mode === 'book' ? 'reservations.book.emailHint' : 'reservations.wait.emailHint')}
          </p>
          <FieldError t={t} id="contactEmail" message={err('contactEmail')} />
          <input type="email" id="contactEmail" name="contactEmail" autoComplete="email" maxLength={320} value={m.values.contactEmail} aria-required={m.mode === 'wait' ? 'true' : undefined} aria-describedby={describedBy('contactEmail', true)} />
        </div>
        <button type="submit">{t(m.mode === 'book' ? 'reservations.book.submit' : 'reservations.wait.submit')}</button>
      </form>
    </Layout>
  );
}

/** A slot that cannot be booked at all (no slot starts there: opening hours, a closed day): the rule, and the way back. */
export function SlotRefusedPage({ ctx, message, back }: { ctx: PageContext; message: string; back: { href: string; label: string } | undefined }) {
  return (
    <Layout ctx={ctx} title={message}>
      <h1>{message}</h1>
      {back && (
        <p>
          <a href={back.href}>{back.label}</a>
        </p>
      )}
    </Layout>
  );
}
