// @ts-check
import { readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { reasonOf, send, verdict } from './deliver.js';
import { deadLetter, entryPath, listEntries, readEntry, remove, spool, tryLock } from './spool.js';

/**
 * @typedef {import('./config.js').HookConfig} HookConfig
 * @typedef {import('./spool.js').SpoolEntry} SpoolEntry
 * @typedef {'delivered' | 'refused' | 'rejected' | 'unavailable'} Outcome
 * @typedef {{ outcome: Outcome, status: number, reason?: string, attempts: number, position?: number, duplicate?: boolean }} Result
 */

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter. @param {number} base @param {number} attempt */
const backoff = (base, attempt) => Math.random() * base * 2 ** attempt;

/**
 * Sends one spooled entry, up to `attempts` times while the server is unavailable, and
 * settles the spool file: removed once stored, dead-lettered when refused for good, kept
 * (with its attempt count and last error) otherwise.
 * @param {HookConfig} config @param {string} path @param {SpoolEntry} entry @param {{ attempts: number, deadline: number }} limits
 * @returns {Promise<Result>}
 */
export async function deliverEntry(config, path, entry, { attempts, deadline }) {
  /** @type {Result} */
  let result = { outcome: 'unavailable', status: 0, attempts: 0 };
  for (let i = 0; i < attempts; i++) {
    entry.attempts += 1;
    entry.firstAttemptAt ??= new Date().toISOString();
    entry.envelope.client = { ...entry.envelope.client, attempt: entry.attempts };
    const answer = await send({ url: config.apiUrl, key: config.apiKey, requestId: entry.envelope.requestId, json: entry.envelope, timeoutMs: config.timeoutMs });
    result = { outcome: verdict(answer), status: answer.status, attempts: i + 1 };
    if (result.outcome === 'delivered') {
      remove(path);
      const body = JSON.parse(/** @type {{ body: string }} */ (answer).body || '{}');
      return { ...result, position: body.position, duplicate: body.duplicate };
    }
    result.reason = reasonOf(answer);
    if (result.outcome === 'rejected') {
      deadLetter(config.queueDir, path, entry, answer.status, result.reason);
      return result;
    }
    if (result.outcome === 'refused') break;
    const wait = backoff(config.retryDelayMs, i);
    if (i + 1 >= attempts || Date.now() + wait + config.timeoutMs > deadline) break;
    await sleep(wait);
  }
  entry.lastError = result.reason;
  // Re-spooling keeps the attempt count; if another run already delivered and removed it, stay removed.
  if (readEntry(path)) spool(config.queueDir, entry);
  return result;
}

/**
 * A write killed between its temp file and the rename left `*.tmp`; if it is complete JSON,
 * it is an envelope that never reached the spool proper.
 * @param {string} queueDir @param {number} minAgeMs
 */
function recoverTemps(queueDir, minAgeMs) {
  for (const name of readdirSync(queueDir)) {
    if (!name.endsWith('.tmp')) continue;
    const tmp = join(queueDir, name);
    try {
      if (Date.now() - statSync(tmp).mtimeMs < minAgeMs) continue;
      const entry = readEntry(tmp);
      if (entry?.envelope?.requestId) renameSync(tmp, entryPath(queueDir, entry.envelope.requestId));
    } catch {
      // Truncated by the kill: there is nothing to send; keep it aside for a person to see.
      try {
        renameSync(tmp, `${tmp}.corrupt`);
      } catch {}
    }
  }
}

/**
 * Delivers spooled entries, oldest first, under the drain lock (taken here unless the caller
 * holds it). Stops at the first sign the server cannot take them: `stoppedBy` says why, and
 * `refused` whether it was the key.
 * @param {HookConfig} config
 * @param {{ attempts?: number, onResult?: (entry: SpoolEntry, result: Result) => void, held?: import('./spool.js').Lock }} options
 */
export async function drain(config, { attempts = 1, onResult = () => {}, held } = {}) {
  const totals = { delivered: 0, rejected: 0, remaining: 0, locked: false, refused: false, stoppedBy: /** @type {string | undefined} */ (undefined) };
  const lock = held ?? tryLock(config.queueDir);
  if (!lock) return { ...totals, locked: true };
  try {
    recoverTemps(config.queueDir, 60_000);
    for (const path of listEntries(config.queueDir)) {
      const entry = readEntry(path);
      if (!entry) continue;
      const result = await deliverEntry(config, path, entry, { attempts, deadline: Infinity });
      onResult(entry, result);
      lock.refresh();
      if (result.outcome === 'delivered') totals.delivered++;
      else if (result.outcome === 'rejected') totals.rejected++;
      else {
        totals.stoppedBy = result.reason;
        totals.refused = result.outcome === 'refused';
        break;
      }
    }
  } finally {
    if (!held) lock.release();
  }
  // Counted after the release: an envelope spooled by a run that saw the lock held is seen here.
  totals.remaining = listEntries(config.queueDir).length;
  return totals;
}
