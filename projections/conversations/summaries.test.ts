import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../core/event-store.js';
import { transcriptLineEvent } from '../../core/transcript-line.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { readChanges } from '../../server/feed/changes.js';
import { readLiveChanges } from '../../server/feed/live-changes.js';
import { getConversation, listConversations } from './queries.js';
import { startProjector } from '../engine/projector.js';
import { allProjections } from '../index.js';

/**
 * Claude Code 1.0.x wrote a session's `summary` line ({summary, leafUuid}) into a later
 * session's file. The title is the session's that holds the leaf, whichever file is stored
 * first, and still gives way to a custom or AI title.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const at = (s: number) => new Date(Date.UTC(2025, 6, 2, 8, 0, s)).toISOString();

/** A transcript file's lines as the hook ships them: events keyed by the file's path and each line's offset. */
async function store(sessionId: string, lines: object[]): Promise<void> {
  const path = `/home/dev/.claude/projects/-home-dev-old/${sessionId}.jsonl`;
  let offset = 0;
  const events = lines.map((fields) => {
    const line = JSON.stringify(fields);
    const event = transcriptLineEvent(line, { path, offset, sessionId, capturedAt: at(59) });
    offset += Buffer.byteLength(line) + 1;
    return event;
  });
  await appendEvents(db.sql, events, new Date());
}

/** A 1.0.x session: a prompt and its answer, the answer its leaf; no sessionId on its lines. */
function session(prompt: string, leaf: string, seconds: number): object[] {
  const base = { isSidechain: false, userType: 'external', cwd: '/home/dev/old', version: '1.0.51' };
  const user = randomUUID();
  return [
    { ...base, parentUuid: null, type: 'user', uuid: user, timestamp: at(seconds), message: { role: 'user', content: prompt } },
    { ...base, parentUuid: user, type: 'assistant', uuid: leaf, timestamp: at(seconds + 1), message: { id: `msg_${leaf}`, role: 'assistant', content: [{ type: 'text', text: 'Done.' }], stop_reason: 'end_turn' } },
  ];
}

const summary = (text: string, leafUuid: string) => ({ type: 'summary', summary: text, leafUuid });

async function project(): Promise<void> {
  const projector = await startProjector(db.sql, { projections: allProjections });
  await projector.settled();
  await projector.stop();
}

describe('old summary lines', () => {
  const [earlier, later, first, second, titled] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()] as const;
  const [leafOfEarlier, leafOfFirst, leafOfTitled] = [randomUUID(), randomUUID(), randomUUID()] as const;

  beforeAll(async () => {
    // Given a later session whose file starts with the summary of an earlier one, stored before it.
    await store(later, [summary('Ruff lint cleanup', leafOfEarlier), ...session('Add tests for the lexer', randomUUID(), 20)]);
    await project();
    await store(earlier, session('Fix these lint errors', leafOfEarlier, 1));
    // And, the other way round, a session stored before the file that summarises it (twice).
    await store(first, session('Speed up the cache', leafOfFirst, 30));
    await project();
    await store(second, [summary('Cache speedup', leafOfFirst), summary('Timestamp-based caching', leafOfFirst), ...session('Hello', randomUUID(), 40)]);
    // And a session with an AI title, summarised too.
    await store(titled, [...session('Explain the build', leafOfTitled, 50), { type: 'ai-title', aiTitle: 'Build walkthrough', sessionId: titled }]);
    await store(randomUUID(), [summary('Build explained', leafOfTitled)]);
    await project();
  });

  it('title the session that holds their leaf, not the one whose file they are in, in either order', async () => {
    expect(await getConversation(db.sql, earlier)).toMatchObject({ title: 'Ruff lint cleanup', titleSource: 'summary' });
    expect(await getConversation(db.sql, later)).toMatchObject({ title: 'Add tests for the lexer', titleSource: 'prompt' });
    // The latest summary of a leaf wins.
    expect(await getConversation(db.sql, first)).toMatchObject({ title: 'Timestamp-based caching', titleSource: 'summary' });
    expect(await getConversation(db.sql, second)).toMatchObject({ title: 'Hello', titleSource: 'prompt' });
    const { items } = await listConversations(db.sql);
    expect(items.find((c) => c.sessionId === earlier)).toMatchObject({ title: 'Ruff lint cleanup', titleSource: 'summary' });
    expect(items.find((c) => c.sessionId === first)).toMatchObject({ title: 'Timestamp-based caching' });
    expect(items.every((c) => !('bookkeeping' in c))).toBe(true);
    // Yet they give way to a custom or AI title.
    expect(await getConversation(db.sql, titled)).toMatchObject({ title: 'Build walkthrough', titleSource: 'ai' });
  });

  it('title the session in the live stream\'s frames too', async () => {
    const head = { transactionId: '0', position: 0 };
    const upTo = { transactionId: '18446744073709551615', position: Number.MAX_SAFE_INTEGER };
    const changes = await readChanges(db.sql, { after: head, upTo, sessionId: earlier, limit: 10 });
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.conversation?.title === 'Ruff lint cleanup' && !('bookkeeping' in c.conversation))).toBe(true);
    const live = await readLiveChanges(db.sql, ['conversations', 'summaries'], head, 1000);
    expect(live.changes.find((c) => c.sessionId === earlier)?.conversation).toMatchObject({ title: 'Ruff lint cleanup', titleSource: 'summary' });
  });

  it('make the session they title found by their words', async () => {
    const found = await listConversations(db.sql, { q: 'ruff' });
    expect(found.items.map((c) => c.sessionId)).toEqual([earlier]);
  });
});
