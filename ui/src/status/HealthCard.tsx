import { For, Show } from 'solid-js';
import { ago, clockTime, counted } from './format.js';
import type { Check, Health, ProjectionCheck } from './health.js';
import type { Part } from './status-data.js';

export interface HealthCardProps {
  part: Part<Health>;
  checkedAt: Date | undefined;
  refreshSeconds: number;
}

const labels: Record<string, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  unhealthy: 'Unhealthy',
  unreachable: 'Unreachable',
  pending: 'Checking…',
};

const describe = (check: Check) => (check.status === 'up' ? `up · ${check.latencyMs.toFixed(1)} ms` : `down · ${check.error}`);

// The server's own rule for "degraded" (server/routes/health.ts): far behind, parked events, or not running.
const LAG_DEGRADED = 1000;

/** What keeps the projections from healthy, one phrase per projection in trouble. */
function troubles(projections: Record<string, ProjectionCheck>): string[] {
  return Object.entries(projections).flatMap(([name, p]) => {
    const why = [
      ...(p.status !== 'running' && p.status !== 'starting' ? [p.status] : []),
      ...(p.lag > LAG_DEGRADED ? [`${counted(p.lag, 'event')} behind`] : []),
      ...(p.parked > 0 ? [`${counted(p.parked, 'parked event')}`] : []),
    ];
    return why.length ? [`${name}: ${why.join(', ')}`] : [];
  });
}

/** The server's own verdict (`GET /api/health`): the database and the alerts firing now. */
export function HealthCard(props: HealthCardProps) {
  // A report older than the latest failed check is shown, but the verdict says why it may be stale.
  const tone = () => (props.part.problem() ? 'unreachable' : (props.part.value()?.status ?? 'pending'));
  return (
    <section class="card" aria-labelledby="health-title">
      <div class="card-head">
        <h2 id="health-title">Server health</h2>
        <span class="pill" data-tone={tone()} data-testid="health-status">
          {labels[tone()]}
        </span>
      </div>
      <Show when={props.part.problem()}>{(problem) => <p class="problem">Health unknown: {problem()}.</p>}</Show>
      <Show when={props.part.value()} fallback={<Show when={!props.part.problem()}><p class="muted">Asking the server…</p></Show>}>
        {(health) => (
          <dl class="checks">
            <div class="check" data-tone={health().database.status}>
              <dt>Database</dt>
              <dd>{describe(health().database)}</dd>
            </div>
            <div class="check" data-tone={troubles(health().projections).length ? 'degraded' : 'healthy'}>
              <dt>Projections</dt>
              <dd>
                <Show when={troubles(health().projections).length} fallback={`${counted(Object.keys(health().projections).length, 'projection')}, none degraded`}>
                  <ul class="alerts">
                    <For each={troubles(health().projections)}>{(trouble) => <li>{trouble}</li>}</For>
                  </ul>
                </Show>
              </dd>
            </div>
            <div class="check" data-tone={health().alerts.length ? 'degraded' : 'healthy'}>
              <dt>Alerts</dt>
              <dd>
                <Show when={health().alerts.length} fallback="none firing">
                  <ul class="alerts">
                    <For each={health().alerts}>
                      {(alert) => (
                        <li data-tone={alert.level === 'critical' ? 'unhealthy' : 'degraded'}>
                          <strong>{alert.level}</strong> {alert.message} <span class="muted">since {ago(alert.since)}</span>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </dd>
            </div>
          </dl>
        )}
      </Show>
      <p class="muted small">
        <Show when={props.checkedAt}>{(at) => `Checked at ${clockTime(at().toISOString())} · `}</Show>
        refreshes every {props.refreshSeconds} s and as events arrive
      </p>
    </section>
  );
}
