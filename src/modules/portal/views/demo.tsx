/** The demo sign-in: fictional residents, each with a button to sign in as them. */
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import { DateText } from '../../../platform/views/dates.js';
import type { DemoResident } from '../../registry/index.js';

export function DemoSignInPage({ ctx, residents, next }: { ctx: PageContext; residents: DemoResident[]; next: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('portal.demo.title')}>
      <h1>{t('portal.demo.title')}</h1>
      <div class="notice" role="note">
        <p>
          <strong>{t('portal.demo.marking')}</strong>
        </p>
        <p>{t('portal.demo.lead')}</p>
        <p>{t('portal.demo.recorded')}</p>
      </div>
      {residents.length === 0 ? (
        <p>{t('portal.demo.empty')}</p>
      ) : (
        <section aria-labelledby="demo-list-heading">
          <h2 id="demo-list-heading">{t('portal.demo.caption', { count: residents.length })}</h2>
          <ul class="plain-list">
            {residents.map((r) => {
              const name = `${r.familyName} ${r.givenName}`;
              return (
                <li class="card" key={r.id}>
                  <h3 lang="ja">{name}</h3>
                  <dl class="facts">
                    <dt>{t('portal.demo.kana')}</dt>
                    <dd lang="ja">{`${r.familyNameKana} ${r.givenNameKana}`}</dd>
                    <dt>{t('portal.demo.birthDate')}</dt>
                    <dd>
                      <DateText iso={r.birthDate} locale={ctx.locale} />
                    </dd>
                    <dt>{t('portal.demo.household')}</dt>
                    <dd>{t('portal.demo.members', { count: r.householdSize })}</dd>
                  </dl>
                  <form method="post" action="/auth/demo">
                    <CsrfField token={ctx.csrfToken} />
                    <input type="hidden" name="personId" value={r.id} />
                    <input type="hidden" name="next" value={next} />
                    <button type="submit">{t('portal.demo.signInAsLabel', { name })}</button>
                  </form>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </Layout>
  );
}
