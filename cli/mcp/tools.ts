import { z } from 'zod';
import type { ConversationPage, ConversationSummary } from '../../projections/conversations/index.js';
import type { MessagePage } from '../../projections/messages/index.js';
import type { SearchPage } from '../../projections/search/hits.js';
import type { TokensByModel } from '../../projections/stats-queries.js';
import type { ReadApi } from './client.js';
import { renderPage } from './render.js';

/** A tool as the server registers it: a zod shape for its input and a text answer. */
export interface Tool<S extends z.ZodRawShape> {
  name: string;
  description: string;
  input: S;
  run(api: ReadApi, args: z.infer<z.ZodObject<S>>): Promise<string>;
}

export const defineTool = <S extends z.ZodRawShape>(tool: Tool<S>) => tool;

const money = (usd: number | undefined) => `$${(usd ?? 0).toFixed(2)}`;
const more = (cursor: string | null, tool: string) => (cursor ? `\nMore: call ${tool} again with cursor "${cursor}".` : '');
const cursor = z.string().max(1000).optional().describe('The cursor a previous call returned, to get the next page.');

export const searchConversations = defineTool({
  name: 'search_conversations',
  description:
    'Full-text search over every captured Claude Code conversation: titles, the prompts the user typed and the assistant\'s answers (not tool output). ' +
    'Every word must match (each as a word prefix; case and punctuation are ignored). Newest hits first, each with its session id, the conversation\'s title and project, ' +
    'the time, and a snippet with the matched words in **bold**. Use get_conversation with a hit\'s session id to read around it.',
  input: {
    query: z.string().min(1).max(500).describe('Words to find, e.g. "postgres migration lock".'),
    project: z.string().max(4096).optional().describe('Only conversations of this project (the name list_recent_sessions shows).'),
    limit: z.number().int().min(1).max(50).optional().describe('Hits per page (default 10).'),
    cursor,
  },
  async run(api, { query, project, limit = 10, cursor: after }) {
    const page = await api.get<SearchPage>('/api/search', { q: query, project, limit, cursor: after });
    if (page.items.length === 0) return after ? 'No more hits.' : `No conversation holds every word of "${query}".`;
    const hits = page.items.map((hit) => {
      const where = hit.kind === 'title' ? 'title' : `${hit.kind} message ${hit.key}`;
      return `- ${hit.title ?? '(untitled)'} [${hit.project ?? 'no project'}] session ${hit.sessionId}, ${hit.at}, in the ${where}\n  ${hit.snippet.replaceAll('\n', ' ')}`;
    });
    return `${hits.join('\n')}${more(page.nextCursor, 'search_conversations')}`;
  },
});

type Detail = ConversationSummary & { tokens: { byModel: TokensByModel } };

function summary(c: Detail): string {
  const models = Object.keys(c.tokens.byModel);
  const tokens = Object.values(c.tokens.byModel).reduce((sum, m) => sum + m.input + m.output + m.cacheCreation + m.cacheRead, 0);
  return [
    `Title: ${c.title ?? '(untitled)'}`,
    `Session: ${c.sessionId}`,
    `Project: ${c.project ?? '-'} (cwd ${c.cwd ?? '-'}${c.gitBranch ? `, branch ${c.gitBranch}` : ''})`,
    `Status: ${c.status}; started ${c.startedAt ?? '-'}, last activity ${c.lastActivityAt ?? '-'}${c.endedAt ? `, ended ${c.endedAt}` : ''}`,
    `Counts: ${c.promptCount} prompts, ${c.messageCount} messages, ${c.toolUseCount} tool uses (${c.toolFailureCount} failed), ${c.subagentCount} subagents, ${c.compactions} compactions`,
    `Cost: ${money(c.costUsd)} for ${tokens.toLocaleString('en-US')} tokens; models: ${models.length > 0 ? models.join(', ') : c.model ?? '-'}`,
  ].join('\n');
}

export const getConversation = defineTool({
  name: 'get_conversation',
  description:
    'One captured Claude Code conversation: its summary (title, project, cwd, dates, counts, cost, models) and a page of its timeline in order, as text: ' +
    'user prompts, assistant answers, tool calls summarised as Tool(argument) with their status and the start of their output. Long texts and outputs are cut, with a note. ' +
    'Page on with the cursor the answer gives.',
  input: {
    sessionId: z.string().min(1).max(256).describe('The session id, as search_conversations or list_recent_sessions give it.'),
    limit: z.number().int().min(1).max(200).optional().describe('Timeline entries per page (default 50).'),
    cursor,
  },
  async run(api, { sessionId, limit = 50, cursor: after }) {
    const id = encodeURIComponent(sessionId);
    const [detail, page] = await Promise.all([
      after ? null : api.get<Detail>(`/api/conversations/${id}`),
      api.get<MessagePage>(`/api/conversations/${id}/messages`, { limit, after }),
    ]);
    const lines = renderPage(page.items);
    const body = lines.length > 0 ? lines.join('\n\n') : after ? 'No more messages.' : 'No messages captured yet.';
    return `${detail ? `${summary(detail)}\n\nTimeline:\n` : ''}${body}${more(page.hasMore ? page.nextCursor : null, 'get_conversation')}`;
  },
});

export const listRecentSessions = defineTool({
  name: 'list_recent_sessions',
  description:
    'The most recently active captured Claude Code conversations, newest first, optionally of one project: title, project, status, last activity, prompts, cost and session id.',
  input: {
    project: z.string().max(4096).optional().describe('Only this project (the last folder of the working directory, e.g. "arrakis").'),
    limit: z.number().int().min(1).max(100).optional().describe('Sessions per page (default 20).'),
    cursor,
  },
  async run(api, { project, limit = 20, cursor: after }) {
    const page = await api.get<ConversationPage>('/api/conversations', { project, limit, cursor: after });
    if (page.items.length === 0) return project ? `No sessions of project "${project}".` : 'No sessions captured yet.';
    const rows = page.items.map(
      (c) => `- ${c.title ?? '(untitled)'} [${c.project ?? 'no project'}] ${c.status}, last activity ${c.lastActivityAt ?? '-'}, ${c.promptCount} prompts, ${money(c.costUsd)}, session ${c.sessionId}`,
    );
    return `${rows.join('\n')}${more(page.nextCursor, 'list_recent_sessions')}`;
  },
});
