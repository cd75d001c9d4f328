/** The staff page of webhook subscriptions and deliveries. */
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import type { RecentDeliveryRow, SubscriptionRow } from '../store.js';

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 60);
  }
}

/** Why a subscription stopped, in words; an unknown code is shown as it is. */
function reasonText(t: PageContext['t'], reason: string, purpose: string): string {
  const key = `webhooks.reason.${reason}`;
  const text = t(key, { purpose });
  return text === key ? reason : text;
}

function When({ ctx, at }: { ctx: PageContext; at: Date }) {
  const text = at.toLocaleString(ctx.locale === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'medium' });
  return <time dateTime={at.toISOString()}>{text}</time>;
}

export interface WebhooksPageProps {
  ctx: PageContext;
  subscriptions: SubscriptionRow[];
  deliveries: RecentDeliveryRow[];
  deliveryLimit: number;
  canRetry: boolean;
  retried: boolean;
}

export function WebhooksPage({ ctx, subscriptions, deliveries, deliveryLimit, canRetry, retried }: WebhooksPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('webhooks.title')}>
      <h1>{t('webhooks.title')}</h1>
      <p class="lead">{t('webhooks.lead')}</p>
      {retried && (
        <p class="notice" role="status">
          {t('webhooks.retried')}
        </p>
      )}

      <h2 id="subscriptions">{t('webhooks.subscriptions.caption')}</h2>
      {subscriptions.length === 0 ? (
        <p>{t('webhooks.subscriptions.none')}</p>
      ) : (
        <TableWrap label={t('webhooks.subscriptions.caption')}>
          <table>
            <caption class="visually-hidden">{t('webhooks.subscriptions.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.col.owner')}</th>
                <th scope="col">{t('webhooks.col.host')}</th>
                <th scope="col">{t('webhooks.col.types')}</th>
                <th scope="col">{t('webhooks.col.active')}</th>
                <th scope="col">{t('webhooks.col.created')}</th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    {s.owner_kind === 'client' ? t('webhooks.owner.client', { id: s.owner_id }) : t('webhooks.owner.staff', { name: s.owner_name })}
                  </th>
                  <td>{hostOf(s.url)}</td>
                  <td>
                    {s.event_types.map((type) => (
                      <span class="tag" key={type}>
                        {type}
                      </span>
                    ))}
                  </td>
                  <td>
                    {s.active ? (
                      t('webhooks.active.yes')
                    ) : (
                      <>
                        <strong>{t('webhooks.active.no')}</strong>
                        {s.deactivated_reason && ` — ${reasonText(t, s.deactivated_reason, s.purpose)}`}
                      </>
                    )}
                  </td>
                  <td>
                    <When ctx={ctx} at={s.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      <h2 id="deliveries">{t('webhooks.deliveries.caption', { count: deliveryLimit })}</h2>
      {deliveries.length === 0 ? (
        <p>{t('webhooks.deliveries.none')}</p>
      ) : (
        <TableWrap label={t('webhooks.deliveries.caption', { count: deliveryLimit })}>
          <table>
            <caption class="visually-hidden">{t('webhooks.deliveries.caption', { count: deliveryLimit })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.col.event')}</th>
                <th scope="col">{t('webhooks.col.host')}</th>
                <th scope="col">{t('webhooks.col.status')}</th>
                <th scope="col">{t('webhooks.col.attempts')}</th>
                <th scope="col">{t('webhooks.col.next')}</th>
                <th scope="col">{t('webhooks.col.lastError')}</th>
                {canRetry && <th scope="col">{t('webhooks.col.action')}</th>}
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    {`#${d.event_position} `}
                    <span class="tag">{d.event_type}</span>
                  </th>
                  <td>{hostOf(d.url)}</td>
                  <td>
                    <strong>{t(`webhooks.status.${d.status}`)}</strong>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.status === 'pending' ? <When ctx={ctx} at={d.next_attempt_at} /> : t('webhooks.none')}</td>
                  <td>{d.last_error ?? t('webhooks.none')}</td>
                  {canRetry && (
                    <td>
                      {d.status === 'dead' && d.subscription_active && (
                        <form class="inline-form" method="post" action={`/staff/webhooks/deliveries/${d.id}/retry`}>
                          <CsrfField token={ctx.csrfToken} />
                          <button type="submit" class="secondary" aria-label={t('webhooks.retry.label', { position: d.event_position })}>
                            {t('webhooks.retry')}
                          </button>
                        </form>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>
  );
}
