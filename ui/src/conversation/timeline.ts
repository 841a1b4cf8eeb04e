import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { ApiError } from '../lib/http.js';
import { fetchMessages, type FetchMessages, type Message } from './api.js';
import { mergeMessages } from './merge.js';

export interface Timeline {
  messages: Accessor<Message[]>;
  /** Every page there was when loading started has arrived. */
  complete: Accessor<boolean>;
  problem: Accessor<string | null>;
  /** Something in this conversation changed: fetch what is new (throttled, one request chain at a time). */
  changed(): void;
  /** Fetch everything afresh (after the stream says it missed changes). */
  reload(): void;
  /** Shows messages read out of turn (a deep link's page) before the pages up to them arrive. */
  include(items: Message[]): void;
}

export interface TimelineOptions {
  fetchPage?: FetchMessages;
  /** The first page is small so the view appears at once; the rest follow in large pages. */
  firstPage?: number;
  page?: number;
  /** How many of the last messages every refresh reads again (see `refresh`). */
  window?: number;
  /** Running tools further back than this are not waited for: their session probably died. */
  lookback?: number;
  throttleMs?: number;
}

/** A cursor the server gave, and how many messages came before it when it did. */
interface Anchor {
  index: number;
  cursor: string | null;
}

/**
 * A conversation's messages, loaded page by page and kept current.
 *
 * Live refresh. A message can change after it is shown (a tool's result arrives, a transcript
 * line fills in a prompt) and one can appear before the last one shown (a transcript line is
 * shipped with a later hook, but sorts by its own earlier time). Fetching only `after` the last
 * cursor misses both. So each refresh reads again from an anchor: a cursor the server returned
 * earlier at least `window` messages before the end, and before the oldest tool still running
 * (within `lookback`), and merges what comes back by key. Anchors are remembered at every page
 * end; when the newest usable one lies far back, one request with an exact limit first makes a
 * new anchor right at the window, so a refresh costs two small requests instead of a long read.
 */
export function createTimeline(sessionId: string, options: TimelineOptions = {}): Timeline {
  const { fetchPage = fetchMessages, firstPage = 100, page = 1000, window: tail = 50, lookback = 2000, throttleMs = 100 } = options;
  const [messages, setMessages] = createSignal<Message[]>([]);
  const [complete, setComplete] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);
  let anchors: Anchor[] = [];
  let generation = 0;
  let busy = false;
  let again = false;
  let timer: number | undefined;

  const merge = (items: Message[]) => setMessages((list) => mergeMessages(list, items));

  // Anchors closer than the window to a newer one add nothing: they are dropped to keep the list short.
  const remember = (anchor: Anchor) => {
    anchors = [...anchors.filter((a) => a.index <= anchor.index - tail || a.index > anchor.index), anchor].sort((a, b) => a.index - b.index);
  };

  /** Where the page ending with `last` ends in the merged list. */
  const endOf = (last: Message | undefined, fallback: number) => {
    if (!last) return fallback;
    const list = messages();
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.key === last.key) return i + 1;
    return fallback;
  };

  /** Reads pages from an anchor to the end, merging each. */
  async function readFrom(anchor: Anchor, firstLimit: number, mine: number): Promise<boolean> {
    let pending = fetchPage(sessionId, anchor.cursor, firstLimit);
    for (;;) {
      const result = await pending;
      if (mine !== generation) return false;
      // The next page is asked for before this one is drawn: the server works while the page does.
      if (result.hasMore) pending = fetchPage(sessionId, result.nextCursor, page);
      merge(result.items);
      if (result.nextCursor) remember({ index: endOf(result.items.at(-1), messages().length), cursor: result.nextCursor });
      if (!result.hasMore) return true;
    }
  }

  async function refresh(mine: number) {
    const list = messages();
    let start = Math.max(0, list.length - tail);
    for (let i = Math.max(0, list.length - lookback); i < start; i++) {
      if (list[i]!.status === 'running') {
        start = i;
        break;
      }
    }
    let anchor = anchors.filter((a) => a.index <= start).at(-1) ?? { index: 0, cursor: null };
    if (start - anchor.index > tail) {
      const result = await fetchPage(sessionId, anchor.cursor, start - anchor.index);
      if (mine !== generation) return;
      merge(result.items);
      anchor = { index: endOf(result.items.at(-1), start), cursor: result.nextCursor };
      remember(anchor);
    }
    await readFrom(anchor, page, mine);
  }

  async function run(job: (mine: number) => Promise<unknown>) {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    const mine = generation;
    try {
      await job(mine);
      if (mine === generation) setProblem(null);
    } catch (error) {
      // An unknown session is the header's to say; the next change for it tries again.
      if (mine === generation) setProblem(error instanceof ApiError && error.status === 404 ? null : (error as Error).message);
    } finally {
      // A reload has started its own chain meanwhile: this one no longer holds the turn.
      if (mine === generation) busy = false;
      if (again && mine === generation) {
        again = false;
        void run(refresh);
      }
    }
  }

  async function load(mine: number) {
    if (await readFrom({ index: 0, cursor: null }, firstPage, mine)) setComplete(true);
  }

  function reload() {
    generation++;
    busy = false;
    again = false;
    anchors = [];
    setMessages([]);
    setComplete(false);
    void run(load);
  }

  function changed() {
    // While the first load runs, one refresh after it covers everything that changed meanwhile.
    if (!complete()) {
      if (busy) again = true;
      else void run(load);
      return;
    }
    if (timer !== undefined) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      void run(refresh);
    }, throttleMs);
  }

  onCleanup(() => {
    generation++;
    window.clearTimeout(timer);
  });
  void run(load);
  return { messages, complete, problem, changed, reload, include: merge };
}
