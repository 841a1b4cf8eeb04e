import { calcPrice, extractUsage, findProvider } from '@pydantic/genai-prices';
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

/**
 * `usage` is the `message.usage` object of a transcript line, in the Anthropic API's shape.
 * `at` picks the price in force then: the package defaults to the current time, which would
 * make a rebuild price old responses differently. Null when the model has no known price.
 */
export function costUsd(model: string, usage: unknown, at: Date): number | null {
  if (!anthropic) return null;
  try {
    // The package's own Anthropic extractor: it knows that its input_tokens must include the
    // cache reads and writes, and which part of the writes is billed at the one-hour rate.
    const extracted = extractUsage(anthropic, { model, usage: priceable(usage) });
    return calcPrice(extracted.usage, model, { providerId: 'anthropic', timestamp: at })?.total_price ?? null;
  } catch {
    // The package throws on price data it finds inconsistent; for us that is an unpriced response.
    return null;
  }
}
