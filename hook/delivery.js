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

/** Most envelopes, and bytes of envelope JSON, sent in one batch request. */
export const BATCH_MAX_ENVELOPES = 100;
export const BATCH_MAX_BYTES = 1024 * 1024;
/** An envelope this large (a transcript chunk, say) goes alone, gzipped, as before. */
const ALONE_ABOVE = 256 * 1024;

/** Set once a server answered the batch route 404/405 (older than it): singles from then on, in this process. */
let batchUnsupported = false;

/** `POST <apiUrl>/batch`. @param {string} apiUrl */
export function batchUrl(apiUrl) {
  const url = new URL(apiUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/batch`;
  return url.toString();
}

/**
 * @typedef {{ path: string, entry: SpoolEntry }} Item
 * @param {Item[]} items
 */
function stampAttempt(items) {
  for (const { entry } of items) {
    entry.attempts += 1;
    entry.firstAttemptAt ??= new Date().toISOString();
    entry.envelope.client = { ...entry.envelope.client, attempt: entry.attempts };
  }
}

/** @param {Item[]} items */
function unstampAttempt(items) {
  for (const { entry } of items) {
    entry.attempts -= 1;
    entry.envelope.client = { ...entry.envelope.client, attempt: entry.attempts };
  }
}

/** Keeps an entry spooled with its attempt count and last error, unless another run already removed it. @param {HookConfig} config @param {Item} item @param {string | undefined} reason */
function keep(config, { path, entry }, reason) {
  entry.lastError = reason;
  if (readEntry(path)) spool(config.queueDir, entry);
}

/**
 * Sends `items` in one `POST …/batch` (retried like a single envelope while the server is
 * unavailable) and settles each spool file by its own result: removed once stored,
 * dead-lettered when refused for good, kept otherwise. Null when the server has no batch
 * route (404/405) or refused the batch as a whole as too large or malformed: the caller then
 * sends the items one by one, each getting its own verdict.
 * @param {HookConfig} config @param {Item[]} items @param {{ attempts: number }} limits
 * @returns {Promise<Result[] | null>}
 */
async function deliverBatch(config, items, { attempts }) {
  /** @type {import('./deliver.js').Answer} */
  let answer = { status: 0, error: 'not sent' };
  let tries = 0;
  for (let i = 0; i < attempts; i++) {
    tries = i + 1;
    stampAttempt(items);
    const text = `{"envelopes":[${items.map(({ entry }) => JSON.stringify(entry.envelope)).join(',')}]}`;
    answer = await send({ url: batchUrl(config.apiUrl), key: config.apiKey, text, timeoutMs: config.timeoutMs, maxAnswer: Infinity });
    if (answer.status === 404 || answer.status === 405 || answer.status === 400 || answer.status === 413 || answer.status === 415) {
      if (answer.status === 404 || answer.status === 405) batchUnsupported = true;
      unstampAttempt(items);
      return null;
    }
    if (verdict(answer) !== 'unavailable' || i + 1 >= attempts) break;
    await sleep(backoff(config.retryDelayMs, i));
  }
  /** @type {Array<{ status: number, position?: number, duplicate?: boolean, message?: string, error?: string }> | undefined} */
  let results;
  if (answer.status === 200) {
    try {
      results = JSON.parse(/** @type {{ body: string }} */ (answer).body).results;
    } catch {}
  }
  if (!Array.isArray(results) || results.length !== items.length) {
    // Refused key, server down, or an answer that says nothing per envelope: every one stays spooled.
    const outcome = answer.status === 200 ? 'unavailable' : verdict(answer);
    const reason = answer.status === 200 ? '200 batch answer without one result per envelope' : reasonOf(answer);
    for (const item of items) keep(config, item, reason);
    return items.map(() => ({ outcome, status: answer.status, reason, attempts: tries }));
  }
  return items.map((item, i) => {
    const own = /** @type {NonNullable<typeof results>[number]} */ (results[i]);
    const status = typeof own?.status === 'number' ? own.status : 0;
    const outcome = verdict({ status, body: '' });
    if (outcome === 'delivered') {
      remove(item.path);
      return { outcome, status, attempts: tries, position: own.position, duplicate: own.duplicate };
    }
    const reason = `${status} ${own?.message ?? own?.error ?? ''}`.trim();
    if (outcome === 'rejected') deadLetter(config.queueDir, item.path, item.entry, status, reason);
    else keep(config, item, reason);
    return { outcome, status, reason, attempts: tries };
  });
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
 * @param {{ attempts?: number, onResult?: (entry: SpoolEntry, result: Result, more?: boolean) => void, held?: import('./spool.js').Lock }} options
 */
export async function drain(config, { attempts = 1, onResult = () => {}, held } = {}) {
  const totals = { delivered: 0, rejected: 0, remaining: 0, locked: false, refused: false, stoppedBy: /** @type {string | undefined} */ (undefined) };
  const lock = held ?? tryLock(config.queueDir);
  if (!lock) return { ...totals, locked: true };
  try {
    recoverTemps(config.queueDir, 60_000);
    /** @type {(item: Item, result: Result, more?: boolean) => boolean} whether to go on */
    const settle = ({ entry }, result, more = false) => {
      onResult(entry, result, more);
      if (result.outcome === 'delivered') totals.delivered++;
      else if (result.outcome === 'rejected') totals.rejected++;
      else {
        totals.stoppedBy = result.reason;
        totals.refused = result.outcome === 'refused';
        return false;
      }
      return true;
    };
    /** @param {Item} item */
    const single = async (item) => settle(item, await deliverEntry(config, item.path, item.entry, { attempts, deadline: Infinity }));
    /** @type {Item[]} */
    let chunk = [];
    let bytes = 0;
    // Sends what is gathered: alone when it is one envelope (or the server takes no batches), else as a batch.
    const flushChunk = async () => {
      const items = chunk;
      chunk = [];
      bytes = 0;
      let goOn = true;
      const results = items.length > 1 && !batchUnsupported ? await deliverBatch(config, items, { attempts }) : null;
      if (results) {
        // Every item is settled already; a stop is reported once all are counted.
        const lastDelivered = results.findLastIndex((r) => r.outcome === 'delivered');
        for (let i = 0; i < items.length; i++) goOn = settle(/** @type {Item} */ (items[i]), /** @type {Result} */ (results[i]), i !== lastDelivered) && goOn;
      } else {
        for (const item of items) if (!(goOn = await single(item))) break;
      }
      lock.refresh();
      return goOn;
    };
    let going = true;
    for (const path of listEntries(config.queueDir)) {
      const entry = readEntry(path);
      if (!entry) continue;
      const size = JSON.stringify(entry.envelope).length;
      if (size > ALONE_ABOVE) {
        going = (await flushChunk()) && (await single({ path, entry }));
        lock.refresh();
      } else {
        if (chunk.length > 0 && (chunk.length >= BATCH_MAX_ENVELOPES || bytes + size > BATCH_MAX_BYTES)) going = await flushChunk();
        if (going) {
          chunk.push({ path, entry });
          bytes += size + 1;
        }
      }
      if (!going) break;
    }
    if (going && chunk.length > 0) await flushChunk();
  } finally {
    if (!held) lock.release();
  }
  // Counted after the release: an envelope spooled by a run that saw the lock held is seen here.
  totals.remaining = listEntries(config.queueDir).length;
  return totals;
}
