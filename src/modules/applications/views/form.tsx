/**
 * THE form: one page, a section per group, what the town knows already filled in. Every
 * button posts the whole form (multipart, so chosen files go too) and the draft is saved
 * whatever state it is in; the error summary names each field in plain words.
 */
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import type { Procedure } from '../definition-schema.js';
import { localized, type FormData } from '../form.js';
import { formatBytes } from '../attachments.js';
import { fileField, slotId, type ShownIssue } from '../page-form.js';
import type { AttachmentMeta } from '../store.js';
import { clockText, ErrorSummary } from './common.js';
import { ProcedureFields, whenOf, type FieldContext } from './fields.js';

export interface DraftFormModel {
  id: string;
  procedure: Procedure;
  data: FormData;
  prefilled: ReadonlySet<string>;
  corrections: ReadonlyMap<string, string>;
  issues: readonly ShownIssue[];
  attachments: readonly AttachmentMeta[];
  /** Blank entries to add to repeatable groups ("もう1人追加"). */
  extra: Readonly<Record<string, number>>;
  /** When the draft belongs to a life event: its hub. */
  bundle: { href: string; name: string } | undefined;
  savedAt: Date | undefined;
  /** A line to show on top (e.g. "添付しました"). */
  notice: string | undefined;
  /** Where "continue later" goes: the resident's list, or the staff inbox. */
  home: string;
}

const TYPE_NAMES: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

function Attachments({ fc, m }: { fc: FieldContext; m: DraftFormModel }) {
  const { t, locale, p } = fc;
  if (p.attachments.length === 0) return null;
  return (
    <section class="form-section" id="attachments" aria-labelledby="attachments-h">
      <h2 id="attachments-h">{t('applications.page.attachments.title')}</h2>
      <p class="hint">{t('applications.page.attachments.lead')}</p>
      {p.attachments.map((slot) => {
        const id = slotId(slot.id);
        const files = m.attachments.filter((a) => a.slot === slot.id);
        const max = slot.maxFiles ?? 1;
        const error = fc.errors.get(`attachments/${slot.id}`);
        const when = whenOf(fc, slot.visibleWhen, '', p.fields);
        const label = localized(slot.label, locale);
        const described = [`${id}-hint`, when.hint && `${id}-when`, error && `${id}-error`].filter(Boolean).join(' ');
        return (
          <div class={`field attachment${error ? ' field-error' : ''}`} key={slot.id} {...when.attrs}>
            <h3 id={`${id}-h`}>
              {label}
              {slot.required && (
                <>
                  {' '}
                  <span class="req">{t('applications.page.required')}</span>
                </>
              )}
            </h3>
            {slot.help && <p class="hint">{localized(slot.help, locale)}</p>}
            {when.hint && (
              <p class="hint when-hint" id={`${id}-when`}>
                {when.hint}
              </p>
            )}
            <p class="hint" id={`${id}-hint`}>
              {t('applications.page.attachments.accepts', { types: slot.types.map((x) => TYPE_NAMES[x] ?? x).join('・'), max: formatBytes(slot.maxBytes), n: max })}
            </p>
            {error && (
              <p class="error" id={`${id}-error`}>
                <span class="visually-hidden">{t('applications.page.errorPrefix')}</span>
                {error}
              </p>
            )}
            {files.length > 0 ? (
              <ul class="files" aria-labelledby={`${id}-h`}>
                {files.map((a) => (
                  <li key={a.id}>
                    <span class="filename">{a.filename}</span>（{formatBytes(a.size_bytes)}）{' '}
                    <button type="submit" name="action" value={`remove-file:${a.id}`} class="secondary small">
                      {t('applications.page.attachments.remove')}
                      <span class="visually-hidden">{t('applications.page.attachments.removeWhich', { name: a.filename })}</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('applications.page.attachments.none')}</p>
            )}
            {files.length < max && (
              <div class="upload">
                <label for={id}>{t('applications.page.attachments.choose', { slot: label })}</label>
                <input type="file" id={id} name={fileField(slot.id)} accept={slot.types.join(',')} aria-describedby={described} aria-invalid={error ? 'true' : undefined} />
                <button type="submit" name="action" value={`upload:${slot.id}`} class="secondary">
                  {t('applications.page.attachments.upload')}
                </button>
              </div>
            )}
          </div>
        );
      })}
    </section>
  );
}

export function DraftFormPage({ ctx, m }: { ctx: PageContext; m: DraftFormModel }) {
  const { t, locale } = ctx;
  const p = m.procedure;
  const errors = new Map<string, string>();
  for (const i of m.issues) if (!errors.has(i.path)) errors.set(i.path, i.message);
  const fc: FieldContext = { t, locale, p, top: m.data, prefilled: m.prefilled, corrections: m.corrections, errors, action: `/applications/drafts/${m.id}` };
  const name = localized(p.names, locale);
  const title = m.issues.length ? `${t('applications.page.errors.titlePrefix')}${name}` : name;
  return (
    <Layout ctx={ctx} title={title}>
      {m.bundle && (
        <p class="back">
          <a href={m.bundle.href}>{t('applications.page.bundle.back', { name: m.bundle.name })}</a>
        </p>
      )}
      <h1>{name}</h1>
      <p class="lead">{t('applications.page.form.lead')}</p>
      <ErrorSummary t={t} issues={m.issues} />
      {m.notice && <p class="notice">{m.notice}</p>}
      <p class="save-status" role="status" id="save-status" data-saved={t('applications.page.form.savedAt', { time: '{time}' })} data-failed={t('applications.page.form.saveFailed')}>
        {m.savedAt ? t('applications.page.form.savedAt', { time: clockText(m.savedAt) }) : ''}
      </p>
      <form method="post" action={`/applications/drafts/${m.id}`} enctype="multipart/form-data" novalidate data-autosave="10000" class="draft-form">
        <CsrfField token={ctx.csrfToken} />
        {/* Enter in a text field saves: the first submit button is the form's default. */}
        <button type="submit" name="action" value="save" class="default-submit" tabIndex={-1} aria-hidden="true">
          {t('applications.page.form.save')}
        </button>
        <ProcedureFields fc={fc} extra={m.extra} />
        <Attachments fc={fc} m={m} />
        <div class="actions">
          <button type="submit" name="action" value="review" id="to-review">
            {m.bundle ? t('applications.page.form.toBundle') : t('applications.page.form.toReview')}
          </button>
          <button type="submit" name="action" value="save" class="secondary">
            {t('applications.page.form.save')}
          </button>
        </div>
      </form>
      <p>
        <a href={m.bundle?.href ?? m.home}>{t('applications.page.form.later')}</a>
      </p>
      <script src="/applications/assets/form.js" defer />
    </Layout>
  );
}
