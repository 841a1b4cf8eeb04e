// @ts-check
import { hostname } from 'node:os';
import { HOOK_VERSION } from './config.js';

/**
 * A UUIDv7: time-ordered, so spool file names sort in capture order. Its 74 random bits need
 * uniqueness, not secrecy, so Math.random serves: loading WebCrypto would cost every run ~3 ms.
 * @param {number} now
 */
export function uuidv7(now) {
  const b = new Uint8Array(16);
  for (let i = 6; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[0] = (now / 2 ** 40) & 0xff;
  b[1] = (now / 2 ** 32) & 0xff;
  b[2] = (now >>> 24) & 0xff;
  b[3] = (now >>> 16) & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The value when it is a usable label (the server refuses control characters), else undefined. @param {unknown} value @param {number} max */
function label(value, max) {
  return typeof value === 'string' && value.length > 0 && value.length <= max && !/[\u0000-\u001f\u007f]/.test(value)
    ? value
    : undefined;
}

/**
 * The contract envelope for one hook run. Odd input is still captured: stdin that is empty
 * or not JSON travels as `payload.raw`, and a missing session_id falls back to
 * CLAUDE_CODE_SESSION_ID, then `unknown` (the seed's "missing sessionId → data loss").
 * @param {string} text stdin @param {NodeJS.ProcessEnv} env @param {number} now
 */
export function buildEnvelope(text, env, now) {
  /** @type {unknown} */
  let payload;
  if (text.trim() === '') {
    payload = { raw: text, captureError: 'stdin was empty' };
  } else {
    try {
      payload = JSON.parse(text);
    } catch (error) {
      payload = { raw: text, captureError: `stdin is not JSON: ${/** @type {Error} */ (error).message}` };
    }
  }
  const fields = payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? /** @type {Record<string, unknown>} */ (payload) : {};
  return {
    requestId: uuidv7(now),
    event: label(fields.hook_event_name, 128) ?? label(env.CLAUDE_HOOK_EVENT, 128) ?? 'unknown',
    sessionId: label(fields.session_id, 256) ?? label(env.CLAUDE_CODE_SESSION_ID, 256) ?? 'unknown',
    capturedAt: new Date(now).toISOString(),
    payload,
    /** @type {import('./transcript.js').Chunk[] | undefined} */
    transcript: undefined,
    client: { host: hostname(), hookVersion: HOOK_VERSION, attempt: 0 },
  };
}

/** Transcript files named by the payload: the session's, and a subagent's on SubagentStop. @param {unknown} payload @returns {string[]} */
export function transcriptPaths(payload) {
  if (payload === null || typeof payload !== 'object') return [];
  const { transcript_path: main, agent_transcript_path: agent } = /** @type {Record<string, unknown>} */ (payload);
  return [main, agent].filter((p) => typeof p === 'string' && p.length > 0).map(String);
}
