/**
 * What the full-text searches (the conversation list's `q`, GET /api/search, the hook logs)
 * make of what the user typed: letters, digits and underscores only, so user input never
 * reaches to_tsquery's syntax, each word matching as a prefix and every word required.
 */
export function queryWords(q: string | null | undefined): string[] {
  return q?.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** The to_tsquery text of `q`, or null when it holds no word. */
export function prefixQuery(q: string | null | undefined): string | null {
  const words = queryWords(q);
  return words.length > 0 ? words.map((word) => `${word}:*`).join(' & ') : null;
}
