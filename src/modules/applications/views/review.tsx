/**
 * Everything on one page before sending: each value as it will be sent, the pre-filled ones
 * marked, corrections shown, attachments listed, a 「修正する」 link per part. The send form
 * carries an Idempotency key made when this page was rendered: one application per click.
 */
import type { Locale, Translate } from '../../../platform/i18n.js';
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import type { Field, GroupField, InputField, Procedure } from '../definition-schema.js';
import { isGroup } from '../definitions.js';
import { formatBytes } from '../attachments.js';
import { isVisible, localized, type FormData } from '../form.js';
import { domId, isMemberLink } from '../page-form.js';
import type { AttachmentMeta } from '../store.js';
import { RecordBadge, valueText } from './common.js';

export interface ReviewItem {
  draftId: string;
  procedure: Procedure;
  data: FormData;
  prefilled: ReadonlySet<string>;
  corrections: ReadonlyMap<string, string>;
  attachments: readonly AttachmentMeta[];
  /** Whom it is for, when that is not the applicant. */
  subjectName: string | undefined;
}

export interface SubmitProblem {
  title: string;
  messages: { text: string; href?: string }[];
  /** 409: the open application of the same thing. */
  open?: { href: string; reference: string };
}

interface Row {
  f: InputField;
  pointer: string;
  value: unknown;
}

function Rows({ t, locale, rows, it }: { t: Translate; locale: Locale; rows: Row[]; it: ReviewItem }) {
  return (
    <dl class="review-facts">
      {rows.map(({ f, pointer, value }) => {
        const note = it.corrections.get(pointer);
        return (
          <div class="fact" key={pointer}>
            <dt>{localized(f.label, locale)}</dt>
            <dd>
              <span class="value">{valueText(f, value, locale, t)}</span> {it.prefilled.has(pointer) && <RecordBadge t={t} />}
              {note && (
                <span class="correction">
                  <strong>{t('applications.page.review.correction')}</strong>
                  {note}
                </span>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function rowsOf(fields: readonly Field[], scope: FormData, top: FormData, base: string, group: GroupField | undefined): Row[] {
  return fields
    .filter((f): f is InputField => !isGroup(f) && f.type !== 'notice' && !(group && isMemberLink(group, f)) && isVisible(f.visibleWhen, scope, top))
    .map((f) => ({ f, pointer: `${base}/${f.id}`, value: scope[f.id] }));
}

const EditLink = ({ t, href, what }: { t: Translate; href: string; what: string }) => (
  <p class="edit">
    <a href={href}>
      {t('applications.page.review.edit')}
      <span class="visually-hidden">{t('applications.page.review.editWhat', { what })}</span>
    </a>
  </p>
);

/** One procedure's answers, by section. */
export function ReviewSection({
  t,
  locale,
  it,
  editable,
  level = 2,
  attachmentHref,
}: {
  t: Translate;
  locale: Locale;
  it: ReviewItem;
  editable: boolean;
  level?: 2 | 3;
  /** Staff download attachments; residents only see them listed. */
  attachmentHref?: (attachmentId: string) => string;
}) {
  const p = it.procedure;
  const edit = (pointer: string) => `/applications/drafts/${it.draftId}#${domId(pointer)}`;
  const H = level === 2 ? 'h2' : 'h3';
  const Sub = level === 2 ? 'h3' : 'h4';
  const parts = [];
  let loose: Field[] = [];
  const flush = () => {
    const rows = rowsOf(loose, it.data, it.data, '', undefined);
    if (rows.length) {
      parts.push(
        <div class="review-part" key={`loose-${rows[0]!.pointer}`}>
          <Rows t={t} locale={locale} rows={rows} it={it} />
          {editable && <EditLink t={t} href={edit(rows[0]!.pointer)} what={localized(rows[0]!.f.label, locale)} />}
        </div>,
      );
    }
    loose = [];
  };
  for (const f of p.fields) {
    if (!isGroup(f)) {
      loose.push(f);
      continue;
    }
    flush();
    if (!isVisible(f.visibleWhen, it.data, it.data)) continue;
    const label = localized(f.label, locale);
    const value = it.data[f.id];
    parts.push(
      <div class="review-part" key={f.id}>
        <Sub>{label}</Sub>
        {f.repeat ? (
          (Array.isArray(value) ? (value as FormData[]) : []).length === 0 ? (
            <p>{t('applications.page.review.noEntries')}</p>
          ) : (
            (value as FormData[]).map((e, i) => (
              <div class="review-entry" key={i}>
                <p class="entry-title">{t('applications.page.entry', { n: i + 1 })}</p>
                <Rows t={t} locale={locale} rows={rowsOf(f.fields, e, it.data, `/${f.id}/${i}`, f)} it={it} />
              </div>
            ))
          )
        ) : (
          <Rows t={t} locale={locale} rows={rowsOf(f.fields, (value as FormData | undefined) ?? {}, it.data, `/${f.id}`, f)} it={it} />
        )}
        {editable && <EditLink t={t} href={edit(`/${f.id}`)} what={label} />}
      </div>,
    );
  }
  flush();
  if (p.attachments.length) {
    parts.push(
      <div class="review-part" key="attachments">
        <Sub>{t('applications.page.attachments.title')}</Sub>
        {it.attachments.length === 0 ? (
          <p>{t('applications.page.attachments.noneAll')}</p>
        ) : (
          <ul>
            {it.attachments.map((a) => {
              const slot = p.attachments.find((s) => s.id === a.slot);
              return (
                <li key={a.id}>
                  {slot ? `${localized(slot.label, locale)}: ` : ''}
                  {attachmentHref ? <a href={attachmentHref(a.id)}>{a.filename}</a> : <span class="filename">{a.filename}</span>}（{formatBytes(a.size_bytes)}）
                </li>
              );
            })}
          </ul>
        )}
        {editable && <EditLink t={t} href={`/applications/drafts/${it.draftId}#attachments`} what={t('applications.page.attachments.title')} />}
      </div>,
    );
  }
  return (
    <section class="card review" aria-labelledby={`review-${it.draftId}`}>
      <H id={`review-${it.draftId}`}>{localized(p.names, locale)}</H>
      {it.subjectName && <p class="subject">{t('applications.page.subject', { name: it.subjectName })}</p>}
      {parts}
    </section>
  );
}

export function ProblemBox({ t, problem }: { t: Translate; problem: SubmitProblem | undefined }) {
  if (!problem) return null;
  return (
    <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{problem.title}</h2>
      <ul>
        {problem.messages.map((m, i) => (
          <li key={i}>{m.href ? <a href={m.href}>{m.text}</a> : m.text}</li>
        ))}
      </ul>
      {problem.open && (
        <p>
          <a href={problem.open.href}>{t('applications.page.review.openLink', { reference: problem.open.reference })}</a>
        </p>
      )}
    </div>
  );
}

export function SendForm({ t, csrf, action, idempotencyKey, label }: { t: Translate; csrf: string; action: string; idempotencyKey: string; label: string }) {
  return (
    <form method="post" action={action} data-once="1" class="send">
      <CsrfField token={csrf} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <p>{t('applications.page.review.declare')}</p>
      <p>
        <button type="submit" id="send">
          {label}
        </button>
      </p>
    </form>
  );
}

export function ReviewPage({ ctx, it, problem, idempotencyKey }: { ctx: PageContext; it: ReviewItem; problem: SubmitProblem | undefined; idempotencyKey: string }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.page.review.title', { name: localized(it.procedure.names, locale) })}>
      <h1>{t('applications.page.review.heading')}</h1>
      <p class="lead">{t('applications.page.review.lead')}</p>
      <ProblemBox t={t} problem={problem} />
      <ReviewSection t={t} locale={locale} it={it} editable />
      <SendForm t={t} csrf={ctx.csrfToken} action={`/applications/drafts/${it.draftId}/submit`} idempotencyKey={idempotencyKey} label={t('applications.page.review.send')} />
      <script src="/applications/assets/form.js" defer />
    </Layout>
  );
}
