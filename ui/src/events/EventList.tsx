import { For, type JSX } from 'solid-js';
import { EventRow } from './EventRow.js';
import type { LoggedEvent } from './types.js';

const forward = new Set(['j', 'ArrowDown']);
const backward = new Set(['k', 'ArrowUp']);

/** j/k (or the arrow keys) move between events while the list has the focus; Enter or Space opens one. */
function moveFocus(event: KeyboardEvent): void {
  const step = forward.has(event.key) ? 1 : backward.has(event.key) ? -1 : 0;
  if (step === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
  // The JSON text scrolls with the arrow keys; only the event summaries move between events.
  const target = event.target as HTMLElement;
  const list = target.closest('ol.events');
  if (!list || !target.matches('.event-toggle')) return;
  const toggles = [...list.querySelectorAll<HTMLButtonElement>('.event-toggle')];
  const next = toggles[toggles.indexOf(target as HTMLButtonElement) + step];
  if (!next) return;
  event.preventDefault();
  next.focus();
}

export function EventList(props: { events: LoggedEvent[]; openAll?: boolean; label: string; children?: JSX.Element }) {
  return (
    <ol class="events" aria-label={props.label} onKeyDown={moveFocus}>
      <For each={props.events}>{(event) => <EventRow event={event} open={props.openAll} />}</For>
      {props.children}
    </ol>
  );
}
