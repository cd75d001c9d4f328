/**
 * The payment states and the explicit table of what may happen in each. Pure: given a
 * payment's state and what happened, say where it leads. The service applies it under a row
 * lock; whatever the table does not list is refused (an API call) or ignored (a provider's
 * late or repeated word), never applied.
 *
 *   created ──start──▶ started ──succeed──▶ succeeded
 *      │                 ├──fail──────▶ failed
 *      ├──cancel─────────┼──cancel────▶ cancelled
 *      └──expire─────────┴──expire────▶ expired
 */
export const STATES = ['created', 'started', 'succeeded', 'failed', 'cancelled', 'expired'] as const;
export type PaymentState = (typeof STATES)[number];

export const OPEN_STATES: readonly PaymentState[] = ['created', 'started'];
export const isOpen = (s: PaymentState): boolean => OPEN_STATES.includes(s);
export const isFinal = (s: PaymentState): boolean => !isOpen(s);

export const EVENTS = ['start', 'succeed', 'fail', 'cancel', 'expire'] as const;
export type PaymentEvent = (typeof EVENTS)[number];

export interface Rule {
  from: readonly PaymentState[];
  to: PaymentState;
}

export const RULES: Record<PaymentEvent, Rule> = {
  // The payer opened the provider's page: a charge exists from here on.
  start: { from: ['created'], to: 'started' },
  // Only a charge can be paid or declined, and a charge exists only once started.
  succeed: { from: ['started'], to: 'succeeded' },
  fail: { from: ['started'], to: 'failed' },
  // The payer (on the provider's page) or the caller gave up before paying.
  cancel: { from: ['created', 'started'], to: 'cancelled' },
  // Past expiresAt without being paid (the worker, or anyone who looks).
  expire: { from: ['created', 'started'], to: 'expired' },
};

/** The state `event` leads to from `state`, or undefined when the table does not allow it. */
export function nextState(state: PaymentState, event: PaymentEvent): PaymentState | undefined {
  const rule = RULES[event];
  return rule.from.includes(state) ? rule.to : undefined;
}

/**
 * What to do with a provider's word about a payment:
 * - `move`: the table allows it;
 * - `same`: it is already so (a repeat, or our own expiry that the provider confirms);
 * - `late-capture`: the provider took the money for a payment that had already ended here
 *   (it expired or was cancelled a moment before the payer paid): the capture is recorded
 *   and refunded at once, and the payment keeps its state;
 * - `ignore`: anything else (a decline after a success): recorded, not applied.
 */
export type Decision = { kind: 'move'; to: PaymentState } | { kind: 'same' } | { kind: 'late-capture' } | { kind: 'ignore' };

export function decide(state: PaymentState, event: PaymentEvent): Decision {
  const to = nextState(state, event);
  if (to) return { kind: 'move', to };
  if (RULES[event].to === state) return { kind: 'same' };
  if (event === 'succeed' && (state === 'failed' || state === 'cancelled' || state === 'expired')) return { kind: 'late-capture' };
  return { kind: 'ignore' };
}

/** What a payer is shown: still to pay, paid, or not paid (and why). */
export function payerStatus(s: PaymentState): 'open' | 'paid' | 'not-paid' {
  if (isOpen(s)) return 'open';
  return s === 'succeeded' ? 'paid' : 'not-paid';
}
