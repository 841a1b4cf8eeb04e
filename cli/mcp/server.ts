import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { z } from 'zod';
import type { ReadApi } from './client.js';
import { ReadFailed } from './client.js';
import { getConversation, listRecentSessions, searchConversations, type Tool } from './tools.js';
import { getUsage } from './usage.js';

export const tools = [searchConversations, getConversation, listRecentSessions, getUsage];

/**
 * The MCP server over Arrakis' read API. A failed call (no key, server down, key refused) is
 * the tool's error result, not a protocol error, so the model reads what to fix, and the
 * server stays up for when it is fixed.
 */
export function createMcpServer(api: ReadApi, version: string): McpServer {
  const server = new McpServer(
    { name: 'arrakis', title: 'Arrakis: Claude Code history', version },
    { instructions: 'Searches and reads every Claude Code conversation Arrakis captured (prompts, answers, tool calls) and their token usage and cost. Start with search_conversations or list_recent_sessions, then read one with get_conversation.' },
  );
  for (const tool of tools as Array<Tool<z.ZodRawShape>>) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: tool.input, annotations: { readOnlyHint: true, openWorldHint: false } },
      async (args: Record<string, unknown>) => {
        try {
          return { content: [{ type: 'text' as const, text: await tool.run(api, args as never) }] };
        } catch (error) {
          const reason = error instanceof ReadFailed ? error.message : `unexpected failure: ${(error as Error).message}`;
          return { content: [{ type: 'text' as const, text: `Arrakis: ${reason}` }], isError: true };
        }
      },
    );
  }
  return server;
}
