/** The lottery pages anyone reads (rounds, one round with its result) and the form a resident applies with. */
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { momentText, whenText } from '../words.js';
import { ErrorSummary, Notice, Styles, type Problem } from './common.js';
import { DeskStyles } from './desk-styles.js';

export interface RoundListItem {
  id: string;
  facility: string;
  name: string;
  state: 'open' | 'drawn' | 'cancelled';
  appliesFrom: Date;
  appliesUntil: Date;
  drawsAt: Date;
  accepting: boolean;
}

export function LotteryListPage({ ctx, rounds }: { ctx: PageContext; rounds: RoundListItem[] }) {
  const { t, locale } = ctx;
  const title = t('reservations.lottery.list.title');
  return (
    <Layout ctx={ctx} title={title}>
      <Styles />
      <DeskStyles />
      <h1>{title}</h1>
      <p class="lead">{t('reservations.lottery.list.lead')}</p>
      {rounds.length === 0 ? (
        <p>{t('reservations.lottery.list.none')}</p>
      ) : (
        <ul class="rsv-list">
          {rounds.map((r) => (
            <li key={r.id}>
              <h2>
                <a href={`/lotteries/${r.id}`}>{`${r.facility} ${r.name}`}</a>
              </h2>
              <p>
                <span class="badge badge-state">{t(r.accepting ? 'reservations.lottery.state.accepting' : `reservations.lottery.state.${r.state}`)}</span>
              </p>
              <dl class="rsv-facts">
                <dt>{t('reservations.lottery.applies')}</dt>
                <dd>{t('reservations.lottery.range', { from: momentText(r.appliesFrom, locale), to: momentText(r.appliesUntil, locale) })}</dd>
                <dt>{t('reservations.lottery.drawsAt')}</dt>
                <dd>{momentText(r.drawsAt, locale)}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface RoundSlot {
  key: string;
  unit: string;
  unitName: string;
  start: Date;
  end: Date;
  entries: number;
  /** After the draw: whether someone won it (else it is bookable first come). */
  won?: boolean;
}

export interface MyEntry {
  id: string;
  what: string;
  when: string;
  state: 'entered' | 'won' | 'lost' | 'withdrawn';
  bookingId: string | null;
}

export interface RoundModel {
  id: string;
  facility: { code: string; name: string };
  name: string;
  state: 'open' | 'drawn' | 'cancelled';
  appliesFrom: Date;
  appliesUntil: Date;
  drawsAt: Date;
  holdHours: number;
  maxWins: number;
  accepting: boolean;
  slots: RoundSlot[];
  /** Undefined when nobody is signed in as a resident. */
  mine?: MyEntry[];
  signInHref: string;
  draw?: { seed: string; drawnAt: Date; inputsDigest: string; entries: number; winners: number };
  form?: {
    capacity: number;
    reductions: { code: string; name: string; percent: number }[];
    groups: { id: string; name: string }[];
    values: { slot: string; people: string; purposeOfUse: string; reduction: string; groupId: string; contactEmail: string };
    fieldErrors: Record<string, string>;
  };
  problems: Problem[];
  notice?: string;
}

function FieldError({ id, message, prefix }: { id: string; message: string | undefined; prefix: string }) {
  if (!message) return null;
  return (
    <p class="error" id={`${id}-error`}>
      <span class="visually-hidden">{prefix}</span>
      {message}
    </p>
  );
}

export function LotteryRoundPage({ ctx, m }: { ctx: PageContext; m: RoundModel }) {
  const { t, locale } = ctx;
  const heading = `${m.facility.name} ${m.name}`;
  const title = `${m.problems.length ? t('applications.page.errors.titlePrefix') : ''}${heading}`;
  const f = m.form;
  const err = (id: string) => f?.fieldErrors[id];
  const by = (id: string, hint = false) => [hint ? `${id}-hint` : '', err(id) ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const prefix = t('applications.page.errorPrefix');
  const stateWord = t(m.accepting ? 'reservations.lottery.state.accepting' : `reservations.lottery.state.${m.state}`);
  return (
    <Layout ctx={ctx} title={title}>
      <Styles />
      <DeskStyles />
      <p class="back">
        <a href="/lotteries">{t('reservations.lottery.back')}</a>
      </p>
      <h1>{heading}</h1>
      <Notice text={m.notice} />
      <ErrorSummary t={t} problems={m.problems} />
      <dl class="rsv-facts">
        <dt>{t('reservations.lottery.stateLabel')}</dt>
        <dd>{stateWord}</dd>
        <dt>{t('reservations.lottery.applies')}</dt>
        <dd>{t('reservations.lottery.range', { from: momentText(m.appliesFrom, locale), to: momentText(m.appliesUntil, locale) })}</dd>
        <dt>{t('reservations.lottery.drawsAt')}</dt>
        <dd>{momentText(m.drawsAt, locale)}</dd>
        <dt>{t('reservations.lottery.rules')}</dt>
        <dd>{t('reservations.lottery.rulesText', { hours: m.holdHours, n: m.maxWins })}</dd>
      </dl>
      <h2>{t('reservations.lottery.slots')}</h2>
      <TableWrap label={t('reservations.lottery.slots')}>
        <table>
          <caption>{t('reservations.lottery.slotsCaption', { name: heading })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reservations.book.when')}</th>
              <th scope="col">{t('reservations.book.unit')}</th>
              <th scope="col">{t('reservations.lottery.entries')}</th>
              {m.state === 'drawn' && <th scope="col">{t('reservations.lottery.outcome')}</th>}
            </tr>
          </thead>
          <tbody>
            {m.slots.map((s) => (
              <tr key={s.key}>
                <th scope="row">{whenText(s.start, s.end, locale)}</th>
                <td>{s.unitName}</td>
                <td>{t('reservations.lottery.count', { n: s.entries })}</td>
                {m.state === 'drawn' && (
                  <td>
                    {s.won ? (
                      t('reservations.lottery.slotWon')
                    ) : (
                      <a href={`/facilities/${m.facility.code}/week?from=${new Date(s.start.getTime() + 9 * 3_600_000).toISOString().slice(0, 10)}`}>{t('reservations.lottery.slotFree')}</a>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {m.mine !== undefined && (
        <>
          <h2 id="mine">{t('reservations.lottery.mine')}</h2>
          {m.mine.length === 0 ? (
            <p>{t('reservations.lottery.mineNone')}</p>
          ) : (
            <ul>
              {m.mine.map((e) => (
                <li key={e.id}>
                  {e.what}・{e.when}・<strong>{t(`reservations.lottery.entry.${e.state}`)}</strong>
                  {e.state === 'won' && e.bookingId && (
                    <>
                      {' '}
                      <a href={`/me/bookings/${e.bookingId}`}>{t('reservations.lottery.payWon')}</a>
                    </>
                  )}
                  {e.state === 'entered' && m.accepting && (
                    <form class="inline-form" method="post" action={`/lotteries/${m.id}/entries/${e.id}/withdraw`}>
                      <CsrfField token={ctx.csrfToken} />{' '}
                      <button type="submit" class="secondary small">
                        {t('reservations.lottery.withdraw')}
                        <span class="visually-hidden">{t('reservations.mine.leaveWhat', { what: `${e.what} ${e.when}` })}</span>
                      </button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {m.accepting && !f && (
        <p>
          <a class="button" href={m.signInHref}>
            {t('reservations.lottery.signInToApply')}
          </a>
        </p>
      )}
      {m.accepting && f && (
        <>
          <h2 id="apply">{t('reservations.lottery.apply')}</h2>
          <p class="lead">{t('reservations.lottery.applyLead', { hours: m.holdHours })}</p>
          <form method="post" action={`/lotteries/${m.id}/entries`} novalidate>
            <CsrfField token={ctx.csrfToken} />
            <div class={`field${err('slot') ? ' field-error' : ''}`}>
              <label for="slot">{t('reservations.lottery.slot')}</label>
              <FieldError id="slot" message={err('slot')} prefix={prefix} />
              <select id="slot" name="slot" aria-describedby={by('slot')} required>
                <option value="" selected={f.values.slot === ''}>
                  {t('reservations.lottery.chooseSlot')}
                </option>
                {m.slots.map((s) => (
                  <option key={s.key} value={s.key} selected={f.values.slot === s.key}>
                    {`${whenText(s.start, s.end, locale)} ${s.unitName}`}
                  </option>
                ))}
              </select>
            </div>
            <div class={`field${err('people') ? ' field-error' : ''}`}>
              <label for="people">{t('reservations.book.people')}</label>
              <p class="hint" id="people-hint">
                {t('reservations.book.peopleHint', { n: f.capacity })}
              </p>
              <FieldError id="people" message={err('people')} prefix={prefix} />
              <input type="number" id="people" name="people" class="short" min={1} max={f.capacity} inputMode="numeric" value={f.values.people} aria-describedby={by('people', true)} required />
            </div>
            <div class={`field${err('purposeOfUse') ? ' field-error' : ''}`}>
              <label for="purposeOfUse">{t('reservations.book.purpose')}</label>
              <FieldError id="purposeOfUse" message={err('purposeOfUse')} prefix={prefix} />
              <input type="text" id="purposeOfUse" name="purposeOfUse" maxLength={200} value={f.values.purposeOfUse} aria-describedby={by('purposeOfUse')} required />
            </div>
            {f.groups.length > 0 && (
              <div class="field">
                <label for="groupId">{t('reservations.book.as')}</label>
                <select id="groupId" name="groupId">
                  <option value="" selected={f.values.groupId === ''}>
                    {t('reservations.book.asSelf')}
                  </option>
                  {f.groups.map((g) => (
                    <option key={g.id} value={g.id} selected={f.values.groupId === g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {f.reductions.length > 0 && (
              <div class={`field${err('reduction') ? ' field-error' : ''}`}>
                <label for="reduction">{t('reservations.book.reduction')}</label>
                <FieldError id="reduction" message={err('reduction')} prefix={prefix} />
                <select id="reduction" name="reduction" aria-describedby={by('reduction')}>
                  <option value="" selected={f.values.reduction === ''}>
                    {t('reservations.book.noReduction')}
                  </option>
                  {f.reductions.map((r) => (
                    <option key={r.code} value={r.code} selected={f.values.reduction === r.code}>
                      {t('reservations.reduction.line', { name: r.name, percent: r.percent })}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div class={`field${err('contactEmail') ? ' field-error' : ''}`}>
              <label for="contactEmail">{t('reservations.book.email')}</label>
              <p class="hint" id="contactEmail-hint">
                {t('reservations.lottery.emailHint')}
              </p>
              <FieldError id="contactEmail" message={err('contactEmail')} prefix={prefix} />
              <input type="email" id="contactEmail" name="contactEmail" autoComplete="email" maxLength={320} value={f.values.contactEmail} aria-describedby={by('contactEmail', true)} />
            </div>
            <button type="submit">{t('reservations.lottery.submit')}</button>
          </form>
        </>
      )}
      {m.draw && (
        <>
          <h2 id="draw">{t('reservations.lottery.record')}</h2>
          <p>{t('reservations.lottery.recordLead', { entries: m.draw.entries, winners: m.draw.winners })}</p>
          <dl class="rsv-facts">
            <dt>{t('reservations.lottery.drawnAt')}</dt>
            <dd>{momentText(m.draw.drawnAt, locale)}</dd>
            <dt>{t('reservations.lottery.seed')}</dt>
            <dd>
              <code class="id">{m.draw.seed}</code>
            </dd>
            <dt>{t('reservations.lottery.digest')}</dt>
            <dd>
              <code class="id">{m.draw.inputsDigest}</code>
            </dd>
          </dl>
          <p>{t('reservations.lottery.howToCheck')}</p>
          <ul>
            <li>
              <a href={`/api/v1/reservations/lotteries/${m.id}`}>{t('reservations.lottery.recordJson')}</a>
            </li>
            <li>
              <a href={`/api/v1/reservations/lotteries/${m.id}/verification`}>{t('reservations.lottery.verify')}</a>
            </li>
          </ul>
        </>
      )}
    </Layout>
  );
}
