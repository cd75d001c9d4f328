/**
 * Finding a procedure (by words, life event or department), reading what it is, and
 * starting it — for oneself, or for someone of the household one may apply for.
 */
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import type { Bundle, Procedure } from '../definition-schema.js';
import { localized } from '../form.js';
import { Badge, ErrorSummary, ProcedureFacts } from './common.js';
import type { Candidate } from './life-events.js';

export interface CatalogModel {
  q: string;
  department: string;
  lifeEvents: Bundle[];
  departments: Procedure['department'][];
  results: Procedure[];
  filtered: boolean;
}

export function ProceduresPage({ ctx, m }: { ctx: PageContext; m: CatalogModel }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.page.catalog.title')}>
      <h1>{t('applications.page.catalog.title')}</h1>
      <p class="lead">{t('applications.page.catalog.lead')}</p>
      <form method="get" action="/procedures" role="search" class="card">
        <div class="field">
          <label for="q">{t('applications.page.catalog.q')}</label>
          <p class="hint" id="q-hint">
            {t('applications.page.catalog.qHint')}
          </p>
          <input type="search" id="q" name="q" value={m.q} maxLength={100} aria-describedby="q-hint" />
        </div>
        <div class="field">
          <label for="department">{t('applications.page.department')}</label>
          <select id="department" name="department">
            <option value="">{t('applications.page.catalog.allDepartments')}</option>
            {m.departments.map((d) => (
              <option key={d.code} value={d.code} selected={d.code === m.department}>
                {localized(d.names, locale)}
              </option>
            ))}
          </select>
        </div>
        <p>
          <button type="submit">{t('applications.page.catalog.search')}</button>
        </p>
      </form>
      {!m.filtered && m.lifeEvents.length > 0 && (
        <section aria-labelledby="life-events-h">
          <h2 id="life-events-h">{t('applications.page.catalog.lifeEvents')}</h2>
          <p>{t('applications.page.catalog.lifeEventsLead')}</p>
          <ul class="plain-list tiles">
            {m.lifeEvents.map((b) => (
              <li key={b.code}>
                <a class="tile" href={`/life-events/${b.code}`}>
                  {localized(b.names, locale)}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="results-h" aria-live="polite">
        <h2 id="results-h">{m.filtered ? t('applications.page.catalog.results', { n: m.results.length }) : t('applications.page.catalog.all')}</h2>
        {m.results.length === 0 && <p>{t('applications.page.catalog.none')}</p>}
        <ul class="plain-list">
          {m.results.map((p) => (
            <li class="card" key={p.code}>
              <h3 class="card-title">
                <a href={`/procedures/${p.code}`}>{localized(p.names, locale)}</a>
              </h3>
              <p>{localized(p.summary, locale)}</p>
              <ProcedureFacts p={p} t={t} locale={locale} brief />
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

export interface ProcedureModel {
  p: Procedure;
  /** How the visitor starts: sign in first, choose whom it is for, or start now. */
  start: { kind: 'sign-in'; href: string } | { kind: 'choose'; href: string } | { kind: 'now' } | { kind: 'staff'; href: string };
  lifeEvents: Bundle[];
}

const APPLICANT_KEYS = { self: 'applications.page.who.self', household: 'applications.page.who.household', agent: 'applications.page.who.agent' } as const;

export function ProcedurePage({ ctx, m }: { ctx: PageContext; m: ProcedureModel }) {
  const { t, locale } = ctx;
  const { p } = m;
  return (
    <Layout ctx={ctx} title={localized(p.names, locale)}>
      <p class="back">
        <a href="/procedures">{t('applications.page.catalog.back')}</a>
      </p>
      <h1>{localized(p.names, locale)}</h1>
      <p class="lead">{localized(p.summary, locale)}</p>
      <ProcedureFacts p={p} t={t} locale={locale} />
      <h2>{t('applications.page.procedure.who')}</h2>
      <ul>
        {p.applicants.map((a) => (
          <li key={a}>{t(APPLICANT_KEYS[a])}</li>
        ))}
      </ul>
      <h2>{t('applications.page.procedure.needs')}</h2>
      {p.attachments.length === 0 ? (
        <p>{t('applications.page.procedure.noAttachments')}</p>
      ) : (
        <ul>
          {p.attachments.map((a) => (
            <li key={a.id}>
              {localized(a.label, locale)} {a.required ? <Badge kind="warn">{t('applications.page.required')}</Badge> : <Badge kind="state">{t('applications.page.procedure.ifApplies')}</Badge>}
              {a.help && <p class="hint">{localized(a.help, locale)}</p>}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('applications.page.procedure.basis')}</h2>
      <p>{p.legalBasis}</p>
      {m.lifeEvents.length > 0 && (
        <p>
          {t('applications.page.procedure.partOf')}{' '}
          {m.lifeEvents.map((b, i) => (
            <span key={b.code}>
              {i > 0 ? '、' : ''}
              <a href={`/life-events/${b.code}`}>{localized(b.names, locale)}</a>
            </span>
          ))}
        </p>
      )}
      <div class="card start">
        {m.start.kind === 'sign-in' && (
          <>
            <p>{t('applications.page.procedure.signInFirst')}</p>
            <a class="button" href={m.start.href}>
              {t('applications.page.procedure.signInStart')}
            </a>
          </>
        )}
        {m.start.kind === 'choose' && (
          <a class="button" href={m.start.href}>
            {t('applications.page.procedure.start')}
          </a>
        )}
        {m.start.kind === 'now' && (
          <form method="post" action={`/procedures/${p.code}/start`}>
            <CsrfField token={ctx.csrfToken} />
            <button type="submit">{t('applications.page.procedure.start')}</button>
          </form>
        )}
        {m.start.kind === 'staff' && (
          <a class="button" href={m.start.href}>
            {t('applications.page.staff.keyIn')}
          </a>
        )}
        <p class="hint">{t('applications.page.procedure.counter')}</p>
      </div>
    </Layout>
  );
}

export function StartPage({ ctx, p, candidates, issue }: { ctx: PageContext; p: Procedure; candidates: Candidate[]; issue: string | undefined }) {
  const { t, locale } = ctx;
  const name = localized(p.names, locale);
  return (
    <Layout ctx={ctx} title={t('applications.page.start.title', { name })}>
      <p class="back">
        <a href={`/procedures/${p.code}`}>{t('applications.page.start.back', { name })}</a>
      </p>
      <h1>{name}</h1>
      {issue && <ErrorSummary t={t} issues={[{ path: '/subjectId', message: issue }]} hrefOf={() => '#f-subjectId'} />}
      {candidates.length === 0 ? (
        <p class="notice">{t('applications.page.start.nobody')}</p>
      ) : (
        <form method="post" action={`/procedures/${p.code}/start`} novalidate>
          <CsrfField token={ctx.csrfToken} />
          {candidates.length === 1 ? (
            <>
              <p>{t('applications.page.start.for', { name: `${candidates[0]!.name}（${candidates[0]!.relation}）` })}</p>
              <input type="hidden" name="subjectId" value={candidates[0]!.id} />
            </>
          ) : (
            <fieldset class="field" aria-describedby="subject-hint">
              <legend class="legend-large">{t('applications.page.start.whom')}</legend>
              <p class="hint" id="subject-hint">
                {t('applications.page.start.whomHint')}
              </p>
              {candidates.map((c, i) => (
                <div class="radio" key={c.id}>
                  <input type="radio" id={i === 0 ? 'f-subjectId' : `f-subjectId-${i}`} name="subjectId" value={c.id} checked={i === 0} />
                  <label for={i === 0 ? 'f-subjectId' : `f-subjectId-${i}`}>{`${c.name}（${c.relation}）`}</label>
                </div>
              ))}
            </fieldset>
          )}
          <p>
            <button type="submit">{t('applications.page.procedure.start')}</button>
          </p>
        </form>
      )}
    </Layout>
  );
}
