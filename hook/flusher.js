// @ts-check
import { lockIsFresh } from './spool.js';

/**
 * Starts a detached `--drain` process unless one is alive. Claude Code then waits only for
 * the spool write; the flusher delivers this envelope and any backlog, oldest first, and
 * stays a while for the events that follow, so most runs start no process at all.
 * @param {import('./config.js').HookConfig} config @param {string} script @param {NodeJS.ProcessEnv} env
 * @returns {Promise<'running' | 'started'>}
 */
export async function startFlusher(config, script, env) {
  // The spool write came first, so a flusher seen here will find the envelope.
  if (lockIsFresh(config.queueDir)) return 'running';
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [script, '--drain'], { detached: true, stdio: 'ignore', env });
  // A spawn that fails (no processes left, say) must not crash this run: the envelope is
  // already spooled, and the next run starts a flusher again.
  child.on('error', () => {});
  child.unref();
  return 'started';
}
