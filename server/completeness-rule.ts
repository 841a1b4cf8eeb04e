import type { Sql } from 'postgres';
import { completenessSummary } from '../projections/completeness/queries.js';
import type { Rule } from './alert-rules.js';

/**
 * Unexplained capture gaps (projections/completeness): something the hook stream or the
 * transcript should hold and does not, with no known reason. A warning: the events that are
 * there are safe; what is missing may still arrive (a spool, an import) and close the gap.
 */
export function completenessRule(sql: Sql): Rule {
  return {
    name: 'capture-gaps',
    async check() {
      const [view] = await sql<{ exists: boolean }[]>`select to_regclass('arrakis.proj_completeness__sessions') is not null as exists`;
      if (!view?.exists) return [];
      const summary = await completenessSummary(sql);
      if (summary.unexplained === 0) return [];
      const sessions = summary.sessionsWithGaps.map((s) => s.sessionId);
      return [{
        id: 'capture-gaps',
        level: 'warning',
        message: `${summary.unexplained} unexplained capture gap(s) in ${sessions.length} session(s); capture rate ${(summary.rate * 100).toFixed(2)}%`,
        recovery: 'no unexplained capture gap left',
        details: { unexplained: summary.unexplained, rate: summary.rate, sessions: sessions.slice(0, 10) },
      }];
    },
  };
}
