import { setTimeout as sleep } from 'node:timers/promises';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface TailOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8787/ */
  url: string;
  key: string;
  sessionId?: string | null;
  onFrame(frame: EventSourceMessage): void;
  /** Connection trouble, said once per attempt; tail keeps trying. */
  onTrouble(message: string): void;
  signal: AbortSignal;
  /** Reconnect delays grow from `minDelayMs` to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** A refusal no retry can fix: a wrong or under-scoped key, a bad request. */
export class TailRefused extends Error {}

/**
 * Follows the stream until `signal` aborts, reconnecting after every failure with the last
 * frame's id as Last-Event-ID: the server replays what was missed, so a server restart
 * loses nothing on screen.
 */
export async function followStream({ url, key, sessionId, onFrame, onTrouble, signal, minDelayMs = 500, maxDelayMs = 5000 }: TailOptions): Promise<void> {
  const stream = new URL('api/conversations/stream', url);
  if (sessionId) stream.searchParams.set('sessionId', sessionId);
  let lastEventId: string | null = null;
  let delay = minDelayMs;
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${key}` };
      if (lastEventId) headers['last-event-id'] = lastEventId;
      const response = await fetch(stream, { headers, signal });
      if (response.status === 401 || response.status === 403 || response.status === 400) {
        throw new TailRefused(`the server refused the stream (${response.status}): ${(await response.text()).slice(0, 200)}`);
      }
      if (response.status !== 200 || !response.body) throw new Error(`the stream answered ${response.status}`);
      const parser = createParser({
        onEvent(frame) {
          if (frame.id) lastEventId = frame.id;
          delay = minDelayMs;
          onFrame(frame);
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      if (!signal.aborted) onTrouble('the server ended the stream; reconnecting');
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof TailRefused) throw error;
      onTrouble(`${(error as Error).message}${(error as Error).cause ? ` (${String(((error as Error).cause as Error).message ?? (error as Error).cause)})` : ''}; retrying in ${delay} ms`);
    }
    await sleep(delay, undefined, { signal }).catch(() => {});
    delay = Math.min(delay * 2, maxDelayMs);
  }
}
