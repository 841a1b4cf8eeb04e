/**
 * Partitioned rebuilds (projections/engine/partitions.ts): the `messages` projection rebuilt
 * by one projector process with one partition, by one process with two partitions (two lanes),
 * and by two processes with two partitions (one each), over the same log, with the CPU each
 * process and this database's Postgres backends spent (from /proc, when Postgres runs on this machine), so that what a
 * machine with more cores would gain can be read off. `tsx bench/partitions.ts [--json] [--events N]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type Sql } from '../core/db.js';
import { appendEvents } from '../core/event-store.js';
import { projectRoot } from '../core/paths.js';
import { messages } from '../projections/messages/index.js';
import { requestRebuild } from '../projections/engine/registry.js';
import { openBenchDatabase } from './support/database.js';
import { runBench } from './support/main.js';
import { turnEvents } from '../test/support/sessions.js';

const { values: args } = parseArgs({ options: { json: { type: 'boolean', default: false }, events: { type: 'string', default: '30000' } } });
const target = Number(args.events);
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const TICKS = 100; // USER_HZ: /proc counts CPU time in 1/100 s on Linux

interface Cpu {
  user: number;
  sys: number;
}

/** utime and stime of a process, in seconds; null when /proc does not show it. */
function cpuOf(pid: number): Cpu | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / TICKS, sys: Number(fields[12]) / TICKS };
  } catch {
    return null;
  }
}

/**
 * The Postgres backends serving this benchmark's database, summed (other databases' work on a
 * shared server is left out); null when /proc does not show them (Postgres elsewhere). A
 * backend that started during the run counts from zero.
 */
async function postgresCpu(sql: Sql, before?: Map<number, Cpu>): Promise<{ total: Cpu | null; each: Map<number, Cpu> }> {
  const pids = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database()`;
  const each = new Map<number, Cpu>();
  const total: Cpu = { user: 0, sys: 0 };
  for (const { pid } of pids) {
    const cpu = cpuOf(pid);
    if (!cpu) continue;
    each.set(pid, cpu);
    const start = before?.get(pid) ?? { user: 0, sys: 0 };
    total.user += cpu.user - start.user;
    total.sys += cpu.sys - start.sys;
  }
  return { total: each.size > 0 ? total : null, each };
}

const minus = (after: Cpu | null, before: Cpu | null): Cpu | null => (after && before ? { user: after.user - before.user, sys: after.sys - before.sys } : null);

function spawnProjector(url: string, partitions: number, owner: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench/support/partition-child.ts'), url, 'messages', String(partitions), owner], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`projector ${owner} exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
  });
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((child) => new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  })));
}

interface Run {
  eps: number;
  seconds: number;
  processes: Array<Cpu & { owner: string }>;
  postgres: Cpu | null;
}

/** A rebuild of `messages` into `partitions` partitions, with `processes` projector processes running it. */
async function rebuild(sql: Sql, url: string, events: number, partitions: number, processes: number): Promise<Run> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < processes; i++) children.push(await spawnProjector(url, partitions, `bench-${partitions}-${i}`));
  try {
    await sleep(500); // every process has said it is there (partition-share.ts)
    const before = children.map((c) => cpuOf(c.pid!));
    const pgBefore = await postgresCpu(sql);
    const started = performance.now();
    const generation = await requestRebuild(sql, { ...messages, partitions } as never);
    for (;;) {
      const [row] = await sql<{ active_generation: number }[]>`select active_generation from arrakis.projections where name = 'messages'`;
      if (row?.active_generation === generation) break;
      await sleep(20);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = children.map((c, i) => ({ owner: `process ${i + 1}`, ...(minus(cpuOf(c.pid!), before[i]!) ?? { user: 0, sys: 0 }) }));
    const pgAfter = await postgresCpu(sql, pgBefore.each);
    return { eps: events / seconds, seconds, processes: cpu, postgres: pgBefore.total ? pgAfter.total : null };
  } finally {
    await stopAll(children);
  }
}

async function main(cleanup: Array<() => Promise<void>>) {
  const db = await openBenchDatabase(log);
  cleanup.push(() => db.close());
  const sql = connect(db.url, { max: 4 });
  cleanup.push(() => sql.end({ timeout: 5 }));

  log(`writing ${target} events`);
  let written = 0;
  for (let turn = 0; written < target; turn++) {
    const batch = Array.from({ length: 50 }, (_, s) => turnEvents(`${String(s).padStart(8, '0')}-0000-4000-8000-${String(turn % 7).padStart(12, '0')}`, turn, new Date(Date.UTC(2026, 10, 1, 0, turn)))).flat();
    await appendEvents(sql, batch, new Date());
    written += batch.length;
  }
  await sql`vacuum analyze arrakis.events`;
  // Registered, and its first generation built, before anything is timed.
  const warm = await spawnProjector(db.url, 1, 'bench-warm');
  for (;;) {
    const [row] = await sql<{ lag: number }[]>`select count(*)::int as lag from arrakis.projection_checkpoints c join arrakis.events e on (e.transaction_id, e.position) > (c.transaction_id, c.position) where c.name = 'messages'`;
    if (row && row.lag === 0) break;
    await sleep(100);
  }
  await stopAll([warm]);

  const runs = {
    k1_p1: await rebuild(sql, db.url, written, 1, 1),
    k2_p1: await rebuild(sql, db.url, written, 2, 1),
    k2_p2: await rebuild(sql, db.url, written, 2, 2),
  };
  const share = (run: Run) => {
    const cpu = [...run.processes, ...(run.postgres ? [run.postgres] : [])].reduce((sum, c) => sum + c.user + c.sys, 0);
    return cpu / run.seconds;
  };
  const figures: Record<string, number | string> = {
    events: written,
    cores: availableParallelism(),
    rebuild_eps_1_process: runs.k1_p1.eps,
    rebuild_eps_1_process_2_partitions: runs.k2_p1.eps,
    rebuild_eps_2_processes: runs.k2_p2.eps,
    rebuild_parallel_ratio: runs.k2_p2.eps / runs.k1_p1.eps,
  };
  for (const [name, run] of Object.entries(runs)) {
    run.processes.forEach((p, i) => {
      figures[`${name}_proc${i + 1}_user_s`] = p.user;
      figures[`${name}_proc${i + 1}_sys_s`] = p.sys;
    });
    if (run.postgres) {
      figures[`${name}_postgres_user_s`] = run.postgres.user;
      figures[`${name}_postgres_sys_s`] = run.postgres.sys;
    }
    figures[`${name}_seconds`] = run.seconds;
    // Cores kept busy on average (projectors and Postgres): near the machine's count, it is CPU-bound.
    figures[`${name}_busy_cores`] = share(run);
  }
  if (args.json) process.stdout.write(`${JSON.stringify({ figures })}\n`);
  else {
    for (const [name, run] of Object.entries(runs)) {
      const procs = run.processes.map((p) => `${p.owner} ${p.user.toFixed(2)} user + ${p.sys.toFixed(2)} sys`).join(', ');
      const pg = run.postgres ? `postgres ${run.postgres.user.toFixed(2)} user + ${run.postgres.sys.toFixed(2)} sys` : 'postgres not visible';
      process.stdout.write(`${name}: ${Math.round(run.eps)} events/s in ${run.seconds.toFixed(2)} s; ${procs}; ${pg}; ${share(run).toFixed(2)} cores busy of ${availableParallelism()}\n`);
    }
    process.stdout.write(`rebuild_parallel_ratio (2 processes / 1): ${(figures.rebuild_parallel_ratio as number).toFixed(2)}\n`);
  }
}

runBench(main);
