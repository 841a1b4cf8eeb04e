import { createSignal, Show } from 'solid-js';
import { ADMIN_HINT_ID, type Admin } from './admin.js';
import { rebuild, refusal } from './status-api.js';

/** Rebuild asks once more before acting: it replays the whole log into a new generation. */
export function RebuildControl(props: { name: string; admin: Admin; onChanged: () => void }) {
  const [confirming, setConfirming] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [outcome, setOutcome] = createSignal<{ ok: boolean; message: string }>();
  const start = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const answer = await props.admin.run(() => rebuild(props.name));
      setOutcome({ ok: true, message: `Rebuild requested (logged at position ${answer.position}).` });
      props.onChanged();
    } catch (error) {
      setOutcome({ ok: false, message: refusal(error) });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  const disabled = () => busy() || props.admin.readOnly();
  const hint = () => (props.admin.readOnly() ? ADMIN_HINT_ID : undefined);
  return (
    <div class="rebuild">
      <Show
        when={confirming()}
        fallback={
          <button type="button" class="small-button" disabled={disabled()} aria-describedby={hint()} onClick={() => setConfirming(true)}>
            Rebuild…
          </button>
        }
      >
        <p class="small">
          Rebuild <strong>{props.name}</strong> from the start of the log? The current generation keeps serving until the new one catches up.
        </p>
        <button type="button" class="small-button" disabled={disabled()} aria-describedby={hint()} onClick={start}>
          Rebuild {props.name}
        </button>{' '}
        <button type="button" class="small-button quiet" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </Show>
      <Show when={outcome()}>
        {(o) => (
          <p class={o().ok ? 'muted small' : 'problem small'} role={o().ok ? 'status' : 'alert'}>
            {o().message}
          </p>
        )}
      </Show>
    </div>
  );
}
