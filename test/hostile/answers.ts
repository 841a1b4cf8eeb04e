import { expect } from 'vitest';
import type { Hono } from 'hono';
import type { AppEnv } from '../../server/env.js';
import { testKeys } from '../support/app.js';
import type { Json } from './envelopes.js';
import { jsonbSafe } from './strings.js';

export interface ErrorBody {
  error: string;
  message: string;
  issues?: Array<{ path: string; message: string }>;
}

/** A refusal the client can act on: 4xx, JSON, a code and a message. Never a 5xx. */
export async function expectRefusal(res: Response, status?: number): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBeGreaterThanOrEqual(400);
  expect(res.status, text.slice(0, 500)).toBeLessThan(500);
  if (status !== undefined) expect(res.status, text.slice(0, 500)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = JSON.parse(text) as ErrorBody;
  expect(body.error).toMatch(/^\w+$/);
  expect(typeof body.message === 'string' && body.message.trim().length > 0).toBe(true);
  return body;
}

/** The top-level envelope fields a 400's issues name (`transcript.0.offset` names `transcript`). */
export const namedFields = (body: ErrorBody) => new Set((body.issues ?? []).map((issue) => issue.path.split('.')[0]!));

const read = (app: Hono<AppEnv>, path: string) => app.request(path, { headers: { authorization: `Bearer ${testKeys.read}` } });

interface Logged {
  position: number;
  transactionId: string;
  requestId: string;
  type: string;
  sessionId: string;
  capturedAt: string;
  client: unknown;
  payload: Json | unknown;
}

/**
 * A 2xx answer means the event is in the log as sent: read back through the API, every field
 * is what the body said (capturedAt as the same instant, client with what jsonb cannot hold
 * replaced), the payload exactly, and each non-blank transcript line at its byte offset.
 */
export async function expectLoggedAsSent(app: Hono<AppEnv>, res: Response, text: string): Promise<void> {
  const answer = (await res.json()) as { requestId: string; position: number; transcript?: { lines: number; stored: number } };
  const sent = JSON.parse(text) as Json;
  const got = await read(app, `/api/events/${answer.position}`);
  expect(got.status).toBe(200);
  const event = (await got.json()) as Logged;
  expect(event.requestId).toBe(sent.requestId);
  expect(event.type).toBe(sent.event);
  expect(event.sessionId).toBe(sent.sessionId);
  // Postgres keeps microseconds and the API writes milliseconds.
  expect(Math.abs(Date.parse(event.capturedAt) - Date.parse(sent.capturedAt as string))).toBeLessThanOrEqual(1);
  expect(event.payload).toStrictEqual(sent.payload);
  expect(event.client).toStrictEqual(sent.client === undefined ? null : jsonbSafe(sent.client));

  const lines = ((sent.transcript ?? []) as Array<{ path: string; offset: number; lines: string[] }>).flatMap((chunk) => {
    let offset = chunk.offset;
    return chunk.lines.flatMap((line) => {
      const at = offset;
      offset += Buffer.byteLength(line) + 1;
      return line.trim() === '' ? [] : [{ path: chunk.path, offset: at, line }];
    });
  });
  expect(answer.transcript?.stored ?? 0).toBe(lines.length);
  if (lines.length === 0) return;
  // Appended in one statement right after the hook event, by a test that sends one request at a time.
  // (Listing them would wait for every older transaction on the server, other test files' included.)
  const items = await Promise.all(lines.map(async (_, i) => (await (await read(app, `/api/events/${answer.position + 1 + i}`)).json()) as Logged));
  expect(new Set(items.map((item) => item.transactionId))).toEqual(new Set([event.transactionId]));
  const byPlace = new Map(items.map((item) => [`${(item.payload as Json).path}\u0000${(item.payload as Json).offset}`, item.payload as Json]));
  for (const { path, offset, line } of lines) {
    const stored = byPlace.get(`${path}\u0000${offset}`);
    expect(stored, `line at ${path}:${offset}`).toBeDefined();
    const parsed = parseObject(line);
    if (parsed === undefined) expect(stored!.raw).toBe(line);
    else expect(stored!.line).toStrictEqual(parsed);
  }
}

function parseObject(line: string): unknown {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
