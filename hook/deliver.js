// @ts-check
import http from 'node:http';
import { atEnd } from './cleanup.js';

/**
 * One POST of one envelope. node:http rather than fetch: loading fetch (undici) costs about
 * 200 ms per hook run here. Never throws: every failure is an outcome the caller can act on.
 *
 * @typedef {{ status: number, body: string } | { status: 0, error: string }} Answer
 */

const GZIP_ABOVE = 64 * 1024;
/** @type {Map<string, { transport: typeof http, agent: http.Agent }>} */
const transports = new Map();

/**
 * Keep-alive within one run, so draining a backlog reuses one connection. node:https (and
 * with it TLS) loads only for https URLs: it would add ~5 ms to every local run.
 * @param {URL} url
 */
async function transportFor(url) {
  let found = transports.get(url.protocol);
  if (!found) {
    const transport = url.protocol === 'https:' ? /** @type {typeof http} */ (/** @type {unknown} */ (await import('node:https'))) : http;
    const agent = new transport.Agent({ keepAlive: true, maxSockets: 1 });
    found = { transport, agent };
    transports.set(url.protocol, found);
    atEnd(() => agent.destroy());
  }
  return found;
}

/** @param {string} text @returns {Promise<{ body: Buffer | string, gzip: boolean }>} */
async function encode(text) {
  if (text.length < GZIP_ABOVE) return { body: text, gzip: false };
  // Loaded only for large bodies: most events are small and zlib would slow every start.
  const { gzipSync } = await import('node:zlib');
  return { body: gzipSync(text), gzip: true };
}

/**
 * `text`, when given, is sent as the JSON body as it is (already serialised by the caller).
 * @param {{ url: string, method?: string, key?: string, requestId?: string, json?: unknown, text?: string, timeoutMs: number, maxAnswer?: number }} request
 * @returns {Promise<Answer>}
 */
export async function send({ url, method = 'POST', key, requestId, json, text, timeoutMs, maxAnswer = 4000 }) {
  const target = new URL(url);
  /** @type {Record<string, string | number>} */
  const headers = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (requestId) headers['x-request-id'] = requestId;
  /** @type {Buffer | string | undefined} */
  let payload;
  if (json !== undefined || text !== undefined) {
    const { body, gzip } = await encode(text ?? JSON.stringify(json));
    payload = body;
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
    if (gzip) headers['content-encoding'] = 'gzip';
  }
  const { transport, agent } = await transportFor(target);
  return new Promise((resolve) => {
    const req = transport.request(target, { method, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks = /** @type {Buffer[]} */ ([]);
      res.on('data', (chunk) => chunks.push(chunk));
      // A batch's answer holds one result per envelope: it is read whole; a single answer's first 4000 characters do.
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, maxAnswer) }));
      res.on('error', (error) => resolve({ status: 0, error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ status: 0, error: error.message }));
    req.end(payload);
  });
}

/** What to do with a spooled envelope after an answer. @param {Answer} answer */
export function verdict(answer) {
  if (answer.status === 200 || answer.status === 201) return 'delivered';
  // A wrong key during setup must not lose a day of events: keep them until the key is fixed.
  if (answer.status === 401 || answer.status === 403) return 'refused';
  if (answer.status === 400 || answer.status === 409 || answer.status === 413 || answer.status === 415) return 'rejected';
  return 'unavailable';
}

/** The server's one-line reason, from its JSON error body. @param {Answer} answer */
export function reasonOf(answer) {
  if (answer.status === 0) return /** @type {{ error: string }} */ (answer).error;
  try {
    const parsed = JSON.parse(/** @type {{ body: string }} */ (answer).body);
    return `${answer.status} ${parsed.message ?? parsed.error ?? ''}`.trim();
  } catch {
    return `${answer.status} ${/** @type {{ body: string }} */ (answer).body.slice(0, 200)}`.trim();
  }
}
