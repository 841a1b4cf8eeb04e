import { createSignal, onCleanup } from 'solid-js';

/** One appended event, as the server's stream announces it once the projections show it. */
export interface Change {
  id: string;
  position: number;
  requestId: string;
  type: string;
  sessionId: string;
  capturedAt: string;
  receivedAt: string;
  conversation: Record<string, unknown> | null;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

interface Listener {
  change?: (change: Change) => void;
  /** The page missed more than can be replayed: fetch what it shows afresh. */
  resync?: () => void;
}

const [state, setState] = createSignal<LiveState>('connecting');
export { state as liveState };

const listeners = new Set<Listener>();
let source: EventSource | null = null;
let lastEventId: string | null = null;
let retryDelay = 1000;
let troubleSince: number | null = null;
let retryTimer: number | undefined;

// Past this long without a connection the indicator says offline rather than reconnecting.
const OFFLINE_AFTER_MS = 10_000;

function open(): void {
  retryTimer = undefined;
  const url = `/api/conversations/stream${lastEventId ? `?lastEventId=${encodeURIComponent(lastEventId)}` : ''}`;
  source = new EventSource(url, { withCredentials: true });
  const remember = (event: MessageEvent) => {
    if (event.lastEventId) lastEventId = event.lastEventId;
  };
  source.addEventListener('open', () => {
    setState('live');
    retryDelay = 1000;
    troubleSince = null;
  });
  source.addEventListener('ready', (event) => remember(event as MessageEvent));
  source.addEventListener('change', (event) => {
    remember(event as MessageEvent);
    const change = JSON.parse((event as MessageEvent).data) as Change;
    for (const listener of listeners) listener.change?.(change);
  });
  source.addEventListener('resync', (event) => {
    remember(event as MessageEvent);
    for (const listener of listeners) listener.resync?.();
  });
  source.addEventListener('error', () => {
    troubleSince ??= Date.now();
    setState(!navigator.onLine || Date.now() - troubleSince > OFFLINE_AFTER_MS ? 'offline' : 'reconnecting');
    // The browser retries by itself (sending Last-Event-ID) unless the answer was not a
    // stream at all (a 401, a 503 while starting): then it gives up, and so must be retried here.
    if (source?.readyState === EventSource.CLOSED) {
      source = null;
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(open, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 15_000);
    }
  });
}

/** Starts the page's one stream (after login); every view listens to it. */
export function connectLive(): void {
  if (!source && retryTimer === undefined) open();
}

export function disconnectLive(): void {
  window.clearTimeout(retryTimer);
  retryTimer = undefined;
  source?.close();
  source = null;
  setState('connecting');
}

/** Listens while the calling component is mounted. */
export function onLive(listener: Listener): void {
  listeners.add(listener);
  onCleanup(() => listeners.delete(listener));
}
