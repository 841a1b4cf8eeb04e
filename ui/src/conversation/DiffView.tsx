import { diffLines } from 'diff';
import { createMemo, For, Show } from 'solid-js';
import type { Expanded } from './expand.js';

interface Line {
  sign: '+' | '-' | ' ';
  text: string;
}

const LIMIT = 40;

function lines(before: string, after: string): Line[] {
  return diffLines(before, after).flatMap((part) => {
    const sign = part.added ? '+' : part.removed ? '-' : ' ';
    const texts = part.value.replace(/\n$/, '').split('\n');
    return texts.map((text) => ({ sign, text }));
  });
}

/** old_string → new_string of an edit (or a new file's content) as removed and added lines. */
export function DiffView(props: { id: string; before: string; after: string; expanded: Expanded }) {
  const all = createMemo(() => lines(props.before, props.after));
  const open = () => props.expanded.isOpen(props.id);
  const shown = () => (open() ? all() : all().slice(0, LIMIT));
  return (
    <div class="clipped">
      <pre class="diff" aria-label="changes">
        <For each={shown()}>{(line) => <span class="diff-line" data-sign={line.sign}>{`${line.sign} ${line.text}\n`}</span>}</For>
      </pre>
      <Show when={all().length > LIMIT}>
        <button type="button" class="quiet link" aria-expanded={open()} onClick={() => props.expanded.toggle(props.id)}>
          {open() ? 'Show less' : `Show all ${all().length.toLocaleString()} lines`}
        </button>
      </Show>
    </div>
  );
}
