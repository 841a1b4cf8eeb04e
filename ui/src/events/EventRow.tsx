import { createSignal, Show } from 'solid-js';
import { Link } from '../components/Link.js';
import { query } from '../lib/http.js';
import { RawEvent } from './RawEvent.js';
import type { LoggedEvent } from './types.js';

const time = (iso: string) => new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** One event: a summary that opens onto the raw JSON, and links to its session's events and conversation. */
export function EventRow(props: { event: LoggedEvent; open?: boolean }) {
  const [open, setOpen] = createSignal(props.open ?? false);
  const rawId = () => `raw-${props.event.position}`;
  return (
    <li class="event" data-position={props.event.position}>
      <div class="event-head">
        <button type="button" class="event-toggle" aria-expanded={open() ? 'true' : 'false'} aria-controls={rawId()} onClick={() => setOpen(!open())}>
          <span class="event-position">#{props.event.position}</span>
          <span class="event-type">{props.event.type}</span>
          <time class="event-time muted" datetime={props.event.receivedAt} title={`received ${props.event.receivedAt}, captured ${props.event.capturedAt}`}>
            {time(props.event.receivedAt)}
          </time>
        </button>
        <span class="event-links">
          <Link href={`/events${query({ sessionId: props.event.sessionId })}`} class="chip">
            <span class="visually-hidden">Events of session </span>
            {props.event.sessionId.slice(0, 8)}
          </Link>
          <Link href={`/conversations/${encodeURIComponent(props.event.sessionId)}`} class="chip">
            Conversation
          </Link>
        </span>
      </div>
      <Show when={open()}>
        <RawEvent event={props.event} id={rawId()} />
      </Show>
    </li>
  );
}
