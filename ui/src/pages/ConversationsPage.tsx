import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { ticking } from '../conversations/ago.js';
import { fetchConversations, type ConversationSummary } from '../conversations/api.js';
import { ConversationFilters } from '../conversations/ConversationFilters.js';
import { ConversationRow } from '../conversations/ConversationRow.js';
import { anyFilter, readFilters, sameFilters, serverOrdered } from '../conversations/filters.js';
import { listKeys } from '../conversations/list-keys.js';
import { appendPage, matchesLocally, upsert } from '../conversations/list-state.js';
import '../conversations/conversations.css';
import { onLive } from '../lib/live.js';
import { location } from '../lib/router.js';

const PAGE = 50;
// A search (or the order by cost) is answered by the server alone, so under one a burst of changes becomes one refetch.
const SEARCH_REFRESH_MS = 750;

/** `/`: every conversation, newest activity first, kept current by the live stream. */
export function ConversationsPage(_props: { params: Record<string, string> }) {
  const now = ticking();
  const filters = createMemo(() => readFilters(location().search), undefined, { equals: sameFilters });
  const [items, setItems] = createSignal<ConversationSummary[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [state, setState] = createSignal<'loading' | 'ready' | 'more' | 'error'>('loading');
  const [problem, setProblem] = createSignal('');
  // Answers to a request made under other filters (or before a reload) are dropped.
  let generation = 0;
  // Changes that arrive while the first page is on its way are applied to it once it lands.
  let held: ConversationSummary[] | null = null;

  const apply = (c: ConversationSummary) => {
    if (matchesLocally(c, filters())) setItems(upsert(items(), c, next() === null));
    else setItems(items().filter((item) => item.sessionId !== c.sessionId));
  };

  async function load(limit = PAGE) {
    const mine = ++generation;
    held = [];
    setState('loading');
    try {
      const page = await fetchConversations(filters(), null, limit);
      if (mine !== generation) return;
      setItems(page.items);
      setNext(page.nextCursor);
      setState('ready');
      const changes = held;
      held = null;
      if (!serverOrdered(filters())) for (const c of changes) apply(c);
    } catch (error) {
      if (mine !== generation) return;
      held = null;
      setProblem((error as Error).message);
      setState('error');
    }
  }

  async function loadMore() {
    const cursor = next();
    if (!cursor || state() !== 'ready') return;
    const mine = generation;
    setState('more');
    try {
      const page = await fetchConversations(filters(), cursor);
      if (mine !== generation) return;
      setItems(appendPage(items(), page.items));
      setNext(page.nextCursor);
      setState('ready');
    } catch (error) {
      if (mine !== generation) return;
      setProblem((error as Error).message);
      setState('error');
    }
  }

  createEffect(on(filters, () => void load()));

  // Reloads keep as many rows as were shown, within what one request may ask for.
  const reload = () => void load(Math.min(200, Math.max(PAGE, items().length)));
  let searchTimer: number | undefined;
  onCleanup(() => window.clearTimeout(searchTimer));
  onLive({
    change(change) {
      const c = change.conversation as ConversationSummary | null;
      if (!c) return;
      if (serverOrdered(filters())) {
        window.clearTimeout(searchTimer);
        searchTimer = window.setTimeout(reload, SEARCH_REFRESH_MS);
      } else if (held) held.push(c);
      else apply(c);
    },
    resync: reload,
  });

  let list: HTMLUListElement | undefined;
  let search: HTMLInputElement | undefined;
  listKeys({ items: () => [...(list?.querySelectorAll<HTMLElement>('a.conv-link') ?? [])], search: () => search });

  // Infinite scroll: the "Load more" button loads by itself as it comes into view.
  const more = (button: HTMLButtonElement) => {
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore(), { rootMargin: '400px' });
    observer.observe(button);
    onCleanup(() => observer.disconnect());
  };

  const hosts = createMemo(() => [...new Set([filters().host, ...items().flatMap((c) => c.hosts ?? [])].filter((h): h is string => !!h))].sort());
  const projects = createMemo(() => [...new Set([filters().project, ...items().map((c) => c.project)].filter((p): p is string => !!p))].sort());

  return (
    <section class="conversations conv-wide" aria-labelledby="conversations-title">
      <div class="conv-head">
        <h2 id="conversations-title">Conversations</h2>
        <span class="muted small" aria-live="polite">
          <Show when={state() === 'loading'} fallback={`${items().length.toLocaleString()}${next() ? '+' : ''} shown`}>
            Loading…
          </Show>
        </span>
      </div>
      <ConversationFilters filters={filters()} projects={projects()} hosts={hosts()} searchRef={(el) => (search = el)} />
      <Show when={state() === 'error'}>
        <p class="conv-problem" role="alert">
          Could not load conversations: {problem()} <button type="button" onClick={reload}>Retry</button>
        </p>
      </Show>
      <ul class="conv-list" ref={list} data-testid="conversation-list">
        <For each={items()}>{(c) => <ConversationRow conversation={c} now={now()} />}</For>
      </ul>
      <Switch>
        <Match when={state() !== 'loading' && state() !== 'error' && items().length === 0}>
          <p class="card muted">
            {anyFilter(filters()) ? 'No conversation matches these filters.' : 'No conversations yet: they appear here as soon as the hook sends their first event.'}
          </p>
        </Match>
        <Match when={next()}>
          <button type="button" class="conv-more" ref={more} disabled={state() === 'more'} onClick={() => void loadMore()}>
            {state() === 'more' ? 'Loading…' : 'Load more'}
          </button>
        </Match>
      </Switch>
      <p class="muted small conv-keys">
        <kbd>j</kbd>/<kbd>k</kbd> or arrows to move, <kbd>Enter</kbd> to open, <kbd>/</kbd> to search
      </p>
    </section>
  );
}
