/**
 * Receiving a provider's webhooks. The signature is checked over the raw body before anything
 * else; a refused one changes nothing (401). An accepted event is recorded by its id and
 * applied in the same transaction, so a repeated delivery finds it recorded and does nothing,
 * and an event whose listener fails rolls back whole and is applied when delivered again.
 * An event for a charge not known here (yet: the charge may be a moment from being written)
 * is refused with 503 and not recorded, so the provider sends it again; one naming another
 * amount than the payment's is recorded as a mismatch for the accounting desk, not applied.
 */
import { DomainError, notFound, unauthenticated, validationError } from '../../platform/errors.js';
import { emitEvent } from '../../platform/outbox.js';
import type { Headers, ProviderEvent } from './providers/types.js';
import type { PaymentsRuntime } from './runtime.js';
import { applyChargeOutcome } from './service.js';
import { settleRefund } from './refunds.js';
import type { PaymentEvent } from './states.js';
import * as store from './store.js';

export type WebhookOutcome = 'applied' | 'late-capture' | 'ignored' | 'amount-mismatch' | 'duplicate';

const CHARGE_EVENTS: Record<string, PaymentEvent> = {
  'charge.succeeded': 'succeed',
  'charge.failed': 'fail',
  'charge.cancelled': 'cancel',
  'charge.expired': 'expire',
};

/** Verifies and applies one delivery; throws `unauthenticated` (401) when the signature does not hold, before anything is read or written. */
export async function receiveWebhook(rt: PaymentsRuntime, providerName: string, rawBody: Buffer, headers: Headers): Promise<WebhookOutcome> {
  const provider = rt.providers.get(providerName);
  if (!provider) throw notFound(`payment provider ${providerName.slice(0, 40)}`);
  const check = provider.verifyWebhook(rawBody, headers);
  if (!check.ok) {
    rt.log.warn({ provider: providerName, reason: check.reason }, 'payment webhook refused');
    // A body that is signed but cannot be read is the provider's mistake (400); anything else is not the provider (401).
    if (check.reason === 'malformed') throw validationError('the webhook is signed but its body cannot be read');
    throw unauthenticated(`the webhook is refused: ${check.reason}`);
  }
  const outcome = await rt.db.transaction((tx) => applyEvent(rt, tx, providerName, check.event));
  if (outcome === 'late-capture') rt.kick();
  return outcome;
}

async function applyEvent(rt: PaymentsRuntime, tx: Parameters<typeof store.recordEvent>[0], providerName: string, ev: ProviderEvent): Promise<WebhookOutcome> {
  const fresh = await store.recordEvent(tx, { provider: providerName, eventId: ev.id, type: ev.type, paymentId: null, outcome: 'ignored', amount: 'amount' in ev ? ev.amount : null, at: rt.now() });
  if (!fresh) return 'duplicate';
  const row = await store.findPaymentByProviderRef(tx, providerName, ev.providerRef, { lock: true });
  if (!row) {
    rt.log.warn({ provider: providerName, type: ev.type }, 'payment webhook for a charge this installation does not know (yet): asking for it again');
    // Thrown inside the transaction: the event is not recorded, and the provider's next try is applied.
    throw new DomainError('busy', 'the charge is not known here (yet); send the event again later');
  }
  let outcome: store.EventOutcome;
  if (!('amount' in ev)) {
    const refund = await store.findRefund(tx, ev.refundId, { lock: true });
    outcome =
      refund && refund.payment_id === row.id &&
      (await settleRefund(rt, tx, refund.id, null, { state: ev.type === 'refund.succeeded' ? 'succeeded' : 'failed', providerRefundRef: ev.providerRefundRef, at: ev.occurredAt }))
        ? 'applied'
        : 'ignored';
  } else if (ev.amount !== row.amount) {
    rt.log.error({ payment: row.id, type: ev.type }, 'payment webhook names another amount than the payment: not applied, shown to the accounting desk');
    await emitEvent(tx, 'payment.amount-mismatch', [], { paymentId: row.id, reference: row.reference, type: ev.type, expected: row.amount, named: ev.amount });
    outcome = 'amount-mismatch';
  } else {
    outcome = await applyChargeOutcome(rt, tx, row, CHARGE_EVENTS[ev.type]!, ev.occurredAt);
  }
  await store.setEventOutcome(tx, providerName, ev.id, outcome, row.id);
  return outcome;
}
