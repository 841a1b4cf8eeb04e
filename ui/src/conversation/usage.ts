/** Tokens of one response or a sum of them, from the API's `usage` (Anthropic's field names). */
export interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

export function usageOf(raw: unknown): Usage | null {
  if (!raw || typeof raw !== 'object') return null;
  const u = raw as Record<string, unknown>;
  const n = (name: string) => (typeof u[name] === 'number' && Number.isFinite(u[name]) ? (u[name] as number) : 0);
  return { input: n('input_tokens'), output: n('output_tokens'), cacheRead: n('cache_read_input_tokens'), cacheCreation: n('cache_creation_input_tokens') };
}

export const addUsage = (a: Usage, b: Usage): Usage => ({
  input: a.input + b.input,
  output: a.output + b.output,
  cacheRead: a.cacheRead + b.cacheRead,
  cacheCreation: a.cacheCreation + b.cacheCreation,
});

export const sameUsage = (a: Usage | undefined, b: Usage | undefined): boolean =>
  a === b || (!!a && !!b && a.input === b.input && a.output === b.output && a.cacheRead === b.cacheRead && a.cacheCreation === b.cacheCreation);

/** 950, 12.3k, 4.1M */
export function tokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export const describeUsage = (u: Usage): string =>
  `${tokens(u.input)} in · ${tokens(u.output)} out · ${tokens(u.cacheRead)} cache read · ${tokens(u.cacheCreation)} cache write`;
