import { isSessionId } from '../core/json-line.js';
import { transcriptSession } from '../core/import/transcript-files.js';
import {
  isMainThread, lineAgent, list, obj, str, textOf, typedPrompt, userLineKind, userText, type Json,
} from '../projections/messages/events.js';

/**
 * What the transcript files themselves hold, counted straight from the lines with the same
 * readers the projections use (messages/events.ts), so `npm run fidelity` can set it beside
 * what the read models show. Pure: lines in, counts out; no database, no file system.
 */
export interface FileCounts {
  /** Typed prompts of the main thread, every line counted even when its text repeats. */
  prompts: number;
  /** How often each prompt text was typed: repeated ones reveal entries that collapse. */
  promptTexts: Map<string, number>;
  assistantText: number;
  thinking: number;
  toolUses: Set<string>;
  toolResults: Set<string>;
  toolErrors: Set<string>;
  /** Agent/Task calls: a subagent can only be attached to one of them. */
  agentCalls: number;
  agents: Set<string>;
  /** Roots of 1.0.x `isSidechain` chains in a main file, which carry no agent id of their own. */
  sidechainRuns: number;
  compactions: number;
  /** Lines of a hook's stdin log (`hook_event_name`, no `type`): not transcript lines at all. */
  hookLogLines: number;
}

export const emptyCounts = (): FileCounts => ({
  prompts: 0, promptTexts: new Map(), assistantText: 0, thinking: 0,
  toolUses: new Set(), toolResults: new Set(), toolErrors: new Set(), agentCalls: 0,
  agents: new Set(), sidechainRuns: 0, compactions: 0, hookLogLines: 0,
});

/** The session the import files a line under: its own `sessionId`, else its file's (transcriptLineEvent). */
export const lineSession = (line: Json, fileKey: string): string =>
  isSessionId(line.sessionId) ? line.sessionId : transcriptSession(fileKey);

const agentTools = new Set(['Task', 'Agent']);

// How far back a compact summary may follow its boundary line (system line, then maybe a meta line or two).
const SUMMARY_REACH = 3;

/** Counts one file's parsed lines into `bySession` (created as needed), keyed by session id. */
export function countFile(lines: readonly Json[], fileKey: string, bySession = new Map<string, FileCounts>()): Map<string, FileCounts> {
  const sidechainUuids = new Set<string>();
  lines.forEach((line, index) => {
    const session = lineSession(line, fileKey);
    let c = bySession.get(session);
    if (!c) bySession.set(session, (c = emptyCounts()));
    if (typeof line.type !== 'string' && typeof line.hook_event_name === 'string') c.hookLogLines++;
    const main = isMainThread(line, fileKey);
    const agent = lineAgent(line, fileKey);
    if (agent) c.agents.add(agent);
    else if (line.isSidechain === true) {
      // A chain's root has no parent among the sidechain lines before it: one run per root.
      const parent = str(line.parentUuid);
      if (!parent || !sidechainUuids.has(parent)) c.sidechainRuns++;
      const uuid = str(line.uuid);
      if (uuid) sidechainUuids.add(uuid);
    }
    const content = obj(line.message).content;
    if (line.type === 'user') countUser(c, line, content, main, lines.slice(Math.max(0, index - SUMMARY_REACH), index));
    else if (line.type === 'assistant') countAssistant(c, content);
    else if (line.type === 'system' && line.subtype === 'compact_boundary' && main) c.compactions++;
  });
  return bySession;
}

const isBoundary = (line: Json) => line.type === 'system' && line.subtype === 'compact_boundary';

function countUser(c: FileCounts, line: Json, content: unknown, main: boolean, before: Json[]) {
  for (const block of list(content)) {
    const id = str(block.tool_use_id);
    if (block.type !== 'tool_result' || !id) continue;
    c.toolResults.add(id);
    if (block.is_error === true) c.toolErrors.add(id);
  }
  if (!main) return;
  // A summary right after its boundary is the same compaction; one on its own (older versions) is one more.
  if (line.isCompactSummary === true && !before.some(isBoundary)) c.compactions++;
  const text = userText(line);
  if (text === undefined || userLineKind(line, text) !== 'prompt') return;
  const typed = typedPrompt(text);
  if (typed === undefined) return;
  c.prompts++;
  c.promptTexts.set(typed, (c.promptTexts.get(typed) ?? 0) + 1);
}

function countAssistant(c: FileCounts, content: unknown) {
  if (textOf(content, 'text') !== '') c.assistantText++;
  if (textOf(content, 'thinking') !== '') c.thinking++;
  for (const block of list(content)) {
    const id = str(block.id);
    if (block.type !== 'tool_use' || !id) continue;
    c.toolUses.add(id);
    if (agentTools.has(str(block.name) ?? '')) c.agentCalls++;
  }
}

/** Repeated typed texts beyond their first: what entries keyed by text would lose. */
export const repeatedPrompts = (c: FileCounts): number =>
  [...c.promptTexts.values()].reduce((sum, n) => sum + n - 1, 0);

/** Tool uses whose result is in the files too. */
export const resultsOfUses = (c: FileCounts, of: Set<string>): number => [...of].filter((id) => c.toolUses.has(id)).length;
