import type { ExportMessage } from './load.js';

/** A subagent's messages, shown under the call or marker that started it. */
export interface Run {
  agentId: string;
  agentType?: string;
  entries: Entry[];
}

/** `continued`: an assistant message of the response the previous one began (one label for the response). */
export type Entry = { message: ExportMessage; run?: Run; continued?: true } | { message?: undefined; run: Run; continued?: undefined };

/** One prompt and what followed it until the next; the first turn may have no prompt (a resumed session's markers). */
export interface Turn {
  number: number;
  prompt: ExportMessage | null;
  entries: Entry[];
}

// Claude Code writes a blank text block ahead of a response's thinking: nothing to export.
const hasContent = (m: ExportMessage) => m.kind !== 'assistant' || !!m.text?.trim() || !!m.thinking?.trim();

/**
 * The timeline as turns, nested as the UI nests it (ui/src/conversation/rows.ts): a subagent's
 * messages under the tool call that started it, else under its SubagentStart marker, else
 * (a workflow or background run) as a run of their own where its first message was.
 */
export function turnsOf(all: ExportMessage[]): Turn[] {
  const messages = all.filter(hasContent);
  const children = new Map<string, ExportMessage[]>();
  const markers = new Map<string, ExportMessage>();
  const callers = new Set<string>();
  for (const m of messages) {
    if (m.kind === 'subagent' && m.agentId) markers.set(m.agentId, m);
    else if (m.agentId) children.set(m.agentId, [...(children.get(m.agentId) ?? []), m]);
    if (m.kind === 'tool' && m.childAgentId) callers.add(m.childAgentId);
  }
  const placed = new Set<string>();
  const runOf = (agentId: string): Run | undefined => {
    // A run is shown once, and a run that names itself (a bad line) cannot nest forever.
    if (placed.has(agentId)) return undefined;
    placed.add(agentId);
    const members = children.get(agentId) ?? [];
    return members.length === 0 ? undefined : { agentId, agentType: markers.get(agentId)?.agentType, entries: members.map(entryOf) };
  };
  const entryOf = (m: ExportMessage): Entry => {
    const nested = m.kind === 'tool' ? m.childAgentId : m.kind === 'subagent' && m.agentId && !callers.has(m.agentId) ? m.agentId : undefined;
    const run = nested ? runOf(nested) : undefined;
    return run ? { message: m, run } : { message: m };
  };

  const turns: Turn[] = [];
  let current: Turn | null = null;
  const push = (entry: Entry) => {
    if (!current) turns.push((current = { number: 0, prompt: null, entries: [] }));
    current.entries.push(entry);
  };
  for (const m of messages) {
    if (!m.agentId) {
      if (m.kind === 'prompt') turns.push((current = { number: turns.filter((t) => t.prompt).length + 1, prompt: m, entries: [] }));
      else push(entryOf(m));
    } else if (m.kind === 'subagent' && !callers.has(m.agentId)) push(entryOf(m));
    else if (m.kind !== 'subagent' && !callers.has(m.agentId) && !markers.has(m.agentId) && !placed.has(m.agentId)) {
      const run = runOf(m.agentId);
      if (run) push({ run });
    }
  }
  for (const turn of turns) markContinued(turn.entries);
  return turns;
}

function markContinued(entries: Entry[]): void {
  let response: string | undefined;
  for (const e of entries) {
    if (e.run) markContinued(e.run.entries);
    if (e.message?.kind !== 'assistant') continue;
    if (e.message.messageId && e.message.messageId === response) e.continued = true;
    response = e.message.messageId;
  }
}
