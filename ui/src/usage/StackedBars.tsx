import { createEffect, on, onCleanup, onMount } from 'solid-js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { scheme } from '../lib/theme.js';
import type { ChartData } from './chart-data.js';

const HEIGHT = 240;

const cssVar = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/**
 * Drawn series from stacked parts: the first is every part summed, each next one less the part
 * on top, so each bar, drawn over the taller ones before it, leaves its part showing.
 */
function stacked(chart: ChartData): uPlot.AlignedData {
  const parts = chart.series.map((s) => s.values);
  const drawn: number[][] = [];
  for (let top = parts.length - 1; top >= 0; top--) drawn.push(chart.labels.map((_, i) => parts.slice(0, top + 1).reduce((sum, p) => sum + p[i]!, 0)));
  return [chart.labels.map((_, i) => i), ...drawn];
}

const shape = (chart: ChartData) => chart.series.map((s) => `${s.name}\u0000${s.color}`).join('\u0001');

/**
 * A stacked bar chart on canvas (uPlot): created with the component, given new data as it
 * changes (made anew only when the stacked names change), destroyed with it.
 */
export function StackedBars(props: { chart: ChartData; format: (n: number) => string; label: string; onHover?: (index: number | null) => void }) {
  let host!: HTMLDivElement;
  let plot: uPlot | undefined;
  let drawnShape = '';
  // The axis reads the labels from here, so that new data needs no new chart.
  let labels: string[] = [];

  const options = (chart: ChartData): uPlot.Options => {
    const axis = { stroke: cssVar('--muted', '#6f655c'), grid: { stroke: cssVar('--border', '#e6ddd2'), width: 1 }, ticks: { show: false } };
    const bars = uPlot.paths.bars!({ size: [0.7, 48], gap: 1 });
    return {
      width: Math.max(200, host.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: false, y: false, setScale: false } },
      scales: {
        x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
      },
      axes: [
        { ...axis, grid: { show: false }, space: 44, incrs: [1, 2, 3, 7, 14, 28, 56, 91, 182, 364], values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? (labels[v] ?? '') : '')) },
        { ...axis, size: 64, values: (_u, splits) => splits.map((v) => props.format(v)) },
      ],
      series: [{}, ...[...chart.series].reverse().map((s) => ({ label: s.name, fill: s.color, stroke: s.color, width: 0, paths: bars, points: { show: false } }))],
      hooks: { setCursor: [(u: uPlot) => props.onHover?.(u.cursor.idx ?? null)] },
    };
  };

  const draw = (chart: ChartData) => {
    labels = chart.labels.map((label) => (/^\d{4}-\d{2}-\d{2}$/.test(label) ? label.slice(5) : label));
    if (plot && drawnShape === shape(chart)) {
      plot.setData(stacked(chart));
      return;
    }
    plot?.destroy();
    drawnShape = shape(chart);
    plot = new uPlot(options(chart), stacked(chart), host);
  };

  onMount(() => {
    createEffect(on(() => props.chart, draw));
    // Axis and grid colours are read from the palette when the chart is made: make it anew in the other scheme.
    createEffect(on(scheme, () => { drawnShape = ''; draw(props.chart); }, { defer: true }));
    const resize = new ResizeObserver(() => plot && host.clientWidth > 0 && plot.setSize({ width: host.clientWidth, height: HEIGHT }));
    resize.observe(host);
    onCleanup(() => resize.disconnect());
  });
  onCleanup(() => {
    plot?.destroy();
    plot = undefined;
  });

  return <div class="usage-plot" ref={host} role="img" aria-label={props.label} data-testid="usage-chart" />;
}
