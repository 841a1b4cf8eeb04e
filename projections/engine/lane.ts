/**
 * Runs one piece of work at a time, again whenever it was asked for meanwhile. A slot's
 * lane lets it catch up the moment it is woken, whatever the other slots are doing, and
 * backs off on its own after a failure instead of holding the others back.
 */
export interface Lane {
  /**
   * Resolves after a run that started after this call has ended, successful or not. `now`
   * skips a backoff under way: what the failures waited for is known to be back.
   */
  kick(options?: { now?: boolean }): Promise<void>;
  /** Cancels a pending retry and resolves once the run in progress, if any, has ended. */
  close(): Promise<void>;
}

export interface LaneOptions {
  /** Pause before running again after `failures` failures in a row. */
  backoff(failures: number): number;
  onError(error: unknown, failures: number): void;
  now?: () => number;
}

export function createLane(work: () => Promise<void>, { backoff, onError, now = Date.now }: LaneOptions): Lane {
  let running: Promise<void> | null = null;
  let waiting: Array<() => void> = [];
  let failures = 0;
  let notBefore = 0;
  let retry: NodeJS.Timeout | null = null;

  function schedule(): void {
    if (running || retry) return;
    const wait = notBefore - now();
    if (wait <= 0) start();
    else retry = setTimeout(() => {
      retry = null;
      start();
    }, wait);
  }

  function start(): void {
    const waiters = waiting;
    waiting = [];
    running = work()
      .then(() => {
        failures = 0;
        notBefore = 0;
      })
      .catch((error: unknown) => {
        failures++;
        notBefore = now() + backoff(failures);
        onError(error, failures);
      })
      .finally(() => {
        running = null;
        for (const resolve of waiters) resolve();
        if (waiting.length > 0) schedule();
      });
  }

  return {
    kick: ({ now: urgent = false } = {}) =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (urgent) {
          notBefore = 0;
          if (retry) clearTimeout(retry);
          retry = null;
        }
        schedule();
      }),
    async close() {
      if (retry) clearTimeout(retry);
      retry = null;
      for (const resolve of waiting) resolve();
      waiting = [];
      await running;
    },
  };
}
