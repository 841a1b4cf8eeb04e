import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from '../core/db.js';
import { projectionStatus } from '../projections/engine/status.js';

/** The hook events the sessions send (sessions.ts): their index on (type, position) keeps the polls cheap. */
export const HOOK_TYPES = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop', 'SessionEnd'];

/**
 * Whether the events of chaos_seq below `below` are all in the log and every serving
 * projection's checkpoint has passed the last of them (checkpoints are the (transaction_id,
 * position) of the last event applied, in readAfter's order).
 */
async function caughtUp(sql: Sql, below: number): Promise<boolean> {
  const [row] = await sql<{ stored: number; behind: number }[]>`
    with marked as (
      select transaction_id, position, (payload->>'chaos_seq')::int as seq from arrakis.events
       where type in ${sql(HOOK_TYPES)} and payload ? 'chaos_seq' and (payload->>'chaos_seq')::int < ${below}),
    last as (select transaction_id, position from marked order by transaction_id desc, position desc limit 1)
    select (select count(distinct seq) from marked)::int as stored,
           (select count(*) from arrakis.projection_checkpoints c
              join arrakis.projections p on p.name = c.name and c.generation = p.active_generation, last
             where (c.transaction_id, c.position) < (last.transaction_id, last.position))::int as behind`;
  return row!.stored === below && row!.behind === 0;
}

async function lagZero(sql: Sql): Promise<boolean> {
  const statuses = await projectionStatus(sql);
  return statuses.length > 0 && statuses.every((s) => s.lag === 0);
}

/** Retries `check` every `pollMs` until true or `deadline`; a check that throws (Postgres down) counts as not yet. */
async function until(check: () => Promise<boolean>, deadline: () => boolean, pollMs: number): Promise<number | null> {
  for (;;) {
    const now = Date.now();
    if (await check().catch(() => false)) return now;
    if (deadline()) return null;
    await sleep(pollMs);
  }
}

/**
 * A fault's own recovery: from the fault until every event started before it is stored and
 * applied by every projection, while the load goes on. Null if not within `timeoutMs`.
 */
export async function caughtUpAfter(sql: Sql, { at, atInvocation }: { at: number; atInvocation: number }, timeoutMs = 180_000, pollMs = 250): Promise<number | null> {
  const done = await until(() => caughtUp(sql, atInvocation), () => Date.now() - at > timeoutMs, pollMs);
  return done === null ? null : done - at;
}

/**
 * When everything had caught up: every invocation's event stored and every projection's lag 0,
 * polled from the end of the load; null if not within `timeoutMs` of it.
 */
export async function settledAt(sql: Sql, { invocations, loadDone, timeoutMs, pollMs = 250 }: {
  invocations: number;
  /** Resolves when every hook run has ended. */
  loadDone: Promise<unknown>;
  timeoutMs: number;
  pollMs?: number;
}): Promise<{ loadEndedAt: number; settledAt: number | null }> {
  await loadDone;
  const loadEndedAt = Date.now();
  const done = await until(async () => (await caughtUp(sql, invocations)) && (await lagZero(sql)), () => Date.now() - loadEndedAt > timeoutMs, pollMs);
  return { loadEndedAt, settledAt: done };
}
