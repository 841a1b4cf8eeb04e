import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseClient {
  frames: EventSourceMessage[];
  /** Resolves once `predicate` holds for the frames received so far. */
  until(predicate: (frames: EventSourceMessage[]) => boolean, what?: string): Promise<EventSourceMessage[]>;
  close(): void;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
}

export interface SseOptions {
  headers?: Record<string, string>;
  /** Called as each frame is parsed, before it is stored: the moment a browser would see it. */
  onFrame?: (frame: EventSourceMessage) => void;
}

/** A real SSE client over fetch, as `arrakis tail` and browsers read the stream. */
export async function openSse(url: string, { headers = {}, onFrame }: SseOptions = {}): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (response.status !== 200) throw new Error(`stream answered ${response.status}: ${await response.text()}`);
  const frames: EventSourceMessage[] = [];
  let waiters: Array<() => void> = [];
  const parser = createParser({
    onEvent: (message) => {
      onFrame?.(message);
      frames.push(message);
      for (const waiter of waiters) waiter();
    },
  });
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch {
      // Aborted by close(), or cut off by the server.
    }
    for (const waiter of waiters) waiter();
  })();
  let done = false;
  void ended.then(() => (done = true));
  return {
    frames,
    ended,
    until(predicate, what = 'frames') {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(frames)) {
            waiters = waiters.filter((w) => w !== check);
            resolve(frames);
          } else if (done) reject(new Error(`stream ended before ${what}; got ${JSON.stringify(frames.map((f) => f.event))}`));
        };
        waiters.push(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}

export const changes = (frames: EventSourceMessage[]) => frames.filter((f) => f.event === 'change');
