import { createSignal, For, Show } from 'solid-js';
import { conversationHref, fetchCompleteness, gaps, percent, type CompletenessSummary } from '../completeness/api.js';
import '../completeness/completeness.css';
import { Link } from '../components/Link.js';
import { count } from './format.js';
import { createRefresh } from './refresh.js';

/** How much of what the hooks and transcripts promised is in the log, overall and by host, and the sessions with unexplained gaps. */
export function CompletenessCard(props: { refreshSeconds: number }) {
  const [summary, setSummary] = createSignal<CompletenessSummary>();
  const [problem, setProblem] = createSignal<string>();
  createRefresh(
    async () => {
      try {
        setSummary(await fetchCompleteness());
        setProblem(undefined);
      } catch (error) {
        // The last good answer stays on screen, marked as stale by the problem.
        setProblem((error as Error).message);
      }
    },
    { everyMs: props.refreshSeconds * 1000 },
  );
  const tone = (s: CompletenessSummary) => (s.unexplained > 0 ? 'degraded' : 'healthy');
  return (
    <section class="card completeness-card" aria-labelledby="completeness-card-title" data-testid="completeness-card">
      <div class="card-head">
        <h2 id="completeness-card-title">Capture completeness</h2>
      </div>
      <Show when={problem()}>{(p) => <p class="problem">Could not load completeness: {p()}</p>}</Show>
      <Show when={summary()} fallback={<Show when={!problem()}><p class="muted">Loading…</p></Show>}>
        {(s) => (
          <>
            <p class="completeness-rate" data-tone={tone(s())} data-testid="completeness-rate" title="events present of those expected, less those a known reason explains">
              {percent(s().rate)}
            </p>
            <dl class="stats">
              <div>
                <dt>Expected</dt>
                <dd>{count(s().expected)}</dd>
              </div>
              <div>
                <dt>Present</dt>
                <dd>{count(s().present)}</dd>
              </div>
              <div>
                <dt>Sessions</dt>
                <dd>{count(s().sessions)}</dd>
              </div>
              <div data-tone={s().unexplained > 0 ? 'degraded' : undefined}>
                <dt>Unexplained</dt>
                <dd data-testid="completeness-unexplained">{count(s().unexplained)}</dd>
              </div>
              <div>
                <dt>Explained</dt>
                <dd title="missing for a known reason: hook not installed then, event type not registered, …">{count(s().explained)}</dd>
              </div>
            </dl>
            <Show when={s().byHost.length > 0}>
              <h3>By host</h3>
              <table class="completeness-hosts">
                <thead>
                  <tr><th scope="col">Host</th><th scope="col">Rate</th><th scope="col">Expected</th><th scope="col">Present</th><th scope="col">Unexplained</th></tr>
                </thead>
                <tbody>
                  <For each={s().byHost}>
                    {(h) => (
                      <tr data-completeness-host={h.host}>
                        <th scope="row">{h.host}</th>
                        <td>{percent(h.rate)}</td>
                        <td>{count(h.expected)}</td>
                        <td>{count(h.present)}</td>
                        <td>{count(h.unexplained)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </Show>
            <Show when={s().sessionsWithGaps.length > 0} fallback={<p class="muted small">No session has an unexplained gap.</p>}>
              <h3>Sessions with unexplained gaps</h3>
              <ul class="completeness-sessions">
                <For each={s().sessionsWithGaps}>
                  {(g) => (
                    <li data-session={g.sessionId}>
                      <Link href={conversationHref(g.sessionId)}>{g.sessionId}</Link>
                      <span>{gaps(g.unexplained)}</span>
                      <Show when={g.explained > 0}><span class="muted small">{count(g.explained)} explained</span></Show>
                      <span class="muted small">{percent(g.rate)}{g.host ? ` · ${g.host}` : ''}</span>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
