import type { Block, BlockReport, Breakdown, ModelBreakdown, SessionReport, Totals, UsageRow } from '../projections/usage/report.js';
import type { BreakdownBy } from './usage-args.js';

/** A cell may hold several lines; `right` columns are numbers. */
export type Cell = string;
type Align = 'left' | 'right';

/** A box-drawn table as ccusage draws it: a rule between every row, cells padded by one space. */
export function renderTable(head: string[], rows: Cell[][], aligns: Align[]): string {
  const lines = (cell: Cell) => cell.split('\n');
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.max(...lines(r[i] ?? '').map((l) => l.length)))));
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const pad = (text: string, i: number) => (aligns[i] === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const row = (cells: Cell[]) => {
    const height = Math.max(...cells.map((c) => lines(c).length));
    return Array.from({ length: height }, (_, k) => `│${cells.map((c, i) => ` ${pad(lines(c)[k] ?? '', i)} `).join('│')}│`).join('\n');
  };
  const body = rows.map(row).join(`\n${rule('├', '┼', '┤')}\n`);
  return [rule('┌', '┬', '┐'), row(head), rule('├', '┼', '┤'), body, rule('└', '┴', '┘')].filter((l) => l !== '').join('\n');
}

export const formatNumber = (n: number) => Math.round(n).toLocaleString('en-US');
export const formatCurrency = (usd: number) => `$${usd.toFixed(2)}`;

/** ccusage's short model names: claude-sonnet-4-20250514 reads sonnet-4. */
export function formatModelName(model: string): string {
  const match = /^claude-(\w+)-([\d-]+?)(?:-(\d{8}))?$/.exec(model);
  return match ? `${match[1]}-${match[2]}` : model;
}
export const formatModels = (models: readonly string[]) =>
  models.length === 0 ? '-' : [...new Set(models.map(formatModelName))].sort().map((m) => `- ${m}`).join('\n');

type Counts = { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number };
const tokenCells = (c: Counts, total: number, cost: number) =>
  [c.inputTokens, c.outputTokens, c.cacheCreationTokens, c.cacheReadTokens, total].map(formatNumber).concat(formatCurrency(cost));
const TOKEN_HEAD = ['Input', 'Output', 'Cache Create', 'Cache Read', 'Total Tokens', 'Cost (USD)'];
const tokenTotal = (c: Counts) => c.inputTokens + c.outputTokens + c.cacheCreationTokens + c.cacheReadTokens;

/** The sub-rows of one row: by model from modelBreakdowns, by project or host from breakdowns. */
function subRows(row: { modelBreakdowns: ModelBreakdown[]; breakdowns?: Breakdown[] }, by: BreakdownBy, lead: number, trail: number): Cell[][] {
  const slices = by === 'model'
    ? row.modelBreakdowns.map((m) => ({ name: formatModelName(m.modelName), counts: m as Counts, cost: m.cost }))
    : (row.breakdowns ?? []).map((b) => ({ name: b.name || '(none)', counts: b as Counts, cost: b.cost }));
  return slices.map((s) => [`  └─ ${s.name}`, ...Array<string>(lead).fill(''), ...tokenCells(s.counts, tokenTotal(s.counts), s.cost), ...Array<string>(trail).fill('')]);
}

/** daily, weekly, monthly: Date | Models | tokens… | Cost, a Total row; sub-rows with `by`. */
export function periodTable(label: string, rows: Array<UsageRow & { period: string }>, totals: Totals, by?: BreakdownBy): string {
  const body: Cell[][] = [];
  for (const row of rows) {
    body.push([row.period, formatModels(row.modelsUsed), ...tokenCells(row, row.totalTokens, row.totalCost)]);
    if (by) body.push(...subRows(row, by, 1, 0));
  }
  body.push(['Total', '', ...tokenCells(totals, totals.totalTokens, totals.totalCost)]);
  return renderTable([label, 'Models', ...TOKEN_HEAD], body, ['left', 'left', ...TOKEN_HEAD.map((): Align => 'right')]);
}

export function sessionTable(report: SessionReport, breakdown: boolean): string {
  const body: Cell[][] = [];
  for (const s of report.sessions) {
    body.push([s.sessionId, s.project, formatModels(s.modelsUsed), ...tokenCells(s, s.totalTokens, s.totalCost), s.lastActivity]);
    if (breakdown) body.push(...subRows(s, 'model', 2, 1));
  }
  const t = report.totals;
  body.push(['Total', '', '', ...tokenCells(t, t.totalTokens, t.totalCost), '']);
  return renderTable(['Session', 'Project', 'Models', ...TOKEN_HEAD, 'Last Activity'], body, ['left', 'left', 'left', ...TOKEN_HEAD.map((): Align => 'right'), 'left']);
}

const hm = (minutes: number) => `${Math.floor(minutes / 60)}h ${Math.round(minutes % 60)}m`;
const minutesBetween = (from: string, to: number) => Math.max(0, Math.round((to - Date.parse(from)) / 60_000));

/** ccusage's Block Start cell: start time in `tz`, then its length, elapsed and remaining time, or the gap. */
function blockStart(block: Block, tz: string, now: Date): string {
  const local = (iso: string) => new Date(iso).toLocaleString('en-CA', { timeZone: tz });
  const start = local(block.startTime);
  if (block.isGap) return `${start} - ${local(block.endTime)} (${Math.round((Date.parse(block.endTime) - Date.parse(block.startTime)) / 3_600_000)}h gap)`;
  if (block.isActive) return `${start} (${hm(minutesBetween(block.startTime, now.getTime()))} elapsed, ${hm(Math.max(0, Math.round((Date.parse(block.endTime) - now.getTime()) / 60_000)))} remaining)`;
  const minutes = block.actualEndTime ? minutesBetween(block.startTime, Date.parse(block.actualEndTime)) : 0;
  return minutes >= 60 ? `${start} (${hm(minutes)})` : `${start} (${minutes}m)`;
}

/**
 * blocks: Block Start | Duration/Status | Models | Tokens | % | Cost. % is of the largest
 * finished block, as ccusage's default token limit; the active block is followed by its
 * burn rate and what it comes to if that rate holds.
 */
export function blocksTable(report: BlockReport, tz: string, now: Date): string {
  const finished = report.blocks.filter((b) => !b.isGap && !b.isActive).map((b) => b.totalTokens);
  const limit = finished.length > 0 ? Math.max(...finished) : 0;
  const percent = (tokens: number) => (limit > 0 ? `${((tokens / limit) * 100).toFixed(1)}%` : '-');
  const body: Cell[][] = [];
  for (const block of report.blocks) {
    if (block.isGap) {
      body.push([blockStart(block, tz, now), '(inactive)', '-', '-', '-', '-']);
      continue;
    }
    body.push([blockStart(block, tz, now), block.isActive ? 'ACTIVE' : '', formatModels(block.models), formatNumber(block.totalTokens), percent(block.totalTokens), formatCurrency(block.costUSD)]);
    if (block.isActive && block.burnRate) {
      body.push([`(${formatNumber(block.burnRate.tokensPerMinute)} tokens/min)`, 'BURN RATE', '', '', '', `${formatCurrency(block.burnRate.costPerHour)}/h`]);
    }
    if (block.isActive && block.projection) {
      const p = block.projection;
      body.push(['(assuming current burn rate)', 'PROJECTED', '', formatNumber(p.totalTokens), percent(p.totalTokens), formatCurrency(p.totalCost)]);
    }
  }
  return renderTable(['Block Start', 'Duration/Status', 'Models', 'Tokens', '%', 'Cost'], body, ['left', 'left', 'left', 'right', 'right', 'right']);
}
