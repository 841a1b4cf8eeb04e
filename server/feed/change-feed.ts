import { Observable, Subject } from 'rxjs';
import type { Sql } from 'postgres';
import { START, type Checkpoint } from '../../core/event-store.js';
import { silentLogger, type Logger } from '../../core/log.js';
import { PROJECTIONS_CHANNEL } from '../../projections/engine/commit-batch.js';
import { countChanges, readChanges, type Change } from './changes.js';
import { readLiveChanges, streamHead } from './live-changes.js';
import { checkpointOfStreamId, compareCheckpoints, streamIdOfCheckpoint } from './stream-id.js';

export type FeedMessage =
  | { kind: 'change'; change: Change }
  /** The client's view cannot be brought up to date frame by frame: it must fetch afresh. */
  | { kind: 'resync'; id: string; reason: string }
  /** Where a client without a Last-Event-ID starts, so that its first reconnect can replay. */
  | { kind: 'ready'; id: string };

export interface Subscription {
  lastEventId?: string | null;
  sessionId?: string | null;
}

export interface ChangeFeed {
  subscribe(options?: Subscription): Observable<FeedMessage>;
  clientCount(): number;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  logger?: Logger;
  /** The projections a client reads after a change; the stream waits for the slowest. */
  projections?: readonly string[];
  /** The safety poll: a lost notification delays frames by this much at most. */
  pollMs?: number;
  /** A client further behind than this is told to resync instead of being replayed to. */
  maxReplay?: number;
  chunk?: number;
}

/**
 * One per server process: a single LISTEN connection learns when the projections move, the
 * new changes are read once, and an rxjs Subject fans them out to every client. A client
 * reconnecting with a Last-Event-ID is replayed what it missed from the log, then joins the
 * live stream with no gap and no repeat.
 */
export async function startChangeFeed(
  sql: Sql,
  { logger = silentLogger, projections = ['conversations', 'messages', 'summaries', 'usage'], pollMs = 1000, maxReplay = 10_000, chunk = 1000 }: ChangeFeedOptions = {},
): Promise<ChangeFeed> {
  const live = new Subject<Change[]>();
  const initial = await streamHead(sql, projections);
  let emitted: Checkpoint = initial ?? START;
  // Until the projector has made the projections, there is nothing to read but the head.
  let serving = initial !== null;
  let clients = 0;
  let busy: Promise<void> | null = null;
  let again = false;

  async function catchUp(): Promise<void> {
    serving ||= (await streamHead(sql, projections)) !== null;
    if (!serving) return;
    for (;;) {
      const { head, changes } = await readLiveChanges(sql, projections, emitted, chunk);
      if (!head || compareCheckpoints(emitted, head) >= 0) return;
      // A short read reached the head: what lies between its last change and the head is not a change.
      emitted = changes.length < chunk ? head : changes.at(-1)!.at;
      if (changes.length > 0) live.next(changes);
      if (changes.length < chunk) return;
    }
  }

  // One catch-up at a time; a wake-up during one makes it run once more afterwards.
  function wake(): void {
    if (busy) {
      again = true;
      return;
    }
    busy = catchUp()
      .catch((error: Error) => logger.warn('change feed could not read; the next wake-up retries', { error: error.message }))
      .finally(() => {
        busy = null;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  // The projections a projector commits together notify together: one read for all of them.
  let soon = false;
  const wakeSoon = () => {
    if (soon) return;
    soon = true;
    setImmediate(() => {
      soon = false;
      wake();
    });
  };
  const listener = await sql.listen(
    PROJECTIONS_CHANNEL,
    (payload) => {
      const name = (() => {
        try {
          return (JSON.parse(payload) as { p?: string }).p;
        } catch {
          return undefined;
        }
      })();
      if (name === undefined || projections.includes(name)) wakeSoon();
    },
    wake,
  );
  const poll = setInterval(wake, pollMs);
  poll.unref();

  function subscribe({ lastEventId = null, sessionId = null }: Subscription = {}): Observable<FeedMessage> {
    return new Observable<FeedMessage>((subscriber) => {
      const upTo = emitted;
      // Changes at or below this were replayed or are older than the client's own id.
      let floor = upTo;
      let buffered: Change[] | null = [];
      const deliver = (change: Change) => {
        if (sessionId && change.sessionId !== sessionId) return;
        if (compareCheckpoints(change.at, floor) <= 0) return;
        subscriber.next({ kind: 'change', change });
      };
      const liveSubscription = live.subscribe({
        next: (changes) => {
          if (buffered) buffered.push(...changes);
          else for (const change of changes) deliver(change);
        },
        complete: () => subscriber.complete(),
      });
      clients++;

      const replay = async () => {
        const from = lastEventId === null ? null : await checkpointOfStreamId(sql, lastEventId);
        if (lastEventId !== null && from === null) {
          subscriber.next({ kind: 'resync', id: await streamIdOfCheckpoint(sql, upTo), reason: 'unknown Last-Event-ID' });
        } else if (from === null) {
          subscriber.next({ kind: 'ready', id: await streamIdOfCheckpoint(sql, upTo) });
        } else if ((await countChanges(sql, { after: from, upTo, sessionId }, maxReplay + 1)) > maxReplay) {
          subscriber.next({ kind: 'resync', id: await streamIdOfCheckpoint(sql, upTo), reason: `more than ${maxReplay} changes missed` });
        } else {
          if (compareCheckpoints(from, upTo) > 0) floor = from;
          for (let after = from; !subscriber.closed; ) {
            const changes = await readChanges(sql, { after, upTo, sessionId, limit: chunk });
            if (changes.length === 0) break;
            for (const change of changes) subscriber.next({ kind: 'change', change });
            after = changes.at(-1)!.at;
          }
        }
        const pending = buffered ?? [];
        buffered = null;
        for (const change of pending) deliver(change);
      };
      replay().catch((error: unknown) => subscriber.error(error));

      return () => {
        liveSubscription.unsubscribe();
        clients--;
      };
    });
  }

  return {
    subscribe,
    clientCount: () => clients,
    async close() {
      clearInterval(poll);
      await listener.unlisten().catch(() => {});
      await busy;
      live.complete();
    },
  };
}
