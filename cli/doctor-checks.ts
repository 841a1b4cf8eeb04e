import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import type { ServerConfig } from '../core/config.js';
import { loadMigrations } from '../core/migrate.js';
import { projectionStatus } from '../projections/engine/status.js';
import { isArrakisHook } from './hook-settings.js';

export type Verdict = 'ok' | 'warn' | 'fail';

export interface Finding {
  check: string;
  verdict: Verdict;
  detail: string;
  /** What to do about it; absent when nothing is to be done. */
  fix?: string;
}

export async function checkMigrations(sql: Sql): Promise<Finding> {
  const known = await loadMigrations();
  const applied = new Set((await sql<{ version: number }[]>`select version from arrakis.schema_migrations`).map((r) => r.version));
  const pending = known.filter((m) => !applied.has(m.version));
  return pending.length === 0
    ? { check: 'migrations', verdict: 'ok', detail: `all ${known.length} applied` }
    : { check: 'migrations', verdict: 'fail', detail: `${pending.length} pending: ${pending.map((m) => m.name).join(', ')}`, fix: 'run `npx arrakis migrate` (or restart Arrakis)' };
}

export async function checkProjections(sql: Sql): Promise<Finding[]> {
  const all = await projectionStatus(sql);
  if (all.length === 0) return [{ check: 'projections', verdict: 'warn', detail: 'none registered yet', fix: 'start a projector: `npx arrakis start` or `npx arrakis project`' }];
  return all.map((p) => {
    const problems = [p.lag > 1000 ? `${p.lag} events behind` : '', p.parked > 0 ? `${p.parked} parked event(s)` : '', p.status === 'retrying' ? `retrying: ${p.lastError}` : ''].filter(Boolean);
    // A partitioned projection's lag is its slowest partition's; each partition is shown.
    const split = p.partitions.length > 1 ? `; ${p.partitions.length} partitions: ${p.partitions.map((q) => `#${q.partition} at ${q.position} lag ${q.lag}${q.owner ? ` (${q.owner})` : ' (no owner)'}`).join(', ')}` : '';
    if (problems.length === 0) return { check: `projection ${p.name}`, verdict: 'ok', detail: `at ${p.position}, lag ${p.lag}${split}` };
    const fix = p.parked > 0 ? `see GET /api/projections, fix the projection, then retry: POST /api/projections/${p.name}/parked/:id/retry (admin key)` : 'make sure a projector runs (`npx arrakis project`) and read its log';
    return { check: `projection ${p.name}`, verdict: 'warn', detail: `${problems.join(', ')}${split}`, fix };
  });
}

/**
 * The hook's clock against the server's: the smallest delay from capture to arrival per
 * host is the transport at best, so a negative one means the hook's clock runs ahead.
 */
export async function checkClockSkew(sql: Sql, toleranceMs = 2000): Promise<Finding[]> {
  const rows = await sql<{ host: string; min_ms: number }[]>`
    select client->>'host' as host, extract(epoch from min(received_at - captured_at)) * 1000 as min_ms
      from (select client, received_at, captured_at from arrakis.events
             where client ? 'host' and type not like 'transcript.%' order by position desc limit 2000) recent
     group by 1`;
  return rows.map(({ host, min_ms }) => {
    const skewed = min_ms < -toleranceMs || min_ms > 60_000;
    return {
      check: `clock of ${host}`,
      verdict: skewed ? 'warn' : 'ok',
      detail: skewed ? `events arrive ${Math.round(min_ms / 1000)} s after capture at best: that host's clock is off` : 'in step with the server',
      ...(skewed ? { fix: `sync the clock of ${host} (e.g. enable NTP: timedatectl set-ntp true)` } : {}),
    };
  });
}

export async function checkKeys(config: ServerConfig): Promise<Finding> {
  const file = join(config.dataDir, 'keys.json');
  const given = Object.entries(config.givenKeys).filter(([, key]) => key).map(([scope]) => scope);
  try {
    const mode = (await stat(file)).mode & 0o777;
    if (mode & 0o077) return { check: 'keys', verdict: 'warn', detail: `${file} is readable by others (mode ${mode.toString(8)})`, fix: `chmod 600 ${file}` };
    return { check: 'keys', verdict: 'ok', detail: `${file}${given.length > 0 ? `; from the environment: ${given.join(', ')}` : ''}` };
  } catch {
    if (given.length === 3) return { check: 'keys', verdict: 'ok', detail: 'all three from the environment' };
    return { check: 'keys', verdict: 'warn', detail: `no ${file} yet`, fix: 'start Arrakis once (`npm start`): it generates the keys' };
  }
}

export async function checkServer(baseUrl: string, timeoutMs = 3000): Promise<Finding> {
  try {
    const response = await fetch(new URL('api/health', baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json()) as { status?: string };
    const verdict: Verdict = body.status === 'healthy' ? 'ok' : body.status === 'degraded' ? 'warn' : 'fail';
    return { check: 'server', verdict, detail: `${baseUrl} says ${body.status ?? `HTTP ${response.status}`}`, ...(verdict === 'ok' ? {} : { fix: `read ${baseUrl}api/health for the failing check` }) };
  } catch (error) {
    return { check: 'server', verdict: 'fail', detail: `no answer from ${baseUrl} (${(error as Error).message})`, fix: 'start it: `npm start` (or `npx arrakis serve`), or set HOST/PORT to where it runs' };
  }
}

/** Whether Claude Code runs the capture hook, from the user's or this project's settings. */
export async function checkHookInstalled(cwd: string, env: NodeJS.ProcessEnv): Promise<Finding> {
  const files = [join(env.CLAUDE_CONFIG_DIR || join(homedir(), '.claude'), 'settings.json'), join(cwd, '.claude', 'settings.json'), join(cwd, '.claude', 'settings.local.json')];
  const found: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text && hasArrakisHook(text)) found.push(file);
  }
  return found.length > 0
    ? { check: 'hook installed', verdict: 'ok', detail: found.join(', ') }
    : { check: 'hook installed', verdict: 'warn', detail: `not in ${files.join(', ')}`, fix: 'run `npx arrakis install-hook` in your project (or `--user` for every project)' };
}

function hasArrakisHook(text: string): boolean {
  try {
    const hooks = (JSON.parse(text) as { hooks?: Record<string, Array<{ hooks?: unknown[] }>> }).hooks ?? {};
    return Object.values(hooks).some((groups) => Array.isArray(groups) && groups.some((g) => g.hooks?.some(isArrakisHook)));
  } catch {
    return false;
  }
}

/** Envelopes the hook could not deliver yet, and those it gave up on. */
export async function checkSpool(env: NodeJS.ProcessEnv): Promise<Finding> {
  const queueDir = env.CLAUDE_HOOK_QUEUE_DIR || join(env.CLAUDE_CONFIG_DIR || join(homedir(), '.claude'), 'arrakis', 'queue');
  const count = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).length;
  const [spooled, dead] = [await count(queueDir), await count(join(queueDir, 'dead'))];
  if (dead > 0) return { check: 'hook spool', verdict: 'warn', detail: `${spooled} waiting, ${dead} dead letter(s) in ${join(queueDir, 'dead')}`, fix: 'read why with `node .claude/hooks/capture-conversation.js --status`; fix the cause, then move them back into the queue and run `--flush`' };
  if (spooled > 0) return { check: 'hook spool', verdict: 'warn', detail: `${spooled} event(s) waiting in ${queueDir}`, fix: 'start the server; the hook delivers them (or run `node .claude/hooks/capture-conversation.js --flush`)' };
  return { check: 'hook spool', verdict: 'ok', detail: `empty (${queueDir})` };
}
