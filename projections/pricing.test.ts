import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { costUsd, price } from './pricing.js';

/**
 * Expected costs are built from the package's own per-MTok rates (the model_price it selects),
 * multiplied out here: this checks how Claude Code's usage maps onto its units, not its data.
 */
function rates(model: string, at: Date) {
  const price = calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId: 'anthropic', timestamp: at })?.model_price;
  if (!price) throw new Error(`no price for ${model}`);
  // Below 200k input tokens a tiered price is its base.
  const rate = (key: string): number => {
    const value = price[key];
    if (typeof value === 'number') return value;
    if (value && typeof value.base === 'number') return value.base;
    throw new Error(`${model} has no ${key}`);
  };
  return { input: rate('input_mtok'), output: rate('output_mtok'), write: rate('cache_write_mtok'), read: rate('cache_read_mtok'), rate };
}

const at = new Date('2026-04-18T13:19:11Z');

describe('costUsd', () => {
  it('prices one-hour cache writes at their own rate (claude-opus-4-7)', () => {
    const r = rates('claude-opus-4-7', at);
    const usage = {
      input_tokens: 6,
      output_tokens: 2201,
      cache_creation_input_tokens: 27_860,
      cache_read_input_tokens: 33_381,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 27_860 },
    };
    const expected = (6 * r.input + 2201 * r.output + 27_860 * r.rate('cache_write_1h_mtok') + 33_381 * r.read) / 1e6;
    expect(costUsd('claude-opus-4-7', usage, at)).toBeCloseTo(expected, 12);
  });

  it('prices five-minute writes, and writes of usage without the cache_creation split, at the cache write rate', () => {
    for (const model of ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001']) {
      const r = rates(model, at);
      const expected = (3 * r.input + 120 * r.output + 5_000 * r.write + 20_000 * r.read) / 1e6;
      const usage = { input_tokens: 3, output_tokens: 120, cache_creation_input_tokens: 5_000, cache_read_input_tokens: 20_000 };
      expect(costUsd(model, usage, at)).toBeCloseTo(expected, 12);
      expect(costUsd(model, { ...usage, cache_creation: { ephemeral_5m_input_tokens: 5_000, ephemeral_1h_input_tokens: 0 } }, at)).toBeCloseTo(expected, 12);
    }
  });

  it('adds server-side web searches', () => {
    const r = rates('claude-opus-4-7', at);
    const usage = { input_tokens: 10, output_tokens: 10, server_tool_use: { web_search_requests: 3 } };
    expect(costUsd('claude-opus-4-7', usage, at)).toBeCloseTo((10 * r.input + 10 * r.output) / 1e6 + (3 * r.rate('web_searches_kcount')) / 1000, 12);
  });

  it('uses the price in force at the response time, not now', () => {
    const usage = { input_tokens: 300_000, output_tokens: 0 };
    const before = new Date('2026-03-01T00:00:00Z');
    const after = new Date('2026-03-20T00:00:00Z');
    const packagePrice = (when: Date) => calcPrice(usage, 'claude-opus-4-6', { providerId: 'anthropic', timestamp: when })?.total_price;
    expect(costUsd('claude-opus-4-6', usage, before)).toBe(packagePrice(before));
    expect(costUsd('claude-opus-4-6', usage, after)).toBe(packagePrice(after));
    expect(packagePrice(before)).not.toBe(packagePrice(after));
  });

  it('is null for models without a price, and for local <synthetic> messages', () => {
    expect(costUsd('some-local-model', { input_tokens: 10, output_tokens: 10 }, at)).toBeNull();
    expect(costUsd('<synthetic>', { input_tokens: 0, output_tokens: 0 }, at)).toBeNull();
  });

  it('reads odd usage values as zero and never throws', () => {
    expect(costUsd('claude-opus-4-7', null, at)).toBe(0);
    expect(costUsd('claude-opus-4-7', { input_tokens: '9', output_tokens: -1, cache_creation: [], server_tool_use: 'x' }, at)).toBe(0);
    // More one-hour writes than writes: inconsistent, so unpriced rather than guessed.
    expect(costUsd('claude-opus-4-7', { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 1, cache_creation: { ephemeral_1h_input_tokens: 5 } }, at)).toBeNull();
  });

  it('says how the price was found: exact for a model id the table names, dated or not', () => {
    const usage = { input_tokens: 10, output_tokens: 10 };
    for (const model of ['claude-opus-4-7', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-sonnet-4-20250514', 'claude-opus-4-1'])
      expect(price(model, usage, at)).toEqual({ costUsd: costUsd(model, usage, at), priced: 'exact' });
  });

  it('is fallback when only a family prefix matched, and unknown without a price', () => {
    const usage = { input_tokens: 10, output_tokens: 10 };
    const family = price('claude-opus-4-1-experimental', usage, at);
    expect(family).toEqual({ costUsd: costUsd('claude-opus-4-1', usage, at), priced: 'fallback' });
    expect(family.costUsd).toBeGreaterThan(0);
    expect(price('some-local-model', usage, at)).toEqual({ costUsd: null, priced: 'unknown' });
    expect(price('<synthetic>', usage, at)).toEqual({ costUsd: null, priced: 'unknown' });
  });
});
