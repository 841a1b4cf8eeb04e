import type { StoredEvent } from '../../core/events.js';
import type { Patch } from './index.js';
import { patchOf, type PatchBase } from './merge.js';
import {
  isMainThread, lineAgent, lineEventTime, lineType, linePromptId, list, num, obj, str, textOf, transcript,
  typedPrompt, userLineKind, userText, type Json,
} from './events.js';

type Fact = [key: string, patch: Patch];

/** What a transcript line says, keyed by the messages it belongs to (a line may carry text and tool calls). */
export function lineFacts(event: StoredEvent): Fact[] {
  const { line, file } = transcript(event);
  const base: PatchBase = { sessionId: event.sessionId, at: lineEventTime(line, event), agentId: lineAgent(line, file) };
  // Lines without a uuid are rare and malformed; their position still identifies them.
  const id = str(line.uuid) ?? `@${event.position}`;
  const found = facts(event, line, file, base, id);
  // A 1.0.x sidechain line has no agent id: its run is resolved when read (projections/sidechains).
  if (line.isSidechain === true && base.agentId === undefined && str(line.uuid)) for (const [, patch] of found) patch.lineUuid = id;
  // A workflow's agents have no Agent call to hang from: the timeline groups them by workflow.
  const workflow = base.agentId ? workflowOf(obj(event.payload).path) : undefined;
  if (workflow) for (const [, patch] of found) patch.workflow = workflow;
  return found;
}

const workflowPath = /[\\/]workflows[\\/](wf_[^\\/]+)[\\/]/;
const workflowOf = (path: unknown): string | undefined => (typeof path === 'string' ? workflowPath.exec(path)?.[1] : undefined);

function facts(event: StoredEvent, line: Json, file: string, base: PatchBase, id: string): Fact[] {
  switch (lineType(event)) {
    case 'user':
      return [...toolResults(line, base), ...userMessage(line, file, base, id)];
    case 'assistant':
      return assistant(line, base, id);
    case 'system':
      return line.subtype === 'compact_boundary' ? [compaction(line, base, id)] : [];
    default:
      return [];
  }
}

/**
 * Every user line is its own message, keyed by its uuid: a person may type the same text many
 * times. A typed prompt's UserPromptSubmit has a document of its own, paired with this one when
 * read (messages/pairing.ts), as nothing in either event names the other for sure.
 * A compact summary belongs to its compaction marker: the boundary line it follows (its parent)
 * or, before Claude Code wrote boundaries (1.0.x), a marker of its own.
 */
function userMessage(line: Json, file: string, base: PatchBase, id: string): Fact[] {
  const s = base.sessionId;
  if (line.isCompactSummary === true) {
    const text = textOf(obj(line.message).content) || undefined;
    return [[`compaction:${s}:${str(line.parentUuid) ?? id}`, patchOf(base, 'compaction', { stage: 'boundary', text })]];
  }
  const text = userText(line);
  const kind = text === undefined ? undefined : userLineKind(line, text);
  if (!text || !kind) return [];
  if (kind === 'command') return [[`command:${s}:${id}`, patchOf(base, kind, { text })]];
  const typed = isMainThread(line, file) && typedPrompt(text) !== undefined;
  return [[`prompt:${s}:${id}`, patchOf(base, kind, typed ? { text, promptId: linePromptId(line), typed: true } : { text })]];
}

function toolResults(line: Json, base: PatchBase): Fact[] {
  const blocks = list(obj(line.message).content).filter((block) => block.type === 'tool_result');
  // `toolUseResult` is the structured result (the hook's tool_response) when the line holds one result.
  const structured = blocks.length === 1 ? line.toolUseResult : undefined;
  return blocks.flatMap((block): Fact[] => {
    const toolUseId = str(block.tool_use_id);
    if (!toolUseId) return [];
    const failed = block.is_error === true;
    const patch = patchOf(base, 'tool', {
      toolUseId,
      status: failed ? 'failed' : 'ok',
      error: failed ? textOf(block.content) || undefined : undefined,
      result: failed ? undefined : (structured ?? block.content),
      resultFrom: 'transcript',
      childAgentId: str(obj(structured).agentId),
      timing: { result: base.at },
    });
    return [[`tool:${base.sessionId}:${toolUseId}`, patch]];
  });
}

function assistant(line: Json, base: PatchBase, id: string): Fact[] {
  const message = obj(line.message);
  const s = base.sessionId;
  const facts: Fact[] = [];
  // Claude Code 2.1 keeps only the signature of thinking blocks: empty thinking is not worth a message.
  const text = textOf(message.content) || undefined;
  const thinking = textOf(message.content, 'thinking') || undefined;
  if (text || thinking) {
    facts.push([
      `assistant:${s}:${id}`,
      patchOf(base, 'assistant', {
        text,
        thinking,
        uuid: str(line.uuid),
        messageId: str(message.id),
        model: str(message.model),
        usage: message.usage,
        stopReason: str(message.stop_reason),
      }),
    ]);
  }
  for (const item of Array.isArray(message.content) ? (message.content as unknown[]) : []) {
    const block = obj(item);
    const toolUseId = str(block.id);
    if (block.type !== 'tool_use' || !toolUseId) continue;
    facts.push([
      `tool:${s}:${toolUseId}`,
      patchOf(base, 'tool', { toolUseId, toolName: str(block.name), input: block.input, status: 'running', timing: { use: base.at } }),
    ]);
  }
  return facts;
}

function compaction(line: Json, base: PatchBase, id: string): Fact {
  const metadata = obj(line.compactMetadata);
  const patch = patchOf(base, 'compaction', { stage: 'boundary', trigger: str(metadata.trigger), preTokens: num(metadata.preTokens) });
  return [`compaction:${base.sessionId}:${id}`, patch];
}
