import { createMemo, Show } from 'solid-js';
import { EventLogView } from '../events/EventLogView.js';
import { positionsOf } from '../events/filters.js';
import { PickedEvents } from '../events/PickedEvents.js';
import '../events/events.css';
import { location } from '../lib/router.js';

const samePositions = (a: number[] | null, b: number[] | null) => a?.join() === b?.join();

/** `/events`: the log inspector; `/events?positions=1,2,3` shows exactly those events. */
export function EventsPage(_props: { params: Record<string, string> }) {
  const positions = createMemo(() => positionsOf(location().search), null, { equals: samePositions });
  return (
    <div class="events-page">
      <Show when={positions()} keyed fallback={<EventLogView />}>
        {(chosen) => <PickedEvents positions={chosen} />}
      </Show>
    </div>
  );
}
