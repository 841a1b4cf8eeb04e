import { join } from 'node:path';
import type { ServerConfig } from '../core/config.js';
import { connect } from '../core/db.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../core/embedded-postgres.js';
import type { Logger } from '../core/log.js';
import { migrate } from '../core/migrate.js';
import { bootstrapDatabase } from '../core/roles.js';

export interface Database {
  /** What the HTTP server connects with: where Arrakis made the database, a role that may only insert and select on the log. */
  url: string;
  /** What projectors connect with: they create and swap projection tables. */
  ownerUrl: string;
  /** For people: where the data lives, without credentials. */
  description: string;
  /** Migrations this call applied. */
  applied: string[];
  embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

async function external(url: string): Promise<Database> {
  const sql = connect(url, { max: 1, applicationName: 'arrakis-migrate' });
  try {
    const applied = await migrate(sql);
    const { hostname, port, pathname } = new URL(url);
    const description = `PostgreSQL at ${hostname || 'localhost'}:${port || 5432}${pathname} (DATABASE_URL)`;
    return { url, ownerUrl: url, description, applied, embedded: null, close: async () => {} };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function embedded(dataDir: string, logger: Logger): Promise<Database> {
  const pgDir = join(dataDir, 'pg');
  const pgLog = logger.child({ component: 'postgres' });
  const cluster = await startEmbeddedPostgres({ dataDir: pgDir, log: (msg, fields) => pgLog.debug(msg, fields) });
  try {
    const { appUrl, ownerUrl, applied } = await bootstrapDatabase(cluster.url, dataDir);
    const shared = cluster.owned ? '' : ', shared with another Arrakis process';
    const description = `embedded PostgreSQL in ${pgDir} (127.0.0.1:${cluster.port}${shared})`;
    return { url: appUrl, ownerUrl, description, applied, embedded: cluster, close: () => cluster.stop() };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/**
 * DATABASE_URL set: migrate it and use it, starting nothing. Unset: run the embedded
 * cluster in the data dir with the owner/app role split (core/roles.ts). Either way the
 * schema is current when this returns.
 */
export function openDatabase(config: ServerConfig, logger: Logger): Promise<Database> {
  return config.databaseUrl ? external(config.databaseUrl) : embedded(config.dataDir, logger);
}
