import { createSignal, onCleanup } from 'solid-js';
import { copyText } from './copy.js';

const labels = { idle: 'Copy', copied: 'Copied', failed: 'Copy failed: select the text' } as const;

export function CopyButton(props: { text: () => string; label: string }) {
  const [state, setState] = createSignal<keyof typeof labels>('idle');
  let reset: number | undefined;
  onCleanup(() => window.clearTimeout(reset));
  const copy = async () => {
    setState((await copyText(props.text())) ? 'copied' : 'failed');
    window.clearTimeout(reset);
    reset = window.setTimeout(() => setState('idle'), 2000);
  };
  return (
    <button type="button" class="small-button" aria-label={props.label} onClick={copy}>
      <span aria-live="polite">{labels[state()]}</span>
    </button>
  );
}
