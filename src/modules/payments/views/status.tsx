/** The payer's link once the payment is no longer waiting for them: what became of it, and the way back. */
import { Layout, type PageContext } from '../../../platform/views/layout.js';
import type { PaymentState } from '../states.js';
import { payerStatus } from '../states.js';
import { yen } from './common.js';

export interface PaymentStatusModel {
  state: PaymentState;
  amount: number;
  description: string;
  returnUrl: string;
}

export function PaymentStatusPage({ ctx, m }: { ctx: PageContext; m: PaymentStatusModel }) {
  const { t } = ctx;
  const status = payerStatus(m.state);
  const state = t(`payments.state.${m.state}`);
  return (
    <Layout ctx={ctx} title={t('payments.pay.title')}>
      <h1>{t('payments.pay.title')}</h1>
      <p class={status === 'paid' ? 'confirmation' : 'notice'} role="status">
        {status === 'paid' ? t('payments.pay.paid') : status === 'open' ? t('payments.pay.open') : t('payments.pay.notPaid', { state })}
      </p>
      <dl class="facts card">
        <dt>{t('payments.sim.description')}</dt>
        <dd>{m.description}</dd>
        <dt>{t('payments.sim.amount')}</dt>
        <dd>{yen(t, m.amount)}</dd>
        <dt>{t('payments.pay.state')}</dt>
        <dd>{state}</dd>
      </dl>
      <p>
        <a href={m.returnUrl}>{t('payments.back')}</a>
      </p>
    </Layout>
  );
}
