// @ts-check
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, writeAtomic } from './spool.js';

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

/**
 * The log line of one delivery attempt series, and on success the last-delivery record that
 * --status shows.
 * @param {import('./config.js').HookConfig} config @param {import('./spool.js').SpoolEntry} entry
 * @param {import('./delivery.js').Result} result @param {Record<string, unknown>} fields
 * @param {boolean} [more] more results of the same batch follow: only the last one records the last delivery
 */
export function logDelivery(config, entry, result, fields, more = false) {
  const outcome = result.outcome === 'delivered' ? (result.duplicate ? 'duplicate' : 'delivered') : result.outcome === 'rejected' ? 'dead-letter' : 'spooled';
  logRun(config.logDir, {
    requestId: entry.envelope.requestId,
    ...fields,
    outcome,
    status: result.status,
    attempts: entry.attempts,
    ...(result.reason ? { error: result.reason } : {}),
  }, config.debug);
  if (result.outcome !== 'delivered' || more) return;
  try {
    ensureDir(config.stateDir);
    writeAtomic(join(config.stateDir, 'last-delivery.json'), JSON.stringify({ at: new Date().toISOString(), requestId: entry.envelope.requestId, event: entry.envelope.event, position: result.position }));
  } catch {}
}
