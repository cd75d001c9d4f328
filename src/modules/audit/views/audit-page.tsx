import type { AuditEntry, ChainReport } from '../../../platform/audit.js';
import { AccessLogTable } from '../../../platform/views/access-log.js';
import { Layout, type PageContext } from '../../../platform/views/layout.js';

export interface AuditFilter {
  personId: string;
  actorId: string;
  purpose: string;
}

export function AuditPage({
  ctx,
  entries,
  filter,
  purposes,
  olderHref,
  report,
  personIdError,
}: {
  ctx: PageContext;
  entries: AuditEntry[];
  filter: AuditFilter;
  purposes: string[];
  olderHref: string | undefined;
  report: ChainReport | undefined;
  personIdError: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('audit.title')}>
      <h1>{t('audit.title')}</h1>
      <p class="lead">{t('audit.lead')}</p>
      {report && (
        <p class={report.ok ? 'notice' : 'error-summary'} role="status">
          {report.ok ? t('audit.verify.ok', { count: report.checked }) : t('audit.verify.broken', { seq: report.brokenAt, reason: report.reason })}
        </p>
      )}
      <form method="get" action="/staff/audit">
        <input type="hidden" name="verify" value="1" />
        <button type="submit" class="secondary">
          {t('audit.verify')}
        </button>
      </form>
      <h2>{t('audit.filter')}</h2>
      <form method="get" action="/staff/audit">
        <div class="field">
          <label for="personId">{t('audit.personId')}</label>
          {personIdError && (
            <p class="error" id="personId-error" role="alert">
              {t('audit.badPersonId')}
            </p>
          )}
          <input type="text" id="personId" name="personId" value={filter.personId} aria-invalid={personIdError ? 'true' : undefined} aria-describedby={personIdError ? 'personId-error' : undefined} />
        </div>
        <div class="field">
          <label for="actorId">{t('audit.actorId')}</label>
          <input type="text" id="actorId" name="actorId" value={filter.actorId} />
        </div>
        <div class="field">
          <label for="purpose">{t('audit.purpose')}</label>
          <select id="purpose" name="purpose">
            <option value="">{t('audit.any')}</option>
            {purposes.map((p) => (
              <option key={p} value={p} selected={p === filter.purpose}>
                {t(`purpose.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('audit.apply')}</button>
      </form>
      <h2>{t('audit.entries')}</h2>
      <AccessLogTable t={t} entries={entries} caption={t('audit.entries')} forResident={false} />
      {olderHref && (
        <p class="pager">
          <a href={olderHref}>{t('audit.older')}</a>
        </p>
      )}
    </Layout>
  );
}

export function MyAccessLogPage({ ctx, entries, selfId }: { ctx: PageContext; entries: AuditEntry[]; selfId: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('myLog.title')}>
      <h1>{t('myLog.title')}</h1>
      <p class="lead">{t('myLog.lead')}</p>
      <AccessLogTable t={t} entries={entries} caption={t('myLog.title')} forResident={true} selfId={selfId} />
    </Layout>
  );
}
