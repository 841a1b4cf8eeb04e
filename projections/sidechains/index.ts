import type { DocProjection } from '../projection.js';
import { isTranscript, lineType, lineAgent, list, obj, str, textOf, transcript } from '../messages/events.js';

export { runsOf, type SidechainRuns } from './resolve.js';
export { sidechainsOf } from './queries.js';

/**
 * Claude Code 1.0.x wrote a Task's subagent into the session's own file, its lines marked
 * `isSidechain` and chained by `parentUuid`, with no agent id. Which run a line belongs to
 * takes the whole chain, and which Task started a run takes the Task's prompt: no one line
 * says either. So each session gets one document of the facts, folded in any order, and the
 * timeline resolves its runs when read (resolve.ts):
 *   parents   uuid → parentUuid of every sidechain line
 *   prompts   uuid → the text of a sidechain user line (the first of a run is its Task's prompt)
 *   tasks     tool_use id → the prompt and time of a main-thread Task/Agent call of 1.x
 */
export interface SidechainsDoc {
  parents: Record<string, string | null>;
  prompts: Record<string, { prompt: string; at: string }>;
  tasks: Record<string, { prompt: string; at: string }>;
}

export const sidechainsKey = (sessionId: string): string => `sidechains:${sessionId}`;

const isOld = (line: Record<string, unknown>) => (str(line.version) ?? '').startsWith('1.');

function taskCalls(line: Record<string, unknown>): Array<[string, string]> {
  return list(obj(line.message).content).flatMap((block): Array<[string, string]> => {
    const id = str(block.id);
    const prompt = str(obj(block.input).prompt);
    return block.type === 'tool_use' && (block.name === 'Task' || block.name === 'Agent') && id && prompt ? [[id, prompt]] : [];
  });
}

export const sidechains: DocProjection<SidechainsDoc> = {
  name: 'sidechains',
  version: 1,
  // One document per session (sidechainsKey(event.sessionId)): it may be split into partitions.
  perSessionKeys: true,
  handles(event) {
    if (!isTranscript(event)) return false;
    const type = lineType(event);
    return type === 'user' || type === 'assistant';
  },
  keys(event) {
    const { line, file } = transcript(event);
    if (lineAgent(line, file) !== undefined || !isOld(line)) return [];
    const mine = line.isSidechain === true ? !!str(line.uuid) : taskCalls(line).length > 0;
    return mine ? [sidechainsKey(event.sessionId)] : [];
  },
  evolve(doc, event) {
    const { line } = transcript(event);
    const next: SidechainsDoc = doc ? { parents: doc.parents, prompts: doc.prompts, tasks: doc.tasks } : { parents: {}, prompts: {}, tasks: {} };
    const at = str(line.timestamp) ?? event.capturedAt.toISOString();
    const uuid = str(line.uuid);
    if (line.isSidechain === true && uuid) {
      if (!(uuid in next.parents)) next.parents = { ...next.parents, [uuid]: str(line.parentUuid) ?? null };
      const prompt = lineType(event) === 'user' ? textOf(obj(line.message).content) : '';
      if (prompt && !(uuid in next.prompts)) next.prompts = { ...next.prompts, [uuid]: { prompt, at } };
      return next;
    }
    for (const [id, prompt] of taskCalls(line)) if (!(id in next.tasks)) next.tasks = { ...next.tasks, [id]: { prompt, at } };
    return next;
  },
  index: (_doc, key) => ({ sessionId: key.slice('sidechains:'.length) }),
};
