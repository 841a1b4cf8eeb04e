import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTranscripts } from '../../core/import/transcript-import.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { stored, transcriptLine } from '../../test/support/stored.js';
import { conversations } from './index.js';
import { getConversation, listConversations } from './queries.js';
import { summaries } from '../summaries/index.js';
import { startProjector } from '../engine/projector.js';
import { allProjections } from '../index.js';
import { fold } from '../projection.js';

const S = 'session-1';
const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, s)).toISOString();

describe('conversations: promptCount', () => {
  it('given "continue" typed twice, seen by 2 hooks and 2 lines, then it counts 2', () => {
    const hook = (s: number) => stored('UserPromptSubmit', { session_id: S, hook_event_name: 'UserPromptSubmit', prompt: 'continue' }, { capturedAt: new Date(at(s)) });
    const line = (uuid: string, s: number) => transcriptLine({ type: 'user', sessionId: S, uuid, timestamp: at(s), message: { role: 'user', content: 'continue' } });
    const doc = fold(conversations, [hook(1), line('u1', 1), hook(5), line('u2', 5)]).get(S)!;
    expect(doc.promptCount).toBe(2);
  });
});

describe('summaries: one document per leaf', () => {
  it('given summary lines for many leaves, in any order, then each leaf keeps its latest summary', () => {
    const lines = Array.from({ length: 12 }, (_, i) => transcriptLine({ type: 'summary', summary: `Summary ${i}`, leafUuid: `leaf-${i}` }, { position: i + 1 }));
    const later = transcriptLine({ type: 'summary', summary: 'Summary 0, again', leafUuid: 'leaf-0' }, { position: 50 });
    const docs = fold(summaries, [later, ...lines]);
    expect(docs.size).toBe(12);
    expect(docs.get('leaf-0')).toEqual({ leafUuid: 'leaf-0', title: 'Summary 0, again', position: 50 });
    expect(docs.get('leaf-11')?.title).toBe('Summary 11');
  });
});

describe('conversations: a 1.0.x summary written in a later session', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'arrakis-summary-'));
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('titles the session that owns its leaf, not the one whose file holds it', async () => {
    const earlier = 'eeeeeeee-0000-4000-8000-000000000016';
    const later = 'ffffffff-0000-4000-8000-000000000016';
    const root = join(dir, 'projects', '-home-dev-app');
    await mkdir(root, { recursive: true });
    const user = (session: string, uuid: string, parentUuid: string | null, s: number, content: string) =>
      JSON.stringify({ type: 'user', sessionId: session, uuid, parentUuid, timestamp: at(s), cwd: '/home/dev/app', message: { role: 'user', content } });
    await writeFile(join(root, `${earlier}.jsonl`), `${[user(earlier, 'e1', null, 1, 'please fix the parser'), user(earlier, 'e2', 'e1', 2, 'and its tests')].join('\n')}\n`);
    // More unmatched summaries than the old in-document list kept (8), the earlier session's among the first.
    const others = Array.from({ length: 10 }, (_, i) => JSON.stringify({ type: 'summary', summary: `Elsewhere ${i}`, leafUuid: `gone-${i}` }));
    const mine = JSON.stringify({ type: 'summary', summary: 'Parser fixes', leafUuid: 'e2' });
    await writeFile(join(root, `${later}.jsonl`), `${[mine, ...others, user(later, 'l1', null, 60, 'add a flag')].join('\n')}\n`);

    await importTranscripts(db.sql, [join(dir, 'projects')]);
    const projector = await startProjector(db.sql, { projections: allProjections });
    await projector.settled();
    await projector.stop();

    expect(await getConversation(db.sql, earlier)).toMatchObject({ title: 'Parser fixes', titleSource: 'summary' });
    expect(await getConversation(db.sql, later)).toMatchObject({ title: 'add a flag', titleSource: 'prompt' });
    const { items } = await listConversations(db.sql, { limit: 10 });
    expect(items.map((c) => [c.sessionId, c.title])).toEqual([[later, 'add a flag'], [earlier, 'Parser fixes']]);
    expect((await listConversations(db.sql, { limit: 10, q: 'parser fixes' })).items.map((c) => c.sessionId)).toEqual([earlier]);
  });
});
