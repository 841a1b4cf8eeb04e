import type { DocProjection } from './projection.js';
import { evolveEvents, eventsKey, type EventsDoc } from './stats-events.js';
import { statsRollupDdl } from './stats-rollups.js';
import { evolveResponse, responseId, type ResponseDoc } from './stats-responses.js';
import { evolveToolUse, toolUseKeys, type ToolUseDoc } from './stats-tool-uses.js';
import { evolveTool, toolKey, toolName, type ToolDoc } from './stats-tools.js';

export type { EventsDoc, ResponseDoc, ToolDoc, ToolUseDoc };
export { statsSummary, tokensForSession, type StatsSummary, type TokensByModel } from './stats-queries.js';

const earliestOf = (a?: string, b?: string): string | null => (a && b ? (a < b ? a : b) : (a ?? b ?? null));

export type StatsDoc = EventsDoc | ToolDoc | ToolUseDoc | ResponseDoc;

/**
 * Usage statistics, kept as many small documents rather than one big one, so that no
 * document is rewritten by every event and the queries only sum rows:
 *   events:<YYYY-MM-DD>:<type>  every event, by UTC day of capture and type
 *   tooluse:<tool_use_id>       one tool use, from its hook events and transcript lines alike
 *   tool:<sessionId>:<name>     PreToolUse / PostToolUse(Failure) without tool_use_id (before 2.0.43)
 *   response:<message.id>       transcript.assistant lines, one per API response
 */
export const statsProjection: DocProjection<StatsDoc> = {
  name: 'stats',
  // 2: tool uses from transcript lines too, once per tool_use_id; responses say how they were priced.
  // 3: rollups by model and by tool (stats-rollups.ts), so GET /api/stats sums no documents.
  version: 3,
  handles: () => true,
  keys(event) {
    const tool = toolName(event);
    const response = responseId(event);
    return [eventsKey(event), ...(tool === null ? [] : [toolKey(event, tool)]), ...toolUseKeys(event), ...(response === null ? [] : [`response:${response}`])];
  },
  evolve(doc, event, key) {
    if (key.startsWith('tooluse:')) return evolveToolUse(doc?.kind === 'tooluse' ? doc : undefined, event, key.slice('tooluse:'.length));
    if (key.startsWith('tool:')) return evolveTool(doc?.kind === 'tool' ? doc : undefined, event, toolName(event)!);
    if (key.startsWith('response:')) return evolveResponse(doc?.kind === 'response' ? doc : undefined, event, key.slice('response:'.length));
    return evolveEvents(doc?.kind === 'events' ? doc : undefined, event);
  },
  index(doc) {
    if (doc.kind === 'response') return { sessionId: doc.sessionId, at: doc.at, seq: doc.firstPosition };
    // The session is indexed for the query that sets id-less hook counts against these.
    if (doc.kind === 'tooluse') return { sessionId: doc.sessionId, at: earliestOf(doc.useAt, doc.preAt), seq: doc.firstPosition };
    if (doc.kind === 'tool') return { sessionId: doc.sessionId };
    if (doc.kind === 'events') return { at: `${doc.day}T00:00:00.000Z` };
    return {};
  },
  ddl(table) {
    // The queries select one kind of document with `key like '<kind>:%'`; text_pattern_ops
    // lets a btree serve that prefix match whatever the database's collation.
    const name = `${table.slice(table.indexOf('.') + 1)}_key_prefix`;
    return [`create index if not exists ${name} on ${table} (key text_pattern_ops)`, ...statsRollupDdl(table)];
  },
};
