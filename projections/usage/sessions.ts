import type { Sql } from '../../core/db.js';
import { shownConversation } from '../conversations/queries.js';
import { addSums, dimensions, hourlyWhere, sumColumns, totalsOf, UTC, zeroSums, type Sums } from './filter.js';
import { modelBreakdowns } from './periods.js';
import type { ProjectReport, SessionReport, SessionRow, UsageFilter } from './report.js';

export interface SessionOptions extends UsageFilter {
  /** Most expensive first, or most recently active first (the default). */
  order?: 'cost' | 'recent';
  limit?: number;
}

/** Sessions active in the range: they began before its end and were last active after its start. */
function sessionsWhere(sql: Sql, filter: UsageFilter) {
  const tz = filter.tz ?? UTC;
  return sql`true
    ${filter.since ? sql`and s.last_at >= (${filter.since}::date)::timestamp at time zone ${tz}` : sql``}
    ${filter.until ? sql`and s.first_at < (${filter.until}::date + 1)::timestamp at time zone ${tz}` : sql``}
    ${dimensions(sql, filter, 's')}`;
}

const unfiltered = (f: UsageFilter) => !f.since && !f.until && !f.project && !f.host && !f.model;

interface SessionModelRow extends Sums {
  session_id: string;
  model: string;
  project: string;
  cwd: string | null;
  host: string;
  last_at: Date;
  local_day: string;
  title: string | null;
}

/**
 * Sessions with what they cost in all (a session's rollup is not split by time), the top
 * `limit` by the order asked for; totals over every session that matched, not only those.
 */
export async function sessionUsage(sql: Sql, options: SessionOptions = {}): Promise<SessionReport> {
  const tz = options.tz ?? UTC;
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const order = options.order === 'cost' ? sql`sum(s.cost) desc, s.session_id` : sql`max(s.last_at) desc, s.session_id`;
  const [rows, [all]] = await Promise.all([
    sql<SessionModelRow[]>`
      with top as (${unfiltered(options) && options.order === 'cost'
        // Every session, costliest first: the cost rollup's index holds that order.
        ? sql`select k.session_id from arrakis.proj_usage__costs k where k.cost > 0 order by k.cost desc, k.session_id limit ${limit}`
        : sql`select s.session_id from arrakis.proj_usage__sessions s where ${sessionsWhere(sql, options)}
               group by s.session_id having sum(s.responses) > 0 order by ${order} limit ${limit}`})
      -- The conversation's own project and folder (where it started) over those of its first response's line, which may be a subagent's worktree.
      select s.session_id, s.model, coalesce(v.doc->>'project', s.project) as project, coalesce(v.doc->>'cwd', s.cwd) as cwd, s.host, s.last_at, to_char(s.last_at at time zone ${tz}, 'YYYY-MM-DD') as local_day,
             v.doc->>'title' as title, ${sumColumns(sql, 's')}
        from top join arrakis.proj_usage__sessions s on s.session_id = top.session_id
        left join lateral (${shownConversation(sql, sql`top.session_id`)}) v on true
       where s.responses > 0 ${dimensions(sql, options, 's')}
       group by s.session_id, s.model, s.project, s.cwd, s.host, s.last_at, v.doc`,
    sql<Sums[]>`select ${sumColumns(sql, 's')} from arrakis.proj_usage__sessions s where ${sessionsWhere(sql, options)}`,
  ]);
  const sessions = new Map<string, { first: SessionModelRow; sums: Sums; models: Map<string, Sums> }>();
  for (const row of rows) {
    const session = sessions.get(row.session_id) ?? { first: row, sums: zeroSums(), models: new Map() };
    session.sums = addSums(session.sums, row);
    session.models.set(row.model, row);
    if (row.last_at > session.first.last_at) session.first = { ...row, title: session.first.title };
    sessions.set(row.session_id, session);
  }
  const list: SessionRow[] = [...sessions.values()].map(({ first, sums, models }) => ({
    sessionId: first.session_id,
    projectPath: first.cwd ?? first.project,
    project: first.project,
    host: first.host,
    title: first.title,
    ...totalsOf(sums),
    lastActivity: first.local_day,
    lastActivityAt: first.last_at.toISOString(),
    modelsUsed: [...models.keys()].sort(),
    modelBreakdowns: modelBreakdowns(models),
  }));
  list.sort(options.order === 'cost' ? (a, b) => b.totalCost - a.totalCost : (a, b) => (a.lastActivityAt < b.lastActivityAt ? 1 : -1));
  return { sessions: list, totals: totalsOf(all ?? zeroSums()), timezone: tz };
}

/** The `limit` costliest projects in the range (from the hourly rollup, so exact to the hour), with their sessions counted; totals are theirs. */
export async function projectUsage(sql: Sql, options: UsageFilter & { limit?: number } = {}): Promise<ProjectReport> {
  const tz = options.tz ?? UTC;
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const rows = await sql<Array<Sums & { project: string; sessions: number; last_at: Date }>>`
    with p as (
      select h.project, ${sumColumns(sql, 'h')}, max(h.last_at) as last_at
        from arrakis.proj_usage__hourly h where ${hourlyWhere(sql, options)}
       group by h.project having sum(h.responses) > 0)
    select p.*, (select count(distinct s.session_id)::int from arrakis.proj_usage__sessions s
                  where s.project = p.project and ${sessionsWhere(sql, options)}) as sessions
      from p order by p.cost desc, p.project limit ${limit}`;
  const totals = rows.reduce((all, row) => addSums(all, row), zeroSums());
  return {
    projects: rows.map((row) => ({ project: row.project, ...totalsOf(row), sessions: row.sessions, lastActivityAt: row.last_at.toISOString() })),
    totals: totalsOf(totals),
    timezone: tz,
  };
}
