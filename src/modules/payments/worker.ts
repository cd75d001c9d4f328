/**
 * The payments' background work, one pass at a time: expire open payments past their time,
 * send refunds to their provider, and (the simulated provider's side) deliver its webhooks
 * not yet accepted. Rows are claimed with SKIP LOCKED and lease tokens, so several processes
 * may run it at once; every step is safe to repeat.
 */
import { createPoller, type Poller } from '../../platform/poller.js';
import { handlerScope, type PaymentsRuntime } from './runtime.js';
import { expireDue } from './service.js';
import { sendRefunds } from './refunds.js';

export interface PaymentsWorker extends Poller {
  /** Runs passes until nothing is left that is due now (tests; a CLI could). */
  drain(): Promise<void>;
  /** A pass soon (a refund or a webhook was queued). */
  kick(): void;
}

export function createPaymentsWorker(rt: PaymentsRuntime, o: { pollMs: number; deliverWebhooks?: () => Promise<number> }): PaymentsWorker {
  async function pass(): Promise<boolean> {
    const moreToExpire = await expireDue(rt);
    const refunds = await sendRefunds(rt, { limit: 10 });
    const webhooks = o.deliverWebhooks ? await o.deliverWebhooks() : 0;
    return moreToExpire || refunds === 10 || webhooks === 20;
  }
  const poller = createPoller({ pass, pollMs: o.pollMs, onError: (err) => rt.log.error({ err: err instanceof Error ? err.name : 'error' }, 'payments worker failed') });
  let running = false;
  let kickTimer: NodeJS.Timeout | undefined;
  let kicked: Promise<unknown> | undefined;
  return {
    start() {
      running = true;
      poller.start();
    },
    async stop() {
      running = false;
      if (kickTimer) clearTimeout(kickTimer);
      kickTimer = undefined;
      await poller.stop();
      await kicked;
    },
    kick() {
      // A running worker gets an extra pass shortly; without one (tests) nothing happens until drain().
      if (!running || kickTimer) return;
      // Called from inside a payment handler, the timer would otherwise carry that (finished) transaction along.
      kickTimer = handlerScope.exit(() => setTimeout(() => {
        kickTimer = undefined;
        if (!running) return;
        kicked = pass()
          .catch((err: unknown) => rt.log.error({ err: err instanceof Error ? err.name : 'error' }, 'payments worker failed'))
          .finally(() => (kicked = undefined));
      }, 50));
    },
    async drain() {
      for (let i = 0; i < 100 && (await pass()); i += 1);
    },
  };
}
