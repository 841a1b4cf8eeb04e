import { HOOK_LOG_TYPE } from '../core/hook-log-line.js';
import type { DocProjection } from './projection.js';
import { evolveConversation } from './conversations-evolve.js';
import { isTranscript, lineType } from './messages-events.js';

export {
  listConversations,
  getConversation,
  type ConversationListOptions,
  type ConversationPage,
  type ConversationSummary,
} from './conversations-queries.js';

export type ConversationStatus = 'active' | 'waiting' | 'ended';

export interface AgentRun {
  agentId: string;
  agentType: string | null;
  startedAt: string | null;
  endedAt: string | null;
}

export type TitleSource = 'custom' | 'session' | 'ai' | 'summary' | 'prompt';

/**
 * What the counts and the title are derived from; never sent to clients. Everything in it is
 * bounded, so the document stays a few KB however long the session runs.
 */
export interface Bookkeeping {
  /** Time of the event that set `status`: an older event arriving late does not override it. */
  statusAt: string | null;
  /**
   * Per-source counters, e.g. `hook:pre` (PreToolUse events) and `line:tool_use` (tool_use
   * blocks). Hooks and the transcript each see every tool use, prompt and compaction once, but
   * either may be incomplete (hook installed mid-session, transcript lagging or imported), so a
   * count is the largest of its sources: no set of ids is needed. Counters rely on the engine
   * applying each event once (documents commit with the checkpoint).
   */
  tally: Record<string, number>;
  /** Title candidates: `at` orders prompts (earliest wins), `position` the others (latest wins). */
  titles: Partial<Record<TitleSource, { text: string; at?: string; position?: number }>>;
  /** The last `message.id`s seen, to count a response split over several lines once. */
  responseIds: string[];
  /** Old `summary` lines mostly describe other sessions: a summary counts once its leaf is seen here. */
  summaries: Array<{ leafUuid: string; text: string; position: number }>;
  recentUuids: string[];
}

export interface Conversation {
  sessionId: string;
  title: string | null;
  /** The directory the session started in (the transcript folder is named after it). */
  cwd: string | null;
  project: string | null;
  gitBranch: string | null;
  model: string | null;
  /** The machines whose hooks reported on it (`client.host`), first seen first; at most MAX_HOSTS. */
  hosts: string[];
  status: ConversationStatus;
  startedAt: string | null;
  lastActivityAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  promptCount: number;
  /** Prompts plus main-thread assistant responses, one per `message.id`. */
  messageCount: number;
  toolUseCount: number;
  toolFailureCount: number;
  subagentCount: number;
  compactions: number;
  agents: AgentRun[];
  bookkeeping: Bookkeeping;
}

/** Lines without a timestamp other than titles (snapshots, modes, queue operations) say nothing about the conversation. */
const lineTypes = new Set(['user', 'assistant', 'system', 'summary', 'ai-title', 'custom-title']);

export const conversations: DocProjection<Conversation> = {
  name: 'conversations',
  version: 2,
  // The hook's own log lines are filed under a session for search, but are not activity in it.
  handles: (event) => event.type !== HOOK_LOG_TYPE && (!isTranscript(event) || lineTypes.has(lineType(event))),
  keys: (event) => [event.sessionId],
  evolve: (doc, event) => evolveConversation(doc, event),
  index: (doc) => ({ sessionId: doc.sessionId, at: doc.lastActivityAt, seq: null }),
  ddl: (table) => {
    const name = table.slice(table.lastIndexOf('.') + 1);
    return [
      `create index if not exists ${name}_status on ${table} ((doc->>'status'), at desc, key)`,
      `create index if not exists ${name}_project on ${table} ((doc->>'project'), at desc, key)`,
      `create index if not exists ${name}_title on ${table} using gin (to_tsvector('simple', coalesce(doc->>'title', '')))`,
      `create index if not exists ${name}_hosts on ${table} using gin ((doc->'hosts'))`,
    ];
  },
};
