/**
 * Starting a visit: the three ways in (QR code, card, search) on one screen, the search
 * results, and the confirmation the clerk gives against the visitor's ID before anything opens.
 */
import type { Translate } from '../../../platform/i18n.js';
import { formatDate } from '../../../platform/views/dates.js';
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import type { CardCandidate, CounterPerson } from '../../registry/index.js';
import type { CardFields } from '../runtime.js';
import { CounterStyles, fullKana, fullName, MomentText, PersonFacts } from './common.js';

export interface StartModel {
  purpose: string;
  /** What went wrong with the last code, card or search, in plain words. */
  problem?: { way: 'code' | 'card' | 'search'; message: string } | undefined;
  notice?: string | undefined;
  code: string;
  query: string;
  reader: { kind: 'simulated'; pin: string; cards: { id: string; label: string }[] } | { kind: 'none' };
  open: { id: string; reference: string; startedAt: Date; state: string; startedBy: string; name: string }[];
}

function Problem({ t, problem, way }: { t: Translate; problem: StartModel['problem']; way: 'code' | 'card' | 'search' }) {
  if (problem?.way !== way) return null;
  return (
    <p class="error" id={`${way}-error`} role="alert">
      <span class="visually-hidden">{t('applications.page.errorPrefix')}</span>
      {problem.message}
    </p>
  );
}

export function StartPage({ ctx, m }: { ctx: PageContext; m: StartModel }) {
  const { t, locale } = ctx;
  const err = (way: 'code' | 'card' | 'search') => (m.problem?.way === way ? `${way}-error` : undefined);
  return (
    <Layout ctx={ctx} title={m.problem ? `${t('applications.page.errors.titlePrefix')}${t('counter.title')}` : t('counter.title')}>
      <CounterStyles />
      <div class="counter-wide">
        <h1>{t('counter.title')}</h1>
        <p class="lead">{t('counter.lead')}</p>
        <p class="notice">
          {t('counter.start.purpose', { purpose: t(`purpose.${m.purpose}`) })} <a href="/staff/purpose?next=/staff/counter">{t('staff.purpose.change')}</a>
        </p>
        {m.notice && (
          <p class="notice" role="status">
            {m.notice}
          </p>
        )}
        <div class="counter-ways">
          <section aria-labelledby="way-code">
            <h2 id="way-code">{t('counter.start.code')}</h2>
            <form method="post" action="/staff/counter/code" class="counter-code" data-qr-form>
              <CsrfField token={ctx.csrfToken} />
              <div class={`field${err('code') ? ' field-error' : ''}`}>
                <label for="code">{t('counter.start.code.label')}</label>
                <p class="hint" id="code-hint">
                  {t('counter.start.code.hint')}
                </p>
                <Problem t={t} problem={m.problem} way="code" />
                <input id="code" name="code" type="text" autoComplete="off" spellcheck={false} autoFocus maxLength={200} value={m.code} aria-describedby={['code-hint', err('code')].filter(Boolean).join(' ')} aria-invalid={err('code') ? 'true' : undefined} />
              </div>
              <button type="submit">{t('counter.start.code.submit')}</button>{' '}
              <button type="button" class="secondary" data-camera hidden data-stop={t('counter.start.camera.stop')} data-none={t('counter.start.camera.none')}>
                {t('counter.start.camera')}
              </button>
              <video class="counter-video" data-video hidden muted playsinline aria-hidden="true" />
              <p role="status" data-camera-status class="hint" />
            </form>
          </section>
          <section aria-labelledby="way-card">
            <h2 id="way-card">{t('counter.start.card')}</h2>
            <p>{t('counter.start.card.lead')}</p>
            <Problem t={t} problem={m.problem} way="card" />
            {m.reader.kind === 'simulated' ? (
              <form method="post" action="/staff/counter/card">
                <CsrfField token={ctx.csrfToken} />
                <p class="hint">{t('counter.start.card.simulated', { pin: m.reader.pin })}</p>
                <div class="field">
                  <label for="card">{t('counter.start.card.person')}</label>
                  <select id="card" name="card">
                    {m.reader.cards.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="variant">{t('counter.start.card.variant')}</label>
                  <select id="variant" name="variant">
                    {['exact', 'variant-kanji', 'old-address'].map((v) => (
                      <option key={v} value={v}>
                        {t(`counter.start.card.variant.${v}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="pin">{t('counter.start.card.pin')}</label>
                  <input id="pin" name="pin" type="password" inputMode="numeric" autoComplete="off" maxLength={4} class="short" aria-describedby={err('card')} />
                </div>
                <button type="submit">{t('counter.start.card.submit')}</button>
              </form>
            ) : (
              <p class="hint">{t('counter.start.card.none')}</p>
            )}
          </section>
          <section aria-labelledby="way-search">
            <h2 id="way-search">{t('counter.start.search')}</h2>
            <form method="post" action="/staff/counter/search">
              <CsrfField token={ctx.csrfToken} />
              <div class={`field${err('search') ? ' field-error' : ''}`}>
                <label for="q">{t('counter.start.search.label')}</label>
                <p class="hint" id="q-hint">
                  {t('counter.start.search.hint')}
                </p>
                <Problem t={t} problem={m.problem} way="search" />
                <input id="q" name="q" type="search" maxLength={100} value={m.query} autoComplete="off" aria-describedby={['q-hint', err('search')].filter(Boolean).join(' ')} />
              </div>
              <button type="submit">{t('counter.start.search.submit')}</button>
            </form>
          </section>
        </div>
        <h2>{t('counter.open.title')}</h2>
        {m.open.length === 0 ? (
          <p>{t('counter.open.none')}</p>
        ) : (
          <ul>
            {m.open.map((v) => (
              <li key={v.id}>
                <a href={`/staff/counter/visits/${v.id}`}>{v.reference}</a> {v.name}（{t(`counter.state.${v.state}`)}・{t(`counter.startedBy.${v.startedBy}`)}・<MomentText at={v.startedAt} locale={locale} />）
              </li>
            ))}
          </ul>
        )}
      </div>
      <script src="/counter/assets/counter.js" defer />
    </Layout>
  );
}

/** Search results (from a search, or offered when a card matched several or nobody). */
export function ResultsPage({
  ctx,
  m,
}: {
  ctx: PageContext;
  m: { query: string; people: CounterPerson[]; limit: number; notice?: string; card?: CardFields; how: 'search' | 'card'; ident: (personId: string) => string };
}) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('counter.search.results', { n: m.people.length })}>
      <CounterStyles />
      <h1>{t('counter.search.results', { n: m.people.length })}</h1>
      {m.notice && (
        <p class="notice" role="status">
          {m.notice}
        </p>
      )}
      {m.card && <CardBox t={t} card={m.card} />}
      <form method="post" action="/staff/counter/search" class="counter-inline">
        <CsrfField token={ctx.csrfToken} />
        <div class="field">
          <label for="q">{t('counter.start.search.label')}</label>
          <input id="q" name="q" type="search" maxLength={100} value={m.query} autoComplete="off" />
        </div>
        <button type="submit">{t('counter.start.search.submit')}</button>
      </form>
      {m.people.length === 0 ? (
        <p>{t('counter.search.none')}</p>
      ) : (
        <TableWrap label={t('counter.search.results', { n: m.people.length })}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('counter.field.name')}</th>
                <th scope="col">{t('counter.field.kana')}</th>
                <th scope="col">{t('counter.field.birthDate')}</th>
                <th scope="col">{t('counter.field.address')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('counter.choose')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {m.people.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{fullName(p)}</th>
                  <td>{fullKana(p)}</td>
                  <td>{formatDate(p.birthDate, locale)}</td>
                  <td>{p.address}</td>
                  <td>
                    <form method="post" action="/staff/counter/confirm">
                      <CsrfField token={ctx.csrfToken} />
                      <input type="hidden" name="personId" value={p.id} />
                      <input type="hidden" name="how" value={m.how} />
                      <input type="hidden" name="ident" value={m.ident(p.id)} />
                      <button type="submit" class="secondary small">
                        {t('counter.choose')}
                        <span class="visually-hidden">{t('counter.choose.who', { name: fullName(p), birth: formatDate(p.birthDate, locale) })}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {m.people.length >= m.limit && <p class="notice">{t('counter.search.more', { n: m.limit })}</p>}
      <p>
        <a href="/staff/counter">{t('counter.confirm.back')}</a>
      </p>
    </Layout>
  );
}

function CardBox({ t, card }: { t: Translate; card: CardFields }) {
  return (
    <section aria-labelledby="card-h">
      <h2 id="card-h">{t('counter.confirm.card')}</h2>
      <dl class="counter-facts">
        <dt>{t('counter.field.name')}</dt>
        <dd>{card.name}</dd>
        <dt>{t('counter.field.birthDate')}</dt>
        <dd>{card.birthDate}</dd>
        <dt>{t('counter.field.sex')}</dt>
        <dd>{t(`counter.sex.${card.sex}`)}</dd>
        <dt>{t('counter.field.address')}</dt>
        <dd>{card.address}</dd>
      </dl>
    </section>
  );
}

export interface ConfirmModel {
  person: CounterPerson & { household: CounterPerson[] };
  how: 'pre-entry' | 'card' | 'search';
  /** From a card: what it says, and how each field compares. */
  card?: { fields: CardFields; candidate: CardCandidate; how: 'exact' | 'key' };
  /** Proof that this clerk read this card or chose this search hit (card and search). */
  ident?: string;
  /** The confirmation's own key: posting it again (back, resend) opens the same visit. */
  key: string;
  /** From a pre-entry: its code (checked again when the visit opens), last day and procedures. */
  preEntry?: { code: string; expiresOn: string; procedures: string[] };
}

export function ConfirmPage({ ctx, m }: { ctx: PageContext; m: ConfirmModel }) {
  const { t, locale } = ctx;
  const c = m.card;
  return (
    <Layout ctx={ctx} title={t('counter.confirm.title')}>
      <CounterStyles />
      <h1>{t('counter.confirm.title')}</h1>
      <p class="lead">{t('counter.confirm.lead')}</p>
      {c && (
        <>
          <p class="notice" role="status">
            {t(c.how === 'exact' ? 'counter.card.exact' : 'counter.card.key')}
          </p>
          {c.how === 'key' && (
            <ul>
              {c.candidate.card.name === 'variant' && <li>{t('counter.card.differs.name')}</li>}
              {c.candidate.card.address === 'different' && <li>{t('counter.card.differs.address')}</li>}
              {c.candidate.card.sex === 'different' && <li>{t('counter.card.differs.sex')}</li>}
            </ul>
          )}
          <TableWrap label={t('counter.confirm.title')}>
            <table class="counter-compare">
              <thead>
                <tr>
                  <th scope="col">
                    <span class="visually-hidden">{t('counter.field.name')}</span>
                  </th>
                  <th scope="col">{t('counter.confirm.card')}</th>
                  <th scope="col">{t('counter.confirm.register')}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">{t('counter.field.name')}</th>
                  <td class={c.candidate.card.name === 'variant' ? 'differs' : undefined}>{c.fields.name}</td>
                  <td class={c.candidate.card.name === 'variant' ? 'differs' : undefined}>{fullName(m.person)}</td>
                </tr>
                <tr>
                  <th scope="row">{t('counter.field.birthDate')}</th>
                  <td>{formatDate(c.fields.birthDate, locale)}</td>
                  <td>{formatDate(m.person.birthDate, locale)}</td>
                </tr>
                <tr>
                  <th scope="row">{t('counter.field.sex')}</th>
                  <td class={c.candidate.card.sex === 'different' ? 'differs' : undefined}>{t(`counter.sex.${c.fields.sex}`)}</td>
                  <td class={c.candidate.card.sex === 'different' ? 'differs' : undefined}>{t(`counter.sex.${m.person.sex}`)}</td>
                </tr>
                <tr>
                  <th scope="row">{t('counter.field.address')}</th>
                  <td class={c.candidate.card.address === 'different' ? 'differs' : undefined}>{c.fields.address}</td>
                  <td class={c.candidate.card.address === 'different' ? 'differs' : undefined}>{m.person.address}</td>
                </tr>
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      {!c && (
        <section class="counter-person" aria-labelledby="person-h">
          <h2 id="person-h">{t('counter.confirm.register')}</h2>
          <PersonFacts t={t} locale={locale} p={m.person} />
        </section>
      )}
      {m.preEntry && (
        <section aria-labelledby="pre-h">
          <h2 id="pre-h">{t('counter.confirm.preEntry')}</h2>
          <p>{t('counter.confirm.preEntry.until', { date: formatDate(m.preEntry.expiresOn, locale) })}</p>
          <ul>
            {m.preEntry.procedures.map((name, i) => (
              <li key={i}>{name}</li>
            ))}
          </ul>
        </section>
      )}
      <form method="post" action="/staff/counter/visits">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="personId" value={m.person.id} />
        <input type="hidden" name="startedBy" value={m.how} />
        {m.preEntry && <input type="hidden" name="code" value={m.preEntry.code} />}
        {m.ident && <input type="hidden" name="ident" value={m.ident} />}
        <input type="hidden" name="key" value={m.key} />
        <button type="submit" id="start-visit">
          {t('counter.confirm.start')}
        </button>
      </form>
      <p>
        <a href="/staff/counter">{t('counter.confirm.back')}</a>
      </p>
    </Layout>
  );
}
