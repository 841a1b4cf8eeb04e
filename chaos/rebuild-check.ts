import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from '../core/db.js';
import { assertName, tableOf } from '../projections/engine/tables.js';

export interface Comparison {
  name: string;
  /** The generation maintained live through the faults. */
  live: number;
  /** The fresh rebuild from the whole log. */
  rebuilt: number;
  rows: number;
  /** Rows of the live generation the rebuild does not have (or has otherwise). */
  missing: number;
  /** Rows of the rebuild the live generation does not have (or has otherwise). */
  extra: number;
  samples: string[];
}

interface Registered {
  name: string;
  active_generation: number;
  building_generation: number | null;
}

const columns = 'key, session_id, at, seq, doc, first_position, last_position';

/**
 * Asks for a rebuild of every projection through the API, as an admin would (the projector
 * acts on it with its own code), waits until each fresh generation has swapped in and
 * nothing lags, then compares it row by row with the generation kept live through the
 * faults. The previous generation stays after a swap (for a rollback), so both are there.
 */
export async function compareWithRebuild({ sql, apiUrl, adminKey, readKey, timeoutMs }: {
  sql: Sql;
  apiUrl: string;
  adminKey: string;
  readKey: string;
  timeoutMs: number;
}): Promise<Comparison[]> {
  const before = await sql<Registered[]>`select name, active_generation, building_generation from arrakis.projections order by name`;
  if (before.length === 0) throw new Error('no projection is registered: did the projector ever start?');
  for (const { name } of before) {
    const response = await fetch(`${apiUrl}/api/projections/${name}/rebuild`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}` } });
    if (response.status !== 202) throw new Error(`POST /api/projections/${name}/rebuild answered ${response.status}: ${await response.text()}`);
  }
  const deadline = Date.now() + timeoutMs;
  let now: Registered[] = before;
  for (;;) {
    now = await sql<Registered[]>`select name, active_generation, building_generation from arrakis.projections order by name`;
    const swapped = before.every((b) => now.some((n) => n.name === b.name && n.active_generation > b.active_generation && n.building_generation === null));
    if (swapped && (await lagZero(apiUrl, readKey))) break;
    if (Date.now() > deadline) throw new Error(`rebuilds not swapped in and caught up after ${timeoutMs} ms: ${JSON.stringify(now)}`);
    await sleep(250);
  }
  const comparisons: Comparison[] = [];
  for (const b of before) {
    const rebuilt = now.find((n) => n.name === b.name)!.active_generation;
    comparisons.push(await compareTables(sql, b.name, b.active_generation, rebuilt));
  }
  return comparisons;
}

/** `GET /api/projections`: every serving generation's lag is 0. */
export async function lagZero(apiUrl: string, readKey: string): Promise<boolean> {
  const response = await fetch(`${apiUrl}/api/projections`, { headers: { authorization: `Bearer ${readKey}` } }).catch(() => null);
  if (response?.status !== 200) return false;
  const statuses = (await response.json()) as Array<{ lag: number }>;
  return statuses.length > 0 && statuses.every((s) => s.lag === 0);
}

async function compareTables(sql: Sql, name: string, live: number, rebuilt: number): Promise<Comparison> {
  assertName(name);
  const [a, b] = [tableOf(name, live), tableOf(name, rebuilt)];
  const diff = (x: string, y: string) => `select ${columns} from ${x} except all select ${columns} from ${y}`;
  const [row] = await sql.unsafe<{ rows: number; missing: number; extra: number }[]>(`
    select (select count(*) from ${a})::int as rows,
           (select count(*) from (${diff(a, b)}) d)::int as missing,
           (select count(*) from (${diff(b, a)}) d)::int as extra`);
  const samples = (await sql.unsafe<{ key: string; side: string }[]>(`
    (select key, 'live' as side from (${diff(a, b)}) d limit 3) union all (select key, 'rebuilt' from (${diff(b, a)}) d limit 3)`))
    .map((r) => `${name} ${r.key} differs (${r.side} row)`);
  return { name, live, rebuilt, rows: row!.rows, missing: row!.missing, extra: row!.extra, samples };
}
