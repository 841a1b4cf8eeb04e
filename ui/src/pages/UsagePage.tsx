import { createMemo, Show } from 'solid-js';
import { location } from '../lib/router.js';
import { BlocksCard } from '../usage/BlocksCard.js';
import { readParams, sameParams } from '../usage/params.js';
import { TopProjects } from '../usage/TopProjects.js';
import { TopSessions } from '../usage/TopSessions.js';
import { createUsageData } from '../usage/usage-data.js';
import { UsageChart } from '../usage/UsageChart.js';
import { UsageFilters } from '../usage/UsageFilters.js';
import { UsageTotals } from '../usage/UsageTotals.js';
import '../usage/usage.css';

const distinct = (values: Array<string | null | undefined>) => [...new Set(values.filter((v): v is string => !!v))].sort();

/**
 * `/usage`: tokens and cost over a range (kept in the address), by model, project or host; the
 * most expensive conversations and projects; and the 5-hour blocks with the active one's burn
 * rate. Kept current by the live stream.
 */
export function UsagePage(_props: { params: Record<string, string> }) {
  const params = createMemo(() => readParams(location().search), undefined, { equals: sameParams });
  const data = createUsageData(params);
  const models = createMemo(() => distinct([params().model, ...(data.report()?.rows.flatMap((r) => r.modelsUsed) ?? [])]));
  const projects = createMemo(() => distinct([params().project, ...data.projects().map((p) => p.project)]));
  const hosts = createMemo(() => distinct([params().host, ...data.sessions().map((s) => s.host)]));

  return (
    <div class="usage-page" aria-labelledby="usage-title">
      <div class="usage-head">
        <h2 id="usage-title">Usage</h2>
        <span class="muted small" aria-live="polite">
          <Show when={data.state() === 'loading'}>Loading…</Show>
        </span>
      </div>
      <UsageFilters params={params()} projects={projects()} hosts={hosts()} models={models()} />
      <Show when={data.state() === 'error'}>
        <p class="usage-problem" role="alert">
          Could not load usage: {data.problem()} <button type="button" onClick={data.reload}>Retry</button>
        </p>
      </Show>
      <Show when={data.report()}>
        {(report) => (
          <>
            <UsageTotals totals={report().totals} since={params().since} until={params().until} />
            <UsageChart report={report()} params={params()} />
          </>
        )}
      </Show>
      <BlocksCard blocks={data.blocks()} tz={params().tz} />
      <div class="usage-tops">
        <TopSessions sessions={data.sessions()} />
        <TopProjects projects={data.projects()} current={params().project} />
      </div>
    </div>
  );
}
