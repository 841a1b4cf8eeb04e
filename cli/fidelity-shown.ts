import type { Sql } from '../core/db.js';
import { getConversation } from '../projections/conversations/queries.js';
import type { Message } from '../projections/messages/index.js';
import { listMessages } from '../projections/messages/queries.js';

/** What a conversation's read models show: what the UI gets from the same queries. */
export interface ShownCounts {
  prompts: number;
  assistantText: number;
  thinking: number;
  tools: number;
  toolsDone: number;
  toolsFailed: number;
  agents: Set<string>;
  /** Subagents some tool entry (its Agent/Task call) names as its child. */
  attached: Set<string>;
  compactionEntries: number;
  /** null when there is no conversation document at all. */
  compactions: number | null;
  title: string | null;
  titleSource: string | null;
}

export function countEntries(entries: readonly Message[]): Omit<ShownCounts, 'compactions' | 'title' | 'titleSource'> {
  const agents = new Set<string>();
  const children = new Set<string>();
  const tools = new Set<string>();
  let prompts = 0, assistantText = 0, thinking = 0, toolsDone = 0, toolsFailed = 0, compactionEntries = 0;
  for (const m of entries) {
    if (m.agentId) agents.add(m.agentId);
    if (m.kind === 'prompt' && !m.agentId) prompts++;
    else if (m.kind === 'assistant') {
      if (m.text) assistantText++;
      if (m.thinking) thinking++;
    } else if (m.kind === 'tool') {
      // Keyed by tool id, so a page boundary cannot count one call twice.
      if (tools.has(m.toolUseId ?? '')) continue;
      tools.add(m.toolUseId ?? `#${tools.size}`);
      if (m.status === 'ok' || m.status === 'failed') toolsDone++;
      if (m.status === 'failed') toolsFailed++;
      if (m.childAgentId) children.add(m.childAgentId);
    } else if (m.kind === 'compaction' && !m.agentId) compactionEntries++;
  }
  const attached = new Set([...agents].filter((a) => children.has(a)));
  return { prompts, assistantText, thinking, tools: tools.size, toolsDone, toolsFailed, agents, attached, compactionEntries };
}

/** Every entry of a session's timeline, page by page as a client reads it. */
export async function allEntries(sql: Sql, sessionId: string, limit = 500): Promise<Message[]> {
  const entries: Message[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await listMessages(sql, sessionId, { after, limit });
    entries.push(...page.items);
    if (!page.hasMore || !page.nextCursor) return entries;
    after = page.nextCursor;
  }
}

export async function shownCounts(sql: Sql, sessionId: string): Promise<ShownCounts> {
  const counts = countEntries(await allEntries(sql, sessionId));
  const conversation = (await getConversation(sql, sessionId)) as null | { compactions?: number; title?: string | null; titleSource?: string | null };
  return {
    ...counts,
    compactions: conversation ? (conversation.compactions ?? 0) : null,
    title: conversation?.title ?? null,
    titleSource: conversation?.titleSource ?? null,
  };
}
