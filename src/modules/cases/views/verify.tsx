/**
 * The public check of a decision notice (/verify): a form for the number printed on the
 * notice and one for the PDF file itself; the facts of a notice found (issuer, number,
 * procedure, decision, seals with names and times — never the addressee); and clear pages
 * for a number that is not one (400) or that no notice has (404). No sign-in, no script.
 */
import { Fragment } from 'preact';
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import { formatDate } from '../../../platform/views/dates.js';
import type { NoticeFacts } from '../notice.js';
import { dateInJapan } from '../runtime.js';

const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Tokyo' });

/** A moment as read in Japan: 令和8年（2026年）11月30日 11:15. */
function When({ iso, ctx }: { iso: string; ctx: PageContext }) {
  const at = new Date(iso);
  return <time dateTime={at.toISOString()}>{`${formatDate(dateInJapan(at), ctx.locale)} ${clock.format(at)}`}</time>;
}

/** What went wrong with what was given: shown above the forms, and at the field. */
export interface VerifyProblem {
  field: 'hash' | 'file';
  title: string;
  body: string;
}

function Forms({ ctx, typed, problem, heading }: { ctx: PageContext; typed?: string | undefined; problem?: VerifyProblem | undefined; heading: 2 | 3 }) {
  const { t } = ctx;
  const H = heading === 2 ? 'h2' : 'h3';
  const hashError = problem?.field === 'hash';
  const fileError = problem?.field === 'file';
  return (
    <>
      <section aria-labelledby="by-hash-h" class="card">
        <H id="by-hash-h" class="card-title">
          {t('cases.verify.byHash')}
        </H>
        <form method="get" action="/verify">
          <div class={hashError ? 'field field-error' : 'field'}>
            <label for="hash">{t('cases.verify.hash.label')}</label>
            <p class="hint" id="hash-hint">
              {t('cases.verify.hash.hint')}
            </p>
            {hashError && (
              <p class="error" id="hash-error">
                {problem.title}
              </p>
            )}
            <input
              type="text"
              id="hash"
              name="hash"
              class="id-input"
              value={typed ?? ''}
              maxLength={300}
              autoComplete="off"
              spellcheck={false}
              autoCapitalize="off"
              aria-describedby={hashError ? 'hash-error hash-hint' : 'hash-hint'}
              aria-invalid={hashError ? 'true' : undefined}
            />
          </div>
          <p>
            <button type="submit">{t('cases.verify.hash.submit')}</button>
          </p>
        </form>
      </section>
      <section aria-labelledby="by-file-h" class="card">
        <H id="by-file-h" class="card-title">
          {t('cases.verify.byFile')}
        </H>
        <form method="post" action="/verify" enctype="multipart/form-data">
          <CsrfField token={ctx.csrfToken} />
          <div class={fileError ? 'field field-error upload' : 'field upload'}>
            <label for="file">{t('cases.verify.file.label')}</label>
            <p class="hint" id="file-hint">
              {t('cases.verify.file.hint')}
            </p>
            {fileError && (
              <p class="error" id="file-error">
                {problem.title}
              </p>
            )}
            <input
              type="file"
              id="file"
              name="file"
              accept="application/pdf,.pdf"
              aria-describedby={fileError ? 'file-error file-hint' : 'file-hint'}
              aria-invalid={fileError ? 'true' : undefined}
            />
          </div>
          <p>
            <button type="submit">{t('cases.verify.file.submit')}</button>
          </p>
        </form>
      </section>
    </>
  );
}

/** The start page, or the same page with what was wrong with the number or file given (400). */
export function VerifyFormPage({ ctx, typed, problem }: { ctx: PageContext; typed?: string | undefined; problem?: VerifyProblem | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={problem ? `${problem.title} - ${t('cases.verify.title')}` : t('cases.verify.title')}>
      <h1>{problem ? problem.title : t('cases.verify.title')}</h1>
      {problem ? (
        <div class="error-summary" role="alert" aria-labelledby="problem-h">
          <h2 id="problem-h">{t('cases.verify.problem')}</h2>
          <p>{problem.body}</p>
          <p>
            <a href={`#${problem.field}`}>{t(problem.field === 'hash' ? 'cases.verify.hash.label' : 'cases.verify.file.label')}</a>
          </p>
        </div>
      ) : (
        <p class="lead">{t('cases.verify.lead')}</p>
      )}
      <Forms ctx={ctx} typed={typed} problem={problem} heading={2} />
    </Layout>
  );
}

export interface VerifiedModel {
  hash: string;
  facts: NoticeFacts;
  /** The procedure's name in the page's language, when it differs from the one printed. */
  procedureLocal: string | undefined;
  departmentLocal: string | undefined;
  /** Reached by uploading the PDF, which matched byte for byte. */
  byFile: boolean;
}

export function VerifiedPage({ ctx, m }: { ctx: PageContext; m: VerifiedModel }) {
  const { t } = ctx;
  const f = m.facts;
  const town = f.issuer || ctx.townName;
  const heading = t('cases.verify.found', { town });
  const withLocal = (printed: string, local: string | undefined) => (local && local !== printed ? `${printed}（${local}）` : printed);
  return (
    <Layout ctx={ctx} title={heading}>
      <div class="confirmation">
        <h1>{heading}</h1>
        {m.byFile && <p>{t('cases.verify.fileMatches')}</p>}
        <p>{t('cases.verify.found.lead')}</p>
      </div>
      {f.demo && <p class="notice">{t('cases.verify.demo')}</p>}
      <dl class="facts">
        <dt>{t('cases.verify.fact.issuer')}</dt>
        <dd>{t('cases.notice.issuer', { town })}</dd>
        <dt>{t('cases.verify.fact.reference')}</dt>
        <dd>{f.reference}</dd>
        <dt>{t('cases.verify.fact.procedure')}</dt>
        <dd>{withLocal(f.procedure.name, m.procedureLocal)}</dd>
        <dt>{t('cases.verify.fact.department')}</dt>
        <dd>{withLocal(f.department.name, m.departmentLocal)}</dd>
        <dt>{t('cases.verify.fact.decision')}</dt>
        <dd>
          <strong>{t(`cases.decision.${f.decision}`)}</strong>
        </dd>
        <dt>{t('cases.verify.fact.issuedAt')}</dt>
        <dd>
          <When iso={f.issuedAt} ctx={ctx} />
        </dd>
        <dt>{t('cases.verify.fact.hash')}</dt>
        <dd>
          <span class="id">{m.hash}</span>
        </dd>
      </dl>
      <h2>{t('cases.verify.seals')}</h2>
      <p>{t('cases.verify.seals.caption')}</p>
      <dl class="facts">
        {f.seals.map((s, i) => (
          <Fragment key={i}>
            <dt>{t(`cases.position.${s.position}`)}</dt>
            <dd>
              {s.name}
              {s.onBehalfOf !== null && (
                <>
                  {' '}
                  <span class="tag">{t('cases.verify.seal.onBehalf', { name: s.onBehalfOf })}</span>
                </>
              )}
              <br />
              <When iso={s.at} ctx={ctx} />
            </dd>
          </Fragment>
        ))}
      </dl>
      <p>
        <a href="/verify">{t('cases.verify.again')}</a>
      </p>
    </Layout>
  );
}

/** No notice has this number, or no notice is this file (404). */
export function NotFoundPage({ ctx, hash, byFile }: { ctx: PageContext; hash: string | undefined; byFile: boolean }) {
  const { t } = ctx;
  const town = ctx.townName;
  const heading = t(byFile ? 'cases.verify.fileNotFound' : 'cases.verify.notFound');
  return (
    <Layout ctx={ctx} title={heading}>
      <h1>{heading}</h1>
      <div class="error-summary" role="alert" aria-labelledby="not-found-h">
        <h2 id="not-found-h">{t('cases.verify.problem')}</h2>
        {hash && (
          <p>
            {t('cases.verify.fact.hash')}: <span class="id">{hash}</span>
          </p>
        )}
        <p>{t(byFile ? 'cases.verify.fileNotFound.body' : 'cases.verify.notFound.body', { town })}</p>
      </div>
      <h2>{t('cases.verify.again')}</h2>
      <Forms ctx={ctx} typed={undefined} heading={3} />
    </Layout>
  );
}
