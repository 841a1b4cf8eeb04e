import type { Message } from './api.js';
import { detachedKind } from './detached.js';
import { addUsage, sameUsage, usageOf, type Usage } from './usage.js';

/** A subagent run shown under the message that started it, or under a header row of its own. */
export interface Group {
  agentId: string;
  agentType: string | undefined;
  count: number;
  running: boolean;
  open: boolean;
  /** On a detached run's header row (no caller, no marker): what kind of run it is, e.g. "prompt suggestion". */
  detached?: string;
}

/** One line of the virtualised timeline: a message, how deep it is nested, and what is shown beside it. */
export interface Row {
  key: string;
  message: Message;
  depth: number;
  group?: Group;
  /** On the first message of a response: its tokens, shown once. */
  usage?: Usage;
  /** On a main-thread prompt: the tokens of its whole turn. */
  turn?: Usage;
}

const sameGroup = (a: Group | undefined, b: Group | undefined) =>
  a === b || (!!a && !!b && a.agentId === b.agentId && a.agentType === b.agentType && a.count === b.count && a.running === b.running && a.open === b.open && a.detached === b.detached);

const sameRow = (a: Row, b: Row) =>
  a.message === b.message && a.depth === b.depth && sameGroup(a.group, b.group) && sameUsage(a.usage, b.usage) && sameUsage(a.turn, b.turn);

/** Tokens per response (first message of each `messageId`) and per turn (from one main-thread prompt to the next). */
function tokensByMessage(messages: Message[]) {
  const response = new Map<string, Usage>();
  const turn = new Map<string, Usage>();
  const seen = new Set<string>();
  let prompt: string | null = null;
  for (const m of messages) {
    if (m.kind === 'prompt' && !m.agentId) prompt = m.key;
    if (m.kind !== 'assistant' || !m.messageId || seen.has(m.messageId)) continue;
    const usage = usageOf(m.usage);
    if (!usage) continue;
    seen.add(m.messageId);
    response.set(m.key, usage);
    if (prompt) turn.set(prompt, addUsage(turn.get(prompt) ?? { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 }, usage));
  }
  return { response, turn };
}

/**
 * Whether a message has anything to show. Claude Code writes a blank text block ("\n\n")
 * ahead of a response's thinking, as a line of its own: an empty card. The log keeps it.
 */
export const hasContent = (m: Message): boolean => m.kind !== 'assistant' || !!m.text?.trim() || !!m.thinking?.trim();

/**
 * The rows of a timeline, keeping the row objects of unchanged messages so that the list
 * redraws only what changed. A subagent's messages (those with its `agentId`) nest under the
 * tool call that started it (`childAgentId`, known once the call returns), else under its
 * SubagentStart marker. A run with neither (a workflow or background agent, or one whose call
 * failed) gets a header row of its own, keyed `detached:<agentId>`, where its first message is;
 * it opens like the other groups. The header carries the first message for its time.
 */
export function createRows() {
  let cache = new Map<string, Row>();
  return (all: Message[], isOpen: (agentId: string) => boolean): Row[] => {
    // Before the token counts, so that a response's tokens show on its first message with content.
    const messages = all.filter(hasContent);
    const children = new Map<string, Message[]>();
    const markers = new Map<string, Message>();
    const callers = new Map<string, Message>();
    for (const m of messages) {
      if (m.kind === 'subagent' && m.agentId) markers.set(m.agentId, m);
      else if (m.agentId) {
        const list = children.get(m.agentId);
        if (list) list.push(m);
        else children.set(m.agentId, [m]);
      }
      if (m.kind === 'tool' && m.childAgentId && !callers.has(m.childAgentId)) callers.set(m.childAgentId, m);
    }
    const { response, turn } = tokensByMessage(messages);
    const rows: Row[] = [];
    const next = new Map<string, Row>();
    const placed = new Set<string>();

    const keep = (row: Row) => {
      const old = cache.get(row.key);
      const kept = old && sameRow(old, row) ? old : row;
      next.set(row.key, kept);
      rows.push(kept);
    };

    const emit = (m: Message, depth: number) => {
      const agentId = m.kind === 'tool' ? m.childAgentId : m.kind === 'subagent' && m.agentId && !callers.has(m.agentId) ? m.agentId : undefined;
      const nested = agentId && !placed.has(agentId) ? agentId : undefined;
      if (nested) placed.add(nested);
      const members = nested ? [...(m.kind === 'tool' && markers.has(nested) ? [markers.get(nested)!] : []), ...(children.get(nested) ?? [])] : [];
      const marker = nested ? markers.get(nested) : undefined;
      const group: Group | undefined = nested && members.length > 0
        ? { agentId: nested, agentType: marker?.agentType, count: children.get(nested)?.length ?? 0, running: marker?.status === 'running', open: isOpen(nested) }
        : undefined;
      keep({ key: m.key, message: m, depth, group, usage: response.get(m.key), turn: turn.get(m.key) });
      if (group?.open) for (const member of members) emit(member, depth + 1);
    };

    for (const m of messages) {
      if (!m.agentId) emit(m, 0);
      else if (m.kind === 'subagent' && !callers.has(m.agentId)) emit(m, 0);
      else if (m.kind !== 'subagent' && !callers.has(m.agentId) && !markers.has(m.agentId) && !placed.has(m.agentId)) {
        // Its first message: the whole run goes here, under a header.
        const agentId = m.agentId;
        placed.add(agentId);
        const members = children.get(agentId) ?? [m];
        const group: Group = { agentId, agentType: undefined, count: members.length, running: false, open: isOpen(agentId), detached: detachedKind(agentId, members) };
        keep({ key: `detached:${agentId}`, message: m, depth: 0, group });
        if (group.open) for (const member of members) emit(member, 1);
      }
    }
    cache = next;
    return rows;
  };
}
