/** The simulated provider's hosted page: what is paid, to whom and how, and the buttons that decide what happens. Works without JavaScript. */
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import type { ChargeState, PaymentMethod } from '../runtime.js';
import { Moment, PaymentsStyles, yen } from './common.js';

export interface SimulatedPageModel {
  ref: string;
  amount: number;
  description: string;
  method: PaymentMethod;
  state: ChargeState;
  paymentNumber: string | null;
  expiresAt: Date;
  returnUrl: string;
  /** The QR code of a QR-code payment, as an SVG document with its accessible name. */
  qrSvg?: string;
}

export function SimulatedPage({ ctx, m }: { ctx: PageContext; m: SimulatedPageModel }) {
  const { t, locale } = ctx;
  const action = `/payments/simulated/${m.ref}`;
  return (
    <Layout ctx={ctx} title={t('payments.sim.title')}>
      <PaymentsStyles />
      <p class="notice" role="note">
        {t('payments.sim.note')}
      </p>
      <h1>{t('payments.sim.title')}</h1>
      <dl class="facts card">
        <dt>{t('payments.sim.payee')}</dt>
        <dd>{t('payments.sim.payeeTown', { town: ctx.townName })}</dd>
        <dt>{t('payments.sim.description')}</dt>
        <dd>{m.description}</dd>
        <dt>{t('payments.sim.amount')}</dt>
        <dd>
          <strong class="pay-amount">{yen(t, m.amount)}</strong>
        </dd>
        <dt>{t('payments.sim.method')}</dt>
        <dd>{t(`payments.method.${m.method}`)}</dd>
        <dt>{t('payments.sim.expires')}</dt>
        <dd>
          <Moment t={t} locale={locale} at={m.expiresAt} />
        </dd>
      </dl>
      {m.state !== 'pending' ? (
        <>
          <p class="notice" role="status">
            {t('payments.sim.done', { state: t(`payments.sim.charge.${m.state}`) })}
          </p>
          <p>
            <a href={m.returnUrl}>{t('payments.back')}</a>
          </p>
        </>
      ) : (
        <>
          {m.method === 'card' && <p>{t('payments.sim.card')}</p>}
          {m.method === 'qr' && (
            <>
              <p>{t('payments.sim.qr')}</p>
              {m.qrSvg && <div class="sim-qr" dangerouslySetInnerHTML={{ __html: m.qrSvg }} />}
            </>
          )}
          {m.method === 'konbini' && (
            <>
              <p>{t('payments.sim.konbini')}</p>
              <h2>{t('payments.sim.number')}</h2>
              <p class="reference">{m.paymentNumber}</p>
            </>
          )}
          <form method="post" action={action} aria-labelledby="sim-choose">
            <CsrfField token={ctx.csrfToken} />
            <h2 id="sim-choose">{t('payments.sim.choose')}</h2>
            <div class="actions">
              <button type="submit" name="action" value="pay">
                {t(m.method === 'konbini' ? 'payments.sim.konbiniPaid' : 'payments.sim.pay')}
              </button>
              {m.method !== 'konbini' && (
                <button type="submit" name="action" value="decline" class="secondary">
                  {t('payments.sim.decline')}
                </button>
              )}
              <button type="submit" name="action" value="cancel" class="secondary">
                {t('payments.sim.cancel')}
              </button>
            </div>
          </form>
          {m.method === 'konbini' && (
            <p>
              <a href={m.returnUrl}>{t('payments.sim.keepNumber')}</a>
            </p>
          )}
        </>
      )}
    </Layout>
  );
}
