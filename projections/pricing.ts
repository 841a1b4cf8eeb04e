import { calcPrice, extractUsage, findProvider, type MatchLogic } from '@pydantic/genai-prices';
import { asRecord, nonNegative } from './stats-json.js';

/**
 * USD cost of one Anthropic API response, from the price data bundled in
 * `@pydantic/genai-prices` (it never fetches: `updatePrices` is the only way to load other
 * data, and it is not called). Upgrading the package is how prices are refreshed; a
 * projection whose costs must follow then needs its version bumped to rebuild.
 */
const anthropic = findProvider({ providerId: 'anthropic' });

const count = (value: unknown): number => nonNegative(value) ?? 0;

/** The usage fields that carry a price, as plain non-negative numbers whatever the line held. */
function priceable(usage: unknown) {
  const u = asRecord(usage);
  const creation = asRecord(u.cache_creation);
  return {
    input_tokens: count(u.input_tokens),
    output_tokens: count(u.output_tokens),
    cache_creation_input_tokens: count(u.cache_creation_input_tokens),
    cache_read_input_tokens: count(u.cache_read_input_tokens),
    cache_creation: {
      ephemeral_5m_input_tokens: count(creation.ephemeral_5m_input_tokens),
      ephemeral_1h_input_tokens: count(creation.ephemeral_1h_input_tokens),
    },
    server_tool_use: { web_search_requests: count(asRecord(u.server_tool_use).web_search_requests) },
  };
}

/** How a model's price was found: see `priced`. */
export type Priced = 'exact' | 'fallback' | 'unknown';

/** A dated release id (`-20250929`, `-2025-09-29`, `@20250929`) names the same model as its undated one. */
const DATED = /(?:[-@]\d{8}|-\d{4}-\d{2}-\d{2})$/;

/** Whether one clause of the package's match logic names `id` whole rather than as a prefix or substring. */
function names(logic: MatchLogic, id: string): boolean {
  if ('or' in logic) return logic.or.some((part) => names(part, id));
  if ('and' in logic) return logic.and.every((part) => names(part, id));
  if ('equals' in logic) return logic.equals.toLowerCase() === id;
  // The package's regexes are anchored release patterns (`^claude-opus-5-\d{8}$`).
  if ('regex' in logic) return logic.regex.startsWith('^') && logic.regex.endsWith('$') && new RegExp(logic.regex).test(id);
  if ('starts_with' in logic) return logic.starts_with.toLowerCase() === id;
  return false;
}

/**
 * The package matches ids by prefix (`starts_with: claude-opus-4-1` prices `claude-opus-4-1-xyz`
 * too) and retries a dated id with its date rewritten: a price found so is the family's,
 * plausibly not the model's. Exact when the id, without a release date, is the package's
 * model id or a whole clause of its match logic; fallback when only a looser clause matched.
 */
function matchOf(model: string, found: { id: string; match: MatchLogic }): Priced {
  const id = model.toLowerCase().trim();
  const undated = id.replace(DATED, '');
  const exact = [id, undated].some((candidate) => candidate === found.id || names(found.match, candidate));
  return exact ? 'exact' : 'fallback';
}

/**
 * `usage` is the `message.usage` object of a transcript line, in the Anthropic API's shape.
 * `at` picks the price in force then: the package defaults to the current time, which would
 * make a rebuild price old responses differently. Cost null (and `unknown`) when the model
 * has no known price.
 */
export function price(model: string, usage: unknown, at: Date): { costUsd: number | null; priced: Priced } {
  if (!anthropic) return { costUsd: null, priced: 'unknown' };
  try {
    // The package's own Anthropic extractor: it knows that its input_tokens must include the
    // cache reads and writes, and which part of the writes is billed at the one-hour rate.
    const extracted = extractUsage(anthropic, { model, usage: priceable(usage) });
    const result = calcPrice(extracted.usage, model, { providerId: 'anthropic', timestamp: at });
    return result ? { costUsd: result.total_price, priced: matchOf(model, result.model) } : { costUsd: null, priced: 'unknown' };
  } catch {
    // The package throws on price data it finds inconsistent; for us that is an unpriced response.
    return { costUsd: null, priced: 'unknown' };
  }
}

export const costUsd = (model: string, usage: unknown, at: Date): number | null => price(model, usage, at).costUsd;
