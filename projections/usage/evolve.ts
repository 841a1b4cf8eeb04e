import { basename } from 'node:path';
import type { StoredEvent } from '../../core/events.js';
import { price, type Priced } from '../pricing.js';
import { asRecord, nonEmptyString, nonNegative } from '../stats-json.js';
import { isoOf } from '../times.js';

/** Token counts of one response, with the cache writes split by lifetime (they are priced apart). */
export interface UsageTokens {
  input: number;
  output: number;
  cacheCreation: number;
  cacheCreation5m: number;
  cacheCreation1h: number;
  cacheRead: number;
}

/**
 * `response:<message.id>`: what one API response used and cost, and where it belongs in the
 * rollups (usage/rollups.ts): its hour, model, project, host and session. The tokens are
 * those of the line latest in the log (a response is written as a line per content block,
 * usage growing or repeating from line to line); where it belongs is fixed by its first line,
 * so a response whose lines straddle an hour stays in one bucket.
 */
export interface UsageDoc {
  messageId: string;
  sessionId: string;
  model: string;
  /** Time of the response's first line. */
  at: string;
  cwd: string | null;
  project: string;
  host: string;
  tokens: UsageTokens;
  /** 0 when `priced` is unknown. */
  costUsd: number;
  priced: Priced;
  /** What the cache reads would have cost at the model's input price, less what they did. */
  cacheSavingsUsd: number;
  position: number;
  firstPosition: number;
}

/** Claude Code's marker for messages it made up locally: no API call, no tokens. */
const SYNTHETIC = '<synthetic>';
export const UNKNOWN = '(unknown)';

const line = (event: StoredEvent) => asRecord(asRecord(event.payload).line);
const messageOf = (event: StoredEvent) => asRecord(line(event).message);

export function usageResponseId(event: StoredEvent): string | null {
  if (event.type !== 'transcript.assistant') return null;
  const m = messageOf(event);
  return m.model === SYNTHETIC ? null : nonEmptyString(m.id);
}

export function tokensOf(usage: unknown): UsageTokens {
  const u = asRecord(usage);
  const n = (value: unknown) => nonNegative(value) ?? 0;
  const creation = asRecord(u.cache_creation);
  const cacheCreation = n(u.cache_creation_input_tokens);
  // Lines before the split (2025) say only the total: Claude Code's default lifetime then was 5 minutes.
  const cacheCreation1h = Math.min(cacheCreation, n(creation.ephemeral_1h_input_tokens));
  return { input: n(u.input_tokens), output: n(u.output_tokens), cacheCreation, cacheCreation5m: cacheCreation - cacheCreation1h, cacheCreation1h, cacheRead: n(u.cache_read_input_tokens) };
}

/** Cache reads priced as plain input, less their price as cache reads: both from the price table. */
function savings(model: string, cacheRead: number, at: Date, readCost: number | null): number {
  if (cacheRead === 0 || readCost === null) return 0;
  const asInput = price(model, { input_tokens: cacheRead }, at).costUsd;
  return asInput === null ? 0 : Math.max(0, asInput - readCost);
}

function cost(model: string, tokens: UsageTokens, at: Date) {
  const usage = {
    input_tokens: tokens.input,
    output_tokens: tokens.output,
    cache_creation_input_tokens: tokens.cacheCreation,
    cache_read_input_tokens: tokens.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: tokens.cacheCreation5m, ephemeral_1h_input_tokens: tokens.cacheCreation1h },
  };
  const { costUsd, priced } = price(model, usage, at);
  const readCost = tokens.cacheRead === 0 ? 0 : price(model, { cache_read_input_tokens: tokens.cacheRead }, at).costUsd;
  return { costUsd: costUsd ?? 0, priced, cacheSavingsUsd: savings(model, tokens.cacheRead, at, readCost) };
}

const sameTokens = (a: UsageTokens, b: UsageTokens) =>
  a.input === b.input && a.output === b.output && a.cacheCreation === b.cacheCreation && a.cacheCreation1h === b.cacheCreation1h && a.cacheRead === b.cacheRead;

export function evolveUsage(doc: UsageDoc | undefined, event: StoredEvent, messageId: string): UsageDoc {
  const earlier = doc !== undefined && event.position < doc.firstPosition;
  const where = earlier || !doc ? placeOf(event) : doc;
  if (doc && event.position < doc.position) return earlier ? { ...doc, ...where, firstPosition: event.position } : doc;
  const m = messageOf(event);
  const model = nonEmptyString(m.model) ?? 'unknown';
  const tokens = tokensOf(m.usage);
  const priced = doc !== undefined && doc.model === model && sameTokens(doc.tokens, tokens) ? doc : cost(model, tokens, event.capturedAt);
  return {
    messageId,
    ...where,
    model,
    tokens,
    costUsd: priced.costUsd,
    priced: priced.priced,
    cacheSavingsUsd: priced.cacheSavingsUsd,
    position: event.position,
    firstPosition: Math.min(doc?.firstPosition ?? event.position, event.position),
  };
}

/** Where a response belongs, from one of its lines. */
function placeOf(event: StoredEvent): Pick<UsageDoc, 'sessionId' | 'at' | 'cwd' | 'project' | 'host'> {
  const cwd = nonEmptyString(line(event).cwd);
  return {
    sessionId: event.sessionId,
    at: isoOf(event.capturedAt),
    cwd,
    project: cwd ? basename(cwd) || cwd : UNKNOWN,
    host: nonEmptyString(event.client?.host) ?? UNKNOWN,
  };
}
