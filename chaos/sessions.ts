import { randomUUID } from 'node:crypto';

/**
 * The conversations the chaos workers play: each a SessionStart, turns of prompt, tool use and
 * reply, and a SessionEnd, with the transcript lines Claude Code would write between the
 * hooks (the tool_use before PreToolUse, its tool_result before PostToolUse, the reply a Stop
 * names), so that the completeness check finds each hook and its line. Every hook payload carries `chaos_seq` and every transcript line a `uuid` of
 * `chaos-line-<n>`: the hook's requestId is made inside the hook, so these markers are how
 * the checks find each invocation's event (and each line) in the log.
 */
export interface Step {
  event: string;
  /** Hook fields besides session_id, transcript_path, cwd and chaos_seq. */
  fields: Record<string, unknown>;
  /** Transcript lines to append (as objects; `uuid` is filled in) before the hook runs. */
  lines: Array<Record<string, unknown>>;
}

export const TURNS_PER_SESSION = 5;
const MODEL = 'claude-sonnet-4-5';

/** The steps of one session, in order; a worker runs them one after another, as Claude Code would. */
export function sessionSteps(sessionId: string, turns = TURNS_PER_SESSION): Step[] {
  const base = { sessionId, cwd: '/home/dev/chaos', version: '2.1.114', isSidechain: false, userType: 'external' };
  const steps: Step[] = [{ event: 'SessionStart', fields: { source: 'startup', model: MODEL }, lines: [] }];
  for (let turn = 1; turn <= turns; turn++) {
    const reply = `Shard ${turn} passes: 12 tests.`;
    const prompt = `Turn ${turn}: run the tests and summarise them`;
    const tool = { tool_name: 'Bash', tool_input: { command: `npm test -- --shard ${turn}`, description: 'Run tests' }, tool_use_id: `toolu_${sessionId.slice(0, 8)}_${turn}` };
    steps.push(
      { event: 'UserPromptSubmit', fields: { permission_mode: 'default', prompt }, lines: [{ ...base, type: 'user', message: { role: 'user', content: prompt } }] },
      {
        event: 'PreToolUse',
        fields: { ...tool, permission_mode: 'default' },
        lines: [{
          ...base, type: 'assistant', requestId: `req_${sessionId.slice(0, 8)}_${turn}_tool`,
          message: { id: `msg_${sessionId.slice(0, 8)}_${turn}_tool`, type: 'message', role: 'assistant', model: MODEL, content: [{ type: 'tool_use', id: tool.tool_use_id, name: 'Bash', input: tool.tool_input }] },
        }],
      },
      {
        event: 'PostToolUse',
        fields: { ...tool, tool_response: { stdout: `shard ${turn}: 12 passed\n`, stderr: '', interrupted: false }, duration_ms: 800 + turn },
        lines: [{ ...base, type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: tool.tool_use_id, content: `shard ${turn}: 12 passed` }] } }],
      },
      {
        event: 'Stop',
        fields: { stop_hook_active: false, last_assistant_message: reply },
        lines: [{
          ...base,
          type: 'assistant',
          requestId: `req_${sessionId.slice(0, 8)}_${turn}`,
          message: {
            id: `msg_${sessionId.slice(0, 8)}_${turn}`, type: 'message', role: 'assistant', model: MODEL,
            content: [{ type: 'text', text: reply }], stop_reason: 'end_turn',
            usage: { input_tokens: 20 + turn, output_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 900, service_tier: 'standard' },
          },
        }],
      },
    );
  }
  steps.push({ event: 'SessionEnd', fields: { reason: 'prompt_input_exit' }, lines: [] });
  return steps;
}

/** The hook's stdin for one step. */
export function hookInput(step: Step, sessionId: string, transcriptPath: string, seq: number): string {
  return JSON.stringify({ session_id: sessionId, transcript_path: transcriptPath, cwd: '/home/dev/chaos', hook_event_name: step.event, ...step.fields, chaos_seq: seq });
}

/** One transcript line, stamped with its marker and the time it was written. */
export function transcriptLine(line: Record<string, unknown>, lineSeq: number, now: Date): string {
  return JSON.stringify({ parentUuid: null, ...line, uuid: lineUuid(lineSeq), timestamp: now.toISOString() });
}

export const lineUuid = (lineSeq: number) => `chaos-line-${lineSeq}`;

export const newSessionId = () => randomUUID();
