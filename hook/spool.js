// @ts-check
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The write-ahead spool: an envelope is written here (temp file + rename, so a reader never
 * sees half a file) before it is sent, and removed only once the server has stored it.
 * File names are `<requestId>.json` with UUIDv7 ids, so name order is capture order.
 *
 * @typedef {{ envelope: Record<string, any>, attempts: number, firstAttemptAt?: string, lastError?: string }} SpoolEntry
 */

const entryName = /^[0-9a-f-]{36}\.json$/;

/** @param {string} path @param {string} text */
export function writeAtomic(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** @param {string} dir */
export function ensureDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** @param {string} queueDir @param {string} requestId */
export const entryPath = (queueDir, requestId) => join(queueDir, `${requestId}.json`);

/** @param {string} queueDir @param {SpoolEntry} entry */
export function spool(queueDir, entry) {
  writeAtomic(entryPath(queueDir, entry.envelope.requestId), JSON.stringify(entry));
}

/** @param {string} path @returns {SpoolEntry | null} null when another run already removed it */
export function readEntry(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return null;
    throw error;
  }
}

/** @param {string} path */
export function remove(path) {
  try {
    unlinkSync(path);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
  }
}

/** Spooled entries, oldest first. @param {string} queueDir @returns {string[]} */
export function listEntries(queueDir) {
  try {
    return readdirSync(queueDir).filter((name) => entryName.test(name)).sort().map((name) => join(queueDir, name));
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Moves an entry the server refused for good (400/409/413) to dead/, with the reason, where
 * --status and `arrakis doctor` show it.
 * @param {string} queueDir @param {string} path @param {SpoolEntry} entry @param {number} status @param {string} reason
 */
export function deadLetter(queueDir, path, entry, status, reason) {
  const dead = join(queueDir, 'dead');
  ensureDir(dead);
  writeAtomic(join(dead, `${entry.envelope.requestId}.json`), JSON.stringify({ ...entry, status, reason, deadAt: new Date().toISOString() }));
  remove(path);
}

/** @param {string} queueDir @returns {string[]} */
export function listDead(queueDir) {
  try {
    return readdirSync(join(queueDir, 'dead')).filter((name) => name.endsWith('.json')).sort().map((name) => join(queueDir, 'dead', name));
  } catch {
    return [];
  }
}

/** A lock younger than this belongs to a live drainer, which refreshes it after every envelope. */
export const LOCK_STALE_MS = 10_000;

/** @param {string} queueDir */
const lockPath = (queueDir) => join(queueDir, '.drain.lock');

/** True while a drainer holds the lock: a new run need not start another. @param {string} queueDir */
export function lockIsFresh(queueDir) {
  const stat = statSync(lockPath(queueDir), { throwIfNoEntry: false });
  return stat !== undefined && Date.now() - stat.mtimeMs < LOCK_STALE_MS;
}

/** @typedef {{ release: () => void, refresh: () => void }} Lock */

/**
 * The drain lock, so that concurrent runs do not all resend the same backlog. A lock left by
 * a killed run goes stale and is taken over.
 * @param {string} queueDir @returns {Lock | null} null when held elsewhere
 */
export function tryLock(queueDir) {
  const path = lockPath(queueDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, 'wx'));
      return {
        release: () => remove(path),
        refresh: () => {
          const now = new Date();
          utimesSync(path, now, now);
        },
      };
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      if (lockIsFresh(queueDir)) return null;
      remove(path);
    }
  }
  return null;
}
