/**
 * Life events (出生, 転入, 死亡, 被災): one page says what the event means and which
 * procedures follow it; the resident ticks those that apply and says whom each is for;
 * a hub shows how far each form is, and one review sends them all under one receipt.
 */
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import type { Bundle, Procedure } from '../definition-schema.js';
import { localized } from '../form.js';
import type { ShownIssue } from '../page-form.js';
import { Badge, ErrorSummary, feeText } from './common.js';
import { ProblemBox, ReviewSection, SendForm, type ReviewItem, type SubmitProblem } from './review.js';

export interface Candidate {
  id: string;
  name: string;
  relation: string;
  birthDate?: string;
}

export interface LifeEventChoice {
  procedure: Procedure;
  why: string;
  optional: boolean;
  candidates: Candidate[];
  subjectId: string | undefined;
  checked: boolean;
}

export interface LifeEventModel {
  bundle: Bundle;
  /** The event's procedures, in order, with why each matters. */
  entries: { procedure: Procedure; why: string; optional: boolean }[];
  /** Undefined when not signed in as a resident (the page explains and offers sign-in). */
  choices: LifeEventChoice[] | undefined;
  signInHref: string | undefined;
  issues: ShownIssue[];
}

export function LifeEventPage({ ctx, m }: { ctx: PageContext; m: LifeEventModel }) {
  const { t, locale } = ctx;
  const name = localized(m.bundle.names, locale);
  return (
    <Layout ctx={ctx} title={name}>
      <p class="back">
        <a href="/procedures">{t('applications.page.catalog.back')}</a>
      </p>
      <h1>{name}</h1>
      <p class="lead">{localized(m.bundle.summary, locale)}</p>
      <ErrorSummary t={t} issues={m.issues} />
      {!m.choices ? (
        <>
          <ul class="plain-list">
            {m.entries.map((e) => (
              <li class="card" key={e.procedure.code}>
                <h2 class="card-title">
                  <a href={`/procedures/${e.procedure.code}`}>{localized(e.procedure.names, locale)}</a>{' '}
                  {e.optional && <Badge kind="state">{t('applications.page.lifeEvent.optional')}</Badge>}
                </h2>
                <p>{e.why}</p>
              </li>
            ))}
          </ul>
          {m.signInHref && (
            <p>
              <a class="button" href={m.signInHref}>
                {t('applications.page.lifeEvent.signIn')}
              </a>
            </p>
          )}
        </>
      ) : (
        <form method="post" action={`/life-events/${m.bundle.code}`} novalidate>
          <CsrfField token={ctx.csrfToken} />
          <fieldset id="f-procedures" tabIndex={-1}>
            <legend class="legend-large">{t('applications.page.lifeEvent.choose')}</legend>
            <p class="hint">{t('applications.page.lifeEvent.chooseHint')}</p>
            {m.choices.map((c) => {
              const code = c.procedure.code;
              const pname = localized(c.procedure.names, locale);
              return (
                <div class="card choice" key={code}>
                  <div class="radio">
                    <input type="checkbox" id={`p-${code}`} name="procedures" value={code} checked={c.checked} disabled={c.candidates.length === 0} aria-describedby={`why-${code}`} />
                    <label for={`p-${code}`}>
                      <strong>{pname}</strong> {c.optional && <Badge kind="state">{t('applications.page.lifeEvent.optional')}</Badge>}
                    </label>
                  </div>
                  <p class="hint" id={`why-${code}`}>
                    {c.why} <a href={`/procedures/${code}`}>{t('applications.page.lifeEvent.more', { name: pname })}</a>
                  </p>
                  {c.candidates.length === 0 ? (
                    <p>{t('applications.page.lifeEvent.noCandidate')}</p>
                  ) : c.candidates.length === 1 ? (
                    <p>
                      {t('applications.page.lifeEvent.forWhom')}: {`${c.candidates[0]!.name}（${c.candidates[0]!.relation}）`}
                      <input type="hidden" name={`subject:${code}`} value={c.candidates[0]!.id} />
                    </p>
                  ) : (
                    <div class="field">
                      <label for={`s-${code}`}>{t('applications.page.lifeEvent.forWhomOf', { name: pname })}</label>
                      <select id={`s-${code}`} name={`subject:${code}`}>
                        {c.candidates.map((p) => (
                          <option key={p.id} value={p.id} selected={p.id === c.subjectId}>
                            {`${p.name}（${p.relation}）`}
                          </option>
                        ))}
                      </select>
                    </div>
                  )}
                </div>
              );
            })}
          </fieldset>
          <p>
            <button type="submit">{t('applications.page.lifeEvent.start')}</button>
          </p>
        </form>
      )}
    </Layout>
  );
}

export interface HubItem {
  draftId: string;
  procedure: Procedure;
  subjectName: string | undefined;
  state: 'blank' | 'started' | 'ready';
}

export function BundleHubPage({ ctx, bundle, group, items, issues }: { ctx: PageContext; bundle: Bundle; group: string; items: HubItem[]; issues: ShownIssue[] }) {
  const { t, locale } = ctx;
  const name = localized(bundle.names, locale);
  const ready = items.every((i) => i.state === 'ready');
  return (
    <Layout ctx={ctx} title={name}>
      <h1>{name}</h1>
      <p class="lead">{t('applications.page.hub.lead')}</p>
      <ErrorSummary t={t} issues={issues} title={t('applications.page.hub.notReady')} hrefOf={(i) => `/applications/drafts/${i.path}?check=1`} />
      <ol class="plain-list hub">
        {items.map((i) => {
          const pname = localized(i.procedure.names, locale);
          return (
            <li class="card" key={i.draftId}>
              <h2 class="card-title">
                <a href={`/applications/drafts/${i.draftId}`}>{pname}</a>
              </h2>
              {i.subjectName && <p>{t('applications.page.subject', { name: i.subjectName })}</p>}
              <p>
                {t('applications.page.hub.state')}: <Badge kind={i.state === 'ready' ? 'record' : 'warn'}>{t(`applications.page.hub.${i.state}`)}</Badge>
                {' · '}
                {t('applications.page.fee')}: {feeText(i.procedure, t)}
              </p>
              <form method="post" action={`/applications/drafts/${i.draftId}/discard`} class="inline-form">
                <CsrfField token={ctx.csrfToken} />
                <input type="hidden" name="next" value={`/applications/bundles/${group}`} />
                <button type="submit" class="secondary small">
                  {t('applications.page.hub.drop')}
                  <span class="visually-hidden">{t('applications.page.hub.dropWhich', { name: pname })}</span>
                </button>
              </form>
            </li>
          );
        })}
      </ol>
      <p>
        <a class={ready ? 'button' : 'button secondary'} href={`/applications/bundles/${group}/review`}>
          {t('applications.page.hub.review')}
        </a>
      </p>
    </Layout>
  );
}

export function BundleReviewPage({ ctx, bundle, group, items, problem, idempotencyKey }: { ctx: PageContext; bundle: Bundle; group: string; items: ReviewItem[]; problem: SubmitProblem | undefined; idempotencyKey: string }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.page.review.title', { name: localized(bundle.names, locale) })}>
      <p class="back">
        <a href={`/applications/bundles/${group}`}>{t('applications.page.bundle.back', { name: localized(bundle.names, locale) })}</a>
      </p>
      <h1>{t('applications.page.review.heading')}</h1>
      <p class="lead">{t('applications.page.review.bundleLead', { n: items.length })}</p>
      <ProblemBox t={t} problem={problem} />
      {items.map((it) => (
        <ReviewSection key={it.draftId} t={t} locale={locale} it={it} editable />
      ))}
      <SendForm t={t} csrf={ctx.csrfToken} action={`/applications/bundles/${group}/submit`} idempotencyKey={idempotencyKey} label={t('applications.page.review.sendAll')} />
      <script src="/applications/assets/form.js" defer />
    </Layout>
  );
}
