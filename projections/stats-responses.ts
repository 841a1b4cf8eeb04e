import type { StoredEvent } from '../core/events.js';
import { price, type Priced } from './pricing.js';
import { dayOf } from './stats-events.js';
import { asRecord, nonEmptyString, nonNegative } from './stats-json.js';
import { isoOf } from './times.js';

export interface Tokens {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

/**
 * `response:<message.id>`: one assistant API response. Claude Code writes a response as one
 * transcript line per content block, all with its message.id, and the usage grows or repeats
 * from line to line: the line latest in the log carries the final usage.
 */
export interface ResponseDoc {
  kind: 'response';
  messageId: string;
  model: string;
  day: string;
  at: string;
  /** The conversation of the response's first line, should a resumed session copy it. */
  sessionId: string;
  usage: Tokens;
  /** 0 when `priced` is unknown. */
  costUsd: number;
  priced: Priced;
  /** Log position of the line the usage comes from. */
  position: number;
  firstPosition: number;
}

/** Claude Code's marker for messages it made up locally: no API call, no tokens. */
const SYNTHETIC = '<synthetic>';

interface Message {
  id: string | null;
  model: string;
  usage: unknown;
}

function message(event: StoredEvent): Message {
  const m = asRecord(asRecord(asRecord(event.payload).line).message);
  return { id: nonEmptyString(m.id), model: nonEmptyString(m.model) ?? 'unknown', usage: m.usage };
}

export function responseId(event: StoredEvent): string | null {
  if (event.type !== 'transcript.assistant') return null;
  const m = message(event);
  return m.model === SYNTHETIC ? null : m.id;
}

function tokens(usage: unknown): Tokens {
  const u = asRecord(usage);
  const n = (value: unknown) => nonNegative(value) ?? 0;
  return { input: n(u.input_tokens), output: n(u.output_tokens), cacheCreation: n(u.cache_creation_input_tokens), cacheRead: n(u.cache_read_input_tokens) };
}

const sameTokens = (a: Tokens, b: Tokens) =>
  a.input === b.input && a.output === b.output && a.cacheCreation === b.cacheCreation && a.cacheRead === b.cacheRead;

export function evolveResponse(doc: ResponseDoc | undefined, event: StoredEvent, messageId: string): ResponseDoc {
  if (doc && event.position < doc.position) {
    // An earlier line applied late: it can only move where the response began.
    return event.position < doc.firstPosition ? { ...doc, sessionId: event.sessionId, firstPosition: event.position } : doc;
  }
  const { model, usage } = message(event);
  const counted = tokens(usage);
  // The lines of one response mostly repeat its usage: pricing it again would give the same cost.
  const repeated = doc !== undefined && doc.model === model && sameTokens(doc.usage, counted);
  const { costUsd, priced } = repeated ? doc : price(model, usage, event.capturedAt);
  return {
    kind: 'response',
    messageId,
    model,
    day: dayOf(event.capturedAt),
    at: isoOf(event.capturedAt),
    sessionId: doc && doc.firstPosition < event.position ? doc.sessionId : event.sessionId,
    usage: counted,
    costUsd: costUsd ?? 0,
    priced,
    position: event.position,
    firstPosition: Math.min(doc?.firstPosition ?? event.position, event.position),
  };
}
