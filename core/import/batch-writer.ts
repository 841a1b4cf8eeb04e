import { classifyPgError } from '../pg-errors.js';

/**
 * Bulk appends for `arrakis import` and `arrakis import-log`: items gather into batches of
 * bounded size, each written in a transaction of its own, one after another (so the log
 * keeps the input's order), while the next batch is being read. Once a batch waits, `add`
 * waits too: that is the backpressure that bounds memory whatever the input's size. Small
 * batches keep it low: items that outlive a few young-generation collections (by waiting
 * behind a big transaction) are promoted, and the old generation then grows long before V8
 * collects it (2 MiB batches of parsed events took an import's peak RSS past 300 MB; 512 KiB
 * kept it near 240 MB, as fast). Items of a few flat strings each, as the transcript import's
 * rows are, keep it low in bigger batches too. A batch the database refuses is retried item
 * by item, so one bad item fails alone.
 */
export type WriteStatus = 'stored' | 'duplicate' | 'conflict';

export interface WriteTally {
  stored: number;
  duplicate: number;
  conflict: number;
  failed: number;
}

export interface BatchWriterOptions<T> {
  /** One transaction; answers each item's status in order. */
  write(items: readonly T[]): Promise<readonly WriteStatus[]>;
  /** ≤ 5,000: a transaction's positions must span less than the SSE ids allow, and big ones hold projectors back. */
  maxItems?: number;
  maxBytes?: number;
  /** Batches written or waiting besides the one being filled; `add` waits beyond it. */
  maxPending?: number;
  transientRetries?: number;
  onFailed?(item: T, error: Error): void;
}

export interface BatchWriter<T> {
  add(item: T, bytes: number): Promise<void>;
  /** Writes what is left and waits for every batch; throws if the database became unavailable. */
  finish(): Promise<WriteTally>;
}

/**
 * Items are made in a loop that only awaits promises already settled, so the database's
 * answers wait until the loop reads from disk again, and the database with them: a turn of
 * the event loop every few items lets a committed batch hand over to the next at once.
 */
const YIELD_EVERY = 32;

export function createBatchWriter<T>({
  write,
  maxItems = 1000,
  maxBytes = 512 * 1024,
  maxPending = 1,
  transientRetries = 3,
  onFailed = () => {},
}: BatchWriterOptions<T>): BatchWriter<T> {
  const tally: WriteTally = { stored: 0, duplicate: 0, conflict: 0, failed: 0 };
  const pending: Promise<void>[] = [];
  let previous: Promise<void> = Promise.resolve();
  let fatal: Error | null = null;
  let items: T[] = [];
  let bytes = 0;

  async function attempt(batch: readonly T[]): Promise<void> {
    for (let retry = 0; ; retry++) {
      try {
        for (const status of await write(batch)) tally[status]++;
        return;
      } catch (error) {
        if (classifyPgError(error) !== 'transient' || retry >= transientRetries) throw error;
      }
    }
  }

  async function commit(batch: readonly T[]): Promise<void> {
    if (fatal) return;
    try {
      await attempt(batch);
    } catch (error) {
      if (classifyPgError(error) === 'unavailable' || batch.length === 1) return fail(batch, error as Error);
      for (const item of batch) {
        if (fatal) return;
        await attempt([item]).catch((single: Error) => fail([item], single));
      }
    }
  }

  function fail(batch: readonly T[], error: Error): void {
    if (classifyPgError(error) === 'unavailable') {
      fatal ??= error;
      return;
    }
    tally.failed += batch.length;
    for (const item of batch) onFailed(item, error);
  }

  function send(): void {
    const batch = items;
    items = [];
    bytes = 0;
    // Chained: a batch starts once the one before committed, so transactions follow the input.
    previous = previous.then(() => commit(batch));
    pending.push(previous);
  }

  async function check(): Promise<void> {
    while (pending.length > maxPending) await pending.shift();
    if (fatal) throw fatal;
  }

  return {
    async add(item, size) {
      if (fatal) throw fatal;
      items.push(item);
      bytes += size;
      if (items.length >= maxItems || bytes >= maxBytes) {
        send();
        await check();
      } else if (items.length % YIELD_EVERY === 0) {
        await new Promise(setImmediate);
      }
    },
    async finish() {
      if (items.length > 0) send();
      await Promise.all(pending.splice(0));
      if (fatal) throw fatal;
      return { ...tally };
    },
  };
}
