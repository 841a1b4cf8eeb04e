/**
 * Runs a query as an unnamed statement, so PostgreSQL plans it with its parameters' values
 * every time. postgres.js prepares each statement by default, and after its fifth execution
 * PostgreSQL may switch to a generic plan made without them: for a full-text search that plan
 * cannot tell a word in every message from a word in a handful and, for the conversation list's
 * `q`, joined every conversation against every match (330 ms against 22 ms at 500,000 events).
 * A few milliseconds of planning per request buy a plan fitted to the word.
 */
export function customPlan<T>(query: T): T {
  // postgres.js reads `options.prepare` of a query (tagged ones included) when it sends it.
  const options = (query as unknown as { options?: Record<string, unknown> }).options;
  if (!options) throw new Error('customPlan: not a postgres.js query');
  options.prepare = false;
  return query;
}
