/** The resident sign-in page: the town's identity provider, and in a demo the fictional residents. */
import { Layout, type PageContext } from '../../../platform/views/layout.js';

export interface SignInOptions {
  next: string;
  oidc: boolean;
  demo: boolean;
}

export function SignInPage({ ctx, options }: { ctx: PageContext; options: SignInOptions }) {
  const { t } = ctx;
  const demoHref = options.next === '/me' ? '/auth/demo' : `/auth/demo?next=${encodeURIComponent(options.next)}`;
  return (
    <Layout ctx={ctx} title={t('portal.signIn.title')}>
      <h1>{t('portal.signIn.title')}</h1>
      <p class="lead">{t('portal.signIn.lead')}</p>
      {ctx.principal?.kind === 'resident' && (
        <p class="notice">
          {t('portal.signIn.already')} <a href={options.next}>{t('portal.signIn.continue')}</a>
        </p>
      )}
      {options.oidc && (
        <section aria-labelledby="oidc-heading" class="card">
          <h2 id="oidc-heading">{t('portal.signIn.oidcHeading')}</h2>
          <p>{t('portal.signIn.oidcHint')}</p>
          <form method="get" action="/auth/oidc/start">
            <input type="hidden" name="next" value={options.next} />
            <button type="submit">{t('portal.signIn.oidcButton')}</button>
          </form>
        </section>
      )}
      {options.demo && (
        <section aria-labelledby="demo-heading" class="card">
          <h2 id="demo-heading">{t('portal.signIn.demoHeading')}</h2>
          <p>
            <strong>{t('portal.demo.marking')}</strong>
          </p>
          <p>{t('portal.signIn.demoHint')}</p>
          <p>
            <a class="button secondary" href={demoHref}>
              {t('portal.signIn.demoLink')}
            </a>
          </p>
        </section>
      )}
      {!options.oidc && !options.demo && <p class="notice">{t('portal.signIn.none')}</p>}
      <p>{t('portal.home.counter')}</p>
    </Layout>
  );
}
