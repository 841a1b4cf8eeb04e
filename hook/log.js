// @ts-check
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir } from './spool.js';

/**
 * One JSON line per run in CLAUDE_HOOK_LOG_DIR/capture-YYYY-MM-DD.log. Logging must never
 * be the reason a capture fails, so a log that cannot be written is reported on stderr only.
 * @param {string} logDir @param {Record<string, unknown>} fields @param {boolean} debug
 */
export function logRun(logDir, fields, debug) {
  const now = new Date();
  const line = JSON.stringify({ time: now.toISOString(), ...fields });
  try {
    ensureDir(logDir);
    appendFileSync(join(logDir, `capture-${now.toISOString().slice(0, 10)}.log`), `${line}\n`);
  } catch (error) {
    process.stderr.write(`arrakis hook: cannot write its log in ${logDir}: ${/** @type {Error} */ (error).message}\n`);
  }
  // stderr, never stdout: Claude Code injects a hook's stdout into the model's context.
  if (debug) process.stderr.write(`${line}\n`);
}
