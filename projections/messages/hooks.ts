import type { StoredEvent } from '../../core/events.js';
import type { Patch } from './index.js';
import { patchOf, type PatchBase } from './merge.js';
import { eventTime, num, obj, str, type Json } from './events.js';

type Fact = [key: string, patch: Patch];

/** A UserPromptSubmit's document: `prompt:<session>:hook-<requestId>` (no line uuid starts so). */
export const hookPromptKey = (sessionId: string, requestId: string): string => `prompt:${sessionId}:hook-${requestId}`;
export const isHookPromptKey = (key: string): boolean => key.startsWith('prompt:') && key.includes(':hook-');

/**
 * What a hook event says, keyed by the message it belongs to. Tool events without
 * `tool_use_id` (before Claude Code 2.0.43) cannot be paired with each other, so they are left
 * to the transcript's tool_use and tool_result blocks, which always carry the id.
 */
export function hookFacts(event: StoredEvent): Fact[] {
  const payload = obj(event.payload);
  const s = event.sessionId;
  const base: PatchBase = { sessionId: s, at: eventTime(event), agentId: str(payload.agent_id) };
  const marker = (kind: Patch['kind'], patch: Partial<Patch>): Fact[] => [[`${kind}:${s}:${event.requestId}`, patchOf(base, kind, patch)]];
  switch (event.type) {
    case 'UserPromptSubmit': {
      const text = str(payload.prompt);
      const promptId = str(payload.prompt_id);
      // Keyed by the event: its transcript line is paired with it when read (messages/pairing.ts).
      return text ? [[hookPromptKey(s, event.requestId), patchOf(base, 'prompt', { text, promptId })]] : [];
    }
    case 'PreToolUse':
      return tool(payload, base, { status: 'running', timing: { pre: base.at } });
    case 'PostToolUse':
      return tool(payload, base, {
        status: 'ok',
        result: payload.tool_response,
        resultFrom: 'hook',
        childAgentId: str(obj(payload.tool_response).agentId),
        timing: { post: base.at, reportedMs: num(payload.duration_ms) },
      });
    case 'PostToolUseFailure':
      return tool(payload, base, {
        status: 'failed',
        error: str(payload.error),
        resultFrom: 'hook',
        timing: { post: base.at, reportedMs: num(payload.duration_ms) },
      });
    case 'PermissionDenied':
      return tool(payload, base, { status: 'failed', error: str(payload.reason), resultFrom: 'hook', timing: { post: base.at } });
    case 'Notification':
      return marker('notification', { text: str(payload.message), title: str(payload.title), notificationType: str(payload.notification_type) });
    case 'PreCompact':
      return marker('compaction', { stage: 'pre', trigger: str(payload.trigger), instructions: str(payload.custom_instructions) });
    case 'PostCompact':
      return marker('compaction', { stage: 'post', trigger: str(payload.trigger), text: str(payload.compact_summary) });
    case 'SubagentStart':
    case 'SubagentStop':
      return subagent(event.type === 'SubagentStop', payload, base);
    case 'SessionStart':
      return marker('session', { event: 'start', source: str(payload.source), model: str(payload.model) });
    case 'SessionEnd':
      return marker('session', { event: 'end', reason: str(payload.reason) });
    default:
      return [];
  }
}

function tool(payload: Json, base: PatchBase, patch: Partial<Patch>): Fact[] {
  const id = str(payload.tool_use_id);
  if (!id) return [];
  const fact = Object.assign(patchOf(base, 'tool', { toolUseId: id, toolName: str(payload.tool_name), input: payload.tool_input }), patch);
  return [[`tool:${base.sessionId}:${id}`, fact]];
}

function subagent(stopped: boolean, payload: Json, base: PatchBase): Fact[] {
  const id = base.agentId;
  if (!id) return [];
  const patch = patchOf(base, 'subagent', { agentType: str(payload.agent_type), parentSessionId: base.sessionId, status: stopped ? 'ok' : 'running' });
  Object.assign(
    patch,
    stopped ? { endedAt: base.at, text: str(payload.last_assistant_message), transcriptPath: str(payload.agent_transcript_path) } : { startedAt: base.at },
  );
  return [[`subagent:${base.sessionId}:${id}`, patch]];
}
