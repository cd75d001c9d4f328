/** The page frame every server-rendered page shares: skip link, demo banner, header, nav, footer. */
import type { ComponentChildren } from 'preact';
import { HTML_LANG, LOCALES, type Locale, type Translate } from '../i18n.js';
import type { Principal } from '../auth/principal.js';

export interface NavItem {
  href: string;
  /** Message key of the label. */
  label: string;
  audience: 'staff' | 'resident' | 'public';
  /** For staff items: shown only to these roles (any of them). */
  roles?: string[];
}

const navItems: NavItem[] = [];

/** Modules add their menu entries at start. */
export function registerNav(...items: NavItem[]): void {
  for (const item of items) if (!navItems.some((n) => n.href === item.href)) navItems.push(item);
}

function visibleNav(principal: Principal | undefined): NavItem[] {
  return navItems.filter((item) => {
    if (item.audience === 'public') return true;
    if (!principal) return false;
    if (item.audience === 'staff') return principal.kind === 'staff' && (!item.roles || item.roles.some((r) => principal.roles.includes(r)));
    return principal.kind === 'resident' && item.audience === 'resident';
  });
}

export interface PageContext {
  t: Translate;
  locale: Locale;
  principal: Principal | undefined;
  csrfToken: string;
  demo: boolean;
  townName: string;
  /** Path and query of this page, for the language links. */
  path: string;
}

function langHref(path: string, locale: Locale): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}`;
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/**
 * The page frame. `kiosk`: a page handed to a member of the public on a staff device (the
 * signature tablet) — no menu, no sign-out, nothing to wander off to; the language switch stays.
 */
export function Layout({ ctx, title, children, kiosk = false }: { ctx: PageContext; title: string; children?: ComponentChildren; kiosk?: boolean }) {
  const { t, principal } = ctx;
  const signOutAction = principal?.kind === 'staff' ? '/staff/sign-out' : '/auth/sign-out';
  return (
    <html lang={HTML_LANG[ctx.locale]}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} | ${ctx.townName} ${t('app.name')}`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/tokens.css" />
        <link rel="stylesheet" href="/assets/yakuba.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('app.skip')}
        </a>
        <header>
        {ctx.demo && (
          <p class="demo-banner" role="note">
            {t('app.demo')}
          </p>
        )}
        <div class="site-header">
          <p class="site-title">
            {kiosk ? `${ctx.townName} ${t('app.name')}` : <a href={principal?.kind === 'staff' ? '/staff' : '/'}>{`${ctx.townName} ${t('app.name')}`}</a>}
          </p>
          {!kiosk && (
          <nav class="site-nav" aria-label={t('app.nav')}>
            <ul>
              {visibleNav(principal).map((item) => (
                <li key={item.href}>
                  <a href={item.href}>{t(item.label)}</a>
                </li>
              ))}
              {principal && (
                <li>
                  <form class="inline-form" method="post" action={signOutAction}>
                    <CsrfField token={ctx.csrfToken} />
                    <button type="submit" class="secondary">
                      {t('app.signOut')}
                    </button>
                  </form>
                </li>
              )}
            </ul>
          </nav>
          )}
          <nav class="lang-switch" aria-label={t('app.language')}>
            <ul>
              {LOCALES.map((l) => (
                <li key={l}>
                  <a href={langHref(ctx.path, l)} lang={HTML_LANG[l]} aria-current={l === ctx.locale ? 'true' : undefined}>
                    {t(`app.lang.${l}`)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <p>{t('app.footer')}</p>
        </footer>
      </body>
    </html>
  );
}

export function ErrorPage({ ctx, status, requestId }: { ctx: PageContext; status: number; requestId: string }) {
  const key = [400, 401, 403, 404].includes(status) ? `error.${status}` : status < 500 ? 'error.400' : 'error.500';
  return (
    <Layout ctx={ctx} title={ctx.t(key)}>
      <h1>{ctx.t(key)}</h1>
      <p>{ctx.t('error.requestId', { id: requestId })}</p>
      <p>
        <a href={ctx.principal?.kind === 'staff' ? '/staff' : '/'}>{ctx.t('error.back')}</a>
      </p>
    </Layout>
  );
}

/** A table that may scroll sideways on a narrow screen: a labelled region reachable by keyboard. */
export function TableWrap({ label, children }: { label: string; children?: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
