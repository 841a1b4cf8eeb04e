import type { Sql } from 'postgres';
import { appendEvents } from './event-store.js';
import type { AppendOutcome, NewEvent } from './events.js';
import { classifyPgError } from './pg-errors.js';

/**
 * Group commit: appends that arrive while a transaction is in flight wait and then share
 * the next one, so the commit's WAL flush is paid once per batch rather than per request.
 * Each caller's promise settles only after the transaction holding its events committed.
 */
export interface Appender {
  append(events: readonly NewEvent[], sizeHint?: number): Promise<AppendOutcome[]>;
  /** Settles once every append accepted so far has been answered. */
  drain(): Promise<void>;
}

export interface AppenderOptions {
  clock?: () => Date;
  maxBatchEvents?: number;
  maxBatchBytes?: number;
  maxInFlight?: number;
  transientRetries?: number;
}

interface Pending {
  events: readonly NewEvent[];
  bytes: number;
  resolve: (outcomes: AppendOutcome[]) => void;
  reject: (error: unknown) => void;
}

export function createAppender(
  sql: Sql,
  {
    clock = () => new Date(),
    maxBatchEvents = 1000,
    maxBatchBytes = 16 * 1024 * 1024,
    // One: measured at 16 clients, two overlapping commits each took half the requests, and
    // the extra transactions' per-commit work cost more Node CPU than the overlap gained
    // (ingest ~8% slower; docs/benchmarks.md).
    maxInFlight = 1,
    transientRetries = 3,
  }: AppenderOptions = {},
): Appender {
  const queue: Pending[] = [];
  let inFlight = 0;
  let idle: Array<() => void> = [];

  function takeBatch(): Pending[] {
    const batch = [queue.shift()!];
    let events = batch[0]!.events.length;
    let bytes = batch[0]!.bytes;
    while (queue.length > 0) {
      const next = queue[0]!;
      if (events + next.events.length > maxBatchEvents || bytes + next.bytes > maxBatchBytes) break;
      batch.push(queue.shift()!);
      events += next.events.length;
      bytes += next.bytes;
    }
    return batch;
  }

  async function commit(batch: Pending[]): Promise<void> {
    const events = batch.flatMap((p) => p.events);
    for (let attempt = 0; ; attempt++) {
      try {
        const outcomes = await appendEvents(sql, events, clock());
        let at = 0;
        for (const pending of batch) {
          pending.resolve(outcomes.slice(at, at + pending.events.length));
          at += pending.events.length;
        }
        return;
      } catch (error) {
        const kind = classifyPgError(error);
        if (kind === 'transient' && attempt < transientRetries) continue;
        // One bad request must not fail the others that happened to share its transaction.
        if (batch.length > 1 && kind !== 'unavailable') {
          for (const pending of batch) await commit([pending]);
          return;
        }
        for (const pending of batch) pending.reject(error);
        return;
      }
    }
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      inFlight++;
      void commit(takeBatch()).finally(() => {
        inFlight--;
        pump();
      });
    }
    if (inFlight === 0 && queue.length === 0) {
      for (const resolve of idle) resolve();
      idle = [];
    }
  }

  return {
    append(events, sizeHint = 0) {
      if (events.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ events, bytes: sizeHint, resolve, reject });
        pump();
      });
    },
    drain() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}
