import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { fetchLogPage, type Filters, type HookLogLine } from './api.js';

/** The server's order: newest first, then the later offset, then the id. */
export const newestFirst = (a: HookLogLine, b: HookLogLine): number =>
  b.time.localeCompare(a.time) || b.offset - a.offset || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Lines not yet shown join the list in their place: a host that was offline ships lines of the past. */
export function merge(items: HookLogLine[], page: HookLogLine[]): HookLogLine[] {
  const shown = new Set(items.map((item) => item.id));
  const fresh = page.filter((item) => !shown.has(item.id));
  return fresh.length === 0 ? items : [...items, ...fresh].sort(newestFirst);
}

// The stream announces a line once the conversations are projected; the log viewer's own
// projection may be a moment behind, so a line not found yet is looked for again, a few times.
const RETRIES_MS = [400, 1000, 2500];

/**
 * The lines the page shows under `filters`: the first page, further pages on demand, and the
 * newest page again when the stream says lines arrived.
 */
export function createLogState(filters: Accessor<Filters>) {
  const [items, setItems] = createSignal<HookLogLine[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [problem, setProblem] = createSignal<string>();
  // Answers to an older filter are dropped.
  let generation = 0;
  const pending = new Set<string>();
  let timer: number | undefined;
  let retry = 0;

  async function reset(): Promise<void> {
    const mine = ++generation;
    setLoading(true);
    try {
      const page = await fetchLogPage(filters());
      if (mine !== generation) return;
      setItems(page.items);
      setCursor(page.nextCursor);
      setProblem(undefined);
      setLoaded(true);
    } catch (error) {
      if (mine === generation) setProblem((error as Error).message);
    } finally {
      if (mine === generation) setLoading(false);
    }
  }

  async function more(): Promise<void> {
    const before = cursor();
    if (loading() || before === null) return;
    const mine = generation;
    setLoading(true);
    try {
      const page = await fetchLogPage(filters(), before);
      if (mine !== generation) return;
      setItems((shown) => merge(shown, page.items));
      setCursor(page.nextCursor);
    } catch (error) {
      if (mine === generation) setProblem((error as Error).message);
    } finally {
      if (mine === generation) setLoading(false);
    }
  }

  async function refresh(): Promise<void> {
    const mine = generation;
    try {
      const page = await fetchLogPage(filters());
      if (mine !== generation) return;
      const shown = new Set(items().map((item) => item.id));
      const last = page.items.at(-1);
      setItems(merge(items(), page.items));
      // Everything newer than the page's last line is shown now. When that line is new too,
      // lines between it and those shown before may be missing: "more" goes on from there.
      if (last && !shown.has(last.id) && page.nextCursor !== null) setCursor(page.nextCursor);
      setProblem(undefined);
    } catch {
      // The next change or the retries try again.
    }
    const known = new Set(items().map((item) => item.id));
    for (const id of pending) if (known.has(id)) pending.delete(id);
    if (pending.size > 0 && retry < RETRIES_MS.length) schedule(RETRIES_MS[retry++]!);
    else {
      pending.clear();
      retry = 0;
    }
  }

  /** One refresh for a burst of changes: a shipped batch arrives as hundreds of lines at once. */
  function schedule(ms: number): void {
    if (timer !== undefined) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      void refresh();
    }, ms);
  }

  function arrived(requestId: string): void {
    pending.add(requestId);
    retry = 0;
    schedule(150);
  }

  onCleanup(() => window.clearTimeout(timer));

  return { items, cursor, loading, loaded, problem, reset, more, arrived };
}
