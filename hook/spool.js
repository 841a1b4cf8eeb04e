// @ts-check
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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

/**
 * A drain lock, so that parallel hooks (Claude Code runs matching hooks in parallel) do not
 * all resend the same backlog. A lock left by a killed run is taken over after `staleMs`.
 * @param {string} queueDir @param {number} staleMs @returns {(() => void) | null} release, or null when held elsewhere
 */
export function tryLock(queueDir, staleMs = 30_000) {
  const path = join(queueDir, '.drain.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, 'wx'));
      return () => remove(path);
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(path).mtimeMs < staleMs) return null;
        remove(path);
      } catch {
        return null;
      }
    }
  }
  return null;
}
