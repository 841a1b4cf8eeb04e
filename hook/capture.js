// @ts-check
import { drain, deliverEntry, recordDelivery } from './delivery.js';
import { buildEnvelope, transcriptPaths } from './envelope.js';
import { logRun } from './log.js';
import { ensureDir, entryPath, listEntries, spool } from './spool.js';
import { nextChunk } from './transcript.js';

/** How many older envelopes one run may resend, and for how long: a hook must stay quick. */
const DRAIN_LIMIT = 50;
const DRAIN_BUDGET_MS = 1500;

/** @param {NodeJS.ReadStream} stdin @returns {Promise<string>} */
async function readStdin(stdin) {
  if (stdin.isTTY) return '';
  const chunks = [];
  for await (const chunk of stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One hook run: spool first, then send. Whatever happens after the spool write (a kill, a
 * timeout, a server that is down) the event stays on disk and a later run resends it with
 * the same requestId, so the store keeps it once.
 * @param {import('./config.js').HookConfig} config @param {{ env: NodeJS.ProcessEnv, stdin: NodeJS.ReadStream, now: () => number }} io
 * @returns {Promise<number>} the exit code
 */
export async function capture(config, { env, stdin, now }) {
  const started = now();
  if (!config.enabled) return 0;
  const envelope = buildEnvelope(await readStdin(stdin), env, started);
  const shipped = transcriptPaths(envelope.payload).map((path) => nextChunk(path, config.stateDir));
  const chunks = shipped.flatMap((s) => (s.chunk ? [s.chunk] : []));
  if (chunks.length > 0) envelope.transcript = chunks;
  const entry = { envelope, attempts: 0 };
  const path = entryPath(config.queueDir, envelope.requestId);
  /** @type {string | undefined} */
  let spoolError;
  try {
    ensureDir(config.queueDir);
    spool(config.queueDir, entry);
    for (const s of shipped) s.commit();
  } catch (error) {
    // Still try to send: the event is only lost if this fails too.
    spoolError = /** @type {Error} */ (error).message;
  }
  const deadline = started + config.timeoutMs * config.retryAttempts + DRAIN_BUDGET_MS;
  const result = await deliverEntry(config, path, entry, { attempts: config.retryAttempts, deadline });
  const drained = result.outcome === 'delivered'
    ? await drain(config, { limit: DRAIN_LIMIT, deadline: Math.min(deadline, now() + DRAIN_BUDGET_MS), minAgeMs: 5000, skip: path })
    : undefined;
  if (result.outcome === 'delivered') recordDelivery(config.stateDir, { requestId: envelope.requestId, event: envelope.event, position: result.position });
  const outcome = result.outcome === 'delivered' ? (result.duplicate ? 'duplicate' : 'delivered') : result.outcome === 'rejected' ? 'dead-letter' : 'spooled';
  logRun(config.logDir, {
    requestId: envelope.requestId,
    event: envelope.event,
    sessionId: envelope.sessionId,
    outcome,
    status: result.status,
    attempts: result.attempts,
    durationMs: Math.round(now() - started),
    spoolDepth: drained?.remaining ?? listEntries(config.queueDir).length,
    drained: drained?.delivered ?? 0,
    transcriptLines: chunks.reduce((n, c) => n + c.lines.length, 0),
    ...(result.reason ? { error: result.reason } : {}),
    ...(spoolError ? { spoolError } : {}),
    ...(config.problems.length > 0 ? { configProblems: config.problems } : {}),
    ...Object.fromEntries(shipped.flatMap((s) => (s.note ? [['transcriptNote', s.note]] : []))),
  }, config.debug);
  if (result.outcome === 'delivered' || config.failSilently) return 0;
  const where = spoolError ? `NOT spooled (${spoolError})` : `spooled in ${config.queueDir}`;
  process.stderr.write(`arrakis hook: ${envelope.event} not delivered (${result.reason}); ${where}\n`);
  return 1;
}
