import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Sql } from 'postgres';
import { projectionStatus, type ProjectionStatus } from '../projections/engine/status.js';
import { completenessSummary } from '../projections/completeness/queries.js';
import type { CompletenessSummary } from '../projections/completeness/report.js';
import { createMinuteCounts } from './minute-counts.js';

export interface MetricsOptions {
  sql: Sql;
  /** Open SSE streams, read at scrape time; 0 when no stream is wired. */
  sseClients?: () => number;
  /**
   * Node's process metrics. Off unless asked for: they install a GC observer and an event
   * loop monitor that live as long as the process, one set per registry.
   */
  processMetrics?: boolean;
  clock?: () => Date;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A registry per app instance, so several apps in one process keep their own counts. */
export function createMetrics({ sql, sseClients = () => 0, processMetrics = false, clock = () => new Date() }: MetricsOptions) {
  const registry = new Registry();
  const registers = [registry];
  if (processMetrics) collectDefaultMetrics({ register: registry });

  // Both projection gauges are collected in the same scrape: they share one status query.
  let status: Promise<ProjectionStatus[] | null> | null = null;
  const projections = () =>
    (status ??= projectionStatus(sql)
      .catch(() => null)
      .finally(() => {
        status = null;
      }));
  // Both capture gauges share one summary per scrape, as the projection gauges share their status.
  let summary: Promise<CompletenessSummary | null> | null = null;
  const capture = () =>
    (summary ??= completenessSummary(sql)
      .catch(() => null)
      .finally(() => {
        summary = null;
      }));
  async function collectProjections(gauge: Gauge<'projection'>, value: (p: ProjectionStatus) => number) {
    const all = await projections();
    // Without a database answer the series are dropped rather than left stale or failing the scrape.
    gauge.reset();
    for (const p of all ?? []) gauge.set({ projection: p.name }, value(p));
  }

  return {
    registry,
    eventsAppended: new Counter({
      name: 'arrakis_events_appended_total',
      help: 'Events newly stored in the log, by type (transcript lines as transcript.<type>; unknown names as other).',
      labelNames: ['type'] as const,
      registers,
    }),
    duplicates: new Counter({ name: 'arrakis_events_duplicate_total', help: 'Events received again and answered from the log.', registers }),
    conflicts: new Counter({ name: 'arrakis_events_conflict_total', help: 'Events whose requestId was stored with other content.', registers }),
    ingestRejected: new Counter({
      name: 'arrakis_ingest_rejected_total',
      help: 'POST /api/claude-hooks answered with a 4xx or 5xx, by status.',
      labelNames: ['status'] as const,
      registers,
    }),
    /** The same refusals per minute, for the status page's chart: this process's only, like every counter here. */
    ingestRejectedPerMinute: createMinuteCounts({ clock }),
    appendSeconds: new Histogram({
      name: 'arrakis_append_duration_seconds',
      help: 'Time for one ingest request to be appended (group commit included).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    hookDeliveries: new Counter({
      name: 'arrakis_hook_deliveries_total',
      help: 'Ingest requests by outcome, and whether the hook was retrying (client.attempt > 1).',
      labelNames: ['outcome', 'attempt'] as const,
      registers,
    }),
    projectionLag: new Gauge({
      name: 'arrakis_projection_lag_events',
      help: 'Events in the log after the projection checkpoint (capped, see projections/engine/status.ts).',
      labelNames: ['projection'] as const,
      registers,
      collect() {
        return collectProjections(this, (p) => p.lag);
      },
    }),
    projectionParked: new Gauge({
      name: 'arrakis_projection_parked_events',
      help: 'Parked events not yet resolved.',
      labelNames: ['projection'] as const,
      registers,
      collect() {
        return collectProjections(this, (p) => p.parked);
      },
    }),
    captureUnexplainedGaps: new Gauge({
      name: 'arrakis_capture_unexplained_gaps',
      help: 'Capture gaps no known reason explains (projections/completeness), over all sessions.',
      registers,
      async collect() {
        const summary = await capture();
        this.reset();
        if (summary) this.set(summary.unexplained);
      },
    }),
    captureRate: new Gauge({
      name: 'arrakis_capture_rate',
      help: 'Expected events present / expected, over all sessions (projections/completeness).',
      registers,
      async collect() {
        const summary = await capture();
        this.reset();
        if (summary) this.set(summary.rate);
      },
    }),
    sseClients: new Gauge({
      name: 'arrakis_sse_clients',
      help: 'Open SSE streams.',
      registers,
      collect() {
        this.set(sseClients());
      },
    }),
  };
}

/** The sum over all label values of a counter: what the alert rules compare over time. */
export async function counterTotal(counter: Counter<string>): Promise<number> {
  const { values } = await counter.get();
  return values.reduce((sum, v) => sum + v.value, 0);
}
