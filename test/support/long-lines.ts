import type { Envelope } from '../../core/envelope.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import type { NewEvent } from '../../core/events.js';

/**
 * One turn of a conversation made of everything that is wider than a phone: an unbroken URL in
 * the prompt, a Markdown answer with a long paragraph word, a code block and a wide table, a Bash
 * call with a long command and long output lines, and an Edit of a long line (a diff).
 */
export function longLinesSession(sessionId: string, at: Date): NewEvent[] {
  const time = (s: number) => new Date(at.getTime() + s * 1000).toISOString();
  const path = `/home/dev/.claude/projects/-home-dev-a-project-with-a-rather-long-name/${sessionId}.jsonl`;
  const cwd = '/home/dev/a-project-with-a-rather-long-name/packages/some-deeply-nested-package';
  const base = { session_id: sessionId, transcript_path: path, cwd };
  const word = 'supercalifragilisticexpialidocious'.repeat(8);
  const url = `https://example.org/${'segment/'.repeat(30)}end?query=${'x'.repeat(80)}`;
  const prompt = `Why does ${url} fail? The log says ${word}.`;
  const answer = [
    `The request to \`${url}\` fails because ${word} is not a valid header.`,
    '',
    '```ts',
    `export const handler = async (request: Request): Promise<Response> => { const body = await request.json(); return new Response(JSON.stringify({ ok: true, body, at: new Date().toISOString(), note: '${'padding '.repeat(20)}' })); };`,
    '```',
    '',
    '| column one | column two | column three | column four | column five | column six | column seven | column eight |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    '| a value | another value | a third value | a fourth value | a fifth value | a sixth value | a seventh value | an eighth value |',
  ].join('\n');
  const usage = { input_tokens: 1200, output_tokens: 300, cache_creation_input_tokens: 500, cache_read_input_tokens: 9000 };
  const assistant = (uuid: string, s: number, content: unknown) =>
    JSON.stringify({ type: 'assistant', sessionId, uuid, timestamp: time(s), message: { id: 'msg_long_lines', model: 'claude-sonnet-4-5', role: 'assistant', content: [content], usage } });
  const bash = { tool_name: 'Bash', tool_use_id: 'toolu_long_bash', tool_input: { command: `grep -rn "${word}" ${cwd}/src ${cwd}/test --include='*.ts' | sort | uniq -c | sort -rn | head -50` } };
  const output = Array.from({ length: 12 }, (_, i) => `${cwd}/src/module-${i}.ts:${i + 1}:  const value${i} = ${JSON.stringify(word)}; // ${'and a long trailing comment '.repeat(6)}`).join('\n');
  const file = `${cwd}/src/handlers/a-handler-with-a-long-file-name.ts`;
  const edit = {
    tool_name: 'Edit', tool_use_id: 'toolu_long_edit',
    tool_input: { file_path: file, old_string: `  return new Response(JSON.stringify({ ok: false, reason: '${'old reason '.repeat(15)}' }));`, new_string: `  return new Response(JSON.stringify({ ok: true, reason: '${'new reason '.repeat(15)}' }));` },
  };
  const lines = [
    JSON.stringify({ type: 'user', sessionId, uuid: 'long-u', timestamp: time(1), message: { role: 'user', content: prompt } }),
    assistant('long-t', 2, { type: 'thinking', thinking: `Let me look at ${word} first.`, signature: 'sig' }),
    assistant('long-x', 3, { type: 'text', text: answer }),
    assistant('long-b', 4, { type: 'tool_use', id: bash.tool_use_id, name: 'Bash', input: bash.tool_input }),
    JSON.stringify({ type: 'user', sessionId, uuid: 'long-br', timestamp: time(6), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: bash.tool_use_id, content: output }] } }),
    assistant('long-e', 7, { type: 'tool_use', id: edit.tool_use_id, name: 'Edit', input: edit.tool_input }),
    JSON.stringify({ type: 'user', sessionId, uuid: 'long-er', timestamp: time(9), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: edit.tool_use_id, content: `The file ${file} has been updated.` }] } }),
  ];
  const hook = (event: string, s: number, payload: Record<string, unknown>, transcript?: Envelope['transcript']): Envelope => ({
    requestId: `${sessionId}-${event}-${s}`, event, sessionId, capturedAt: time(s),
    payload: { ...base, hook_event_name: event, ...payload },
    client: { host: 'a-build-machine-with-a-long-host-name.example.internal', attempt: 1 },
    ...(transcript ? { transcript } : {}),
  });
  return [
    hook('UserPromptSubmit', 0, { prompt }),
    hook('PreToolUse', 4, bash, [{ path, offset: 0, lines: lines.slice(0, 4) }]),
    hook('PostToolUse', 5, { ...bash, tool_response: { stdout: output, stderr: '' }, duration_ms: 900 }),
    hook('PreToolUse', 7, edit, [{ path, offset: 50_000, lines: lines.slice(4, 6) }]),
    hook('PostToolUse', 8, { ...edit, tool_response: { filePath: file } }),
    hook('Stop', 10, { stop_hook_active: false }, [{ path, offset: 90_000, lines: lines.slice(6) }]),
  ].flatMap((e) => envelopeEvents(e));
}
