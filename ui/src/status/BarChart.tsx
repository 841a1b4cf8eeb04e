import { For, Show } from 'solid-js';
import { clockTime, count } from './format.js';

export interface BarChartProps {
  points: Array<{ at: string; value: number }>;
  /** What one bar counts, e.g. "events". */
  unit: string;
  /** The chart in words, for screen readers. */
  label: string;
  tone: 'accent' | 'bad';
}

const WIDTH = 600;
const HEIGHT = 80;
// A minute with any count stays visible next to a tall peak.
const MIN_BAR = 2;

/** Per-minute counts as bars, in plain SVG: the bundle carries no chart library. */
export function BarChart(props: BarChartProps) {
  const peak = () => Math.max(0, ...props.points.map((p) => p.value));
  const max = () => Math.max(1, peak());
  const slot = () => WIDTH / Math.max(1, props.points.length);
  const height = (value: number) => Math.max(MIN_BAR, (value / max()) * (HEIGHT - 4));
  return (
    <figure class="chart" data-tone={props.tone}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={props.label}>
        <line class="chart-base" x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} vector-effect="non-scaling-stroke" />
        <For each={props.points}>
          {(point, i) => (
            <Show when={point.value > 0}>
              <rect class="chart-bar" x={i() * slot() + slot() * 0.12} width={slot() * 0.76} y={HEIGHT - height(point.value)} height={height(point.value)}>
                <title>{`${clockTime(point.at)}: ${count(point.value)} ${props.unit}`}</title>
              </rect>
            </Show>
          )}
        </For>
      </svg>
      <figcaption class="chart-scale muted">
        <span>{props.points[0] ? clockTime(props.points[0].at) : ''}</span>
        <span>peak {count(peak())}/min</span>
        <span>now</span>
      </figcaption>
    </figure>
  );
}
