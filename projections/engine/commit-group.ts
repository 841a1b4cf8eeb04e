import type { Sql } from 'postgres';
import { commitBatch, commitBatches, type Batch } from './commit-batch.js';
import { FencedError } from './slots.js';

export type Commit = (batch: Batch) => Promise<void>;

interface Waiting {
  batch: Batch;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * At the head every slot folds the same new events at the same moment: their commits, sent
 * within one turn of the event loop, go as one statement (commitBatches) instead of one
 * each, so an append costs the projector one write however many projections it runs. Each
 * slot keeps its own compare-and-set, so a fenced one is refused alone. When the statement
 * fails, each batch is sent again on its own, so a failure reaches only the slot it belongs to.
 */
export function createCommitGroup(sql: Sql): Commit {
  let waiting: Waiting[] = [];

  const alone = ({ batch, resolve, reject }: Waiting) => commitBatch(sql, batch).then(resolve, reject);

  async function flush(): Promise<void> {
    const group = waiting;
    waiting = [];
    if (group.length === 1) return alone(group[0]!);
    let moved: boolean[];
    try {
      moved = await commitBatches(sql, group.map((w) => w.batch));
    } catch {
      await Promise.all(group.map(alone));
      return;
    }
    group.forEach(({ batch, resolve, reject }, i) => (moved[i] ? resolve() : reject(new FencedError(batch.slot))));
  }

  return (batch) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ batch, resolve, reject });
      if (waiting.length === 1) setImmediate(() => void flush());
    });
}
