import { HOOK_LOG_TYPE } from '../../core/hook-log-line.js';
import type { DocProjection } from '../projection.js';
import { evolveConversation } from './evolve.js';
import { isTranscript, lineType } from '../messages/events.js';

export {
  listConversations,
  getConversation,
  type ConversationListOptions,
  type ConversationPage,
  type ConversationSummary,
} from './queries.js';

export type ConversationStatus = 'active' | 'waiting' | 'ended';

/** What Claude Code asked the user for while waiting: a permission (or a dialog), or the next prompt. */
export type WaitingFor = 'permission' | 'input';

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
  /**
   * The main thread's latest leaves: uuids no later message named as its parent, newest last.
   * Old `summary` lines name the leaf they summarise and are mostly written in a later
   * session's file, so they are kept apart (summaries/index.ts) and matched to these
   * when read (conversations/queries.ts). A summary names the leaf of its day, the session's
   * last message then, so the latest few are enough.
   */
  leaves: string[];
  /** One id per compaction marker of the timeline (see countCompaction). */
  compactionMarks: string[];
}

export interface Conversation {
  sessionId: string;
  title: string | null;
  /** Where `title` came from; queries put a matching summary's in place of a prompt's. */
  titleSource: TitleSource | null;
  /** The directory the session started in (the transcript folder is named after it). */
  cwd: string | null;
  project: string | null;
  gitBranch: string | null;
  model: string | null;
  /** The machines whose hooks reported on it (`client.host`), first seen first; at most MAX_HOSTS. */
  hosts: string[];
  status: ConversationStatus;
  /**
   * Set while waiting once Claude Code prompted the user (Notification: permission_prompt,
   * idle_prompt, a dialog), with the time of that first prompt; a turn that merely ended waits
   * with null until its idle prompt. Together they name one wait, so a client notifies once per wait.
   */
  waitingFor: WaitingFor | null;
  waitingSince: string | null;
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

/**
 * Lines without a timestamp other than titles (snapshots, modes, queue operations) say nothing
 * about the conversation; neither do summary lines, which are the summaries projection's.
 */
const lineTypes = new Set(['user', 'assistant', 'system', 'ai-title', 'custom-title']);

export const conversations: DocProjection<Conversation> = {
  name: 'conversations',
  // 3: summaries matched when read; compactions counted by marker; titleSource. 4: waitingFor, waitingSince.
  version: 4,
  // The hook's own log lines are filed under a session for search, but are not activity in it.
  handles: (event) => event.type !== HOOK_LOG_TYPE && (!isTranscript(event) || lineTypes.has(lineType(event))),
  keys: (event) => [event.sessionId],
  // Its one key is the event's session: it may be split into partitions (engine/partitions.ts).
  perSessionKeys: true,
  evolve: (doc, event) => evolveConversation(doc, event),
  index: (doc) => ({ sessionId: doc.sessionId, at: doc.lastActivityAt, seq: null }),
  ddl: (table) => {
    const name = table.slice(table.lastIndexOf('.') + 1);
    return [
      `create index if not exists ${name}_status on ${table} ((doc->>'status'), at desc, key)`,
      `create index if not exists ${name}_project on ${table} ((doc->>'project'), at desc, key)`,
      `create index if not exists ${name}_title on ${table} using gin (to_tsvector('simple', coalesce(doc->>'title', '')))`,
      `create index if not exists ${name}_hosts on ${table} using gin ((doc->'hosts'))`,
      // The search finds a conversation by the summary of one of its leaves (conversations/queries.ts).
      `create index if not exists ${name}_leaves on ${table} using gin ((doc->'bookkeeping'->'leaves'))`,
    ];
  },
};
