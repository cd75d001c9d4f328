import { describe, expect, it } from 'vitest';
import { decide, EVENTS, isFinal, nextState, payerStatus, RULES, STATES, type PaymentState } from './states.js';

describe('the table of payment states', () => {
  it('names only states that exist, and every state is reachable from created', () => {
    for (const e of EVENTS) {
      RULES[e].from.forEach((s) => expect(STATES).toContain(s));
      expect(STATES).toContain(RULES[e].to);
    }
    const reached = new Set<PaymentState>(['created']);
    for (let i = 0; i < 3; i += 1) for (const s of [...reached]) for (const e of EVENTS) { const to = nextState(s, e); if (to) reached.add(to); }
    expect([...reached].sort()).toEqual([...STATES].sort());
  });

  it('leads created → started → succeeded, failed, cancelled or expired', () => {
    expect(nextState('created', 'start')).toBe('started');
    expect(nextState('started', 'succeed')).toBe('succeeded');
    expect(nextState('started', 'fail')).toBe('failed');
    expect(nextState('started', 'cancel')).toBe('cancelled');
    expect(nextState('started', 'expire')).toBe('expired');
    expect(nextState('created', 'cancel')).toBe('cancelled');
    expect(nextState('created', 'expire')).toBe('expired');
  });

  it('takes money only for a started payment (a charge exists only from there)', () => {
    expect(nextState('created', 'succeed')).toBeUndefined();
    expect(nextState('created', 'fail')).toBeUndefined();
    expect(nextState('started', 'start')).toBeUndefined();
  });

  it('lets nothing move a payment that has ended', () => {
    for (const s of STATES.filter(isFinal)) for (const e of EVENTS) expect(nextState(s, e), `${s} ${e}`).toBeUndefined();
  });

  it('decides what a provider’s word does: move, already so, late capture, or ignore', () => {
    expect(decide('started', 'succeed')).toEqual({ kind: 'move', to: 'succeeded' });
    // A repeated success, a confirmed expiry: nothing to do.
    expect(decide('succeeded', 'succeed')).toEqual({ kind: 'same' });
    expect(decide('expired', 'expire')).toEqual({ kind: 'same' });
    // Money taken after the payment ended here: recorded and refunded.
    expect(decide('expired', 'succeed')).toEqual({ kind: 'late-capture' });
    expect(decide('cancelled', 'succeed')).toEqual({ kind: 'late-capture' });
    expect(decide('failed', 'succeed')).toEqual({ kind: 'late-capture' });
    // A decline or cancellation after a success never undoes the capture.
    expect(decide('succeeded', 'fail')).toEqual({ kind: 'ignore' });
    expect(decide('succeeded', 'cancel')).toEqual({ kind: 'ignore' });
    expect(decide('succeeded', 'expire')).toEqual({ kind: 'ignore' });
  });

  it('shows the payer open, paid or not paid', () => {
    expect(payerStatus('created')).toBe('open');
    expect(payerStatus('started')).toBe('open');
    expect(payerStatus('succeeded')).toBe('paid');
    for (const s of ['failed', 'cancelled', 'expired'] as const) expect(payerStatus(s)).toBe('not-paid');
  });
});
