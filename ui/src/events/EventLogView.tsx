import { createEffect, createMemo, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import { api } from '../lib/http.js';
import { location } from '../lib/router.js';
import { createEventLog } from './event-log.js';
import { EventFilters } from './EventFilters.js';
import { EventList } from './EventList.js';
import { filterOf, isFiltered, sameFilter } from './filters.js';
import { createLiveTail } from './live-tail.js';

// Suggested before the stats answer (and if they never do): the hook events a conversation is made of.
const commonTypes = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop', 'SubagentStop', 'Notification', 'SessionEnd'];

/** The whole log, newest first, filtered by the address, growing downwards as it scrolls and upwards with the tail. */
export function EventLogView() {
  const filter = createMemo(() => filterOf(location().search), undefined, { equals: sameFilter });
  const log = createEventLog(filter);
  const [tail, setTail] = createSignal(false);
  const live = createLiveTail({ filter, on: tail, add: (positions) => void log.add(positions), reload: () => void log.reload() });
  createEffect(
    on(filter, () => {
      live.clearMissed();
      void log.reload();
    }),
  );

  const [types, setTypes] = createSignal(commonTypes);
  onMount(() => {
    api<{ events?: { byType?: Record<string, number> } }>('/api/stats')
      .then((stats) => setTypes([...new Set([...commonTypes, ...Object.keys(stats.events?.byType ?? {})])].sort()))
      .catch(() => {});
  });

  const showNew = () => {
    live.clearMissed();
    void log.reload();
  };
  const toggleTail = () => {
    if (!tail() && live.missed() > 0) showNew();
    setTail(!tail());
  };

  // Infinite scroll: while the end of the list is near the viewport, the next older page is fetched.
  const [nearEnd, setNearEnd] = createSignal(false);
  let sentinel!: HTMLLIElement;
  onMount(() => {
    const observer = new IntersectionObserver((entries) => setNearEnd(entries.some((entry) => entry.isIntersecting)), { rootMargin: '600px 0px' });
    observer.observe(sentinel);
    onCleanup(() => observer.disconnect());
  });
  createEffect(() => {
    if (nearEnd() && !log.loading() && !log.complete() && !log.problem() && log.items().length > 0) void log.loadOlder();
  });

  return (
    <>
      <section class="card" aria-labelledby="log-title">
        <div class="card-head">
          <h2 id="log-title">Event log</h2>
          <button type="button" class="tail-toggle" aria-pressed={tail() ? 'true' : 'false'} onClick={toggleTail}>
            <span class="dot" aria-hidden="true" />
            Live tail
          </button>
        </div>
        <p class="muted small">
          Every stored event, newest first. Times are when the server received them. Open an event for its raw JSON; j and k move between events.
        </p>
        <EventFilters filter={filter()} types={types()} />
      </section>
      <section class="card events-card" aria-live="off">
        <Show when={!tail() && live.missed() > 0}>
          <button type="button" class="new-events" onClick={showNew}>
            {live.missed() === 1 ? '1 new event' : `${live.missed()} new events`}: show
          </button>
        </Show>
        <Show when={log.problem()}>
          {(problem) => (
            <p class="problem" role="alert">
              Could not load events: {problem()}{' '}
              <button type="button" class="quiet" onClick={() => void (log.items().length ? log.loadOlder() : log.reload())}>
                Try again
              </button>
            </p>
          )}
        </Show>
        <Show when={log.complete() && log.items().length === 0}>
          <p class="muted">{isFiltered(filter()) ? 'No event matches these filters.' : 'No events yet.'}</p>
        </Show>
        <EventList events={log.items()} label="Events, newest first">
          <li ref={sentinel} class="events-end muted small" aria-hidden={log.complete() ? undefined : 'true'}>
            <Show when={log.loading()}>Loading…</Show>
            <Show when={log.complete() && log.items().length > 0}>Start of the log{isFiltered(filter()) ? ' (for these filters)' : ''}.</Show>
          </li>
        </EventList>
        <Show when={!log.complete() && !log.loading() && log.items().length > 0}>
          <button type="button" class="quiet load-older" onClick={() => void log.loadOlder()}>
            Load older events
          </button>
        </Show>
      </section>
    </>
  );
}
