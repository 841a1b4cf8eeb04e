import { loadServerConfig } from '../core/config.js';
import { connect } from '../core/db.js';
import { readKeysFile } from '../core/keys.js';
import { createLogger } from '../core/log.js';
import { blockUsage, dailyUsage, monthlyUsage, sessionUsage, weeklyUsage } from '../projections/usage/queries.js';
import type { BlockReport, DailyReport, MonthlyReport, SessionReport, WeeklyReport } from '../projections/usage/report.js';
import { openDatabase } from './database.js';
import { parseUsageArgs, routeOf, usageText, type UsageArgs } from './usage-args.js';
import { blocksTable, periodTable, sessionTable } from './usage-table.js';

type Report = DailyReport | WeeklyReport | MonthlyReport | SessionReport | BlockReport;

export interface UsageIo {
  env?: NodeJS.ProcessEnv;
  out?: (text: string) => void;
  err?: (line: string) => void;
  now?: () => Date;
  /** The zone days are counted in without --tz; the machine's by default. */
  defaultTz?: string;
}

const titles = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', session: 'By Session', blocks: 'Session Blocks' } as const;

class Refused extends Error {}

/** GET /api/usage/<report> with the same query, as the read key allows. */
async function fromServer(base: string, args: UsageArgs, env: NodeJS.ProcessEnv): Promise<Report> {
  const key = env.ARRAKIS_READ_KEY || env.ARRAKIS_ADMIN_KEY || (await readKeysFile(loadServerConfig(env).dataDir)).read;
  if (!key) throw new Refused('no read key: set ARRAKIS_READ_KEY, or run it where `arrakis start` keeps its data (ARRAKIS_DATA_DIR)');
  const url = new URL(`api/usage/${routeOf(args.report)}`, base.endsWith('/') ? base : `${base}/`);
  for (const [name, value] of Object.entries(args.query)) url.searchParams.set(name, value);
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new Refused(`cannot reach ${url.origin}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as (Report & { message?: string }) | null;
  if (!response.ok || body === null) throw new Refused(`${url.origin} answered ${response.status}${body?.message ? `: ${body.message}` : ''}`);
  return body;
}

/** The query functions straight on the database, with the route's parameters as options. */
async function fromDatabase(args: UsageArgs, env: NodeJS.ProcessEnv, err: (line: string) => void, now: Date): Promise<Report> {
  const database = await openDatabase(loadServerConfig(env), createLogger({ level: 'warn', write: (line) => err(line) }));
  const sql = connect(database.url, { max: 2, applicationName: 'arrakis-usage' });
  const q = args.query;
  const filter = { since: q.since, until: q.until, tz: q.tz, project: q.project, host: q.host, model: q.model };
  try {
    switch (args.report) {
      case 'daily':
      case 'weekly':
      case 'monthly': {
        const options = { ...filter, breakdown: args.breakdown, order: q.order as 'asc' | 'desc' | undefined, startOfWeek: q.startOfWeek as 'sunday' | 'monday' | undefined };
        return await { daily: dailyUsage, weekly: weeklyUsage, monthly: monthlyUsage }[args.report](sql, options);
      }
      case 'session':
        return await sessionUsage(sql, { ...filter, order: q.order as 'cost' | 'recent' | undefined, limit: q.limit === undefined ? undefined : Number(q.limit) });
      case 'blocks':
        return await blockUsage(sql, { ...filter, active: q.active === 'true', recent: q.recent === 'true', now });
    }
  } finally {
    await sql.end({ timeout: 5 });
    await database.close();
  }
}

/** ccusage's JSON: the report as it is, without the keys only Arrakis' top level has. */
export function ccusageJson(report: Report): unknown {
  const { breakdown: _breakdown, timezone: _timezone, ...rest } = report as Report & { breakdown?: unknown; timezone?: unknown };
  return rest;
}

export function renderReport(args: UsageArgs, report: Report, now: Date): string {
  const empty = 'blocks' in report ? report.blocks.length === 0 : 'sessions' in report ? report.sessions.length === 0 : ('daily' in report ? report.daily : 'weekly' in report ? report.weekly : report.monthly).length === 0;
  const heading = `Claude Code Token Usage Report - ${titles[args.report]} (${args.tz})`;
  if (empty) return `${heading}\n\nNo usage found.\n`;
  let table: string;
  if ('blocks' in report) table = blocksTable(report, args.tz, now);
  else if ('sessions' in report) table = sessionTable(report, args.breakdown === 'model');
  else if ('daily' in report) table = periodTable('Date', report.daily.map((r) => ({ ...r, period: r.date })), report.totals, args.breakdown);
  else if ('weekly' in report) table = periodTable('Week', report.weekly.map((r) => ({ ...r, period: r.week })), report.totals, args.breakdown);
  else table = periodTable('Month', report.monthly.map((r) => ({ ...r, period: r.month })), report.totals, args.breakdown);
  return `${heading}\n\n${table}\n`;
}

/** `arrakis usage <report>`: ccusage's reports from the captured log, from a server (--url) or the database. */
export async function usageCommand(
  argv: string[],
  { env = process.env, out = (t) => process.stdout.write(t), err = (l) => process.stderr.write(`${l}\n`), now = () => new Date(), defaultTz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' }: UsageIo = {},
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(`${usageText}\n\nWithout --url (or ARRAKIS_URL) it reads the database; --tz defaults to this machine's zone (${defaultTz}).\n`);
    return 0;
  }
  const args = parseUsageArgs(argv, defaultTz);
  if ('problem' in args) {
    err(`arrakis usage: ${args.problem} (${usageText})`);
    return 2;
  }
  const at = now();
  const server = args.url ?? env.ARRAKIS_URL;
  let report: Report;
  try {
    report = server ? await fromServer(server, args, env) : await fromDatabase(args, env, err, at);
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    err(`arrakis usage: ${error.message}`);
    return 1;
  }
  out(args.json ? `${JSON.stringify(ccusageJson(report), null, 2)}\n` : renderReport(args, report, at));
  return 0;
}
