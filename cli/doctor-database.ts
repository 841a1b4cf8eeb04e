import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATABASE, OWNER_ROLE } from '../core/roles.js';

/**
 * The owner URL of the embedded cluster a running `arrakis start` keeps in the data dir, or
 * the reason there is none. The doctor never starts a database of its own: it reports.
 */
export async function embeddedUrl(dataDir: string): Promise<{ url: string } | { problem: string }> {
  let state: { password?: string; port?: number; ownerPid?: number };
  let roles: { owner?: string };
  try {
    state = JSON.parse(await readFile(join(dataDir, 'embedded-postgres.json'), 'utf8'));
    roles = JSON.parse(await readFile(join(dataDir, 'database-roles.json'), 'utf8'));
  } catch {
    return { problem: `no embedded database in ${join(dataDir, 'pg')} yet` };
  }
  if (!state.port || !state.ownerPid || !alive(state.ownerPid) || !roles.owner) return { problem: `the embedded database in ${join(dataDir, 'pg')} is not running` };
  const url = new URL(`postgres://127.0.0.1:${state.port}/${DATABASE}`);
  url.username = OWNER_ROLE;
  url.password = roles.owner;
  return { url: url.toString() };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
