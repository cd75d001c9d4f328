/** What a resident sees when OpenID Connect sign-in does not end in a session. */
import { Layout, type PageContext } from '../../../platform/views/layout.js';

export type SignInProblem = 'state' | 'idp' | 'exchange' | 'unavailable' | 'not-identified';

const TEXT: Record<SignInProblem, { title: string; body: string }> = {
  state: { title: 'portal.oidc.failedTitle', body: 'portal.oidc.failed.state' },
  idp: { title: 'portal.oidc.failedTitle', body: 'portal.oidc.failed.idp' },
  exchange: { title: 'portal.oidc.failedTitle', body: 'portal.oidc.failed.exchange' },
  unavailable: { title: 'portal.oidc.unavailableTitle', body: 'portal.oidc.unavailable' },
  'not-identified': { title: 'portal.oidc.unknownTitle', body: 'portal.oidc.unknown' },
};

export function SignInProblemPage({ ctx, problem, requestId }: { ctx: PageContext; problem: SignInProblem; requestId: string }) {
  const { t } = ctx;
  const text = TEXT[problem];
  return (
    <Layout ctx={ctx} title={t(text.title)}>
      <h1>{t(text.title)}</h1>
      <p class="notice">{t(text.body)}</p>
      {problem !== 'not-identified' && (
        <p>
          <a href="/auth/sign-in">{t('portal.oidc.retry')}</a>
        </p>
      )}
      <p>{t('error.requestId', { id: requestId })}</p>
      <p>
        <a href="/">{t('error.back')}</a>
      </p>
    </Layout>
  );
}
