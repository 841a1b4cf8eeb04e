import { createEffect, createResource, For, Show } from 'solid-js';
import { Link } from '../components/Link.js';
import { fetchEvent, type Message, type StoredEvent } from './api.js';

// A message merged from more events than this is rare; the log page shows them all.
const MAX_SHOWN = 50;

type Loaded = StoredEvent | { position: number; problem: string };

/** The log events a message was built from, fetched and shown as JSON text, in a modal dialog. */
export function SourcesDrawer(props: { message: Message | null; onClose: () => void }) {
  let dialog!: HTMLDialogElement;
  const positions = () => props.message?.sources ?? [];
  const [events] = createResource(
    () => props.message?.sources,
    (list) => Promise.all(list.slice(0, MAX_SHOWN).map((p): Promise<Loaded> => fetchEvent(p).catch((error: Error) => ({ position: p, problem: error.message })))),
  );
  createEffect(() => {
    if (props.message && !dialog.open) dialog.showModal();
    else if (!props.message && dialog.open) dialog.close();
  });
  return (
    <dialog ref={dialog} class="sources" aria-labelledby="sources-title" onClose={() => props.onClose()} data-testid="sources">
      <header class="sources-head">
        <h2 id="sources-title">Source events</h2>
        <Link href={`/events?positions=${positions().join(',')}`}>Open in the log</Link>
        <button type="button" onClick={() => dialog.close()}>
          Close
        </button>
      </header>
      <p class="muted small">
        {props.message?.kind} message built from log {positions().length === 1 ? 'position' : 'positions'} {positions().join(', ')}.
        <Show when={positions().length > MAX_SHOWN}> The first {MAX_SHOWN} are shown here.</Show>
      </p>
      <Show when={!events.loading} fallback={<p class="muted">Loading…</p>}>
        <For each={events()}>
          {(event) => (
            <section class="source">
              <Show when={'problem' in event ? event : null} fallback={<h3>#{event.position} · {(event as StoredEvent).type}</h3>}>
                {(failed) => <h3>#{failed().position} · could not load: {failed().problem}</h3>}
              </Show>
              <Show when={!('problem' in event)}>
                <pre class="source-json">{JSON.stringify(event, null, 2)}</pre>
              </Show>
            </section>
          )}
        </For>
      </Show>
    </dialog>
  );
}
