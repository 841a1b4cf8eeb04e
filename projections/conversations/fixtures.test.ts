import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { NewEvent, StoredEvent } from '../../core/events.js';
import { lineOffsets, transcriptLineEvent } from '../../core/transcript-line.js';
import { stored } from '../../test/support/stored.js';
import { conversations } from './index.js';
import { messages } from '../messages/index.js';
import { fold } from '../projection.js';

/**
 * Real captures of several Claude Code versions, kept outside the project (../shared): both
 * projections must fold all of them without throwing and give sane documents.
 */
const dir = fileURLToPath(new URL('../../../shared/fixtures/claude-code/', import.meta.url));
const PARENT = 'ef958aa1-0e93-49f0-bb71-150f63befcd1';

let position = 1_000_000;
const asStored = (event: NewEvent): StoredEvent => ({
  ...event,
  position: ++position,
  transactionId: String(position),
  capturedAt: new Date(event.capturedAt),
  receivedAt: new Date(event.capturedAt),
});

/** Transcript lines become events the way ingest derives them, from their file's path and offset. */
function transcriptEvents(name: string): StoredEvent[] {
  const lines = readFileSync(`${dir}${name}`, 'utf8').split('\n');
  const session = /"sessionId":\s*"([^"]+)"/.exec(lines.join('\n'))?.[1] ?? name;
  const path = name.includes('subagent') ? `/h/.claude/projects/-p/${PARENT}/subagents/agent-a36efb2a1231c41e2.jsonl` : `/h/.claude/projects/-p/${session}.jsonl`;
  return lineOffsets(0, lines).flatMap((offset, i) => {
    const line = lines[i]!;
    return line.trim() === '' ? [] : [asStored(transcriptLineEvent(line, { path, offset, sessionId: session, capturedAt: '2026-11-25T12:00:00.000Z' }))];
  });
}

function hookEvents(name: string): StoredEvent[] {
  const text = readFileSync(`${dir}${name}`, 'utf8');
  const payloads: unknown[] = name.endsWith('.json') ? [JSON.parse(text)] : text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  return payloads.map((payload) => stored(String((payload as { hook_event_name?: unknown }).hook_event_name), payload));
}

function realEvents(): StoredEvent[] {
  const files = readdirSync(dir).filter((name) => name.endsWith('.jsonl')).sort();
  return files.flatMap((name) => (name.includes('hook_stdin') ? hookEvents(name) : transcriptEvents(name)));
}

const docsExamples = (): StoredEvent[] => readdirSync(`${dir}docs-examples`).sort().flatMap((name) => hookEvents(`docs-examples/${name}`));

const sortedUnique = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! < x);

const present = existsSync(dir);

describe.skipIf(!present)('projections over real Claude Code captures', () => {
  // A skipped describe still runs its body to collect the tests: read the files only when they exist.
  const events = present ? [...realEvents(), ...docsExamples()] : [];

  it('gives sane conversations', () => {
    const docs = fold(conversations, events);
    for (const doc of docs.values()) {
      expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
      if (doc.startedAt && doc.lastActivityAt) expect(doc.startedAt <= doc.lastActivityAt).toBe(true);
      expect(doc.messageCount).toBeGreaterThanOrEqual(doc.promptCount);
      expect(doc.title === null || doc.title.length <= 120).toBe(true);
    }
    expect(docs.get('c44afee0-273a-4b59-9ca3-869dccd7b1be')).toMatchObject({ promptCount: 1, toolUseCount: 6, project: 'agents_v3', status: 'waiting' });
    expect(docs.get(PARENT)).toMatchObject({ promptCount: 2, messageCount: 19, subagentCount: 1, gitBranch: 'master', model: 'claude-opus-4-7' });
    // Its summary lines describe other sessions: their leafUuids are not in the file.
    expect(docs.get('326189cf-5676-4237-8cde-1ce80aae4a9f')?.title).toBe('please fix these');
    expect(docs.get('03eb5929-52b3-4b13-ada3-b93ae35806b8')?.promptCount).toBe(7);
  });

  it('gives sane messages, the same whatever order the real events arrive in', () => {
    const docs = fold(messages, events);
    for (const doc of docs.values()) {
      expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
      expect(JSON.stringify(doc).isWellFormed()).toBe(true);
      expect(Number.isNaN(Date.parse(doc.at))).toBe(false);
      expect(doc.sources.length > 0 && sortedUnique(doc.sources)).toBe(true);
    }
    const real = realEvents();
    expect(fold(messages, [...real].reverse())).toEqual(fold(messages, real));
  });

  it('pairs and nests what hooks and transcripts both describe', () => {
    const docs = fold(messages, events);
    const prompts = [...docs.values()].filter((m) => m.kind === 'prompt' && m.sessionId === 'c44afee0-273a-4b59-9ca3-869dccd7b1be');
    // Its hook log has no times, so which line a hook joins (by time, when read) is not tested here.
    const typed = prompts.filter((m) => m.typed);
    expect(typed).toHaveLength(1);
    expect(prompts.filter((m) => !m.typed).map((m) => m.text)).toEqual(typed.map((m) => m.text));
    expect(docs.get(`tool:${PARENT}:toolu_017y4gSjMWeQ3L2DAKiygU2y`)).toMatchObject({ toolName: 'Agent', status: 'ok', childAgentId: 'a36efb2a1231c41e2' });
    expect([...docs.values()].filter((m) => m.agentId === 'a36efb2a1231c41e2').length).toBeGreaterThan(10);
    const timed = [...docs.values()].find((m) => m.kind === 'tool' && m.timing?.reportedMs !== undefined);
    expect(timed).toMatchObject({ status: 'ok', durationMs: timed?.timing?.reportedMs });
  });
});
