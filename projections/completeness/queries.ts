import type { Sql } from '../../core/db.js';
import { classifySession } from './classify.js';
import type { CompletenessDoc } from './evolve.js';
import type { CompletenessSummary, SessionCompleteness } from './report.js';

/** One session's report: its documents (a few per tool use and prompt), classified. */
export async function sessionCompleteness(sql: Sql, sessionId: string): Promise<SessionCompleteness | null> {
  const rows = await sql<{ doc: CompletenessDoc }[]>`select doc from arrakis.proj_completeness where session_id = ${sessionId}`;
  return rows.length === 0 ? null : classifySession(sessionId, rows.map((row) => row.doc));
}

const SHOWN = 100;

/**
 * The overall rate: sums of the per-session rollup, less what the sessions with unmet
 * expectations (read from its partial index, then classified) explain.
 */
export async function completenessSummary(sql: Sql): Promise<CompletenessSummary> {
  const [[totals], open] = await Promise.all([
    sql<{ expected: number; present: number; sessions: number }[]>`
      select coalesce(sum(expected), 0)::float8 as expected, coalesce(sum(present), 0)::float8 as present, count(*)::int as sessions
        from arrakis.proj_completeness__sessions`,
    // The documents of every session with unmet expectations, in one read rather than one per session.
    sql<{ session_id: string; docs: CompletenessDoc[] }[]>`
      select d.session_id, jsonb_agg(d.doc) as docs
        from arrakis.proj_completeness d
       where d.session_id in (select session_id from arrakis.proj_completeness__sessions where open > 0)
       group by d.session_id`,
  ]);
  const reports = open.map((row) => classifySession(row.session_id, row.docs));
  const explained = reports.reduce((n, r) => n + r.explained, 0);
  const unexplained = reports.reduce((n, r) => n + r.unexplained, 0);
  const expected = totals!.expected - explained;
  const byHost = await hostRates(sql, reports);
  return {
    expected,
    present: totals!.present,
    rate: expected <= 0 ? 1 : Math.min(1, totals!.present / expected),
    sessions: totals!.sessions,
    unexplained,
    explained,
    byHost,
    sessionsWithGaps: reports
      .filter((r) => r.unexplained > 0)
      .sort((a, b) => b.unexplained - a.unexplained)
      .slice(0, SHOWN)
      .map((r) => ({ sessionId: r.sessionId, host: r.host, unexplained: r.unexplained, explained: r.explained, rate: r.rate })),
  };
}

async function hostRates(sql: Sql, reports: readonly SessionCompleteness[]) {
  const rows = await sql<{ host: string; expected: number; present: number }[]>`
    select coalesce(d.doc->>'host', '(unknown)') as host, sum(s.expected)::float8 as expected, sum(s.present)::float8 as present
      from arrakis.proj_completeness__sessions s
      left join arrakis.proj_completeness d on d.key = 'session:' || s.session_id
     group by 1 order by 1`;
  return rows.map((row) => {
    const mine = reports.filter((r) => (r.host ?? '(unknown)') === row.host);
    const expected = row.expected - mine.reduce((n, r) => n + r.explained, 0);
    return { host: row.host, expected, present: row.present, rate: expected <= 0 ? 1 : Math.min(1, row.present / expected), unexplained: mine.reduce((n, r) => n + r.unexplained, 0) };
  });
}
