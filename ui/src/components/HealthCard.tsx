import { For, Show } from 'solid-js';
import type { Check, Health } from '../api.js';

export interface HealthCardProps {
  health: Health | undefined;
  /** Why the last check failed to get a report; undefined while one is pending or the last one succeeded. */
  problem: string | undefined;
  checkedAt: Date | undefined;
  refreshSeconds: number;
}

const titles: Record<string, string> = { database: 'Database' };
const labels: Record<string, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  unhealthy: 'Unhealthy',
  unreachable: 'Unreachable',
  pending: 'Checking…',
};

function describe(check: Check): string {
  return check.status === 'up' ? `up · ${check.latencyMs.toFixed(1)} ms` : `down · ${check.error}`;
}

export function HealthCard(props: HealthCardProps) {
  const tone = () => props.health?.status ?? (props.problem ? 'unreachable' : 'pending');

  return (
    <section class="card" aria-labelledby="health-title">
      <div class="card-head">
        <h2 id="health-title">Server health</h2>
        <span class="pill" data-tone={tone()}>
          {labels[tone()]}
        </span>
      </div>
      <Show
        when={props.health}
        fallback={
          <p class="muted">{props.problem ? `Health unknown: ${props.problem}.` : 'Asking the server…'}</p>
        }
      >
        {(health) => (
          <dl class="checks">
            <For each={Object.entries(health().checks)}>
              {([name, check]) => (
                <div class="check" data-tone={check.status}>
                  <dt>{titles[name] ?? name}</dt>
                  <dd>{describe(check)}</dd>
                </div>
              )}
            </For>
          </dl>
        )}
      </Show>
      <p class="muted small">
        <Show when={props.checkedAt}>{(at) => `Checked at ${at().toLocaleTimeString()} · `}</Show>
        refreshes every {props.refreshSeconds} s
      </p>
    </section>
  );
}
