import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Claude Code transcript folders written from the format in the hooks reference (A3), not
 * copied from real files: a recent session with a subagent, an old-format session, and the
 * lines that trip parsers (malformed, not an object, blank, CRLF, unfinished last line).
 */
export interface TranscriptFile {
  /** Relative to the projects folder. */
  path: string;
  /** Complete lines, each written with its newline (blank ones included). */
  lines: string[];
  /** Written after the last newline: a line Claude Code is still writing. */
  partial?: string;
  /** Line endings; CRLF lines keep their CR, as the hook sends them. */
  eol?: (index: number) => string;
}

export const usage = (input: number, output: number, cacheCreation: number, cacheRead: number) => ({
  input_tokens: input, output_tokens: output, cache_creation_input_tokens: cacheCreation, cache_read_input_tokens: cacheRead, service_tier: 'standard',
});

const toolOutput = (n: number) => `PASS src/parser.test.ts\n${'  ✓ parses a nested expression — ünïcödé ok (2 ms)\n'.repeat(n)}`;

/** A 2.1-era session: a prompt, a response over three lines sharing one message.id, a tool round trip, and oddities. */
export function recentSession(sessionId: string, project = '-home-dev-app'): TranscriptFile[] {
  const base = { parentUuid: null, isSidechain: false, userType: 'external', cwd: '/home/dev/app', sessionId, version: '2.1.114', gitBranch: 'main' };
  const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, s)).toISOString();
  const chunk = (uuid: string, content: unknown) => ({
    ...base, type: 'assistant', uuid, timestamp: at(5), requestId: 'req_s1_1',
    message: { id: `msg_${sessionId.slice(0, 8)}_1`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [content], stop_reason: 'tool_use', usage: usage(10, 200, 1000, 5000) },
  });
  const main = [
    { type: 'file-history-snapshot', messageId: 'snap1', snapshot: { messageId: 'snap1', trackedFileBackups: {}, timestamp: at(0) }, isSnapshotUpdate: false },
    { ...base, type: 'user', uuid: 'u1', timestamp: at(1), promptId: 'p1', message: { role: 'user', content: 'Fix the failing test in parser.ts' } },
    chunk('a1', { type: 'thinking', thinking: 'The parser test fails on nested input.', signature: 'sig' }),
    chunk('a2', { type: 'text', text: 'Let me run the tests.' }),
    chunk('a3', { type: 'tool_use', id: 'toolu_s1', name: 'Bash', input: { command: 'npm test' } }),
    { ...base, type: 'user', uuid: 'u2', timestamp: at(8), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_s1', content: toolOutput(40) }] }, toolUseResult: { stdout: toolOutput(40), stderr: '' } },
    { ...base, type: 'assistant', uuid: 'a4', timestamp: at(12), requestId: 'req_s1_2', message: { id: `msg_${sessionId.slice(0, 8)}_2`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'Fixed: the tests pass.' }], stop_reason: 'end_turn', usage: usage(20, 50, 0, 6000) } },
    { ...base, type: 'system', subtype: 'turn_duration', durationMs: 12000, uuid: 's1', timestamp: at(13) },
  ].map((line) => JSON.stringify(line));
  const lines = [...main, '{"type":"assistant","message":{"id":"msg_cut', '', '"massive error"', JSON.stringify({ type: 'last-prompt', lastPrompt: 'Fix the failing test', sessionId })];
  const agent = { isSidechain: true, agentId: 'a1b2c3', sessionId, cwd: '/home/dev/app', version: '2.1.114', userType: 'external' };
  const subagent = [
    { ...agent, parentUuid: null, type: 'user', uuid: 'su1', timestamp: at(6), message: { role: 'user', content: 'Find the parser tests' } },
    { ...agent, parentUuid: 'su1', type: 'assistant', uuid: 'sa1', timestamp: at(7), requestId: 'req_s1_3', message: { id: `msg_${sessionId.slice(0, 8)}_3`, type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [{ type: 'text', text: 'They are in src/parser.test.ts.' }], stop_reason: 'end_turn', usage: usage(5, 30, 100, 200) } },
  ].map((line) => JSON.stringify(line));
  return [
    { path: `${project}/${sessionId}.jsonl`, lines, partial: '{"type":"user","message":{"role":"user","content":"half wri' },
    { path: `${project}/${sessionId}/subagents/agent-a1b2c3.jsonl`, lines: subagent },
  ];
}

/** A mid-2025 session: a `summary` line first, no `sessionId` on any line, a response split over two lines, CRLF endings. */
export function oldSession(sessionId: string, project = '-home-dev-old'): TranscriptFile {
  const base = { isSidechain: false, userType: 'external', cwd: '/home/dev/old', version: '1.0.51' };
  const at = (s: number) => new Date(Date.UTC(2025, 6, 1, 8, 0, s)).toISOString();
  const split = (uuid: string, content: unknown) => ({
    ...base, parentUuid: 'o1', type: 'assistant', uuid, timestamp: at(4), requestId: 'req_o_1',
    message: { id: `msg_${sessionId.slice(0, 8)}_1`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-20250514', content: [content], stop_reason: null, usage: usage(4, 100, 500, 0) },
  });
  const lines = [
    { type: 'summary', summary: 'Parser refactor', leafUuid: 'o5' },
    { ...base, parentUuid: null, type: 'user', uuid: 'o1', timestamp: at(1), message: { role: 'user', content: 'Refactor the parser' } },
    split('o2', { type: 'text', text: 'I will edit the parser.' }),
    split('o3', { type: 'tool_use', id: 'toolu_o1', name: 'Edit', input: { file_path: 'src/parser.ts', old_string: 'a', new_string: 'b' } }),
    { ...base, parentUuid: 'o3', type: 'system', content: 'Running PostToolUse:Edit...', level: 'info', toolUseID: 'toolu_o1', uuid: 'o3s', timestamp: at(5) },
    { ...base, parentUuid: 'o3', type: 'user', uuid: 'o4', timestamp: at(6), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_o1', content: 'The file src/parser.ts has been updated.' }] } },
    { ...base, parentUuid: 'o4', type: 'assistant', uuid: 'o5', timestamp: at(9), message: { id: `msg_${sessionId.slice(0, 8)}_2`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-20250514', content: [{ type: 'text', text: 'Done.' }], stop_reason: 'end_turn', usage: usage(8, 40, 0, 500) } },
  ].map((line) => JSON.stringify(line));
  return { path: `${project}/${sessionId}.jsonl`, lines, eol: () => '\r\n' };
}

export function transcriptText(file: TranscriptFile): string {
  const eol = file.eol ?? (() => '\n');
  return file.lines.map((line, i) => `${line}${eol(i)}`).join('') + (file.partial ?? '');
}

/** The complete lines as the hook would ship them from offset 0: split on LF, so CRLF lines keep their CR. */
export function shippedLines(file: TranscriptFile): string[] {
  const text = transcriptText(file);
  return text.slice(0, text.lastIndexOf('\n')).split('\n');
}

export async function writeTranscripts(root: string, files: readonly TranscriptFile[]): Promise<void> {
  for (const file of files) {
    const path = join(root, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, transcriptText(file));
  }
}
