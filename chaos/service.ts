import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../core/paths.js';

export interface ServiceSpec {
  name: string;
  /** The arrakis command: `serve` or `project`. */
  command: string;
  env: NodeJS.ProcessEnv;
  /** Whether the process can do its work; `stderr` is what it wrote there so far. */
  ready(stderr: () => string): Promise<boolean>;
  logFile: string;
  fromSource: boolean;
}

export interface Service {
  name: string;
  /** Starts the process and resolves once it is ready (retrying a start that fails, as a supervisor would). */
  start(): Promise<number>;
  /** SIGKILL, then start again: resolves with the ms from the kill until it is ready. */
  killAndRestart(): Promise<number>;
  /** Exits of a ready process that nobody asked for: each is restarted, and reported. */
  crashes(): number;
  stop(): Promise<void>;
  pid(): number | undefined;
}

const READY_TIMEOUT_MS = 120_000;
// Like docker's restart policy: a process that cannot start (its database is down) is tried again.
const RESTART_DELAY_MS = 1000;

/** How to run the arrakis CLI: the build in dist/ (what `npx arrakis` runs), or the sources through tsx. */
export function arrakisCommand(fromSource: boolean): string[] {
  if (fromSource) return ['--import', 'tsx', join(projectRoot, 'chaos', 'arrakis-source.ts')];
  if (!existsSync(join(projectRoot, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npm run build`, or pass --from-source');
  return [join(projectRoot, 'bin', 'arrakis.js')];
}

/**
 * One arrakis process under chaos, supervised: an exit nobody asked for is counted and the
 * process started again. Its stdout goes to a log file (the server logs a line per request:
 * reading that through a pipe would cost the run CPU); stderr is kept to see readiness.
 */
export function createService(spec: ServiceSpec): Service {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let crashes = 0;
  let stopped = false;
  let starting: Promise<number> | undefined;
  let killed: ChildProcess | undefined;
  const note = (line: string) => appendFileSync(spec.logFile, `--- ${new Date().toISOString()} ${line}\n`);

  /** One attempt: true once ready, false if the process exited first. */
  async function spawnOnce(): Promise<boolean> {
    const fd = openSync(spec.logFile, 'a');
    let stderr = '';
    let ready = false;
    const proc = spawn(process.execPath, [...arrakisCommand(spec.fromSource), spec.command], { cwd: projectRoot, env: spec.env, stdio: ['ignore', fd, 'pipe'] });
    closeSync(fd);
    proc.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-32_000);
    });
    child = proc;
    exited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        if (child === proc) child = undefined;
        if (ready && !stopped && killed !== proc) {
          crashes++;
          note(`${spec.name} exited by itself (code ${code}, signal ${signal}): restarting\n${stderr.slice(-2000)}`);
          void start().catch((error: Error) => note(`${spec.name} did not restart: ${error.message}`));
        }
        resolve();
      }),
    );
    for (const deadline = Date.now() + READY_TIMEOUT_MS; ; await sleep(50)) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        note(`${spec.name} exited during startup: ${stderr.trim().split('\n').at(-1) ?? ''}`);
        return false;
      }
      if (await spec.ready(() => stderr)) return (ready = true);
      if (Date.now() > deadline) throw new Error(`${spec.name} not ready after ${READY_TIMEOUT_MS} ms:\n${stderr}`);
    }
  }

  function start(): Promise<number> {
    return (starting ??= (async () => {
      const began = Date.now();
      try {
        for (let attempt = 1; !stopped && !(await spawnOnce()); attempt++) {
          if (Date.now() - began > READY_TIMEOUT_MS) throw new Error(`${spec.name} failed to start ${attempt} times`);
          await sleep(RESTART_DELAY_MS);
        }
        note(`${spec.name} ready after ${Date.now() - began} ms`);
        return Date.now() - began;
      } finally {
        starting = undefined;
      }
    })());
  }

  async function signal(sig: NodeJS.Signals): Promise<void> {
    killed = child;
    child?.kill(sig);
    await exited;
  }

  return {
    name: spec.name,
    start,
    async killAndRestart() {
      await starting;
      const killedAt = Date.now();
      await signal('SIGKILL');
      note(`SIGKILLed ${spec.name}`);
      await start();
      return Date.now() - killedAt;
    },
    crashes: () => crashes,
    async stop() {
      stopped = true;
      await starting?.catch(() => {});
      if (await Promise.race([signal('SIGTERM').then(() => true), sleep(15_000, false, { ref: false })])) return;
      await signal('SIGKILL');
    },
    pid: () => child?.pid,
  };
}
