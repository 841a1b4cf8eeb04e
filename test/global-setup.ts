import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../core/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/**
 * Tests run against real Postgres: the server at TEST_DATABASE_URL (or DATABASE_URL), else
 * an embedded cluster started once for the run. Each test file then creates its own database.
 */
export default async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (given) {
    project.provide('pgAdminUrl', given);
    return;
  }
  const root = await mkdtemp(join(tmpdir(), 'arrakis-test-pg-'));
  let cluster: EmbeddedPostgres | undefined;
  try {
    cluster = await startEmbeddedPostgres({ dataDir: join(root, 'pg') });
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  project.provide('pgAdminUrl', cluster.url);
  return async () => {
    await cluster.stop();
    await rm(root, { recursive: true, force: true });
  };
}
