import { createSignal, onCleanup, Show } from 'solid-js';
import { fetchSessionCompleteness, gaps, percent, type SessionCompleteness } from '../completeness/api.js';
import '../completeness/completeness.css';
import { ApiError } from '../lib/http.js';
import { onLive } from '../lib/live.js';
import { CompletenessPanel } from './CompletenessPanel.js';

// Live changes come in bursts, as they do for the header's tokens: at most one refetch per this long.
const REFRESH_MS = 2000;

/** "Complete" or "N gaps" (unexplained) for one conversation; a click lists them. */
export function CompletenessBadge(props: { sessionId: string }) {
  const [report, setReport] = createSignal<SessionCompleteness | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [open, setOpen] = createSignal(false);
  let latest = 0;
  const load = async () => {
    const asked = ++latest;
    try {
      const fresh = await fetchSessionCompleteness(props.sessionId);
      if (asked !== latest) return;
      setReport(fresh);
      setProblem(null);
    } catch (error) {
      if (asked !== latest) return;
      // Not known yet (no event projected): nothing to say, rather than an alarm.
      setProblem(error instanceof ApiError && error.status === 404 ? null : (error as Error).message);
    }
  };
  void load();

  let timer: number | undefined;
  const soon = () => {
    timer ??= window.setTimeout(() => {
      timer = undefined;
      void load();
    }, REFRESH_MS);
  };
  onCleanup(() => window.clearTimeout(timer));
  onLive({
    change(change) {
      if (change.sessionId === props.sessionId) soon();
    },
    resync: soon,
  });

  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open()) setOpen(false);
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));

  const tone = (r: SessionCompleteness) => (r.unexplained > 0 ? 'degraded' : 'healthy');
  const title = (r: SessionCompleteness) =>
    `Capture ${percent(r.rate)}: ${r.present.toLocaleString()} of ${r.expected.toLocaleString()} expected events present` +
    (r.explained > 0 ? `; ${gaps(r.explained)} explained by a known reason` : '');

  return (
    <span class="completeness">
      <Show when={problem()}>{(p) => <span class="muted small" title={p()}>Completeness unknown</span>}</Show>
      <Show when={report()}>
        {(r) => (
          <>
            <button
              type="button"
              class="badge completeness-badge"
              data-tone={tone(r())}
              data-testid="completeness-badge"
              aria-expanded={open() ? 'true' : 'false'}
              aria-controls="completeness-panel"
              title={title(r())}
              onClick={() => setOpen(!open())}
            >
              {r().unexplained > 0 ? gaps(r().unexplained) : 'Complete'}
              <Show when={r().explained > 0}>
                <span class="completeness-explained">{r().explained.toLocaleString()} explained</span>
              </Show>
            </button>
            <Show when={open()}>
              <CompletenessPanel report={r()} onClose={() => setOpen(false)} />
            </Show>
          </>
        )}
      </Show>
    </span>
  );
}
