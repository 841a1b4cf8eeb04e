import { createResource, For, Show } from 'solid-js';
import { Link } from '../components/Link.js';
import { ApiError } from '../lib/http.js';
import { fetchEvent } from './event-log.js';
import { EventList } from './EventList.js';
import type { LoggedEvent } from './types.js';

// A message's sources are a handful of events; a hand-edited address must not fire thousands of requests.
const MAX_PICKED = 200;
// Few events are shown opened: that is what a link to them is for.
const OPEN_UP_TO = 5;

async function pick(positions: number[]): Promise<{ events: LoggedEvent[]; missing: number[] }> {
  const found = await Promise.all(
    positions.slice(0, MAX_PICKED).map((position) =>
      fetchEvent(position).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return position;
        throw error;
      }),
    ),
  );
  return {
    events: found.filter((item): item is LoggedEvent => typeof item !== 'number'),
    missing: found.filter((item): item is number => typeof item === 'number'),
  };
}

/** `/events?positions=…`: exactly these events, newest first. */
export function PickedEvents(props: { positions: number[] }) {
  const [picked] = createResource(() => props.positions, pick);
  return (
    <section class="card events-card" aria-labelledby="picked-title">
      <div class="card-head">
        <h2 id="picked-title">{props.positions.length === 1 ? 'Event' : `${props.positions.length} events`} by position</h2>
        <Link href="/events" class="chip">
          Whole log
        </Link>
      </div>
      <Show when={props.positions.length === 0}>
        <p class="muted">No valid position in the address.</p>
      </Show>
      <Show when={props.positions.length > MAX_PICKED}>
        <p class="muted small">Showing the newest {MAX_PICKED}.</p>
      </Show>
      <Show when={picked.error as Error | undefined}>{(error) => <p class="problem" role="alert">Could not load events: {error().message}</p>}</Show>
      <Show when={picked.loading}>
        <p class="muted">Loading…</p>
      </Show>
      <Show when={picked.error === undefined ? picked.latest : undefined}>
        {(result) => (
          <>
            <EventList events={result().events} openAll={result().events.length <= OPEN_UP_TO} label="Chosen events, newest first" />
            <For each={result().missing}>{(position) => <p class="muted small">No event at position {position}.</p>}</For>
          </>
        )}
      </Show>
    </section>
  );
}
