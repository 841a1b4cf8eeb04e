import type { DocProjection } from './projection.js';
import { evolveEvents, eventsKey, type EventsDoc } from './stats-events.js';
import { evolveResponse, responseId, type ResponseDoc } from './stats-responses.js';
import { evolveTool, toolName, type ToolDoc } from './stats-tools.js';

export type { EventsDoc, ResponseDoc, ToolDoc };
export { statsSummary, tokensForSession, type StatsSummary, type TokensByModel } from './stats-queries.js';

export type StatsDoc = EventsDoc | ToolDoc | ResponseDoc;

/**
 * Usage statistics, kept as many small documents rather than one big one, so that no
 * document is rewritten by every event and the queries only sum rows:
 *   events:<YYYY-MM-DD>:<type>  every event, by UTC day of capture and type
 *   tool:<name>                 PreToolUse / PostToolUse / PostToolUseFailure
 *   response:<message.id>       transcript.assistant lines, one per API response
 */
export const statsProjection: DocProjection<StatsDoc> = {
  name: 'stats',
  version: 1,
  handles: () => true,
  keys(event) {
    const tool = toolName(event);
    const response = responseId(event);
    return [eventsKey(event), ...(tool === null ? [] : [`tool:${tool}`]), ...(response === null ? [] : [`response:${response}`])];
  },
  evolve(doc, event, key) {
    if (key.startsWith('tool:')) return evolveTool(doc?.kind === 'tool' ? doc : undefined, event, key.slice('tool:'.length));
    if (key.startsWith('response:')) return evolveResponse(doc?.kind === 'response' ? doc : undefined, event, key.slice('response:'.length));
    return evolveEvents(doc?.kind === 'events' ? doc : undefined, event);
  },
  index(doc) {
    if (doc.kind === 'response') return { sessionId: doc.sessionId, at: doc.at, seq: doc.firstPosition };
    if (doc.kind === 'events') return { at: `${doc.day}T00:00:00.000Z` };
    return {};
  },
  ddl(table) {
    // The queries select one kind of document with `key like '<kind>:%'`; text_pattern_ops
    // lets a btree serve that prefix match whatever the database's collation.
    const name = `${table.slice(table.indexOf('.') + 1)}_key_prefix`;
    return [`create index if not exists ${name} on ${table} (key text_pattern_ops)`];
  },
};
