import type { Sql } from 'postgres';
import { completenessSummary } from '../projections/completeness/queries.js';
import type { Finding } from './doctor-checks.js';

/** The capture rate and the sessions with unexplained gaps (projections/completeness). */
export async function checkCapture(sql: Sql): Promise<Finding[]> {
  const [view] = await sql<{ exists: boolean }[]>`select to_regclass('arrakis.proj_completeness__sessions') is not null as exists`;
  if (!view?.exists) return [];
  const s = await completenessSummary(sql);
  const rate = `${(s.rate * 100).toFixed(2)}% of ${s.expected} expected events present in ${s.sessions} session(s)`;
  if (s.unexplained === 0) return [{ check: 'capture', verdict: 'ok', detail: `${rate}; ${s.explained} gap(s), all explained` }];
  const sessions = s.sessionsWithGaps.slice(0, 5).map((g) => `${g.sessionId} (${g.unexplained})`).join(', ');
  return [{
    check: 'capture',
    verdict: 'warn',
    detail: `${rate}; ${s.unexplained} unexplained gap(s): ${sessions}`,
    fix: 'see GET /api/conversations/<id>/completeness (or the conversation\'s badge); `npx arrakis import` fills missing transcript ranges, a hook spool delivers late events',
  }];
}
