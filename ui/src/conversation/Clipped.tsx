import { Show } from 'solid-js';
import type { Expanded } from './expand.js';

/** Preformatted text cut to its first lines until the reader asks for all of it. */
export function Clipped(props: { id: string; text: string; lines?: number; class?: string; expanded: Expanded }) {
  const all = () => props.text.split('\n');
  const limit = () => props.lines ?? 16;
  const open = () => props.expanded.isOpen(props.id);
  const cut = () => all().length > limit() + 2 && !open();
  return (
    <div class="clipped">
      <pre class={props.class}>{cut() ? all().slice(0, limit()).join('\n') : props.text}</pre>
      <Show when={all().length > limit() + 2}>
        <button type="button" class="quiet link" aria-expanded={open()} onClick={() => props.expanded.toggle(props.id)}>
          {open() ? 'Show less' : `Show all ${all().length.toLocaleString()} lines`}
        </button>
      </Show>
    </div>
  );
}
