import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { onLive } from '../lib/live.js';
import { admits, type EventFilter } from './filters.js';

export interface LiveTailOptions {
  filter: Accessor<EventFilter>;
  on: Accessor<boolean>;
  /** New events to put at the top, in bursts (one call per flush). */
  add(positions: number[]): void;
  /** Too many at once, or the stream lost track: show the newest page afresh. */
  reload(): void;
}

// Bursts (a turn's transcript lines) arrive as many changes: fetched together, and past this many, as one page.
const FLUSH_MS = 150;
const MAX_FETCHED = 20;

/**
 * New events from the page's live stream, kept to those the filter admits. With the tail on
 * they are added as they come; with it off they are only counted (`missed`), so the page
 * can offer them without moving what the reader is looking at.
 */
export function createLiveTail({ filter, on, add, reload }: LiveTailOptions): { missed: Accessor<number>; clearMissed(): void } {
  const [missed, setMissed] = createSignal(0);
  let pending: number[] = [];
  let timer: number | undefined;
  onCleanup(() => window.clearTimeout(timer));

  const flush = () => {
    timer = undefined;
    const positions = pending;
    pending = [];
    if (positions.length > MAX_FETCHED) reload();
    else add(positions);
  };

  onLive({
    change(change) {
      if (!admits(filter(), change)) return;
      if (!on()) {
        setMissed((n) => n + 1);
        return;
      }
      pending.push(change.position);
      timer ??= window.setTimeout(flush, FLUSH_MS);
    },
    resync() {
      if (on()) reload();
      else setMissed((n) => Math.max(n, 1));
    },
  });
  return { missed, clearMissed: () => setMissed(0) };
}
