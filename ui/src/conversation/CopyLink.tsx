import { createSignal, onCleanup, Show } from 'solid-js';
import type { Message } from './api.js';
import { linkTo } from './links.js';
import './links.css';

const SHOWN_MS = 2000;

/** Copies the address of one entry (its deep link); shown on hover or focus, always reachable by Tab. */
export function CopyLink(props: { message: Message }) {
  const [said, setSaid] = createSignal<string | null>(null);
  let timer: number | undefined;
  onCleanup(() => window.clearTimeout(timer));
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(linkTo(props.message));
      setSaid('Copied');
    } catch {
      // No clipboard outside a secure context, or permission refused: the address is in the title.
      setSaid('Could not copy');
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(() => setSaid(null), SHOWN_MS);
  };
  return (
    <span class="copy-link">
      <span class="copy-link-said small" role="status">
        <Show when={said()}>{(text) => text()}</Show>
      </span>
      <button type="button" class="quiet copy-link-button" aria-label="Copy link to this entry" title={linkTo(props.message)} onClick={() => void copy()}>
        Link
      </button>
    </span>
  );
}
