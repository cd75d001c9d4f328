import type { Principal } from '../../../platform/auth/principal.js';
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';

export interface SignInForm {
  login: string;
  next: string;
  errors: { field: 'login' | 'password' | 'form'; message: string }[];
}

export interface DemoLogin {
  login: string;
  role: string;
  /** A message key saying more (e.g. the position on cases: 係長). */
  note?: string;
}

export function StaffSignInPage({ ctx, form, demoLogins }: { ctx: PageContext; form: SignInForm; demoLogins?: { logins: DemoLogin[]; password: string } }) {
  const { t } = ctx;
  const fieldError = (f: 'login' | 'password') => form.errors.find((e) => e.field === f);
  const loginError = fieldError('login');
  const passwordError = fieldError('password');
  return (
    <Layout ctx={ctx} title={t('staff.signIn.title')}>
      <h1>{t('staff.signIn.title')}</h1>
      <p class="lead">{t('staff.signIn.lead')}</p>
      {ctx.demo && demoLogins && demoLogins.logins.length > 0 && (
        <div class="notice">
          <p>{t('staff.signIn.demo', { password: demoLogins.password })}</p>
          <ul>
            {demoLogins.logins.map((d) => (
              <li key={d.login}>
                <code>{d.login}</code> — {t(`role.${d.role}`)}
                {d.note && `（${t(d.note)}）`}
              </li>
            ))}
          </ul>
        </div>
      )}
      {form.errors.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} autoFocus>
          <h2 id="error-summary-title">{t('staff.signIn.errorTitle')}</h2>
          <ul>
            {form.errors.map((e) => (
              <li key={e.field}>{e.field === 'form' ? e.message : <a href={`#${e.field}`}>{e.message}</a>}</li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/staff/sign-in" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="next" value={form.next} />
        <div class="field">
          <label for="login">{t('staff.signIn.login')}</label>
          {loginError && (
            <p class="error" id="login-error">
              {loginError.message}
            </p>
          )}
          <input
            type="text"
            id="login"
            name="login"
            value={form.login}
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            required
            aria-invalid={loginError ? 'true' : undefined}
            aria-describedby={loginError ? 'login-error' : undefined}
          />
        </div>
        <div class="field">
          <label for="password">{t('staff.signIn.password')}</label>
          {passwordError && (
            <p class="error" id="password-error">
              {passwordError.message}
            </p>
          )}
          <input
            type="password"
            id="password"
            name="password"
            autoComplete="current-password"
            required
            aria-invalid={passwordError ? 'true' : undefined}
            aria-describedby={passwordError ? 'password-error' : undefined}
          />
        </div>
        <button type="submit">{t('staff.signIn.submit')}</button>
      </form>
    </Layout>
  );
}

export function PurposePage({ ctx, purposes, next, current, error }: { ctx: PageContext; purposes: string[]; next: string; current: string | undefined; error?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.purpose.title')}>
      <h1>{t('staff.purpose.title')}</h1>
      <p class="lead">{t('staff.purpose.lead')}</p>
      {purposes.length === 0 ? (
        <p class="notice">{t('staff.purpose.none')}</p>
      ) : (
        <form method="post" action="/staff/purpose">
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="next" value={next} />
          <fieldset aria-describedby={error ? 'purpose-error' : undefined}>
            <legend class="visually-hidden">{t('staff.purpose.legend')}</legend>
            {error && (
              <p class="error" id="purpose-error" role="alert">
                {error}
              </p>
            )}
            {purposes.map((p) => (
              <div class="radio" key={p}>
                {/* Nothing is pre-selected: the purpose is a deliberate choice, recorded with every look. */}
                <input type="radio" id={`purpose-${p}`} name="purpose" value={p} checked={current === p} required />
                <label for={`purpose-${p}`}>{t(`purpose.${p}`)}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit">{t('staff.purpose.submit')}</button>
        </form>
      )}
    </Layout>
  );
}

export interface StaffLink {
  href: string;
  label: string;
  /** Shown only to these roles (any of them); all staff when absent. */
  roles?: string[];
}

export function StaffHomePage({ ctx, principal, links }: { ctx: PageContext; principal: Extract<Principal, { kind: 'staff' }>; links: StaffLink[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.home.title')}>
      <h1>{t('staff.home.title')}</h1>
      <p>{t('app.signedInAs', { name: principal.name })}</p>
      <p>{t('staff.home.roles', { roles: principal.roles.map((r) => t(`role.${r}`)).join('、') })}</p>
      <p>
        {t('staff.purpose.current', { purpose: principal.taskPurpose ? t(`purpose.${principal.taskPurpose}`) : '—' })}{' '}
        <a href="/staff/purpose">{t('staff.purpose.change')}</a>
      </p>
      <ul>
        {links.filter((l) => !l.roles || l.roles.some((r) => principal.roles.includes(r))).map((l) => (
          <li key={l.href}>
            <a href={l.href}>{t(l.label)}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
