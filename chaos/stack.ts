import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { join } from 'node:path';
import { connect, type Sql } from '../core/db.js';
import type { Keys } from '../core/keys.js';
import { startChaosCluster, type ChaosCluster } from './cluster.js';
import { createService, type Service } from './service.js';

/** The system under chaos: a dedicated Postgres, `arrakis serve` and `arrakis project`, each its own process. */
export interface Stack {
  cluster: ChaosCluster;
  server: Service;
  projector: Service;
  /** http://127.0.0.1:<port>, the same across server restarts. */
  apiUrl: string;
  keys: Keys;
  /** The chaos run's own connection, for its checks. */
  sql: Sql;
  /** Stops everything, in reverse order; safe to call twice. */
  stop(): Promise<void>;
  /** Last resort on an interrupted run: signals every process at once, synchronously. */
  killNow(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function healthy(url: string): Promise<boolean> {
  const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
  await response?.body?.cancel();
  return response?.status === 200;
}

export async function startStack(root: string, { fromSource }: { fromSource: boolean }): Promise<Stack> {
  const cluster = await startChaosCluster(root);
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const key = (scope: string) => `chaos-${scope}-${randomBytes(12).toString('hex')}`;
  const keys: Keys = { ingest: key('ingest'), read: key('read'), admin: key('admin') };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: cluster.url,
    HOST: '127.0.0.1',
    PORT: String(port),
    ARRAKIS_DATA_DIR: join(root, 'data'),
    ARRAKIS_INGEST_KEY: keys.ingest,
    ARRAKIS_READ_KEY: keys.read,
    ARRAKIS_ADMIN_KEY: keys.admin,
  };
  const server = createService({
    name: 'server', command: 'serve', env, fromSource, logFile: join(root, 'server.log'),
    ready: () => healthy(apiUrl),
  });
  const projector = createService({
    name: 'projector', command: 'project', env, fromSource, logFile: join(root, 'projector.log'),
    ready: async (stderr) => /projector \S+ running/.test(stderr()),
  });
  // It polls while Postgres is crashed on purpose: no array-type query on each reconnect (see connect).
  const sql = connect(cluster.url, { max: 2, applicationName: 'arrakis-chaos', fetchTypes: false });
  let stopping: Promise<void> | undefined;
  const stack: Stack = {
    cluster, server, projector, apiUrl, keys, sql,
    stop: () =>
      (stopping ??= (async () => {
        for (const step of [() => projector.stop(), () => server.stop(), () => sql.end({ timeout: 5 }), () => cluster.stop()]) {
          await step().catch(() => {});
        }
      })()),
    killNow() {
      for (const [pid, signal] of [[projector.pid(), 'SIGKILL'], [server.pid(), 'SIGKILL'], [cluster.pid(), 'SIGQUIT']] as const) {
        try {
          if (pid) process.kill(pid, signal);
        } catch {}
      }
    },
  };
  try {
    await server.start();
    await projector.start();
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}
