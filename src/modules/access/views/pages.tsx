import type { Principal } from '../../../platform/auth/principal.js';
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';

export interface SignInForm {
  login: string;
  next: string;
  errors: { field: 'login' | 'password' | 'form'; message: string }[];
}

export function StaffSignInPage({ ctx, form }: { ctx: PageContext; form: SignInForm }) {
  const { t } = ctx;
  const fieldError = (f: 'login' | 'password') => form.errors.find((e) => e.field === f);
  const loginError = fieldError('login');
  const passwordError = fieldError('password');
  return (
    <Layout ctx={ctx} title={t('staff.signIn.title')}>
      <h1>{t('staff.signIn.title')}</h1>
      <p class="lead">{t('staff.signIn.lead')}</p>
      {form.errors.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
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

export function PurposePage({ ctx, purposes, next, current }: { ctx: PageContext; purposes: string[]; next: string; current: string | undefined }) {
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
          <fieldset>
            <legend class="visually-hidden">{t('staff.purpose.legend')}</legend>
            {purposes.map((p, i) => (
              <div class="radio" key={p}>
                <input type="radio" id={`purpose-${p}`} name="purpose" value={p} checked={current ? current === p : i === 0} />
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
        {links.map((l) => (
          <li key={l.href}>
            <a href={l.href}>{t(l.label)}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
