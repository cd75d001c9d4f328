/** The resident's pre-entry pages: the list with a new one, and one pre-entry with its QR code. */
import { formatDate } from '../../../platform/views/dates.js';
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import { CounterStyles } from './common.js';

export interface PreEntryListModel {
  entries: { id: string; createdOn: string; expiresOn: string; state: 'usable' | 'used' | 'expired'; procedures: string[] }[];
  choices: { code: string; name: string; summary: string; subjects: { id: string; name: string }[] }[];
  problem?: string;
  notice?: string;
}

export function PreEntryListPage({ ctx, m }: { ctx: PageContext; m: PreEntryListModel }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={`${m.problem ? t('applications.page.errors.titlePrefix') : ''}${t('counter.pre.title')}`}>
      <CounterStyles />
      <h1>{t('counter.pre.title')}</h1>
      <p class="lead">{t('counter.pre.lead')}</p>
      {m.notice && (
        <p class="notice" role="status">
          {m.notice}
        </p>
      )}
      <h2>{t('counter.pre.mine')}</h2>
      {m.entries.length === 0 ? (
        <p>{t('counter.pre.none')}</p>
      ) : (
        <ul>
          {m.entries.map((e) => (
            <li key={e.id}>
              <a href={`/me/pre-entries/${e.id}`}>
                {t('counter.pre.open')}
                <span class="visually-hidden">{t('counter.pre.openOf', { date: formatDate(e.createdOn, locale) })}</span>
              </a>
              ：{[t('counter.pre.created', { date: formatDate(e.createdOn, locale) }), t(`counter.pre.state.${e.state}`, { date: formatDate(e.expiresOn, locale) }), e.procedures.join('、')].filter(Boolean).join('・')}
            </li>
          ))}
        </ul>
      )}
      <h2 id="new-h">{t('counter.pre.new')}</h2>
      <form method="post" action="/me/pre-entries" aria-labelledby="new-h">
        <CsrfField token={ctx.csrfToken} />
        <fieldset class={`field${m.problem ? ' field-error' : ''}`} aria-describedby={m.problem ? 'pre-error' : undefined}>
          <legend>{t('counter.pre.choose')}</legend>
          {m.problem && (
            <p class="error" id="pre-error" role="alert">
              <span class="visually-hidden">{t('applications.page.errorPrefix')}</span>
              {m.problem}
            </p>
          )}
          {m.choices.map((c) => (
            <div class="counter-pick" key={c.code}>
              <div class="radio">
                <input type="checkbox" id={`p-${c.code}`} name="procedures" value={c.code} aria-describedby={`p-${c.code}-hint`} />
                <label for={`p-${c.code}`}>{c.name}</label>
              </div>
              <p class="hint" id={`p-${c.code}-hint`}>
                {c.summary}
              </p>
              {c.subjects.length > 1 && (
                <div class="field">
                  <label for={`s-${c.code}`}>{t('counter.pre.for', { name: c.name })}</label>
                  <select id={`s-${c.code}`} name={`subject:${c.code}`}>
                    {c.subjects.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </div>
          ))}
        </fieldset>
        <button type="submit">{t('counter.pre.create')}</button>
      </form>
    </Layout>
  );
}

export interface PreEntryModel {
  id: string;
  townName: string;
  state: 'usable' | 'used' | 'expired';
  expiresOn: string;
  token: string;
  items: { draftId: string; name: string; subject?: string; left: number }[];
}

export function PreEntryPage({ ctx, m }: { ctx: PageContext; m: PreEntryModel }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('counter.pre.title')}>
      <CounterStyles />
      <p class="back no-print">
        <a href="/me/pre-entries">{t('counter.pre.back')}</a>
      </p>
      <h1>{t('counter.pre.title')}</h1>
      <p>
        {m.townName}・{t(`counter.pre.state.${m.state}`, { date: formatDate(m.expiresOn, locale) })}
      </p>
      {m.state === 'usable' && (
        <section class="counter-qr" aria-labelledby="qr-h">
          <h2 id="qr-h">{t('counter.pre.qr')}</h2>
          <p>{t('counter.pre.qr.lead')}</p>
          <img src={`/me/pre-entries/${m.id}/qr.png`} alt={t('counter.pre.qr.alt')} width={224} height={224} id="pre-entry-qr" />
          <p>
            {t('counter.pre.qr.code')}：<span class="code">{m.token}</span>
          </p>
          <p class="notice">{t('counter.pre.bring')}</p>
        </section>
      )}
      <h2>{t('counter.pre.procedures')}</h2>
      {m.state === 'usable' && <p class="no-print">{t('counter.pre.optional')}</p>}
      <ul>
        {m.items.map((i) => (
          <li key={i.draftId}>
            {i.name}
            {i.subject ? `（${i.subject}）` : ''}：{m.state === 'used' ? t('counter.pre.received') : i.left > 0 ? t('counter.pre.left', { n: i.left }) : t('counter.pre.ready')}{' '}
            {m.state === 'usable' && (
              <a href={`/applications/drafts/${i.draftId}`} class="no-print">
                {t('counter.pre.fill')}
                <span class="visually-hidden">{t('counter.pre.fillOf', { name: i.name })}</span>
              </a>
            )}
          </li>
        ))}
      </ul>
      {m.state === 'used' && (
        <p>
          <a href="/me/applications">{t('counter.pre.follow')}</a>
        </p>
      )}
      {m.state !== 'used' && (
        <form method="post" action={`/me/pre-entries/${m.id}/delete`} class="no-print">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="secondary">
            {t('counter.pre.delete')}
          </button>
        </form>
      )}
    </Layout>
  );
}
