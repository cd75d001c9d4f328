/**
 * What a resident sees of their case: where it stands in their words, the due date (paused
 * while the town waits for them), the town's question with an answer form, the timeline,
 * the decision notice to download and check, and withdrawal behind a confirmation page.
 */
import { Fragment } from 'preact';
import type { Locale, Translate } from '../../../platform/i18n.js';
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import { DateText, formatDate } from '../../../platform/views/dates.js';
import type { CaseView, TimelineEntry } from '../read.js';
import { dateInJapan } from '../runtime.js';

export const ANSWER_MAX = 2000;

export interface FormIssue {
  /** The id of the field the summary links to. */
  field: string;
  message: string;
}

export interface PageMessage {
  kind: 'done' | 'warn';
  text: string;
}

export interface ResidentCaseModel {
  c: CaseView;
  procedureName: string;
  /** Whom the application is about, when that is not the reader (a household member). */
  subjectName?: string | undefined;
  /** The receipt of the submission the application was sent in. */
  applicationHref: string | undefined;
  canAnswer: boolean;
  canWithdraw: boolean;
  /** What the resident typed, shown again when the answer was refused. */
  answer: string;
  issues: FormIssue[];
  message: PageMessage | undefined;
}

const CLOCK = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Tokyo' });

/** A moment in Japan as people read it: 令和8年（2026年）11月22日 14:05. */
function When({ at, locale }: { at: string; locale: Locale }) {
  const d = new Date(at);
  return <time dateTime={d.toISOString()}>{`${formatDate(dateInJapan(d), locale)} ${CLOCK.format(d)}`}</time>;
}

/** Text a person typed, line breaks kept. */
function Lines({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return (
    <p class="record-value">
      {lines.map((l, i) => (
        <Fragment key={i}>
          {i > 0 && <br />}
          {l}
        </Fragment>
      ))}
    </p>
  );
}

/** The resident's status in their words: 受け付けました … 決定しました（承認）. */
export const statusLabel = (c: Pick<CaseView, 'residentStatus' | 'decision'>, t: Translate): string =>
  c.residentStatus === 'decided' && c.decision ? t(`cases.resident.decided.${c.decision}`) : t(`cases.resident.${c.residentStatus}`);

function Summary({ t, issues }: { t: Translate; issues: FormIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} autoFocus>
      <h2 id="error-summary-title">{t('cases.me.errors.title')}</h2>
      <ul>
        {issues.map((i) => (
          <li key={i.field}>
            <a href={`#${i.field}`}>{i.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Message({ m }: { m: PageMessage | undefined }) {
  if (!m) return null;
  return m.kind === 'done' ? (
    <div class="confirmation" role="status">
      <p>
        <strong>{m.text}</strong>
      </p>
    </div>
  ) : (
    <div class="notice" role="alert">
      <p>{m.text}</p>
    </div>
  );
}

/** A textarea with its label, hint and error, as every form of these pages has it. */
function TextArea(p: { id: string; name: string; label: string; hint: string; value: string; error: string | undefined; required: boolean; requiredText?: string }) {
  const described = [`${p.id}-hint`, p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={p.error ? 'field field-error' : 'field'}>
      <label for={p.id}>
        {p.label}
        {p.required && (
          <>
            {' '}
            <span class="req">{p.requiredText}</span>
          </>
        )}
      </label>
      <p class="hint" id={`${p.id}-hint`}>
        {p.hint}
      </p>
      {p.error && (
        <p class="error" id={`${p.id}-error`}>
          {p.error}
        </p>
      )}
      <textarea id={p.id} name={p.name} rows={6} maxLength={ANSWER_MAX} required={p.required} aria-invalid={p.error ? 'true' : undefined} aria-describedby={described}>
        {p.value}
      </textarea>
    </div>
  );
}

function Step({ s, t, locale }: { s: TimelineEntry; t: Translate; locale: Locale }) {
  return (
    <li class="review-part">
      <p>
        <strong>{t(`cases.me.step.${s.action}`)}</strong>
        <br />
        <When at={s.at} locale={locale} />
      </p>
      {s.comment && (
        <div class="review-entry">
          <p class="record-label">{t(`cases.me.comment.${s.action}`)}</p>
          <Lines text={s.comment} />
        </div>
      )}
    </li>
  );
}

function Facts({ m, t, locale }: { m: ResidentCaseModel; t: Translate; locale: Locale }) {
  const c = m.c;
  return (
    <dl class="facts">
      <dt>{t('cases.me.status')}</dt>
      <dd>
        <strong>{statusLabel(c, t)}</strong>
      </dd>
      <dt>{t('cases.me.reference')}</dt>
      <dd>{c.reference}</dd>
      {m.subjectName && (
        <>
          <dt>{t('cases.me.subject')}</dt>
          <dd>{m.subjectName}</dd>
        </>
      )}
      <dt>{t('cases.me.receivedAt')}</dt>
      <dd>
        <When at={c.receivedAt} locale={locale} />
      </dd>
      <dt>{t('cases.me.standard')}</dt>
      <dd>{t('cases.me.days', { n: c.standardDays })}</dd>
      {!c.closedAt && (
        <>
          <dt>{t('cases.me.due')}</dt>
          <dd>
            <DateText iso={c.dueDate} locale={locale} />
            {c.paused && (
              <>
                <br />
                <strong>{t('cases.me.paused')}</strong>
              </>
            )}
            {!c.paused && c.pausedDays > 0 && (
              <>
                <br />
                {t('cases.me.extended', { n: c.pausedDays })}
              </>
            )}
          </dd>
        </>
      )}
      {m.applicationHref && (
        <>
          <dt>{t('cases.me.application')}</dt>
          <dd>
            <a href={m.applicationHref}>{t('cases.me.applicationLink')}</a>
          </dd>
        </>
      )}
    </dl>
  );
}

function Question({ m, t, locale, ctx }: { m: ResidentCaseModel; t: Translate; locale: Locale; ctx: PageContext }) {
  const c = m.c;
  const q = [...c.timeline].reverse().find((s) => s.action === 'request-info');
  const error = m.issues.find((i) => i.field === 'answer')?.message;
  return (
    <section aria-labelledby="question-h">
      <div class="record-box">
        <h2 id="question-h">{t('cases.me.question.title')}</h2>
        <p>{t('cases.me.question.lead')}</p>
        {q?.comment && <Lines text={q.comment} />}
        {q && (
          <p>
            {`${t('cases.me.question.at')}: `}
            <When at={q.at} locale={locale} />
          </p>
        )}
      </div>
      <h2 id="answer-h">{t('cases.me.answer.title')}</h2>
      <form method="post" action={`/me/cases/${c.id}/answer`} aria-labelledby="answer-h">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="version" value={String(c.version)} />
        <TextArea id="answer" name="comment" label={t('cases.me.answer.label')} hint={t('cases.me.answer.hint')} value={m.answer} error={error} required requiredText={t('cases.me.required')} />
        <p class="actions">
          <button type="submit">{t('cases.me.answer.submit')}</button>
        </p>
      </form>
    </section>
  );
}

function Decision({ c, t, locale }: { c: CaseView; t: Translate; locale: Locale }) {
  return (
    <section aria-labelledby="decision-h">
      <h2 id="decision-h">{t('cases.me.decision.title')}</h2>
      <dl class="facts">
        <dt>{t('cases.me.decision.result')}</dt>
        <dd>
          <strong>{c.decision ? t(`cases.decision.${c.decision}`) : statusLabel(c, t)}</strong>
        </dd>
        {c.completedAt && (
          <>
            <dt>{t('cases.me.decision.at')}</dt>
            <dd>
              <When at={c.completedAt} locale={locale} />
            </dd>
          </>
        )}
      </dl>
      {c.notices.length === 0 ? (
        <p>{t('cases.me.notice.none')}</p>
      ) : (
        <ul class="plain-list">
          {c.notices.map((n) => (
            <li key={n.id}>
              <p class="actions">
                <a class="button" href={`/me/cases/${c.id}/notices/${n.id}.pdf`}>
                  {t('cases.me.notice.download')}
                </a>
              </p>
              <p>
                <a href={n.verifyHref}>{t('cases.me.notice.verify')}</a>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ResidentCasePage({ ctx, m }: { ctx: PageContext; m: ResidentCaseModel }) {
  const { t, locale } = ctx;
  const c = m.c;
  return (
    <Layout ctx={ctx} title={t('cases.me.title', { procedure: m.procedureName, reference: c.reference })}>
      <p class="back">
        <a href="/me/applications">{t('cases.me.back')}</a>
      </p>
      <Summary t={t} issues={m.issues} />
      <Message m={m.message} />
      <h1>{m.procedureName}</h1>
      {m.canAnswer && <Question m={m} t={t} locale={locale} ctx={ctx} />}
      {c.state === 'completed' && <Decision c={c} t={t} locale={locale} />}
      <h2 id="facts-h">{t('cases.me.heading')}</h2>
      <Facts m={m} t={t} locale={locale} />
      <h2 id="timeline-h">{t('cases.me.timeline.title')}</h2>
      <ol class="plain-list" aria-labelledby="timeline-h">
        {c.timeline.map((s) => (
          <Step key={s.seq} s={s} t={t} locale={locale} />
        ))}
      </ol>
      {m.canWithdraw && (
        <section aria-labelledby="withdraw-h">
          <h2 id="withdraw-h">{t('cases.me.withdraw.title')}</h2>
          <p>{t('cases.me.withdraw.lead')}</p>
          <p class="actions">
            <a class="button secondary" href={`/me/cases/${c.id}/withdraw`}>
              {t('cases.me.withdraw.start')}
            </a>
          </p>
        </section>
      )}
    </Layout>
  );
}

export interface WithdrawModel {
  c: CaseView;
  procedureName: string;
  subjectName?: string | undefined;
  reason: string;
  issues: FormIssue[];
}

export function WithdrawPage({ ctx, m }: { ctx: PageContext; m: WithdrawModel }) {
  const { t } = ctx;
  const c = m.c;
  const error = m.issues.find((i) => i.field === 'reason')?.message;
  return (
    <Layout ctx={ctx} title={t('cases.me.withdraw.pageTitle', { reference: c.reference })}>
      <p class="back">
        <a href={`/me/cases/${c.id}`}>{t('cases.me.withdraw.cancel')}</a>
      </p>
      <Summary t={t} issues={m.issues} />
      <h1>{t('cases.me.withdraw.heading')}</h1>
      <div class="card">
        <dl class="facts">
          <dt>{t('cases.me.application')}</dt>
          <dd>{m.procedureName}</dd>
          <dt>{t('cases.me.reference')}</dt>
          <dd>{c.reference}</dd>
          {m.subjectName && (
            <>
              <dt>{t('cases.me.subject')}</dt>
              <dd>{m.subjectName}</dd>
            </>
          )}
          <dt>{t('cases.me.status')}</dt>
          <dd>{statusLabel(c, t)}</dd>
        </dl>
      </div>
      <div class="notice">
        <p>{t('cases.me.withdraw.consequence')}</p>
      </div>
      <form method="post" action={`/me/cases/${c.id}/withdraw`}>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="version" value={String(c.version)} />
        <TextArea id="reason" name="comment" label={t('cases.me.withdraw.reason')} hint={t('cases.me.withdraw.reasonHint')} value={m.reason} error={error} required={false} />
        <div class="actions">
          <button type="submit">{t('cases.me.withdraw.submit')}</button>
          <a href={`/me/cases/${c.id}`}>{t('cases.me.withdraw.cancel')}</a>
        </div>
      </form>
    </Layout>
  );
}
