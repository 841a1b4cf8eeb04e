import type { Sql } from '../../core/db.js';
import { getConversation, type ConversationSummary } from '../../projections/conversations/queries.js';
import { listMessages } from '../../projections/messages/queries.js';
import type { Message } from '../../projections/messages/index.js';
import { tokensForSession, type TokensByModel } from '../../projections/stats-queries.js';

export type ExportMessage = Message & { key: string };

/** What an export is rendered from: the conversation as the UI's header shows it, and its whole timeline. */
export interface ExportData {
  conversation: ConversationSummary;
  byModel: TokensByModel;
  messages: ExportMessage[];
}

// The largest page the query serves: a long conversation is read in a few round trips.
const PAGE = 1000;

/**
 * The conversation and every page of its timeline, or null for an unknown session. A prompt
 * read on a later page may carry a hook document already read (`pairedKeys`): dropped at the
 * end, as the UI's merge drops it.
 */
export async function loadExport(sql: Sql, sessionId: string): Promise<ExportData | null> {
  const [conversation, byModel] = await Promise.all([getConversation(sql, sessionId), tokensForSession(sql, sessionId)]);
  if (!conversation) return null;
  const messages: ExportMessage[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await listMessages(sql, sessionId, { after, limit: PAGE });
    messages.push(...page.items);
    if (!page.hasMore || !page.nextCursor) break;
    after = page.nextCursor;
  }
  const paired = new Set(messages.flatMap((m) => m.pairedKeys ?? []));
  return { conversation, byModel, messages: paired.size === 0 ? messages : messages.filter((m) => !paired.has(m.key)) };
}
