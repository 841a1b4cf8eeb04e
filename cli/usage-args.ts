import { parseArgs } from 'node:util';

export const reports = ['daily', 'weekly', 'monthly', 'session', 'blocks'] as const;
export type ReportName = (typeof reports)[number];
export type BreakdownBy = 'model' | 'project' | 'host';

export const usageText =
  'usage: arrakis usage daily|weekly|monthly|session|blocks [--since DATE] [--until DATE] [--tz ZONE] [--json] [--breakdown[=model|project|host]] [--project DIR] [--host NAME] [--model NAME] [--order ORDER] [--start-of-week sunday|monday] [--limit N] [--active] [--recent] [--url URL]';

export interface UsageArgs {
  report: ReportName;
  json: boolean;
  url?: string;
  tz: string;
  /** Sub-rows by this dimension in the table; unset: none. */
  breakdown?: BreakdownBy;
  /** The query the report is asked with, as GET /api/usage/* takes it (names and values). */
  query: Record<string, string>;
}

/** The route of each report under /api/usage/. */
export const routeOf = (report: ReportName) => (report === 'session' ? 'sessions' : report);

/** ccusage's YYYYMMDD or YYYY-MM-DD, as YYYY-MM-DD; undefined when it is no such day. */
export function normalizeDay(text: string): string | undefined {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text);
  if (!match) return undefined;
  const day = `${match[1]}-${match[2]}-${match[3]}`;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(day) ? day : undefined;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return /^[A-Za-z0-9_+\-/]+$/.test(tz);
  } catch {
    return false;
  }
}

const periodic = (report: ReportName) => report === 'daily' || report === 'weekly' || report === 'monthly';

/** Which reports take each option; the rest take every filter. */
const onlyFor: Record<string, (report: ReportName) => boolean> = {
  breakdown: (r) => periodic(r) || r === 'session',
  'start-of-week': (r) => r === 'weekly',
  limit: (r) => r === 'session',
  active: (r) => r === 'blocks',
  recent: (r) => r === 'blocks',
};

/** The arguments of `arrakis usage`, or a one-line problem. */
export function parseUsageArgs(args: string[], defaultTz: string): UsageArgs | { problem: string } {
  // `--breakdown` alone (ccusage's flag) means by model; `--breakdown=project` picks another dimension.
  let breakdown: string | undefined;
  const rest = args.filter((arg) => {
    if (arg === '--breakdown' || arg === '-b') breakdown = 'model';
    else if (arg.startsWith('--breakdown=')) breakdown = arg.slice('--breakdown='.length);
    else return true;
    return false;
  });
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        since: { type: 'string', short: 's' }, until: { type: 'string', short: 'u' }, tz: { type: 'string', short: 'z' },
        timezone: { type: 'string' }, json: { type: 'boolean', short: 'j' }, project: { type: 'string', short: 'p' },
        host: { type: 'string' }, model: { type: 'string' }, order: { type: 'string', short: 'o' },
        'start-of-week': { type: 'string', short: 'w' }, limit: { type: 'string' }, active: { type: 'boolean', short: 'a' },
        recent: { type: 'boolean', short: 'r' }, url: { type: 'string' },
      },
    });
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const { values: v, positionals } = parsed;
  const [report, ...extra] = positionals;
  if (report === undefined) return { problem: `which report? one of ${reports.join(', ')}` };
  if (!(reports as readonly string[]).includes(report)) return { problem: `unknown report '${report}' (one of ${reports.join(', ')})` };
  if (extra.length > 0) return { problem: `unexpected argument '${extra[0]}'` };
  const name = report as ReportName;
  const given: Record<string, unknown> = { ...v, breakdown };
  for (const [option, allowed] of Object.entries(onlyFor)) {
    if (given[option] !== undefined && !allowed(name)) return { problem: `--${option} does not apply to the ${name} report` };
  }
  if (breakdown !== undefined && !['model', 'project', 'host'].includes(breakdown)) return { problem: `--breakdown must be model, project or host, got '${breakdown}'` };
  if (name === 'session' && breakdown !== undefined && breakdown !== 'model') return { problem: 'the session report breaks down by model only' };

  const query: Record<string, string> = {};
  for (const flag of ['since', 'until'] as const) {
    const text = v[flag];
    if (text === undefined) continue;
    const day = normalizeDay(text);
    if (!day) return { problem: `--${flag} must be a date, YYYYMMDD or YYYY-MM-DD, got '${text}'` };
    query[flag] = day;
  }
  if (query.since && query.until && query.since > query.until) return { problem: `--since ${query.since} is after --until ${query.until}` };
  const tz = v.tz ?? v.timezone ?? defaultTz;
  if (!isTimeZone(tz)) return { problem: `--tz must be an IANA time zone such as Europe/Paris, got '${tz}'` };
  query.tz = tz;
  for (const flag of ['project', 'host', 'model'] as const) if (v[flag] !== undefined) query[flag] = v[flag];

  const orders = periodic(name) ? ['asc', 'desc'] : name === 'session' ? ['cost', 'recent'] : [];
  if (v.order !== undefined) {
    if (orders.length === 0) return { problem: `--order does not apply to the ${name} report` };
    if (!orders.includes(v.order)) return { problem: `--order must be ${orders.join(' or ')} for the ${name} report, got '${v.order}'` };
    query.order = v.order;
  }
  if (v['start-of-week'] !== undefined) {
    if (!['sunday', 'monday'].includes(v['start-of-week'])) return { problem: `--start-of-week must be sunday or monday, got '${v['start-of-week']}'` };
    query.startOfWeek = v['start-of-week'];
  }
  if (v.limit !== undefined) {
    if (!/^\d+$/.test(v.limit) || Number(v.limit) < 1 || Number(v.limit) > 1000) return { problem: `--limit must be a whole number from 1 to 1000, got '${v.limit}'` };
    query.limit = v.limit;
  }
  if (periodic(name) && breakdown !== undefined) query.breakdown = breakdown;
  if (v.active) query.active = 'true';
  if (v.recent) query.recent = 'true';
  if (v.url !== undefined) {
    try {
      new URL(v.url);
    } catch {
      return { problem: `--url must be a URL such as http://127.0.0.1:8787/, got '${v.url}'` };
    }
  }
  return { report: name, json: v.json ?? false, url: v.url, tz, breakdown: breakdown as BreakdownBy | undefined, query };
}
