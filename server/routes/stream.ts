import { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { z } from 'zod';
import { BadRequestError, UnavailableError } from '../../core/errors.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { ChangeFeed, FeedMessage } from '../feed/change-feed.js';
import type { Keyring } from '../keyring.js';

const streamQuery = z.object({
  sessionId: z.string().min(1).max(200).optional(),
  lastEventId: z.string().max(40).optional(),
});

export interface StreamDeps {
  feed?: ChangeFeed;
  keyring: Keyring;
  heartbeatMs?: number;
  /** Frames a client may fall behind by before it is cut off with a resync. */
  maxQueued?: number;
}

function frame(message: FeedMessage) {
  if (message.kind === 'change') {
    const { at: _at, ...change } = message.change;
    return { event: 'change', id: change.id, data: JSON.stringify(change) };
  }
  if (message.kind === 'ready') return { event: 'ready', id: message.id, data: JSON.stringify({ id: message.id }) };
  return { event: 'resync', id: message.id, data: JSON.stringify({ id: message.id, reason: message.reason }) };
}

/**
 * `GET /api/conversations/stream[?sessionId=]`: every change the projections show, as SSE.
 * A client's frames wait in a bounded queue while its socket drains; one that falls further
 * behind gets a resync and is cut off, rather than growing the server's memory.
 */
export function streamRoutes({ feed, keyring, heartbeatMs = 15_000, maxQueued = 1000 }: StreamDeps) {
  return new Hono<AppEnv>().get('/api/conversations/stream', requireScope(keyring, 'read'), (c) => {
    const query = streamQuery.safeParse(c.req.query());
    if (!query.success) {
      throw new BadRequestError('invalid stream query', query.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    }
    if (!feed) throw new UnavailableError('the change feed is not running in this process');
    const lastEventId = c.req.header('last-event-id') ?? query.data.lastEventId ?? null;
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, (stream) => pump(stream, feed, { lastEventId, sessionId: query.data.sessionId ?? null }, heartbeatMs, maxQueued));
  });
}

async function pump(stream: SSEStreamingApi, feed: ChangeFeed, subscription: { lastEventId: string | null; sessionId: string | null }, heartbeatMs: number, maxQueued: number) {
  const queue: FeedMessage[] = [];
  let overflow = false;
  let ended = false;
  let heartbeatDue = false;
  let wake: (() => void) | null = null;
  const nudge = () => {
    wake?.();
    wake = null;
  };
  const subscription$ = feed.subscribe(subscription).subscribe({
    next: (message) => {
      if (queue.length >= maxQueued) overflow = true;
      else queue.push(message);
      nudge();
    },
    error: () => {
      ended = true;
      nudge();
    },
    complete: () => {
      ended = true;
      nudge();
    },
  });
  stream.onAbort(nudge);
  const heartbeat = setInterval(() => {
    heartbeatDue = true;
    nudge();
  }, heartbeatMs);
  try {
    await stream.write('retry: 2000\n\n');
    // The abort callback may have fired before it was registered: the flag is the truth.
    while (!ended && !stream.aborted) {
      if (overflow) {
        await Promise.race([stream.writeSSE({ event: 'resync', data: JSON.stringify({ reason: 'client too slow' }) }), stream.sleep(1000)]);
        stream.abort();
        break;
      }
      const message = queue.shift();
      if (message) await stream.writeSSE(frame(message));
      else if (heartbeatDue) {
        heartbeatDue = false;
        await stream.write(': heartbeat\n\n');
      } else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    clearInterval(heartbeat);
    subscription$.unsubscribe();
  }
}
