/** Staff pages: one application as sent (with the way to its case), and keying in a paper form. */
import type { Translate } from '../../../platform/i18n.js';
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import { DateText } from '../../../platform/views/dates.js';
import type { Procedure } from '../definition-schema.js';
import { localized } from '../form.js';
import type { ApplicationView } from '../read.js';
import type { ApplicationRow, SubmissionRow } from '../store.js';
import { Badge, channelText, DateTimeText, statusText } from './common.js';
import { ReviewSection } from './review.js';

export interface StaffApplicationModel {
  row: ApplicationRow;
  view: ApplicationView;
  procedure: Procedure;
  submission: SubmissionRow | undefined;
  applicantName: string | undefined;
  subjectName: string | undefined;
  bundleName: string | undefined;
  justSent: boolean;
}

export function StaffApplicationPage({ ctx, m }: { ctx: PageContext; m: StaffApplicationModel }) {
  const { t, locale } = ctx;
  const { row, view, procedure: p } = m;
  // The case (its state, timeline and actions) is the cases module's page, for those who work on cases.
  const roles = ctx.principal?.kind === 'staff' ? ctx.principal.roles : [];
  const worksOnCases = ['case-officer', 'approver'].some((r) => roles.includes(r));
  const it = {
    draftId: row.id,
    procedure: p,
    data: row.data,
    prefilled: new Set(row.prefilled),
    corrections: new Map(row.corrections.map((c) => [c.path, c.note])),
    attachments: view.attachments.map((a) => ({ id: a.id, application_id: row.id, slot: a.slot, filename: a.filename, content_type: a.contentType, size_bytes: a.size, sha256: a.sha256, created_at: new Date(0) })),
    subjectName: undefined,
  };
  return (
    <Layout ctx={ctx} title={t('applications.page.staffView.title', { reference: row.reference ?? '' })}>
      <p class="back">
        <a href="/staff/applications">{t('applications.page.staffView.back')}</a>
      </p>
      {m.justSent && (
        <p class="notice" role="status">
          {t('applications.page.staffView.sent', { reference: m.submission?.reference ?? row.reference ?? '' })}
        </p>
      )}
      <h1>
        {localized(p.names, locale)} <span class="id">{row.reference}</span>
      </h1>
      <dl class="facts">
        <dt>{t('applications.page.receipt.status')}</dt>
        <dd>{statusText(row.status, t)}</dd>
        <dt>{t('applications.page.receipt.at')}</dt>
        <dd>{row.submitted_at && <DateTimeText at={row.submitted_at} locale={locale} />}</dd>
        <dt>{t('applications.page.receipt.due')}</dt>
        <dd>{row.due_date && <DateText iso={row.due_date} locale={locale} />}</dd>
        <dt>{t('applications.page.inbox.channel')}</dt>
        <dd>{channelText(row.channel, t)}</dd>
        <dt>{t('applications.page.inbox.applicant')}</dt>
        <dd>
          {m.applicantName ?? t('applications.page.inbox.unsigned')}
          {row.applicant_relation ? `（${relationText(t, row.applicant_relation)}）` : ''}
        </dd>
        <dt>{t('applications.page.receipt.subject')}</dt>
        <dd>
          {m.subjectName ?? m.applicantName ?? '—'}
          {row.subject_relation ? `（${relationText(t, row.subject_relation)}）` : ''}
        </dd>
        <dt>{t('applications.page.staffView.actingAs')}</dt>
        <dd>{row.acting_as ? t(`applications.page.staffView.acting.${row.acting_as}`) : '—'}</dd>
        {m.bundleName && (
          <>
            <dt>{t('applications.page.receipt.lifeEvent')}</dt>
            <dd>{m.bundleName}</dd>
          </>
        )}
        <dt>{t('applications.page.staffView.corrections')}</dt>
        <dd>{row.corrections.length ? <Badge kind="warn">{t('applications.page.staffView.correctionCount', { n: row.corrections.length })}</Badge> : t('applications.page.staffView.noCorrections')}</dd>
      </dl>
      {(m.submission || (worksOnCases && row.status !== 'draft')) && (
        <p class="actions">
          {worksOnCases && row.status !== 'draft' && (
            <a class="button" href={`/staff/cases/by-application/${row.id}`}>
              {t('cases.staff.openCase')}
            </a>
          )}
          {m.submission && (
            <a class="button secondary" href={`/api/v1/submissions/${m.submission.id}/receipt.pdf`}>
              {t('applications.page.receipt.pdf')}
            </a>
          )}
        </p>
      )}
      <ReviewSection t={t} locale={locale} it={it} editable={false} attachmentHref={(a) => `/api/v1/applications/${row.id}/attachments/${a}`} />
    </Layout>
  );
}

export interface PaperForm {
  procedure: string;
  applicantId: string;
  subjectId: string;
  errors: { field: 'procedure' | 'applicantId' | 'subjectId'; message: string }[];
}

export function NewPaperPage({ ctx, procedures, form }: { ctx: PageContext; procedures: Procedure[]; form: PaperForm }) {
  const { t, locale } = ctx;
  const err = (f: PaperForm['errors'][number]['field']) => form.errors.find((e) => e.field === f)?.message;
  const described = (f: 'applicantId' | 'subjectId') => [`${f}-hint`, err(f) && `${f}-error`].filter(Boolean).join(' ');
  return (
    <Layout ctx={ctx} title={t('applications.page.paper.title')}>
      <p class="back">
        <a href="/staff/applications">{t('applications.page.staffView.back')}</a>
      </p>
      <h1>{t('applications.page.paper.title')}</h1>
      <p class="lead">{t('applications.page.paper.lead')}</p>
      {form.errors.length > 0 && (
        <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
          <h2 id="error-summary-title">{t('applications.page.errors.title')}</h2>
          <ul>
            {form.errors.map((e) => (
              <li key={e.field}>
                <a href={`#${e.field}`}>{e.message}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/staff/applications/new" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <div class="field">
          <label for="procedure">{t('applications.page.procedure')}</label>
          {err('procedure') && (
            <p class="error" id="procedure-error">
              {err('procedure')}
            </p>
          )}
          <select id="procedure" name="procedure" aria-invalid={err('procedure') ? 'true' : undefined} aria-describedby={err('procedure') ? 'procedure-error' : undefined}>
            <option value="">{t('applications.page.choose')}</option>
            {procedures.map((p) => (
              <option key={p.code} value={p.code} selected={p.code === form.procedure}>
                {localized(p.names, locale)}
              </option>
            ))}
          </select>
        </div>
        {(['applicantId', 'subjectId'] as const).map((f) => (
          <div class="field" key={f}>
            <label for={f}>{t(f === 'applicantId' ? 'applications.page.paper.applicant' : 'applications.page.paper.subject')}</label>
            <p class="hint" id={`${f}-hint`}>
              {t(f === 'applicantId' ? 'applications.page.paper.applicantHint' : 'applications.page.paper.subjectHint')} <a href="/staff/residents">{t('applications.page.paper.search')}</a>
            </p>
            {err(f) && (
              <p class="error" id={`${f}-error`}>
                {err(f)}
              </p>
            )}
            <input type="text" id={f} name={f} value={form[f]} class="id-input" autoComplete="off" spellcheck={false} aria-describedby={described(f)} aria-invalid={err(f) ? 'true' : undefined} />
          </div>
        ))}
        <p>
          <button type="submit">{t('applications.page.paper.start')}</button>
        </p>
      </form>
    </Layout>
  );
}

/** 続柄 as words: the head is 「世帯主」, anyone else 「世帯主の妻」 and so on. */
function relationText(t: Translate, relation: string): string {
  return relation === '本人' ? t('applications.page.who.head') : t('applications.page.who.relation', { relation });
}
