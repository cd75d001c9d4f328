import { Layout, type PageContext } from '../../../platform/views/layout.js';
import type { ResidentFile } from '../resident-file.js';
import { PersonFile } from './person.js';

export function StaffPersonPage({ ctx, file, purpose }: { ctx: PageContext; file: ResidentFile; purpose: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('registry.person.title')}>
      <h1>{t('registry.person.title')}</h1>
      <p class="notice">{t('registry.person.purpose', { purpose: t(`purpose.${purpose}`) })}</p>
      <PersonFile t={t} locale={ctx.locale} file={file} audience="staff" personHref={(id) => `/staff/residents/${id}`} />
    </Layout>
  );
}

export function MePage({ ctx, file }: { ctx: PageContext; file: ResidentFile }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('me.title')}>
      <h1>{t('me.title')}</h1>
      <p class="lead">{t('me.lead')}</p>
      <PersonFile t={t} locale={ctx.locale} file={file} audience="resident" personHref={undefined} />
      <p>
        <a href="/me/access-log">{t('me.accessLogLink')}</a>
      </p>
    </Layout>
  );
}
