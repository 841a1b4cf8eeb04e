// @ts-check
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { HOOK_VERSION } from './config.js';
import { reasonOf, send, verdict } from './deliver.js';
import { logRun } from './log.js';
import { ensureDir, writeAtomic } from './spool.js';

/**
 * The hook's own log reaches the server too, so a failure on another machine, or while the
 * server was down, shows in the log viewer: after a successful delivery the flusher sends the
 * complete lines written since the last shipped byte offset (`POST /api/hook-logs`), and
 * moves its cursor only once the server has answered 2xx. Logs are one file per day
 * (`capture-YYYY-MM-DD.log`); the cursor moves to the next day's file once a newer one exists.
 *
 * @typedef {{ dir: string, file: string, offset: number }} Cursor
 * @typedef {{ file: string, lines: Array<{ offset: number, line: string }>, next: Cursor }} Batch
 */

export const MAX_BATCH_LINES = 500;
export const MAX_BATCH_BYTES = 256 * 1024;
const logName = /^capture-\d{4}-\d{2}-\d{2}\.log$/;

/** @param {string} stateDir */
const cursorPath = (stateDir) => join(stateDir, 'log-cursor.json');

/** @param {string} stateDir @param {string} logDir @returns {Cursor | null} */
function readCursor(stateDir, logDir) {
  try {
    const cursor = JSON.parse(readFileSync(cursorPath(stateDir), 'utf8'));
    // A cursor of another log directory says nothing about this one's files.
    const valid = cursor.dir === logDir && typeof cursor.file === 'string' && Number.isSafeInteger(cursor.offset) && cursor.offset >= 0;
    return valid ? cursor : null;
  } catch {
    return null;
  }
}

/** @param {string} stateDir @param {Cursor} cursor */
function writeCursor(stateDir, cursor) {
  ensureDir(stateDir);
  writeAtomic(cursorPath(stateDir), JSON.stringify(cursor));
}

/** @param {string} logDir @returns {string[]} oldest first */
function logFiles(logDir) {
  try {
    return readdirSync(logDir).filter((name) => logName.test(name)).sort();
  } catch {
    return [];
  }
}

/** @param {number} fd @param {number} position @param {number} length */
function readAt(fd, position, length) {
  const buffer = Buffer.allocUnsafe(length);
  return buffer.subarray(0, readSync(fd, buffer, 0, length, position));
}

/** The offset just past the next newline at or after `from`, or null. @param {number} fd @param {number} from @param {number} size */
function endOfLine(fd, from, size) {
  for (let at = from; at < size; ) {
    const chunk = readAt(fd, at, Math.min(size - at, MAX_BATCH_BYTES));
    const newline = chunk.indexOf(10);
    if (newline >= 0) return at + newline + 1;
    at += chunk.length;
  }
  return null;
}

/**
 * The complete lines of one file from `offset`, within the batch bounds. A line longer than
 * a whole batch (this hook writes none) is stepped over rather than stalling the log.
 * @param {string} path @param {number} offset
 * @returns {{ lines: Array<{ offset: number, line: string }>, end: number }}
 */
function readLines(path, offset) {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < offset) offset = 0; // truncated by hand: start over; identities dedupe what the server has
    const buffer = readAt(fd, offset, Math.min(size - offset, MAX_BATCH_BYTES));
    /** @type {Array<{ offset: number, line: string }>} */
    const lines = [];
    let start = 0;
    for (let newline = buffer.indexOf(10); newline >= 0 && lines.length < MAX_BATCH_LINES; newline = buffer.indexOf(10, start)) {
      const line = buffer.subarray(start, newline).toString('utf8');
      if (line.trim() !== '') lines.push({ offset: offset + start, line });
      start = newline + 1;
    }
    if (start > 0 || buffer.length < MAX_BATCH_BYTES) return { lines, end: offset + start };
    return { lines, end: endOfLine(fd, offset + buffer.length, size) ?? offset };
  } finally {
    closeSync(fd);
  }
}

/**
 * The next batch after `cursor`, or null when nothing complete is waiting. A cursor whose file
 * is gone continues with the next newer file.
 * @param {string} logDir @param {Cursor | null} cursor @returns {Batch | null}
 */
export function nextBatch(logDir, cursor) {
  const files = logFiles(logDir);
  let i = cursor ? files.findIndex((name) => name >= cursor.file) : 0;
  if (i < 0 || files.length === 0) return null;
  let offset = cursor && files[i] === cursor.file ? cursor.offset : 0;
  for (; i < files.length; i++, offset = 0) {
    const file = /** @type {string} */ (files[i]);
    let read;
    try {
      read = readLines(join(logDir, file), offset);
    } catch {
      continue; // removed meanwhile
    }
    const next = { dir: logDir, file, offset: read.end };
    if (read.lines.length > 0 || read.end !== offset) return { file: join(logDir, file), lines: read.lines, next };
    // A partial last line in today's file is being written; in an older file it never completes.
    if (i === files.length - 1) return null;
  }
  return null;
}

/** The log never holds the key; should a line ever, it leaves the machine without it. @param {string} line @param {string} key */
const redact = (line, key) => (key.length >= 8 && line.includes(key) ? line.split(key).join('[redacted]') : line);

/**
 * Sends what the server has not seen, batch by batch, until caught up, `maxBatches` sent, or
 * the server does not take them (the cursor stays: the next delivery tries again). A batch
 * refused for good (400, 413) is stepped over and the refusal logged, so the log moves on.
 * @param {import('./config.js').HookConfig} config @param {{ maxBatches?: number }} [options]
 * @returns {Promise<{ shipped: number, stoppedBy?: string }>}
 */
export async function shipLogs(config, { maxBatches = 20 } = {}) {
  const url = new URL('hook-logs', config.apiUrl).toString();
  let shipped = 0;
  for (let sent = 0; sent < maxBatches; sent++) {
    const batch = nextBatch(config.logDir, readCursor(config.stateDir, config.logDir));
    if (!batch) break;
    if (batch.lines.length > 0) {
      const lines = batch.lines.map(({ offset, line }) => ({ offset, line: redact(line, config.apiKey) }));
      const json = { host: hostname(), hookVersion: HOOK_VERSION, file: batch.file, lines };
      const answer = await send({ url, key: config.apiKey, json, timeoutMs: config.timeoutMs });
      const outcome = verdict(answer);
      if (outcome === 'rejected') {
        const range = `${batch.file} bytes ${lines[0]?.offset}-${batch.next.offset}`;
        logRun(config.logDir, { level: 'warn', outcome: 'log-refused', message: `the server refused the log lines in ${range}: ${reasonOf(answer)}` }, config.debug);
      } else if (outcome !== 'delivered') {
        return { shipped, stoppedBy: reasonOf(answer) };
      } else {
        shipped += lines.length;
      }
    }
    writeCursor(config.stateDir, batch.next);
  }
  return { shipped };
}
