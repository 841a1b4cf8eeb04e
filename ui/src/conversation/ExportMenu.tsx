import { createSignal, onCleanup, Show } from 'solid-js';
import './export-menu.css';

/**
 * Export: the conversation as Markdown or one HTML file, through the export route. Plain
 * links, so the browser downloads with the login cookie it already sends and shows its own
 * progress; "Redact" swaps home paths and secrets out on the server, before the file is made.
 */
export function ExportMenu(props: { sessionId: string }) {
  const [open, setOpen] = createSignal(false);
  const [redact, setRedact] = createSignal(false);
  let root: HTMLDivElement | undefined;
  const href = (format: 'md' | 'html') => `/api/conversations/${encodeURIComponent(props.sessionId)}/export?format=${format}&redact=${redact() ? 1 : 0}`;
  const outside = (event: MouseEvent) => {
    if (root && !root.contains(event.target as Node)) setOpen(false);
  };
  document.addEventListener('click', outside);
  onCleanup(() => document.removeEventListener('click', outside));
  return (
    <div class="export-menu" ref={root} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" class="quiet" aria-expanded={open() ? 'true' : 'false'} aria-controls="export-panel" onClick={() => setOpen(!open())}>
        Export
      </button>
      <Show when={open()}>
        <div class="export-panel card" id="export-panel" role="group" aria-label="Export this conversation">
          <a href={href('md')} download="" onClick={() => setOpen(false)}>Markdown</a>
          <a href={href('html')} download="" onClick={() => setOpen(false)}>HTML</a>
          <label class="small" title="Home directories become ~, and keys, tokens and passwords [redacted]">
            <input type="checkbox" checked={redact()} onChange={(e) => setRedact(e.currentTarget.checked)} /> Redact paths and secrets
          </label>
        </div>
      </Show>
    </div>
  );
}
