import { z } from 'zod';
import type { BlockReport, DailyReport, MonthlyReport, SessionReport, Totals, UsageRow, WeeklyReport } from '../../projections/usage/report.js';
import { machineZone } from '../statusline.js';
import type { ReadApi } from './client.js';
import { defineTool } from './tools.js';

const money = (usd: number) => `$${usd.toFixed(2)}`;
const count = (n: number) => n.toLocaleString('en-US');
const tokens = (t: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number; totalTokens: number }) =>
  `${count(t.totalTokens)} tokens (in ${count(t.inputTokens)}, out ${count(t.outputTokens)}, cache write ${count(t.cacheCreationTokens)}, cache read ${count(t.cacheReadTokens)})`;
const totalsLine = (t: Totals) => `Total: ${money(t.totalCost)}, ${tokens(t)}, ${count(t.responses)} responses; cache reads saved ${money(t.cacheSavingsUsd)}`;

const day = z.string().regex(/^\d{4}-?\d{2}-?\d{2}$/, 'a date, YYYY-MM-DD');

async function activeBlock(api: ReadApi, tz: string): Promise<string> {
  const { blocks } = await api.get<BlockReport>('/api/usage/blocks', { active: 'true', tz });
  const block = blocks.find((b) => b.isActive);
  if (!block) return 'Active 5-hour billing block: none.';
  const burn = block.burnRate ? `, burning ${money(block.burnRate.costPerHour)}/h (${count(Math.round(block.burnRate.tokensPerMinute))} tokens/min)` : '';
  const projected = block.projection ? `; projected ${money(block.projection.totalCost)} by its end, ${block.projection.remainingMinutes} min left` : '';
  return `Active 5-hour billing block: started ${block.startTime}, ends ${block.endTime}, ${money(block.costUSD)} so far, ${count(block.totalTokens)} tokens, models ${block.models.join(', ') || '-'}${burn}${projected}.`;
}

export const getUsage = defineTool({
  name: 'get_usage',
  description:
    'Claude Code token usage and cost from the captured history, like ccusage: per day, week or month (with the models used), or per session (costliest first), ' +
    'over an optional date range and project, followed by the active 5-hour billing block (cost so far, burn rate, projection, time left). Costs are in USD at API prices.',
  input: {
    report: z.enum(['daily', 'weekly', 'monthly', 'session']).optional().describe('How to group usage (default daily).'),
    since: day.optional().describe('First day included, YYYY-MM-DD, in tz.'),
    until: day.optional().describe('Last day included, YYYY-MM-DD, in tz.'),
    tz: z.string().max(64).optional().describe('IANA time zone days are counted in (default: this machine\'s).'),
    project: z.string().max(4096).optional().describe('Only this project.'),
    limit: z.number().int().min(1).max(200).optional().describe('Rows shown, the latest (or costliest sessions) first (default 31).'),
  },
  async run(api, { report = 'daily', since, until, tz = machineZone(process.env), project, limit = 31 }) {
    const filter = { since, until, tz, project };
    let rows: string[];
    let totals: Totals;
    let shown: number;
    if (report === 'session') {
      const r = await api.get<SessionReport>('/api/usage/sessions', { ...filter, order: 'cost', limit });
      rows = r.sessions.map((s) => `- ${s.title ?? '(untitled)'} [${s.project}] session ${s.sessionId}, last ${s.lastActivity}: ${money(s.totalCost)}, ${tokens(s)}; ${s.modelsUsed.join(', ')}`);
      ({ totals } = r);
      shown = r.sessions.length;
    } else {
      const r = await api.get<DailyReport | WeeklyReport | MonthlyReport>(`/api/usage/${report}`, { ...filter, order: 'desc' });
      const periods: Array<UsageRow & { period: string }> =
        'daily' in r ? r.daily.map((x) => ({ ...x, period: x.date })) : 'weekly' in r ? r.weekly.map((x) => ({ ...x, period: `week of ${x.week}` })) : r.monthly.map((x) => ({ ...x, period: x.month }));
      rows = periods.slice(0, limit).map((p) => `- ${p.period}: ${money(p.totalCost)}, ${tokens(p)}; ${p.modelBreakdowns.map((m) => `${m.modelName} ${money(m.cost)}`).join(', ')}`);
      ({ totals } = r);
      shown = Math.min(periods.length, limit);
      if (periods.length > limit) rows.push(`(latest ${limit} of ${periods.length} rows shown; the total covers all)`);
    }
    const range = `${since ?? 'the first capture'} to ${until ?? 'today'} (${tz})${project ? `, project ${project}` : ''}`;
    const body = shown === 0 ? 'No usage in that range.' : `${rows.join('\n')}\n${totalsLine(totals)}`;
    return `Usage ${report === 'session' ? 'by session' : report}, ${range}:\n${body}\n\n${await activeBlock(api, tz)}`;
  },
});
