import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '../core/db.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../core/embedded-postgres.js';
import { processInfo } from '../core/embedded-postgres-process.js';

export interface ChaosCluster {
  /** The chaos database, as superuser: server, projector and checks all use it. */
  url: string;
  /** Crashes Postgres (immediate shutdown: no checkpoint, WAL replay on start), waits `downMs`, starts it again. */
  crashAndRestart(downMs: number): Promise<void>;
  /** The postmaster's pid, for a last-resort kill when the run itself is interrupted. */
  pid(): number | undefined;
  stop(): Promise<void>;
}

/**
 * A dedicated embedded cluster in the run's temp dir, so that crashing it never disturbs the
 * shared Postgres other tests use. A restart must come back on the same port: the server and
 * projector keep their DATABASE_URL across it, as they would across a real database restart.
 */
export async function startChaosCluster(root: string): Promise<ChaosCluster> {
  const dataDir = join(root, 'pg');
  let cluster: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, preferredPort: 0 });
  const port = cluster.port;
  const admin = connect(cluster.url, { max: 1, applicationName: 'arrakis-chaos' });
  try {
    await admin.unsafe('create database arrakis_chaos');
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = Object.assign(new URL(cluster.url), { pathname: '/arrakis_chaos' }).toString();
  const pid = () => {
    try {
      return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
    } catch {
      return undefined;
    }
  };
  return {
    url,
    pid,
    async crashAndRestart(downMs) {
      const postmaster = pid();
      if (!postmaster) throw new Error('no postmaster.pid: is the chaos cluster running?');
      process.kill(postmaster, 'SIGQUIT');
      for (const deadline = Date.now() + 30_000; await processInfo(postmaster); await sleep(50)) {
        if (Date.now() > deadline) throw new Error(`postmaster ${postmaster} still alive 30 s after SIGQUIT`);
      }
      await cluster.stop();
      await sleep(downMs);
      cluster = await startEmbeddedPostgres({ dataDir, preferredPort: port });
      if (cluster.port !== port) throw new Error(`Postgres came back on port ${cluster.port}, not ${port}: its clients cannot follow`);
    },
    stop: () => cluster.stop(),
  };
}
