import { createSignal, onCleanup, Show } from 'solid-js';
import { onLive } from '../lib/live.js';
import { MuteList } from './MuteList.js';
import { NotifyToggle } from './NotifyToggle.js';
import { onFrame } from './notify.js';
import { muted } from './settings.js';
import './notifications.css';

/**
 * The header's notification controls, and the listener that notifies: mounted once by the
 * shell while signed in, so the stream is followed on every page and let go on sign-out.
 */
export function Notifications() {
  const [open, setOpen] = createSignal(false);
  let box: HTMLDivElement | undefined;
  onLive({ change: onFrame });

  // By the path, not the target: a Mute button is gone from the page once its click has run.
  const outside = (event: MouseEvent) => {
    if (open() && box && !event.composedPath().includes(box)) setOpen(false);
  };
  const escape = (event: KeyboardEvent) => {
    if (open() && event.key === 'Escape') setOpen(false);
  };
  document.addEventListener('click', outside);
  document.addEventListener('keydown', escape);
  onCleanup(() => {
    document.removeEventListener('click', outside);
    document.removeEventListener('keydown', escape);
  });

  return (
    <div class="notify" ref={box} data-open={open() ? '' : undefined}>
      <NotifyToggle />
      <button
        type="button"
        class="quiet"
        aria-expanded={open()}
        aria-haspopup="dialog"
        aria-label="Notification settings"
        title="Muted projects"
        onClick={() => setOpen(!open())}
        data-testid="notify-settings"
      >
        Muted{muted().length > 0 ? ` (${muted().length})` : ''}
      </button>
      <Show when={open()}>
        <div class="notify-popover" role="dialog" aria-label="Notification settings">
          <MuteList />
        </div>
      </Show>
    </div>
  );
}
