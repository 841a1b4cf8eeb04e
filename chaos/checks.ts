import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Sql } from '../core/db.js';
import { HOOK_TYPES } from './recovery.js';
import { lineUuid } from './sessions.js';

export interface Tally {
  expected: number;
  /** Distinct markers found in the log. */
  stored: number;
  /** Expected markers absent from the log. */
  lost: number;
  /** Extra copies: a marker stored n times counts n - 1. */
  duplicated: number;
  /** Markers in the log that no worker made (should never happen). */
  unexpected: number;
  samples: string[];
}

function tally(expected: readonly string[], rows: ReadonlyArray<{ marker: string; copies: number }>): Tally {
  const want = new Set(expected);
  const found = new Map(rows.map((r) => [r.marker, r.copies]));
  const lost = expected.filter((m) => !found.has(m));
  const doubled = rows.filter((r) => r.copies > 1);
  const unexpected = rows.filter((r) => !want.has(r.marker));
  return {
    expected: expected.length,
    stored: rows.length - unexpected.length,
    lost: lost.length,
    duplicated: doubled.reduce((n, r) => n + r.copies - 1, 0),
    unexpected: unexpected.length,
    samples: [
      ...lost.slice(0, 5).map((m) => `lost ${m}`),
      ...doubled.slice(0, 5).map((r) => `${r.marker} stored ${r.copies} times`),
      ...unexpected.slice(0, 5).map((r) => `unexpected ${r.marker}`),
    ],
  };
}

/** Every hook invocation's event, by its chaos_seq: each must be in the log exactly once. */
export async function tallyHookEvents(sql: Sql, invocations: number): Promise<Tally> {
  const rows = await sql<{ marker: string; copies: number }[]>`
    select payload->>'chaos_seq' as marker, count(*)::int as copies from arrakis.events
     where type in ${sql(HOOK_TYPES)} and payload ? 'chaos_seq' group by 1`;
  return tally(Array.from({ length: invocations }, (_, i) => String(i)), rows);
}

/** Every transcript line the sessions wrote, by its uuid: each must be in the log exactly once. */
export async function tallyTranscriptLines(sql: Sql, lines: number): Promise<Tally> {
  const rows = await sql<{ marker: string; copies: number }[]>`
    select payload->'line'->>'uuid' as marker, count(*)::int as copies from arrakis.events
     where type like 'transcript.%' and payload->'line'->>'uuid' like 'chaos-line-%' group by 1`;
  return tally(Array.from({ length: lines }, (_, i) => lineUuid(i)), rows);
}

export interface SpoolState {
  /** Envelopes still waiting in a spool: not delivered. */
  waiting: number;
  /** Envelopes the server refused for good: never stored. */
  deadLetters: number;
}

export function spoolState(queueDirs: readonly string[]): SpoolState {
  const list = (dir: string) => {
    try {
      return readdirSync(dir).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
  };
  return {
    waiting: queueDirs.reduce((n, dir) => n + list(dir).length, 0),
    deadLetters: queueDirs.reduce((n, dir) => n + list(join(dir, 'dead')).length, 0),
  };
}
