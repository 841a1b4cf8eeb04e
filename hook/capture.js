// @ts-check
import { fstatSync, readFileSync } from 'node:fs';
import { buildEnvelope, transcriptPaths } from './envelope.js';
import { startFlusher } from './flusher.js';
import { logDelivery, logRun } from './log.js';
import { ensureDir, entryPath, listEntries, spool } from './spool.js';
import { nextChunk } from './transcript.js';

/**
 * Reads fd 0 to its end. Synchronously, because building process.stdin's stream costs every
 * run milliseconds; a terminal (someone running the hook by hand) counts as empty input.
 * @param {number} fd
 */
function readStdin(fd) {
  try {
    if (fstatSync(fd).isCharacterDevice()) return '';
    return readFileSync(fd, 'utf8');
  } catch (error) {
    // EBADF: no stdin at all; EAGAIN: a non-blocking pipe nobody writes to. Both capture as empty.
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === 'EBADF' || code === 'EAGAIN') return '';
    throw error;
  }
}

/**
 * The envelope for this run, with the transcript lines written since the last run, written
 * to the spool. Only then are those lines recorded as shipped: a kill in between resends
 * them, and their identities make the resend harmless.
 * @param {import('./config.js').HookConfig} config @param {string} text @param {NodeJS.ProcessEnv} env @param {number} now
 */
function spoolEvent(config, text, env, now) {
  const envelope = buildEnvelope(text, env, now);
  const shipped = transcriptPaths(envelope.payload).map((path) => nextChunk(path, config.stateDir));
  const chunks = shipped.flatMap((s) => (s.chunk ? [s.chunk] : []));
  if (chunks.length > 0) envelope.transcript = chunks;
  const entry = { envelope, attempts: 0 };
  const path = entryPath(config.queueDir, envelope.requestId);
  const notes = shipped.flatMap((s) => (s.note ? [s.note] : []));
  try {
    ensureDir(config.queueDir);
    spool(config.queueDir, entry);
    for (const s of shipped) s.commit();
    return { entry, path, notes, spoolError: undefined };
  } catch (error) {
    return { entry, path, notes, spoolError: /** @type {Error} */ (error).message };
  }
}

/**
 * One hook run: spool first, then deliver. By default delivery is handed to a background
 * flusher, so Claude Code waits only for the spool write; with CLAUDE_HOOK_FAIL_SILENTLY=false
 * (or when the spool cannot be written) the run delivers itself and reports the outcome.
 * Whatever happens after the spool write, the event stays on disk until the server has it.
 * @param {import('./config.js').HookConfig} config
 * @param {{ env: NodeJS.ProcessEnv, stdin: number, now: () => number, script: string }} io
 * @returns {Promise<number>} the exit code
 */
export async function capture(config, { env, stdin, now, script }) {
  const started = now();
  if (!config.enabled) return 0;
  const { entry, path, notes, spoolError } = spoolEvent(config, readStdin(stdin), env, started);
  const { envelope } = entry;
  const common = {
    requestId: envelope.requestId,
    event: envelope.event,
    sessionId: envelope.sessionId,
    transcriptLines: (envelope.transcript ?? []).reduce((n, c) => n + c.lines.length, 0),
    ...(notes.length > 0 ? { transcriptNotes: notes } : {}),
    ...(config.problems.length > 0 ? { configProblems: config.problems } : {}),
  };
  if (config.failSilently && !spoolError) {
    const flusher = await startFlusher(config, script, env);
    logRun(config.logDir, { ...common, outcome: 'queued', flusher, durationMs: Math.round(now() - started), spoolDepth: listEntries(config.queueDir).length }, config.debug);
    return 0;
  }
  const deadline = started + config.timeoutMs * config.retryAttempts;
  const { deliverEntry } = await import('./delivery.js');
  const result = await deliverEntry(config, path, entry, { attempts: config.retryAttempts, deadline });
  logDelivery(config, entry, result, {
    ...common,
    durationMs: Math.round(now() - started),
    spoolDepth: listEntries(config.queueDir).length,
    ...(spoolError ? { spoolError } : {}),
  });
  if (result.outcome !== 'delivered' && result.outcome !== 'rejected' && !spoolError) await startFlusher(config, script, env);
  if (result.outcome === 'delivered' || config.failSilently) return 0;
  const where = spoolError ? `NOT spooled (${spoolError})` : `spooled in ${config.queueDir}`;
  process.stderr.write(`arrakis hook: ${envelope.event} not delivered (${result.reason}); ${where}\n`);
  return 1;
}
