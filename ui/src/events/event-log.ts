import { createSignal, type Accessor } from 'solid-js';
import { api, query } from '../lib/http.js';
import type { EventFilter } from './filters.js';
import { mergeEvents, type EventPage, type LoggedEvent } from './types.js';

export interface EventLog {
  items: Accessor<LoggedEvent[]>;
  loading: Accessor<boolean>;
  problem: Accessor<string | undefined>;
  /** No older event matches: the list reaches the start of the log. */
  complete: Accessor<boolean>;
  /** The newest page afresh, dropping what was shown. */
  reload(): Promise<void>;
  /** The next older page. */
  loadOlder(): Promise<void>;
  /** Events the live stream announced, each fetched by position and put in its place. */
  add(positions: number[]): Promise<void>;
}

const PAGE_SIZE = 50;

export const fetchEvent = (position: number) => api<LoggedEvent>(`/api/events/${position}`);

/** The log newest first under a filter, paged by position (`order=desc&before=`). */
export function createEventLog(filter: Accessor<EventFilter>): EventLog {
  const [items, setItems] = createSignal<LoggedEvent[]>([]);
  const [next, setNext] = createSignal<number | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [problem, setProblem] = createSignal<string>();
  // Answers to a request made for an earlier filter (or before a reload) are dropped.
  let generation = 0;

  async function run(work: (mine: number) => Promise<void>, mine = generation): Promise<void> {
    setLoading(true);
    setProblem(undefined);
    try {
      await work(mine);
    } catch (error) {
      if (mine === generation) setProblem((error as Error).message);
    } finally {
      if (mine === generation) setLoading(false);
    }
  }

  const page = (before: number | null) => api<EventPage>(`/api/events${query({ order: 'desc', limit: PAGE_SIZE, before, ...filter() })}`);

  return {
    items,
    loading,
    problem,
    complete: () => loaded() && next() === null,
    reload: () =>
      run(async (mine) => {
        const fresh = await page(null);
        if (mine !== generation) return;
        setItems(fresh.items);
        setNext(fresh.next);
        setLoaded(true);
      }, ++generation),
    async loadOlder() {
      const before = next();
      if (before === null || loading()) return;
      await run(async (mine) => {
        const older = await page(before);
        if (mine !== generation) return;
        setItems((shown) => mergeEvents(shown, older.items));
        setNext(older.next);
      });
    },
    async add(positions) {
      const mine = generation;
      const added = await Promise.all(positions.map((position) => fetchEvent(position).catch(() => null)));
      if (mine === generation) setItems((shown) => mergeEvents(shown, added.filter((event) => event !== null)));
    },
  };
}
