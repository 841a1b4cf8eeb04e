import { randomBytes, randomUUID } from 'node:crypto';
import type { Envelope } from '../../core/envelope.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import type { NewEvent } from '../../core/events.js';
import { prng } from './prng.js';

/**
 * A fixed set of realistic hook events, built once. Each operation only stamps a fresh
 * requestId on one of them, so generating load costs next to nothing on the shared CPU and
 * every side of the comparison stores exactly the same rows. The content hash does not cover
 * the requestId, so reusing a template's hash is what the server would compute too.
 */
export interface Template {
  event: Omit<NewEvent, 'requestId'>;
  /** The JSON body split around the requestId, which comes first. */
  bodyTail: string;
  bytes: number;
}

const words = ('const let return await async function import export from if else for of new this value error result ' +
  'event session store append request response status position payload transcript config test expect describe it ' +
  'should commit batch insert select where order limit json parse string number boolean undefined null true false').split(' ');

/** Code-and-log-like text: pglz/TOAST compress it about as much as real tool output. */
function text(rand: () => number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const indent = ' '.repeat(2 * Math.floor(rand() * 4));
    const n = 3 + Math.floor(rand() * 9);
    const line = indent + Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(' ') +
      (rand() < 0.2 ? ` // ${Math.floor(rand() * 1e6)}` : '');
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

function payloadFor(i: number, sessionId: string, rand: () => number): { event: string; payload: Record<string, unknown> } {
  const common = {
    session_id: sessionId,
    transcript_path: `/home/dev/.claude/projects/-home-dev-app/${sessionId}.jsonl`,
    cwd: '/home/dev/app',
    permission_mode: 'default',
  };
  // One prompt for every two tool results, roughly the ratio seen in a coding session.
  if (i % 3 === 0) {
    return { event: 'UserPromptSubmit', payload: { ...common, hook_event_name: 'UserPromptSubmit', prompt: text(rand, 150 + rand() * 200) } };
  }
  const stdout = text(rand, 1000 + rand() * 5000);
  return {
    event: 'PostToolUse',
    payload: {
      ...common,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'npm test -- --reporter=dot', description: 'Run the test suite' },
      tool_response: { stdout, stderr: '', interrupted: false, isImage: false },
      tool_use_id: `toolu_${randomBytes(12).toString('hex')}`,
    },
  };
}

export function templates(count = 60, sessions = 8): Template[] {
  const rand = prng(42);
  const sessionIds = Array.from({ length: sessions }, () => randomUUID());
  return Array.from({ length: count }, (_, i) => {
    const sessionId = sessionIds[i % sessions]!;
    const { event, payload } = payloadFor(i, sessionId, rand);
    const rest: Omit<Envelope, 'requestId'> = {
      event,
      sessionId,
      capturedAt: new Date(Date.UTC(2026, 10, 25, 10, 0, i)).toISOString(),
      payload,
      client: { host: 'devbox', hookVersion: '1.0.0', attempt: 1 },
    };
    const { requestId: _template, ...hook } = envelopeEvents({ requestId: 'template', ...rest })[0]!;
    const bodyTail = JSON.stringify(rest).slice(1);
    return { event: hook, bodyTail, bytes: bodyTail.length + 60 };
  });
}

/** Unique per run, so repeated runs against the same server never collide. */
export function requestIds(): () => string {
  const prefix = `bench-${randomBytes(6).toString('hex')}-`;
  let n = 0;
  return () => prefix + (n++).toString(36);
}

export const bodyOf = (t: Template, requestId: string) => `{"requestId":${JSON.stringify(requestId)},${t.bodyTail}`;
