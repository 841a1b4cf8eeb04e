import { onCleanup } from 'solid-js';
import { onLive } from '../lib/live.js';

export interface RefreshOptions {
  everyMs?: number;
  /** Live changes come in bursts: at most one refresh per this long. */
  throttleMs?: number;
}

/**
 * Runs `load` now, every `everyMs`, and after live changes (throttled), never two at once:
 * a request made while one runs is folded into one more run after it.
 */
export function createRefresh(load: () => Promise<void>, { everyMs = 10_000, throttleMs = 2_000 }: RefreshOptions = {}): () => void {
  let running = false;
  let again = false;
  let last = 0;
  let timer: number | undefined;

  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    last = Date.now();
    try {
      await load();
    } finally {
      running = false;
      if (again) {
        again = false;
        soon();
      }
    }
  };
  const soon = () => {
    if (timer !== undefined) return;
    timer = window.setTimeout(
      () => {
        timer = undefined;
        void run();
      },
      Math.max(0, last + throttleMs - Date.now()),
    );
  };

  const interval = window.setInterval(() => void run(), everyMs);
  onCleanup(() => {
    window.clearInterval(interval);
    window.clearTimeout(timer);
  });
  onLive({ change: soon, resync: soon });
  void run();
  return () => void run();
}
