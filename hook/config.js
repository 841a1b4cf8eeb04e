// @ts-check
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The seed's CLAUDE_HOOK_* variables. A bad value never stops a capture: it falls back to
 * the default and is reported in `problems` (shown by --health and logged).
 */
export const HOOK_VERSION = '1.0.0';

/**
 * @typedef {{
 *   apiUrl: string, apiKey: string, keySource: string, enabled: boolean, debug: boolean,
 *   failSilently: boolean, timeoutMs: number, retryAttempts: number, retryDelayMs: number,
 *   logDir: string, queueDir: string, stateDir: string, flusherIdleMs: number, problems: string[]
 * }} HookConfig
 */

/** @param {string | undefined} value @param {boolean} fallback @param {string} name @param {string[]} problems */
function bool(value, fallback, name, problems) {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  problems.push(`${name}=${value} is not true/false; using ${fallback}`);
  return fallback;
}

/** @param {string | undefined} value @param {number} fallback @param {number} min @param {string} name @param {string[]} problems */
function int(value, fallback, min, name, problems) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (Number.isInteger(n) && n >= min) return n;
  problems.push(`${name}=${value} is not a whole number >= ${min}; using ${fallback}`);
  return fallback;
}

/**
 * @param {NodeJS.ProcessEnv} env @param {string} root the Arrakis checkout, whose default data dir holds the generated ingest key
 * @param {string[]} problems @returns {{ key: string, source: string }}
 */
function apiKey(env, root, problems) {
  if (env.CLAUDE_HOOK_API_KEY) return { key: env.CLAUDE_HOOK_API_KEY.trim(), source: 'CLAUDE_HOOK_API_KEY' };
  const file = env.CLAUDE_HOOK_API_KEY_FILE || join(root, '.arrakis', 'ingest.key');
  try {
    return { key: readFileSync(file, 'utf8').trim(), source: file };
  } catch (error) {
    const reason = /** @type {NodeJS.ErrnoException} */ (error).code ?? String(error);
    problems.push(`no API key: CLAUDE_HOOK_API_KEY is unset and ${file} cannot be read (${reason})`);
    return { key: '', source: 'none' };
  }
}

/** @param {NodeJS.ProcessEnv} env @param {string} root the Arrakis checkout @returns {HookConfig} */
export function loadConfig(env, root) {
  /** @type {string[]} */
  const problems = [];
  let apiUrl = env.CLAUDE_HOOK_API_URL || 'http://127.0.0.1:8787/api/claude-hooks';
  try {
    const { protocol } = new URL(apiUrl);
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error(protocol);
  } catch {
    problems.push(`CLAUDE_HOOK_API_URL=${apiUrl} is not an http(s) URL; using the default`);
    apiUrl = 'http://127.0.0.1:8787/api/claude-hooks';
  }
  const home = join(env.CLAUDE_CONFIG_DIR || join(homedir(), '.claude'), 'arrakis');
  const { key, source } = apiKey(env, root, problems);
  return {
    apiUrl,
    apiKey: key,
    keySource: source,
    enabled: bool(env.CLAUDE_HOOK_ENABLED, true, 'CLAUDE_HOOK_ENABLED', problems),
    debug: bool(env.CLAUDE_HOOK_DEBUG, false, 'CLAUDE_HOOK_DEBUG', problems),
    failSilently: bool(env.CLAUDE_HOOK_FAIL_SILENTLY, true, 'CLAUDE_HOOK_FAIL_SILENTLY', problems),
    timeoutMs: int(env.CLAUDE_HOOK_TIMEOUT, 2000, 100, 'CLAUDE_HOOK_TIMEOUT', problems),
    retryAttempts: int(env.CLAUDE_HOOK_RETRY_ATTEMPTS, 3, 1, 'CLAUDE_HOOK_RETRY_ATTEMPTS', problems),
    retryDelayMs: int(env.CLAUDE_HOOK_RETRY_DELAY, 100, 0, 'CLAUDE_HOOK_RETRY_DELAY', problems),
    logDir: env.CLAUDE_HOOK_LOG_DIR || join(home, 'logs'),
    queueDir: env.CLAUDE_HOOK_QUEUE_DIR || join(home, 'queue'),
    stateDir: join(env.CLAUDE_HOOK_QUEUE_DIR || join(home, 'queue'), 'state'),
    flusherIdleMs: int(env.CLAUDE_HOOK_FLUSHER_IDLE, 300_000, 0, 'CLAUDE_HOOK_FLUSHER_IDLE', problems),
    problems,
  };
}
