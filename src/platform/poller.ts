/**
 * A background loop for workers that claim jobs from the database: one pass at a time, the
 * next at once while passes come back full, else after `pollMs`; `stop` waits for the pass
 * in flight, so the database can close behind it.
 */
export interface Poller {
  start(): void;
  stop(): Promise<void>;
}

export function createPoller(opts: { pass: () => Promise<boolean>; pollMs: number; onError: (err: unknown) => void }): Poller {
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  function schedule(delayMs: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = undefined;
      inFlight = opts
        .pass()
        .catch((err: unknown) => {
          opts.onError(err);
          return false;
        })
        .then((busy) => {
          inFlight = undefined;
          schedule(busy ? 0 : opts.pollMs);
        });
    }, delayMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
