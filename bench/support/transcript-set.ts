import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { prng } from './prng.js';

/**
 * A generated `~/.claude/projects` folder for the import benchmark: sessions of 1 to 8 MB of
 * realistic turns (a prompt, a response over several lines, a tool result of a few KB), a
 * third of them with a subagent transcript.
 */
const MB = 1024 * 1024;

const rand = prng(7);
const words = 'const let return await async function import export from if else for of new this value error result session store append request response status position payload transcript config test expect describe'.split(' ');
const prose = (bytes: number) => {
  let text = '';
  while (text.length < bytes) text += `${words[Math.floor(rand() * words.length)]}${rand() < 0.1 ? '\n' : ' '}`;
  return text;
};

/** One turn as Claude Code writes it: prompt, a response over three lines, a tool result of a few KB, a closing response, turn_duration. */
function turnLines(sessionId: string, turn: number, agentId?: string): string[] {
  const base = { parentUuid: null, isSidechain: agentId !== undefined, userType: 'external', cwd: '/home/dev/app', sessionId, version: '2.1.114', gitBranch: 'main', ...(agentId ? { agentId } : {}) };
  const at = new Date(Date.UTC(2026, 0, 1) + turn * 60_000).toISOString();
  const id = `msg_${sessionId.slice(0, 8)}_${agentId ?? 'm'}_${turn}`;
  const usage = { input_tokens: 20 + turn, output_tokens: 400, cache_creation_input_tokens: 1200, cache_read_input_tokens: 30_000 };
  const assistant = (n: number, content: unknown, stop: string | null, messageId = id) =>
    ({ ...base, type: 'assistant', uuid: `${id}-a${n}`, timestamp: at, requestId: `req_${id}`, message: { id: messageId, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [content], stop_reason: stop, usage } });
  const tool = `toolu_${id}`;
  const output = prose(1000 + rand() * 7000);
  return [
    { ...base, type: 'user', uuid: `${id}-u`, timestamp: at, message: { role: 'user', content: prose(80 + rand() * 400) } },
    assistant(1, { type: 'thinking', thinking: prose(200 + rand() * 1500), signature: 'c2lnbmF0dXJl'.repeat(20) }, null),
    assistant(2, { type: 'text', text: prose(100 + rand() * 600) }, null),
    assistant(3, { type: 'tool_use', id: tool, name: 'Bash', input: { command: 'npm test', description: 'Run the tests' } }, 'tool_use'),
    { ...base, type: 'user', uuid: `${id}-r`, timestamp: at, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: tool, content: output }] }, toolUseResult: { stdout: output, stderr: '', interrupted: false } },
    assistant(4, { type: 'text', text: prose(100 + rand() * 800) }, 'end_turn', `${id}_end`),
    { ...base, type: 'system', subtype: 'turn_duration', durationMs: 4000 + turn, uuid: `${id}-s`, timestamp: at },
  ].map((line) => JSON.stringify(line));
}

/** Sessions of 1 to 8 MB, a third of them with a subagent transcript. */
export async function generateTranscripts(root: string, targetBytes: number): Promise<{ files: number; bytes: number }> {
  let bytes = 0;
  let files = 0;
  for (let session = 0; bytes < targetBytes; session++) {
    const sessionId = randomUUID();
    const sessionBytes = Math.min(targetBytes - bytes, (1 + rand() * 7) * MB);
    const paths = [join(root, `-home-dev-project-${session % 12}`, `${sessionId}.jsonl`)];
    if (session % 3 === 0) paths.push(join(dirname(paths[0]!), sessionId, 'subagents', `agent-a${session.toString(16)}.jsonl`));
    for (const [i, path] of paths.entries()) {
      await mkdir(dirname(path), { recursive: true });
      const out = createWriteStream(path);
      const goal = i === 0 ? sessionBytes : sessionBytes / 4;
      for (let turn = 0, written = 0; written < goal; turn++) {
        const text = `${turnLines(sessionId, turn, i === 0 ? undefined : `a${session.toString(16)}`).join('\n')}\n`;
        written += Buffer.byteLength(text);
        bytes += Buffer.byteLength(text);
        if (!out.write(text)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      files++;
    }
  }
  return { files, bytes };
}
