import { createSignal, onCleanup, Show } from 'solid-js';

/** How to point Claude Code at this server. Keys stay in the terminal: this page may be open on a shared screen. */
export function ConnectSection() {
  const ingestUrl = `${window.location.origin}/api/claude-hooks`;
  const [copyState, setCopyState] = createSignal<'idle' | 'copied' | 'failed'>('idle');
  let resetTimer: number | undefined;
  onCleanup(() => window.clearTimeout(resetTimer));

  const copy = async () => {
    const ok = await navigator.clipboard.writeText(ingestUrl).then(() => true, () => false);
    setCopyState(ok ? 'copied' : 'failed');
    window.clearTimeout(resetTimer);
    resetTimer = window.setTimeout(() => setCopyState('idle'), 2000);
  };

  return (
    <section class="card" aria-labelledby="connect-title">
      <h2 id="connect-title">Connect Claude Code</h2>
      <p>Claude Code's hooks send each event to this ingest URL:</p>
      <div class="copy-row">
        <code class="url">{ingestUrl}</code>
        {/* The Clipboard API exists only in secure contexts (https or localhost). */}
        <Show when={'clipboard' in navigator}>
          <button type="button" onClick={copy}>
            {{ idle: 'Copy', copied: 'Copied', failed: 'Copy failed' }[copyState()]}
          </button>
        </Show>
      </div>
      <p>
        The hook settings and the keys are printed in the terminal running <code>arrakis start</code>. The hook needs
        the <strong>ingest</strong> key; this page never shows keys.
      </p>
    </section>
  );
}
