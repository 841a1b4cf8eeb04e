import type { Message } from './api.js';

/**
 * What a subagent run with no caller is, for its group's label. Claude Code names its own
 * background agents by a prefix of the agentId; the server tags a workflow agent's messages
 * with `workflow`. Anything else is just a subagent.
 */
export function detachedKind(agentId: string, members: Message[]): string {
  if (agentId.startsWith('aprompt_suggestion-')) return 'prompt suggestion';
  if (agentId.startsWith('acompact-')) return 'compaction agent';
  const workflow = members.map((m) => m.workflow).find((w) => !!w);
  return workflow ? `workflow ${workflow}` : 'subagent';
}
