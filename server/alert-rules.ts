import type { Sql } from 'postgres';
import { projectionStatus } from '../projections/engine/status.js';
import { completenessRule } from './completeness-rule.js';
import { counterTotal, type Metrics } from './metrics.js';

export type AlertLevel = 'critical' | 'warning';

/** What a rule finds wrong now; `recovery` is what the info line says once it is no longer found. */
export interface Finding {
  id: string;
  level: AlertLevel;
  message: string;
  recovery: string;
  details?: Record<string, unknown>;
}

/** A rule that throws could not look (e.g. the database is down): its alerts stay as they were. */
export interface Rule {
  name: string;
  check(now: Date): Promise<Finding[]>;
}

const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;

export function databaseRule(sql: Sql): Rule {
  return {
    name: 'database',
    async check() {
      try {
        await sql`select 1`;
        return [];
      } catch (error) {
        const reason = String((error as Error)?.message ?? error);
        return [{ id: 'database-unreachable', level: 'critical', message: `database unreachable: ${reason}`, recovery: 'database reachable again' }];
      }
    },
  };
}

export interface IngestFailureOptions {
  /** Cumulative count of refused ingest requests, e.g. the metrics counter's total. */
  refusedTotal: () => Promise<number>;
  warnAbove?: number;
  criticalAbove?: number;
  windowMs?: number;
}

/**
 * Refused ingest requests (every 4xx/5xx) in the last hour, from samples of a cumulative
 * counter taken at each check: the newest sample at least an hour old is the baseline, so the
 * window covers the last hour plus at most one check interval. Before any sample is that old
 * the baseline is the counter's start, which began with the process less than an hour ago.
 */
export function ingestFailuresRule({ refusedTotal, warnAbove = 10, criticalAbove = 50, windowMs = HOUR }: IngestFailureOptions): Rule {
  const samples: Array<{ at: number; total: number }> = [];
  return {
    name: 'ingest-failures',
    async check(now) {
      const total = await refusedTotal();
      const start = now.getTime() - windowMs;
      samples.push({ at: now.getTime(), total });
      while (samples.length > 1 && samples[1]!.at <= start) samples.shift();
      const refused = total - (samples[0]!.at <= start ? samples[0]!.total : 0);
      if (refused <= warnAbove) return [];
      return [{
        id: 'ingest-failures',
        level: refused > criticalAbove ? 'critical' : 'warning',
        message: `${refused} ingest requests refused or failed in the last hour`,
        recovery: `ingest recovered: at most ${warnAbove} refused or failed requests in the last hour`,
        details: { count: refused },
      }];
    },
  };
}

export function projectionsRule(sql: Sql, { lagAbove = 1000 } = {}): Rule {
  return {
    name: 'projections',
    async check() {
      const findings: Finding[] = [];
      for (const p of await projectionStatus(sql)) {
        if (p.parked > 0) {
          findings.push({
            id: `projection-parked:${p.name}`,
            level: 'warning',
            message: `projection ${p.name} has ${p.parked} parked event(s)`,
            recovery: `projection ${p.name} has no parked events left`,
            details: { projection: p.name, parked: p.parked },
          });
        }
        if (p.lag > lagAbove) {
          findings.push({
            id: `projection-lag:${p.name}`,
            level: 'warning',
            message: `projection ${p.name} is ${p.lag} events behind`,
            recovery: `projection ${p.name} caught up`,
            details: { projection: p.name, lag: p.lag },
          });
        }
      }
      return findings;
    },
  };
}

export interface SilenceOptions {
  silenceMinutes?: number;
  /** An active conversation untouched this long was left without a SessionEnd (a killed terminal), not paused. */
  abandonedAfterHours?: number;
}

/**
 * Nothing appended for `silenceMinutes` while a conversation is still active: the hook may
 * have stopped delivering mid-session. Conversations idle longer than `abandonedAfterHours`
 * do not count, so a session closed without SessionEnd does not keep the alert up for good.
 */
export function silenceRule(sql: Sql, { silenceMinutes = 30, abandonedAfterHours = 12 }: SilenceOptions = {}): Rule {
  return {
    name: 'ingest-silence',
    async check(now) {
      const [last] = await sql<{ received_at: Date }[]>`select received_at from arrakis.events order by position desc limit 1`;
      if (!last || now.getTime() - last.received_at.getTime() <= silenceMinutes * MINUTE) return [];
      const [view] = await sql<{ exists: boolean }[]>`select to_regclass('arrakis.proj_conversations') is not null as exists`;
      if (!view?.exists) return [];
      // `at` is the conversation's lastActivityAt, indexed with its status.
      const [row] = await sql<{ active: number }[]>`
        select count(*)::int as active from arrakis.proj_conversations
         where doc->>'status' = 'active' and at > ${new Date(now.getTime() - abandonedAfterHours * HOUR)}`;
      if (!row || row.active === 0) return [];
      const minutes = Math.floor((now.getTime() - last.received_at.getTime()) / MINUTE);
      return [{
        id: 'ingest-silence',
        level: 'warning',
        message: `no event appended for ${minutes} minutes while ${row.active} conversation(s) are active`,
        recovery: 'ingest silence over: events arrive again or no conversation is active',
        details: { lastAppendAt: last.received_at.toISOString(), activeConversations: row.active },
      }];
    },
  };
}

export interface AlertRuleOptions extends SilenceOptions, Omit<IngestFailureOptions, 'refusedTotal'> {
  lagAbove?: number;
}

/** The seed's alerting rules, database first. */
export function alertRules(sql: Sql, metrics: Metrics, options: AlertRuleOptions = {}): Rule[] {
  return [
    databaseRule(sql),
    ingestFailuresRule({ refusedTotal: () => counterTotal(metrics.ingestRejected), ...options }),
    projectionsRule(sql, options),
    silenceRule(sql, options),
    completenessRule(sql),
  ];
}
