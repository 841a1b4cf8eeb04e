import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  binaries, ensureOwner, makeTraversable, postgresOsUser, processInfo, spawnLogged, stopPostmaster, waitForSql,
  type Log, type OsUser,
} from './embedded-postgres-process.js';

export interface EmbeddedPostgres {
  /** Superuser connection URL on 127.0.0.1. */
  url: string;
  port: number;
  /** False when another live Arrakis process runs this cluster; stop() then leaves it alone. */
  owned: boolean;
  stop(): Promise<void>;
}

/** `ownerPid` is the Arrakis process responsible for stopping the running cluster. */
interface State { password: string; port?: number; ownerPid?: number }

// Crash recovery after a kill may replay WAL for a while before connections are accepted.
const READY_TIMEOUT_MS = 60_000;

export async function startEmbeddedPostgres({ dataDir, log = () => {}, preferredPort = 54329 }: {
  dataDir: string;
  log?: Log;
  preferredPort?: number;
}): Promise<EmbeddedPostgres> {
  mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  // One spelling per directory, so the postmaster's `-D` argument identifies it even through symlinks.
  dataDir = path.join(realpathSync(path.dirname(path.resolve(dataDir))), path.basename(dataDir));
  const stateFile = path.join(path.dirname(dataDir), 'embedded-postgres.json');
  const user = await postgresOsUser(log);
  if (user) makeTraversable(path.dirname(dataDir), user, log);

  let state = readState(stateFile);
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (!state) throw new Error(`${stateFile} (the password of the embedded PostgreSQL cluster in ${dataDir}) is missing or unreadable`);
    const running = await reuseRunning(dataDir, state, stateFile, log);
    if (running) return running;
    if (user) await ensureOwner(dataDir, user, log);
  } else {
    state = { password: randomBytes(24).toString('base64url'), port: state?.port };
    const started = Date.now();
    const initialised = await initdb(dataDir, state.password, user, log);
    // The rename commits the cluster, so a cluster never exists without its stored password.
    writeState(stateFile, state);
    renameSync(initialised, dataDir);
    log('initialised embedded PostgreSQL cluster', { dataDir, ms: Date.now() - started });
  }

  const port = (await bindablePort(state.port)) ?? (await bindablePort(preferredPort)) ?? (await bindablePort(0));
  if (!port) throw new Error('no free TCP port on 127.0.0.1 for embedded PostgreSQL');
  writeState(stateFile, { ...state, port, ownerPid: process.pid });
  const pg = spawnLogged((await binaries()).postgres, [
    '-D', dataDir, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    // Socket paths under a deep data dir can exceed the 107-byte limit, and /run/postgresql may not be writable.
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
  ], { user, cwd: dataDir, log });
  const url = connectionUrl(state.password, port);
  const stop = once(() => stopPostmaster(pg.pid!, pg.hasExited, log));
  pg.exited.then((code) => log('embedded PostgreSQL exited', { code }));
  try {
    await waitForSql(url, READY_TIMEOUT_MS, () => (pg.hasExited() ? 'embedded PostgreSQL exited during startup' : undefined));
  } catch (err) {
    await stop().catch(() => {});
    throw new Error(`${(err as Error).message}\n${pg.tail.join('\n')}`);
  }
  log('embedded PostgreSQL is ready', { port, pid: pg.pid });
  return { url, port, owned: true, stop };
}

/** Connects to a postmaster left running by an earlier Arrakis process, or clears its stale pid file. */
async function reuseRunning(dataDir: string, state: State, stateFile: string, log: Log): Promise<EmbeddedPostgres | undefined> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  const info = await processInfo(pid);
  if (!info?.args.includes(`postgres -D ${dataDir} `)) {
    // Postgres would refuse to start if the recorded pid now belongs to an unrelated live process.
    rmSync(pidFile, { force: true });
    log('removed stale postmaster.pid', { pid });
    return undefined;
  }
  const port = Number(portLine);
  const url = connectionUrl(state.password, port);
  await waitForSql(url, READY_TIMEOUT_MS, () => undefined);
  // Its parent is the spawning Arrakis process, or init once that died; an adopter records itself as owner.
  const owner = state.ownerPid;
  const inUse = owner !== undefined && (info.ppid === owner || (owner !== process.pid && !!(await processInfo(owner))));
  if (inUse) {
    log('using embedded PostgreSQL run by another Arrakis process', { pid, port, owner });
    return { url, port, owned: false, stop: async () => {} };
  }
  writeState(stateFile, { ...state, port, ownerPid: process.pid });
  log('adopted orphaned embedded PostgreSQL', { pid, port });
  return { url, port, owned: true, stop: once(() => stopPostmaster(pid, async () => !(await processInfo(pid)), log)) };
}

async function initdb(dataDir: string, password: string, user: OsUser | undefined, log: Log): Promise<string> {
  const target = `${dataDir}.initdb`;
  const pwfile = `${dataDir}.pwfile`;
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { mode: 0o700 });
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) for (const f of [target, pwfile]) chownSync(f, user.uid, user.gid);
  try {
    const run = spawnLogged((await binaries()).initdb, [
      '-D', target, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256',
      '--encoding=UTF8', '--no-locale', '--no-instructions',
    ], { user, cwd: target, log });
    if ((await run.exited) !== 0) throw new Error(`initdb failed:\n${run.tail.join('\n')}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
  return target;
}

function bindablePort(port: number | undefined): Promise<number | undefined> {
  if (port === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

function readState(file: string): State | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as State;
  } catch {
    return undefined;
  }
}

function writeState(file: string, state: State): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(state), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

function connectionUrl(password: string, port: number): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let promise: Promise<void> | undefined;
  return () => (promise ??= fn());
}
