/** The portal home: what a resident can do here today, and the way in. */
import { Layout, type PageContext } from '../../../platform/views/layout.js';

export function HomePage({ ctx }: { ctx: PageContext }) {
  const { t, principal } = ctx;
  const resident = principal?.kind === 'resident';
  return (
    <Layout ctx={ctx} title={t('portal.home.title')}>
      <h1>{t('portal.home.title')}</h1>
      <p class="lead">{t('portal.home.lead')}</p>
      {resident ? (
        <p class="notice">{t('portal.home.signedIn')}</p>
      ) : (
        <div class="notice">
          <p>{t('portal.home.signInFirst')}</p>
          <p>
            <a class="button" href="/auth/sign-in">
              {t('portal.home.signIn')}
            </a>
          </p>
        </div>
      )}
      <h2>{t('portal.home.today')}</h2>
      <ul class="plain-list">
        <li class="card">
          <h3>
            <a href="/procedures">{t('portal.home.procedures')}</a>
          </h3>
          <p>{t('portal.home.proceduresHint')}</p>
          <p>
            {t('portal.home.lifeEvents')}{' '}
            <a href="/life-events/birth">{t('portal.home.event.birth')}</a>・<a href="/life-events/move-in">{t('portal.home.event.move-in')}</a>・
            <a href="/life-events/death">{t('portal.home.event.death')}</a>・<a href="/life-events/disaster">{t('portal.home.event.disaster')}</a>
          </p>
        </li>
        <li class="card">
          <h3>{resident ? <a href="/me">{t('portal.home.me')}</a> : t('portal.home.me')}</h3>
          <p>{t('portal.home.meHint')}</p>
        </li>
        <li class="card">
          <h3>{resident ? <a href="/me/access-log">{t('portal.home.accessLog')}</a> : t('portal.home.accessLog')}</h3>
          <p>{t('portal.home.accessLogHint')}</p>
        </li>
      </ul>
      <p>{t('portal.home.counter')}</p>
      <p>
        {principal?.kind === 'staff' ? <a href="/staff">{t('portal.home.staffHome')}</a> : <a href="/staff/sign-in">{t('portal.home.staff')}</a>}
      </p>
    </Layout>
  );
}
