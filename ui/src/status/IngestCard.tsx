import { Show } from 'solid-js';
import { BarChart } from './BarChart.js';
import { clockTime, count, counted } from './format.js';
import type { IngestStats } from './status-api.js';
import type { Part } from './status-data.js';

const total = (stats: IngestStats, key: 'events' | 'rejected') => stats.buckets.reduce((sum, b) => sum + b[key], 0);

export function IngestCard(props: { part: Part<IngestStats> }) {
  return (
    <section class="card" aria-labelledby="ingest-title">
      <div class="card-head">
        <h2 id="ingest-title">Ingest</h2>
        <span class="muted small">last {props.part.value()?.minutes ?? 60} minutes, per minute</span>
      </div>
      <Show when={props.part.problem()}>{(problem) => <p class="problem">Could not load ingest counts: {problem()}</p>}</Show>
      <Show when={props.part.value()} fallback={<Show when={!props.part.problem()}><p class="muted">Loading…</p></Show>}>
        {(stats) => (
          <>
            <h3 class="chart-title">
              Events stored <span class="muted">{count(total(stats(), 'events'))}</span>
            </h3>
            <BarChart
              points={stats().buckets.map((b) => ({ at: b.at, value: b.events }))}
              unit="events"
              tone="accent"
              label={`${counted(total(stats(), 'events'), 'event')} stored in the last ${stats().minutes} minutes`}
            />
            <h3 class="chart-title">
              Ingest requests refused <span class="muted">{count(total(stats(), 'rejected'))}</span>
            </h3>
            <BarChart
              points={stats().buckets.map((b) => ({ at: b.at, value: b.rejected }))}
              unit="refused"
              tone="bad"
              label={`${counted(total(stats(), 'rejected'), 'ingest request')} refused by this server process in the last ${stats().minutes} minutes`}
            />
            <p class="muted small">
              Stored events are counted from the log, whichever server took them. Refusals (bad key, bad body, database down) leave no trace in the log:
              they are counted by this server process, since it started at {clockTime(stats().rejectedSince)}.
            </p>
          </>
        )}
      </Show>
    </section>
  );
}
