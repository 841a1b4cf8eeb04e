import { createSignal, Show } from 'solid-js';
import { enabled, setEnabled } from './settings.js';
import { active, permission, requestPermission, supported } from './notify.js';

const blocked = 'Your browser blocks notifications from this site. Allow them in its site settings (the icon left of the address), then click Notify me again.';

/** Opt-in: nothing is asked of the browser until the reader clicks. */
export function NotifyToggle() {
  const [note, setNote] = createSignal<string | null>(null);
  const turnOn = async () => {
    setNote(null);
    const answer = permission() === 'granted' ? 'granted' : await requestPermission();
    if (answer === 'granted') setEnabled(true);
    else setNote(answer === 'denied' ? blocked : 'Notifications stay off until you allow them in the browser’s prompt.');
  };
  return (
    <>
      <Show
        when={supported()}
        fallback={
          <button type="button" class="quiet" disabled title="This browser shows no notifications here (they need https or localhost)">
            Notify me
          </button>
        }
      >
        <Show
          when={active()}
          fallback={
            <button type="button" class="quiet" onClick={() => void turnOn()} data-testid="notify-toggle" aria-pressed="false">
              Notify me
            </button>
          }
        >
          <button type="button" class="quiet" onClick={() => setEnabled(false)} data-testid="notify-toggle" aria-pressed="true" title="Click to stop notifications">
            Notifying
          </button>
        </Show>
      </Show>
      <Show when={note() ?? (enabled() && permission() === 'denied' ? blocked : null)}>
        {(text) => (
          <p class="notify-note" role="alert" data-testid="notify-note">
            {text()}
          </p>
        )}
      </Show>
    </>
  );
}
