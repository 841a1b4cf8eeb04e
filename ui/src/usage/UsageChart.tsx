import { createMemo, createSignal, For, Show } from 'solid-js';
import type { BreakdownBy, Period, PeriodReport } from './api.js';
import { chartData } from './chart-data.js';
import { tokens, usd } from './format.js';
import { setParams, type Metric, type UsageParams } from './params.js';
import { Segmented } from './Segmented.js';
import { StackedBars } from './StackedBars.js';

const periodWord: Record<Period, string> = { daily: 'day', weekly: 'week', monthly: 'month' };

/** Cost or tokens a period, stacked by model, project or host, with a legend and the hovered period's figures. */
export function UsageChart(props: { report: PeriodReport; params: UsageParams }) {
  const chart = createMemo(() => chartData(props.report, props.params.metric, props.params.period === 'daily' ? props.params : undefined));
  const format = (n: number) => (props.params.metric === 'cost' ? usd(n) : tokens(Math.round(n)));
  const [hovered, setHovered] = createSignal<number | null>(null);
  const at = () => {
    const i = hovered();
    return i === null || i >= chart().labels.length ? null : i;
  };
  const shown = (total: number, values: number[]) => format(at() === null ? total : values[at()!]!);

  return (
    <section class="card usage-chart" aria-labelledby="usage-chart-title">
      <div class="card-head usage-chart-head">
        <h2 id="usage-chart-title">
          {props.params.metric === 'cost' ? 'Cost' : 'Tokens'} by {periodWord[props.params.period]}
        </h2>
        <div class="usage-switches">
          <Segmented<Metric> label="Measure" value={props.params.metric} options={[['cost', 'Cost'], ['tokens', 'Tokens']]} onChange={(metric) => setParams({ metric })} />
          <Segmented<BreakdownBy> label="Stack by" value={props.params.breakdown} options={[['model', 'Model'], ['project', 'Project'], ['host', 'Host']]} onChange={(breakdown) => setParams({ breakdown })} />
          <Segmented<Period> label="Period" value={props.params.period} options={[['daily', 'Day'], ['weekly', 'Week'], ['monthly', 'Month']]} onChange={(period) => setParams({ period })} />
        </div>
      </div>
      <Show when={chart().labels.length > 0} fallback={<p class="muted">No usage in this range.</p>}>
        <StackedBars chart={chart()} format={format} label={`${props.params.metric} by ${periodWord[props.params.period]}, stacked by ${props.params.breakdown}`} onHover={setHovered} />
        <p class="muted small usage-hover" aria-live="off">
          {at() === null ? 'Whole range' : chart().labels[at()!]}
        </p>
        <ul class="usage-legend" data-testid="usage-legend">
          <For each={chart().series}>
            {(s) => (
              <li>
                <span class="usage-swatch" style={{ background: s.color }} />
                <span class="usage-legend-name">{s.name}</span>
                <span class="usage-legend-value">{shown(s.total, s.values)}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
