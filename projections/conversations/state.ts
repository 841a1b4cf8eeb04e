import type { AgentRun, Conversation, ConversationStatus, TitleSource, WaitingFor } from './index.js';
import { earliest, str, type Json } from '../messages/events.js';

/**
 * Updates of a conversation under evolve: each changes the private copy evolveConversation
 * made of the document and its bookkeeping, and replaces (never changes) what lies below.
 * Object.assign rather than a spread: on Node 20, adding a property to an object made by
 * spreading is slow, and a new tally or title is one.
 */

export function count(c: Conversation, name: string): void {
  const tally: Record<string, number> = Object.assign({}, c.bookkeeping.tally);
  tally[name] = (tally[name] ?? 0) + 1;
  c.bookkeeping.tally = tally;
}

const basename = (path: string): string => path.split(/[\\/]+/).filter(Boolean).at(-1) ?? path;

/** Widens the time span; true when the event is the newest so far, whose branch and model are current. */
export function touch(c: Conversation, at: string, cwd: string | undefined): boolean {
  const newest = c.lastActivityAt === null || at >= c.lastActivityAt;
  if (cwd && (c.cwd === null || c.startedAt === null || at < c.startedAt)) {
    c.cwd = cwd;
    c.project = basename(cwd);
  }
  c.startedAt = earliest(c.startedAt, at);
  if (newest) c.lastActivityAt = at;
  return newest;
}

/**
 * Only an event at least as recent as the one that set the status may change it, so late events
 * cannot. The first prompt of a wait names it; later ones (an idle prompt after a permission
 * prompt) belong to the same wait.
 */
export function setStatus(c: Conversation, status: ConversationStatus | undefined, at: string, reason?: string, prompt?: WaitingFor): void {
  const { bookkeeping } = c;
  if (!status || (bookkeeping.statusAt !== null && at < bookkeeping.statusAt)) return;
  bookkeeping.statusAt = at;
  c.status = status;
  c.endedAt = status === 'ended' ? at : null;
  c.endReason = status === 'ended' ? (reason ?? null) : null;
  if (status !== 'waiting') {
    c.waitingFor = null;
    c.waitingSince = null;
  } else if (prompt && c.waitingFor === null) {
    c.waitingFor = prompt;
    c.waitingSince = at;
  }
}

const MAX_AGENTS = 100;

/** Beyond the cap agents are no longer listed, and only SubagentStart events still count them. */
export function addAgent(c: Conversation, agentId: string, at: string, how: 'start' | 'stop' | 'seen', agentType?: string): void {
  const index = c.agents.findIndex((agent) => agent.agentId === agentId);
  if (index < 0 && c.agents.length >= MAX_AGENTS) {
    if (how === 'start') count(c, 'agent:overflow');
    return;
  }
  const before: AgentRun = index < 0 ? { agentId, agentType: null, startedAt: null, endedAt: null } : c.agents[index]!;
  const run: AgentRun = Object.assign({}, before);
  run.agentType ??= agentType ?? null;
  if (how === 'stop') run.endedAt = at;
  else run.startedAt = earliest(run.startedAt, at);
  const agents = c.agents.slice();
  agents[index < 0 ? agents.length : index] = run;
  c.agents = agents;
}

const RECENT_RESPONSES = 32;

/**
 * True for the first line of an API response. Its lines (one per content block, sharing
 * `message.id`) are written together, so remembering the last few ids is enough.
 */
export function isNewResponse(c: Conversation, message: Json): boolean {
  const id = str(message.id);
  if (id === undefined) return true;
  if (c.bookkeeping.responseIds.includes(id)) return false;
  c.bookkeeping.responseIds = [...c.bookkeeping.responseIds, id].slice(-RECENT_RESPONSES);
  return true;
}

const TITLE_MAX = 120;

export function shortTitle(text: string): string {
  const flat = text.slice(0, 4 * TITLE_MAX).replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  const short = chars.length > TITLE_MAX ? `${chars.slice(0, TITLE_MAX - 1).join('').trimEnd()}…` : flat;
  return short.toWellFormed();
}

export function offerTitle(c: Conversation, source: TitleSource, text: string | undefined, order: { at?: string; position?: number }): void {
  if (!text?.trim()) return;
  const current = c.bookkeeping.titles[source];
  const better =
    !current || (order.at !== undefined ? order.at < (current.at ?? '') : (order.position ?? 0) >= (current.position ?? 0));
  if (!better) return;
  const titles = Object.assign({}, c.bookkeeping.titles);
  titles[source] = Object.assign({ text: shortTitle(text) }, order);
  c.bookkeeping.titles = titles;
}

/** Best first. Summaries are matched when read (conversations/queries.ts), so the documents themselves never hold one. */
export const titlePrecedence: readonly TitleSource[] = ['custom', 'session', 'ai', 'summary', 'prompt'];

const MAX_LEAVES = 16;

/**
 * A main-thread message is a leaf until a message names it as its parent. System lines
 * (hook progress, turn durations) hang off messages without continuing the conversation:
 * they are leaves, and leave their parent one too. Newest last; the oldest go first.
 */
export function seeLeaf(c: Conversation, uuid: string | undefined, parent: string | undefined, continues: boolean): void {
  const { leaves } = c.bookkeeping;
  let next = continues && parent !== undefined && leaves.includes(parent) ? leaves.filter((leaf) => leaf !== parent) : leaves;
  if (uuid && !next.includes(uuid)) next = [...next, uuid].slice(-MAX_LEAVES);
  // Replaced, never changed: the array is shared with the previous document.
  if (next !== leaves) c.bookkeeping.leaves = next;
}

const MAX_COMPACTION_MARKS = 200;

/**
 * One compaction marker per id, as the timeline has them: a compact boundary line is one, and
 * the compact summary line after it (its child) joins it; a summary line with no boundary
 * before it (1.0.x) is one of its own.
 */
export function markCompaction(c: Conversation, id: string): void {
  const marks = c.bookkeeping.compactionMarks;
  if (marks.includes(id)) return;
  if (marks.length >= MAX_COMPACTION_MARKS) return count(c, 'line:compaction_overflow');
  c.bookkeeping.compactionMarks = [...marks, id];
}

export function derive(c: Conversation): void {
  const { tally, titles } = c.bookkeeping;
  // Runs for every event: no arrays.
  const most = (a: string, b: string, x = a, y = a) => Math.max(tally[a] ?? 0, tally[b] ?? 0, tally[x] ?? 0, tally[y] ?? 0);
  c.promptCount = most('hook:prompt', 'line:prompt');
  c.messageCount = c.promptCount + (tally['line:response'] ?? 0);
  c.toolUseCount = most('hook:pre', 'hook:post', 'line:tool_use');
  c.toolFailureCount = most('hook:failure', 'line:tool_error');
  // Each compaction has a PreCompact and a PostCompact hook and one marker in the transcript.
  const marks = c.bookkeeping.compactionMarks.length + (tally['line:compaction_overflow'] ?? 0);
  c.compactions = Math.max(marks, tally['hook:precompact'] ?? 0, tally['hook:postcompact'] ?? 0);
  c.subagentCount = c.agents.length + (tally['agent:overflow'] ?? 0);
  c.title = null;
  c.titleSource = null;
  for (const source of titlePrecedence) {
    const title = titles[source];
    if (title !== undefined) {
      c.title = title.text;
      c.titleSource = source;
      break;
    }
  }
}
