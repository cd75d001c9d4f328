/**
 * What yakuba asks of a payment provider (a card acquirer, a QR-code payment service such as
 * PayPay, a convenience-store payment agent). The payments module calls a provider only
 * outside its own transactions, and every call is safe to repeat: a charge is one per
 * payment, a refund one per refund id. What the provider learns later (the payer paid, gave
 * up, the refund went through) comes back as webhooks it signs.
 */
export const METHODS = ['card', 'qr', 'konbini'] as const;
export type PaymentMethod = (typeof METHODS)[number];

export interface ChargeRequest {
  /** Ours: the provider keeps it with the charge, and a second request for it returns the same charge. */
  paymentId: string;
  /** Whole yen. */
  amount: number;
  method: PaymentMethod;
  /** What the payer sees on the provider's page. */
  description: string;
  /** Where the provider sends the payer back to when they are done. */
  returnUrl: string;
  /** After this the provider takes no more money for it (a convenience-store payment's 支払期限). */
  expiresAt: Date;
  demo: boolean;
}

export interface Charge {
  providerRef: string;
  /** The provider's page the payer goes to. */
  nextUrl: string;
  /** A convenience-store payment number (支払番号), for methods that have one. */
  paymentNumber?: string;
}

export interface RefundRequest {
  providerRef: string;
  amount: number;
  /** Ours: a second request with the same id refunds nothing more. */
  refundId: string;
}

export interface RefundResult {
  providerRefundRef: string;
  /** `pending`: the provider answers later by webhook. */
  status: 'succeeded' | 'pending' | 'failed';
}

/** What a cancellation found: `cancelled` now (or already over), or already `captured` — the money is taken. */
export type CancelOutcome = 'cancelled' | 'captured';

export type ChargeEventType = 'charge.succeeded' | 'charge.failed' | 'charge.cancelled' | 'charge.expired';
export type RefundEventType = 'refund.succeeded' | 'refund.failed';

/** A provider's webhook, verified and read. `id` is unique per provider: the same id twice is one event. */
export type ProviderEvent =
  | { id: string; type: ChargeEventType; providerRef: string; amount: number; occurredAt: Date }
  | { id: string; type: RefundEventType; providerRef: string; refundId: string; providerRefundRef: string; occurredAt: Date };

export type WebhookRefusal = 'missing-signature' | 'bad-signature' | 'stale' | 'malformed';
export type WebhookCheck = { ok: true; event: ProviderEvent } | { ok: false; reason: WebhookRefusal };

export type Headers = Record<string, string | string[] | undefined>;

export interface PaymentProvider {
  /** Lower-case, the path of its webhook: `/api/v1/payments/webhooks/{name}`. */
  readonly name: string;
  readonly methods: readonly PaymentMethod[];
  /** Opens a charge for a payment the payer is about to pay; the same payment id returns the same charge. */
  createCharge(r: ChargeRequest): Promise<Charge>;
  /** Refunds part or all of a captured charge; the same refund id refunds once. */
  refund(r: RefundRequest): Promise<RefundResult>;
  /** Stops a charge the payer has not paid (expiry, the caller's cancellation). */
  cancelCharge(providerRef: string): Promise<CancelOutcome>;
  /** Checks a webhook's signature over the raw body, then reads it; a refusal changes nothing. */
  verifyWebhook(rawBody: Buffer, headers: Headers): WebhookCheck;
  /** The provider's fee on a capture of `amount` by `method`, in whole yen. */
  fee(amount: number, method: PaymentMethod): number;
}
