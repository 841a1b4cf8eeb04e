import { Show } from 'solid-js';
import type { Admin } from './admin.js';
import { ago, count, counted } from './format.js';
import { ParkedList } from './ParkedList.js';
import { RebuildControl } from './RebuildControl.js';
import type { ParkedEvent, Projection } from './status-api.js';

// The server counts lag no further than this (projections/engine/status.ts LAG_COUNT_CAP).
const LAG_CAP = 100_000;
const tones: Record<string, string> = { running: 'healthy', starting: 'pending', retrying: 'degraded' };

const lagText = (lag: number) => (lag >= LAG_CAP ? `${count(LAG_CAP)}+ events` : counted(lag, 'event'));

export interface ProjectionRowProps {
  projection: Projection;
  parked: ParkedEvent[];
  admin: Admin;
  onChanged: () => void;
}

/** One projection: how far behind the log it is, its state, a rebuild in progress, its parked events. */
export function ProjectionRow(props: ProjectionRowProps) {
  const p = () => props.projection;
  return (
    <li class="projection" data-projection={p().name}>
      <div class="projection-head">
        <h3>{p().name}</h3>
        <span class="pill" data-tone={tones[p().status] ?? 'unhealthy'} data-testid="projection-status">
          {p().status}
        </span>
      </div>
      <dl class="stats">
        <div data-tone={p().lag > 1000 ? 'degraded' : undefined}>
          <dt>Lag</dt>
          <dd data-testid="projection-lag">{lagText(p().lag)}</dd>
        </div>
        <div>
          <dt>Position</dt>
          <dd>{count(p().position)}</dd>
        </div>
        <div data-tone={p().parked > 0 ? 'degraded' : undefined}>
          <dt>Parked</dt>
          <dd data-testid="projection-parked">{count(p().parked)}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>
            v{p().version} · gen {p().generation}
          </dd>
        </div>
      </dl>
      <Show when={p().lastError}>{(error) => <pre class="parked-error">{error()}</pre>}</Show>
      <Show when={p().building}>
        {(b) => (
          <p class="small" data-tone="degraded">
            Rebuilding into generation {b().generation} (v{b().version}): {lagText(b().lag)} to go, {b().status}.
          </p>
        )}
      </Show>
      <Show when={props.parked.length > 0}>
        <ParkedList name={p().name} events={props.parked} total={p().parked} admin={props.admin} onChanged={props.onChanged} />
      </Show>
      <div class="projection-foot">
        <p class="muted small" title={p().updatedAt}>
          Checkpoint moved {ago(p().updatedAt)}
          <Show when={p().owner}>{(owner) => <> by {owner()}</>}</Show>
        </p>
        <RebuildControl name={p().name} admin={props.admin} onChanged={props.onChanged} />
      </div>
    </li>
  );
}
