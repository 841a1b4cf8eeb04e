import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { completenessSummary } from '../projections/completeness/queries.js';
import type { CompletenessSummary } from '../projections/completeness/report.js';
import { cpuUse, sampleCpu, type CpuUse } from './cpu.js';
import { spoolState, tallyHookEvents, tallyTranscriptLines, type SpoolState, type Tally } from './checks.js';
import { faultPlan, runFaults, type Fault, type FaultKind } from './faults.js';
import { flushSpools, type FlushResult } from './flush.js';
import { defaultOptions, type ChaosOptions } from './options.js';
import { compareWithRebuild, lagZero, type Comparison } from './rebuild-check.js';
import { caughtUpAfter, settledAt } from './recovery.js';
import { startStack, type Stack } from './stack.js';
import { judge, slowestCatchUp } from './verdict.js';
import { createMachines, startWorkload, type Workload, type WorkloadResult } from './workload.js';

export interface ChaosReport {
  ok: boolean;
  /** Why ok is false, one line each. */
  problems: string[];
  /** What went wrong without breaking a data promise (a process crashing, say), one line each. */
  warnings: string[];
  options: Omit<ChaosOptions, 'log'>;
  host: { cpus: number; loadBefore: number[]; loadAfter: number[] };
  load: WorkloadResult;
  /** `at` in ms from the start of the load. */
  faults: Fault[];
  /** Exits nobody caused: each is a bug the run found (the process was restarted). */
  crashes: { server: number; projector: number };
  recovery: {
    lastFault: FaultKind | null;
    /** The longest any fault took to catch up (null when one never did): the seed's "recovery". */
    slowestCatchUpMs: number | null;
    /** Last fault → every invocation's event stored and every projection's lag 0; null if never by itself. */
    fullMs: number | null;
    /** Last fault → the last hook run ended: the part of fullMs the load itself still ran. */
    loadRanMs: number;
  };
  flush: FlushResult;
  spool: SpoolState;
  hookEvents: Tally;
  transcriptLines: Tally;
  /** What projections/completeness says of the run's sessions once recovered. */
  completeness: Pick<CompletenessSummary, 'rate' | 'expected' | 'present' | 'unexplained' | 'explained' | 'sessions'>;
  projections: Comparison[];
  durationMs: number;
  /** Measured after everything stopped, so the server's, projector's and Postgres's CPU count; null off Linux. */
  cpu: CpuUse | null;
}

/** Drives the hooks through the faults, then flushes and checks; the report says what held. */
export async function runChaos(given: Partial<ChaosOptions> = {}): Promise<ChaosReport> {
  const options = { ...defaultOptions, ...given };
  const { log, ...settings } = options;
  const began = Date.now();
  const loadBefore = os.loadavg();
  const cpuBefore = sampleCpu();
  const root = await mkdtemp(join(os.tmpdir(), 'arrakis-chaos-'));
  log(`chaos: working in ${root}`);
  let stack: Stack | undefined;
  let workload: Workload | undefined;
  let progress: NodeJS.Timeout | undefined;
  let report: ChaosReport | undefined;
  const killNow = () => stack?.killNow();
  process.once('exit', killNow);
  try {
    stack = await startStack(root, { fromSource: options.fromSource });
    const { server, projector, cluster, sql, apiUrl, keys } = stack;
    log(`chaos: server ${apiUrl}, projector and Postgres up after ${Date.now() - began} ms`);
    const machines = createMachines(root, options.machines, {
      CLAUDE_HOOK_API_URL: `${apiUrl}/api/claude-hooks`,
      CLAUDE_HOOK_API_KEY: keys.ingest,
      CLAUDE_HOOK_FLUSHER_IDLE: String(options.flusherIdleMs),
    });
    const loadStart = Date.now();
    const running = (workload = startWorkload({ invocations: options.invocations, workers: options.workers, machines }));
    progress = setInterval(() => {
      const n = running.started();
      log(`chaos: ${n}/${options.invocations} invocations, ${((n * 1000) / (Date.now() - loadStart)).toFixed(1)}/s`);
    }, 15_000);
    const act = (kind: FaultKind): Promise<number> => {
      if (kind === 'server') return server.killAndRestart();
      if (kind === 'projector') return projector.killAndRestart();
      const crashed = Date.now();
      return cluster.crashAndRestart(options.postgresDownMs).then(() => Date.now() - crashed);
    };
    const plan = faultPlan(options);
    const faulting = runFaults({ plan, invocations: options.invocations, started: running.started, act, caughtUp: (f) => caughtUpAfter(sql, f), log });
    const settling = settledAt(sql, { invocations: options.invocations, loadDone: running.done, timeoutMs: 180_000 });
    const load = await running.done;
    clearInterval(progress);
    log(`chaos: load done, ${load.invocations} invocations in ${load.durationMs} ms; waiting for recovery`);
    const [faults, settled] = await Promise.all([faulting, settling]);
    const last = faults.at(-1);
    const recovery: ChaosReport['recovery'] = {
      lastFault: last?.kind ?? null,
      fullMs: last && settled.settledAt !== null ? settled.settledAt - last.at : null,
      loadRanMs: last ? Math.max(0, settled.loadEndedAt - last.at) : 0,
      slowestCatchUpMs: slowestCatchUp(faults),
    };
    log(`chaos: slowest catch-up ${recovery.slowestCatchUpMs ?? 'never'} ms; letting the flushers finish`);
    const flush = await flushSpools(machines, options.flusherIdleMs + 60_000);
    const spool = spoolState(machines.map((m) => m.queueDir));
    for (const deadline = Date.now() + 120_000; !(await lagZero(apiUrl, keys.read)) && Date.now() < deadline; ) await sleep(250);
    const hookEvents = await tallyHookEvents(sql, load.invocations);
    const transcriptLines = await tallyTranscriptLines(sql, load.lines);
    const { rate, expected, present, unexplained, explained, sessions } = await completenessSummary(sql);
    const completeness = { rate, expected, present, unexplained, explained, sessions };
    log('chaos: log checked; rebuilding every projection to compare');
    const projections = await compareWithRebuild({ sql, apiUrl, adminKey: keys.admin, readKey: keys.read, timeoutMs: 600_000 });
    const crashes = { server: server.crashes(), projector: projector.crashes() };
    const figures = {
      options: settings,
      host: { cpus: os.availableParallelism(), loadBefore, loadAfter: os.loadavg() },
      load,
      faults: faults.map((f) => ({ ...f, at: f.at - loadStart })),
      crashes,
      recovery,
      flush,
      spool,
      hookEvents,
      transcriptLines,
      completeness,
      projections,
      durationMs: Date.now() - began,
      cpu: null,
    };
    report = { ...judge(figures), ...figures };
    return report;
  } finally {
    clearInterval(progress);
    workload?.abort();
    await workload?.done.catch(() => {});
    await stack?.stop();
    if (report) report.cpu = cpuUse(cpuBefore, sampleCpu());
    process.off('exit', killNow);
    if (options.keep) log(`chaos: kept ${root}`);
    else await rm(root, { recursive: true, force: true }).catch(() => {});
  }
}
