import type { StoredEvent } from '../../core/events.js';
import { isoOf } from '../times.js';
import { agentOf, lineReply, replyHash, stopReply } from './facts.js';

/**
 * What a Stop or SubagentStop closed: a Stop's `last_assistant_message` is a reply the
 * transcript holds, a SubagentStop's agent is a run the transcript holds. Only that way
 * round: most replies close no turn, and some runs (compaction, prompt suggestions) fire no
 * SubagentStop.
 */
interface Closes {
  sessionId: string;
  at: string;
  /** Stop (or SubagentStop) hooks, and transcript lines, seen for this reply (or run). */
  stops: number;
  lines: number;
  position: number;
  expected: number;
  present: number;
  open: number;
}

export interface TurnCheck extends Closes {
  kind: 'turn';
  text: string;
}

export interface AgentCheck extends Closes {
  kind: 'agent';
  agentId: string;
}

export function closesKeys(event: StoredEvent): string[] {
  const keys: string[] = [];
  const reply = stopReply(event) ?? lineReply(event);
  if (reply !== undefined) keys.push(`turn:${event.sessionId}:${replyHash(reply)}`);
  const agent = agentOf(event);
  if (agent !== undefined) keys.push(`agent:${event.sessionId}:${agent.id}`);
  return keys;
}

function counted<T extends Closes>(before: T, event: StoredEvent, fromStop: boolean): T {
  const stops = before.stops + (fromStop ? 1 : 0);
  const lines = before.lines + (fromStop ? 0 : 1);
  // The reply or run is there once any line of it is; each Stop naming it then holds.
  const present = lines > 0 ? stops : 0;
  const at = fromStop && (before.stops === 0 || event.position < before.position) ? isoOf(event.capturedAt) : before.at;
  return { ...before, stops, lines, at, position: Math.min(before.position, event.position), expected: stops, present, open: stops - present };
}

const blank = (event: StoredEvent) => ({
  sessionId: event.sessionId, at: isoOf(event.capturedAt), stops: 0, lines: 0, position: event.position, expected: 0, present: 0, open: 0,
});

export function evolveTurn(doc: TurnCheck | undefined, event: StoredEvent): TurnCheck {
  const stop = stopReply(event);
  const before = doc ?? { kind: 'turn' as const, text: '', ...blank(event) };
  const text = before.text || (stop ?? lineReply(event) ?? '').slice(-200);
  return counted({ ...before, text }, event, stop !== undefined);
}

export function evolveAgent(doc: AgentCheck | undefined, event: StoredEvent): AgentCheck {
  const agent = agentOf(event)!;
  const before = doc ?? { kind: 'agent' as const, agentId: agent.id, ...blank(event) };
  return counted(before, event, agent.source === 'stop');
}
