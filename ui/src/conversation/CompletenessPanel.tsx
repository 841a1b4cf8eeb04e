import { For, Show } from 'solid-js';
import { gapLogHref, gaps, percent, type Gap, type SessionCompleteness } from '../completeness/api.js';
import { Link } from '../components/Link.js';
import { when } from '../conversations/ago.js';

const kinds: Record<Gap['kind'], string> = { tool: 'Tool call', prompt: 'Prompt', range: 'Transcript bytes', session: 'Session', turn: 'Reply', agent: 'Subagent run' };

/** A conversation's gaps: what is missing, why (if anything explains it), when, and the log around it. Text only. */
export function CompletenessPanel(props: { report: SessionCompleteness; onClose: () => void }) {
  const r = () => props.report;
  return (
    <section id="completeness-panel" class="completeness-panel card" aria-labelledby="completeness-title" data-testid="completeness-panel">
      <header class="completeness-panel-head">
        <h3 id="completeness-title">Capture completeness</h3>
        <button type="button" class="quiet" onClick={() => props.onClose()}>
          Close
        </button>
      </header>
      <p class="muted small">
        {percent(r().rate)} captured: {r().present.toLocaleString()} of {r().expected.toLocaleString()} expected events.{' '}
        {r().unexplained > 0 ? `${gaps(r().unexplained)} unexplained` : 'Nothing unexplained is missing'}
        <Show when={r().explained > 0}>, {r().explained.toLocaleString()} explained by a known reason</Show>.
        <Show when={r().hooks.retried > 0}> Hook deliveries retried: {r().hooks.retried.toLocaleString()} (up to attempt {r().hooks.maxAttempt}).</Show>
        <Show when={r().hooks.late > 0}> Delivered late (spooled): {r().hooks.late.toLocaleString()}, the oldest after {Math.round(r().hooks.maxDelayMs / 1000).toLocaleString()} s.</Show>
      </p>
      <Show when={r().gaps.length > 0} fallback={<p class="muted small">No gap: every expected event and transcript line is in the log.</p>}>
        <ul class="completeness-gaps">
          <For each={r().gaps}>
            {(gap) => (
              <li class="completeness-gap" data-expected={gap.expected ? 'true' : 'false'} data-kind={gap.kind}>
                <div class="completeness-gap-head">
                  <span class="badge" data-tone={gap.expected ? 'pending' : 'degraded'}>
                    {gap.expected ? 'Explained' : 'Unexplained'}
                  </span>
                  <span class="muted small">{kinds[gap.kind]}</span>
                  <span class="muted small" title={gap.at ?? undefined}>
                    {when(gap.at)}
                  </span>
                </div>
                <p class="completeness-missing">Missing: {gap.missing}</p>
                <Show when={gap.expected}>
                  <p class="muted small">Why: {gap.reason}</p>
                </Show>
                <Show when={gap.range}>{(range) => <p class="muted small">In <code>{range().path}</code></p>}</Show>
                <Link href={gapLogHref(gap, r().sessionId)} class="completeness-log">
                  {gap.positions.length > 0 ? `Log around it (${gap.positions.map((p) => `#${p}`).join(', ')})` : "The session's log"}
                </Link>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
