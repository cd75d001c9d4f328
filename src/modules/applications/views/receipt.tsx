/**
 * After sending: the receipt page (受付番号 large, what was received, each application's
 * status and due date in 和暦, the PDF, what happens next), the status page reached by a
 * secret link for procedures without sign-in, and a resident's list of drafts and applications.
 */
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { DateText } from '../../../platform/views/dates.js';
import type { Procedure } from '../definition-schema.js';
import { localized } from '../form.js';
import type { ListItem } from '../read.js';
import type { ApplicationProgress } from '../runtime.js';
import type { Translate } from '../../../platform/i18n.js';
import { Badge, DateTimeText, feeText, statusText } from './common.js';

export interface ReceiptModel {
  reference: string;
  submittedAt: Date;
  bundleName: string | undefined;
  items: { reference: string; procedure: Procedure; subjectName: string | undefined; status: string; dueDate: string | null; progress: ApplicationProgress | undefined }[];
  pdfHref: string;
  /** Reached by the secret link of a submission without sign-in: say to keep it. */
  secretLink: boolean;
  /** Arrived here straight after sending. */
  justSent: boolean;
}

/**
 * An application's status: where its case stands once the town processes it (the resident's
 * question marked), linked to the case page for a signed-in resident; else the application's own.
 */
function StatusText({ status, progress, link, t }: { status: string; progress: ApplicationProgress | undefined; link: boolean; t: Translate }) {
  if (!progress) return <>{statusText(status, t)}</>;
  const label = link ? <a href={progress.href}>{progress.label}</a> : <>{progress.label}</>;
  return progress.attention ? <Badge kind="warn">{label}</Badge> : label;
}

export function ReceiptPage({ ctx, m }: { ctx: PageContext; m: ReceiptModel }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.page.receipt.title', { reference: m.reference })}>
      {m.justSent && (
        <div class="confirmation" role="status">
          <h1>{t('applications.page.receipt.sent')}</h1>
          <p>{t('applications.page.receipt.referenceLabel')}</p>
          <p class="reference">{m.reference}</p>
        </div>
      )}
      {!m.justSent && (
        <>
          <h1>{t('applications.page.receipt.heading')}</h1>
          <p>{t('applications.page.receipt.referenceLabel')}</p>
          <p class="reference">{m.reference}</p>
        </>
      )}
      {m.secretLink && <p class="notice">{t('applications.page.receipt.keepLink')}</p>}
      <dl class="facts">
        <dt>{t('applications.page.receipt.at')}</dt>
        <dd>
          <DateTimeText at={m.submittedAt} locale={locale} />
        </dd>
        {m.bundleName && (
          <>
            <dt>{t('applications.page.receipt.lifeEvent')}</dt>
            <dd>{m.bundleName}</dd>
          </>
        )}
      </dl>
      <h2>{t('applications.page.receipt.received')}</h2>
      <ul class="plain-list">
        {m.items.map((i) => (
          <li class="card" key={i.reference}>
            <h3 class="card-title">{localized(i.procedure.names, locale)}</h3>
            <dl class="facts">
              <dt>{t('applications.page.receipt.itemReference')}</dt>
              <dd>{i.reference}</dd>
              {i.subjectName && (
                <>
                  <dt>{t('applications.page.receipt.subject')}</dt>
                  <dd>{i.subjectName}</dd>
                </>
              )}
              <dt>{t('applications.page.receipt.status')}</dt>
              <dd>
                <strong>
                  <StatusText status={i.status} progress={i.progress} link={!m.secretLink} t={t} />
                </strong>
              </dd>
              <dt>{t('applications.page.department')}</dt>
              <dd>{localized(i.procedure.department.names, locale)}</dd>
              {i.dueDate && (
                <>
                  <dt>{t('applications.page.receipt.due')}</dt>
                  <dd>
                    <DateText iso={i.dueDate} locale={locale} />
                  </dd>
                </>
              )}
              <dt>{t('applications.page.fee')}</dt>
              <dd>{feeText(i.procedure, t)}</dd>
            </dl>
          </li>
        ))}
      </ul>
      <p>
        <a class="button secondary" href={m.pdfHref}>
          {t('applications.page.receipt.pdf')}
        </a>
      </p>
      <h2>{t('applications.page.receipt.next')}</h2>
      <ol>
        <li>{t('applications.page.receipt.next1')}</li>
        <li>{t('applications.page.receipt.next2')}</li>
        <li>{t('applications.page.receipt.next3')}</li>
      </ol>
      {!m.secretLink && (
        <p>
          <a href="/me/applications">{t('applications.page.my.link')}</a>
        </p>
      )}
    </Layout>
  );
}

export function MyApplicationsPage({ ctx, drafts, sent, progress }: { ctx: PageContext; drafts: ListItem[]; sent: ListItem[]; progress: ReadonlyMap<string, ApplicationProgress> }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.page.my.title')}>
      <h1>{t('applications.page.my.title')}</h1>
      <p class="lead">{t('applications.page.my.lead')}</p>
      <p>
        <a href="/procedures">{t('applications.page.my.find')}</a>
      </p>
      <h2 id="drafts-h">{t('applications.page.my.drafts')}</h2>
      {drafts.length === 0 ? (
        <p>{t('applications.page.my.noDrafts')}</p>
      ) : (
        <ul class="plain-list" aria-labelledby="drafts-h">
          {drafts.map((d) => (
            <li class="card" key={d.id}>
              <h3 class="card-title">{d.procedure.name}</h3>
              <p>
                {t('applications.page.my.updated')}: <DateTimeText at={d.updatedAt} locale={locale} />
              </p>
              <p class="actions">
                <a class="button" href={d.draftGroup && d.lifeEvent ? `/applications/bundles/${d.draftGroup}` : `/applications/drafts/${d.id}`}>
                  {t('applications.page.my.resume')}
                  <span class="visually-hidden">{`（${d.procedure.name}）`}</span>
                </a>
              </p>
              <form method="post" action={`/applications/drafts/${d.id}/discard`}>
                <CsrfField token={ctx.csrfToken} />
                <button type="submit" class="secondary small">
                  {t('applications.page.my.discard')}
                  <span class="visually-hidden">{`（${d.procedure.name}）`}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2 id="sent-h">{t('applications.page.my.sent')}</h2>
      {sent.length === 0 ? (
        <p>{t('applications.page.my.noSent')}</p>
      ) : (
        <TableWrap label={t('applications.page.my.sent')}>
          <table>
            <caption class="visually-hidden">{t('applications.page.my.sent')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('applications.page.receipt.itemReference')}</th>
                <th scope="col">{t('applications.page.procedure')}</th>
                <th scope="col">{t('applications.page.receipt.status')}</th>
                <th scope="col">{t('applications.page.receipt.at')}</th>
                <th scope="col">{t('applications.page.receipt.due')}</th>
              </tr>
            </thead>
            <tbody>
              {sent.map((a) => (
                <tr key={a.id}>
                  <td class="nowrap">{a.submissionId ? <a href={`/me/applications/${a.submissionId}`}>{a.reference}</a> : a.reference}</td>
                  <td>{a.procedure.name}</td>
                  <td>
                    <StatusText status={a.status} progress={progress.get(a.id)} link t={t} />
                  </td>
                  <td>{a.submittedAt && <DateTimeText at={a.submittedAt} locale={locale} />}</td>
                  <td>{a.dueDate && <DateText iso={a.dueDate} locale={locale} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>
  );
}
