// @ts-check
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, writeAtomic } from './spool.js';

/**
 * The assistant's replies, thinking and token usage exist only in the transcript files, so
 * each run ships the complete lines appended since the last shipped byte offset. A partial
 * last line (Claude Code is still writing it) waits for the next run.
 *
 * @typedef {{ path: string, offset: number, lines: string[] }} Chunk
 */

export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
// One line longer than this (a huge tool result) is left to `arrakis import` rather than
// stalling every later line of the file behind it.
const MAX_LINE_BYTES = 24 * 1024 * 1024;
// The server takes at most 50,000 lines per envelope; a file of tiny lines stops well short.
export const MAX_CHUNK_LINES = 10_000;

/** The index of the newline ending the `count`-th line of `buffer`, or -1 when it has fewer. @param {Buffer} buffer @param {number} count */
function nthNewline(buffer, count) {
  let at = -1;
  for (let i = 0; i < count; i++) {
    at = buffer.indexOf(10, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

/** FNV-1a: a stable file name per transcript without loading node:crypto. @param {string} text */
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** @param {string} stateDir @param {string} path */
const stateFile = (stateDir, path) => join(stateDir, 'transcripts', `${fnv1a(path)}-${path.length}.json`);

/** @param {string} stateDir @param {string} path */
function shippedOffset(stateDir, path) {
  try {
    const state = JSON.parse(readFileSync(stateFile(stateDir, path), 'utf8'));
    return state.path === path && Number.isInteger(state.offset) ? state.offset : 0;
  } catch {
    return 0;
  }
}

/** @param {number} fd @param {number} position @param {number} length */
function readAt(fd, position, length) {
  const buffer = Buffer.allocUnsafe(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

/** The offset just past the next newline at or after `from`, or -1. @param {number} fd @param {number} from @param {number} size */
function endOfLine(fd, from, size) {
  for (let at = from; at < size; ) {
    const buffer = readAt(fd, at, Math.min(size - at, MAX_CHUNK_BYTES));
    const newline = buffer.indexOf(10);
    if (newline >= 0) return at + newline + 1;
    at += buffer.length;
  }
  return -1;
}

/** @param {string} stateDir @param {string} path @param {number} offset */
function record(stateDir, path, offset) {
  return () => {
    ensureDir(join(stateDir, 'transcripts'));
    writeAtomic(stateFile(stateDir, path), JSON.stringify({ path, offset }));
  };
}

/**
 * The next chunk of complete lines of `path`, and `commit` to record it as shipped once the
 * envelope carrying it is safely spooled.
 * @param {string} path @param {string} stateDir @param {number} [maxBytes]
 * @returns {{ chunk: Chunk | null, commit: () => void, note?: string }}
 */
export function nextChunk(path, stateDir, maxBytes = MAX_CHUNK_BYTES) {
  const none = { chunk: null, commit: () => {} };
  let fd;
  try {
    fd = openSync(path, 'r');
  } catch {
    return none;
  }
  try {
    const size = fstatSync(fd).size;
    let offset = shippedOffset(stateDir, path);
    if (size < offset) offset = 0; // replaced or truncated: identities dedupe what was shipped before
    if (size === offset) return none;
    let buffer = readAt(fd, offset, Math.min(size - offset, maxBytes));
    let end = buffer.lastIndexOf(10);
    while (end < 0 && offset + buffer.length < size && buffer.length < MAX_LINE_BYTES) {
      buffer = Buffer.concat([buffer, readAt(fd, offset + buffer.length, Math.min(size - offset - buffer.length, maxBytes))]);
      end = buffer.lastIndexOf(10);
    }
    if (end >= 0) {
      const capped = nthNewline(buffer, MAX_CHUNK_LINES);
      if (capped >= 0 && capped < end) end = capped;
      const lines = buffer.subarray(0, end).toString('utf8').split('\n');
      return { chunk: { path, offset, lines }, commit: record(stateDir, path, offset + end + 1) };
    }
    if (buffer.length < MAX_LINE_BYTES) return none;
    const past = endOfLine(fd, offset + buffer.length, size);
    if (past < 0) return none;
    const note = `skipped a ${past - offset}-byte line at byte ${offset} of ${path}; \`arrakis import\` ships it`;
    return { chunk: null, commit: record(stateDir, path, past), note };
  } finally {
    closeSync(fd);
  }
}
