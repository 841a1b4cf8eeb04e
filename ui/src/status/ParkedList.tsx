import { createSignal, For, Show } from 'solid-js';
import { Link } from '../components/Link.js';
import { ADMIN_HINT_ID, type Admin } from './admin.js';
import { ago } from './format.js';
import { refusal, retryParked, type ParkedEvent } from './status-api.js';

interface Outcome {
  ok: boolean;
  message: string;
}

function ParkedItem(props: { name: string; event: ParkedEvent; admin: Admin; onChanged: () => void }) {
  const [busy, setBusy] = createSignal(false);
  const [outcome, setOutcome] = createSignal<Outcome>();
  const retry = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const answer = await props.admin.run(() => retryParked(props.name, props.event.id));
      setOutcome({ ok: true, message: `Retry requested (logged at position ${answer.position}); the projector applies it again on its next pass.` });
      props.onChanged();
    } catch (error) {
      setOutcome({ ok: false, message: refusal(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="parked-event" data-parked-id={props.event.id}>
      <div class="parked-head">
        <Link href={`/events?positions=${props.event.position}`} class="chip">
          #{props.event.position}
        </Link>
        <strong>{props.event.eventType}</strong>
        <span class="muted small" title={props.event.parkedAt}>
          parked {ago(props.event.parkedAt)}
        </span>
        <button
          type="button"
          class="small-button"
          disabled={busy() || props.admin.readOnly()}
          aria-describedby={props.admin.readOnly() ? ADMIN_HINT_ID : undefined}
          onClick={retry}
        >
          Retry
        </button>
      </div>
      <pre class="parked-error">{props.event.error}</pre>
      <Show when={props.event.retryRequestedAt}>
        {(at) => <p class="muted small">Retry requested {ago(at())}: waiting for the projector.</p>}
      </Show>
      <Show when={outcome()}>
        {(o) => (
          <p class={o().ok ? 'muted small' : 'problem small'} role={o().ok ? 'status' : 'alert'}>
            {o().message}
          </p>
        )}
      </Show>
    </li>
  );
}

/** A projection's parked events: each with its error, a link to the event, and Retry (admin). */
export function ParkedList(props: { name: string; events: ParkedEvent[]; total: number; admin: Admin; onChanged: () => void }) {
  return (
    <div class="parked">
      <h4>Parked events</h4>
      <ul>
        <For each={props.events}>{(event) => <ParkedItem name={props.name} event={event} admin={props.admin} onChanged={props.onChanged} />}</For>
      </ul>
      <Show when={props.total > props.events.length}>
        <p class="muted small">The first {props.events.length} of {props.total} are listed.</p>
      </Show>
    </div>
  );
}
