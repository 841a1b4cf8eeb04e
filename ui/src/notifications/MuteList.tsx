import { createSignal, For, Show } from 'solid-js';
import { mute, muted, recentProjects, unmute } from './settings.js';

/** The muted projects, and the ones notified lately, each a click from muting. */
export function MuteList() {
  const [name, setName] = createSignal('');
  const unmutedRecent = () => recentProjects().filter((p) => !muted().includes(p));
  const add = (event: SubmitEvent) => {
    event.preventDefault();
    mute(name());
    setName('');
  };
  return (
    <div class="mute-list" data-testid="mute-list">
      <Show when={unmutedRecent().length > 0}>
        <h3>Notified lately</h3>
        <ul>
          <For each={unmutedRecent()}>
            {(project) => (
              <li>
                <span>{project}</span>
                <button type="button" class="quiet" onClick={() => mute(project)} aria-label={`Mute ${project}`}>
                  Mute
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <h3>Muted projects</h3>
      <Show when={muted().length > 0} fallback={<p class="muted">None: every project notifies.</p>}>
        <ul>
          <For each={muted()}>
            {(project) => (
              <li>
                <span>{project}</span>
                <button type="button" class="quiet" onClick={() => unmute(project)} aria-label={`Unmute ${project}`}>
                  Unmute
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <form onSubmit={add}>
        <input aria-label="Project to mute" placeholder="project" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="quiet" disabled={!name().trim()}>
          Mute
        </button>
      </form>
    </div>
  );
}
