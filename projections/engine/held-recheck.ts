/**
 * Events a read could not take because an older transaction was still running are
 * announced by nothing when it ends. Mostly that transaction is one of the projector's own
 * commits, a few milliseconds long, so the read is asked again soon, and less often while it
 * lasts (another database's long transaction holds every reader of the cluster back). A
 * wake-up after the last held read makes the recheck needless: its pass reads anew.
 */
export interface HeldRecheck {
  /** Every read tells whether it was held back. */
  onRead(held: boolean): void;
  /** The projector woke for another reason (a notification, a recheck). */
  woke(): void;
  stop(): void;
}

export interface HeldRecheckOptions {
  firstMs: number;
  maxMs: number;
  wake(): void;
}

export function createHeldRecheck({ firstMs, maxMs, wake }: HeldRecheckOptions): HeldRecheck {
  let timer: NodeJS.Timeout | null = null;
  let heldReads = 0;
  let wakes = 0;
  let wakesAtHeld = 0;
  let stopped = false;

  return {
    onRead(held) {
      heldReads = held ? heldReads + 1 : 0;
      if (!held || stopped) return;
      wakesAtHeld = wakes;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (wakes === wakesAtHeld) wake();
      }, Math.min(firstMs * 2 ** (heldReads - 1), maxMs));
      timer.unref();
    },
    woke() {
      wakes++;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
