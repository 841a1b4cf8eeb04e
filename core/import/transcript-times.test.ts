import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { writeTranscripts } from '../../test/support/transcripts.js';
import { transcriptLineEvent } from '../transcript-line.js';
import { importTranscripts } from './transcript-import.js';

/**
 * What time `arrakis import` gives a line without a timestamp of its own: never the day the
 * import ran (the file's modification time), and always marked as a guess.
 */
let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'arrakis-times-'));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const at = (s: number) => new Date(Date.UTC(2025, 6, 3, 8, 0, s)).toISOString();

interface Row {
  type: string;
  captured_at: Date;
  estimated: boolean | null;
  request_id: string;
  offset: number;
}

const rowsOf = (sessionId: string) => db.sql<Row[]>`
  select type, captured_at, (payload->>'timeEstimated')::boolean as estimated, request_id, (payload->>'offset')::int as "offset"
    from arrakis.events where session_id = ${sessionId} order by position`;

const times = (rows: Row[]) => rows.map((row) => [row.type.replace('transcript.', ''), row.captured_at.toISOString(), row.estimated ?? false]);

describe('import: lines without a timestamp', () => {
  it('take the first later time before the first timed line, the last earlier one after it, and say they are estimated', async () => {
    const sessionId = randomUUID();
    const lines = [
      { type: 'summary', summary: 'An older session', leafUuid: randomUUID() },
      { type: 'file-history-snapshot', messageId: 'm0', snapshot: { trackedFileBackups: {}, timestamp: at(0) } },
      { type: 'user', sessionId, uuid: 'u1', timestamp: at(5), message: { role: 'user', content: 'hi' } },
      { type: 'assistant', sessionId, uuid: 'a1', timestamp: at(8), message: { id: 'msg_1', role: 'assistant', content: [{ type: 'text', text: 'hello' }] } },
      { type: 'last-prompt', sessionId, lastPrompt: 'hi' },
    ].map((line) => JSON.stringify(line));
    const path = `-home-dev-times/${sessionId}.jsonl`;
    await writeTranscripts(dir, [{ path, lines }]);

    expect(await importTranscripts(db.sql, [join(dir, path)])).toMatchObject({ stored: 5, failed: 0 });
    const rows = await rowsOf(sessionId);
    expect(times(rows)).toEqual([
      ['summary', at(5), true],
      ['file-history-snapshot', at(5), true],
      ['user', at(5), false],
      ['assistant', at(8), false],
      ['last-prompt', at(8), true],
    ]);
    // The mark is outside the line's identity: the hook's event of the same line has the same requestId.
    const shipped = transcriptLineEvent(lines[0]!, { path: `/home/dev/.claude/projects/${path}`, offset: 0, sessionId, capturedAt: at(59) });
    expect(rows[0]!.request_id).toBe(shipped.requestId);
    expect(shipped.payload).not.toHaveProperty('timeEstimated');
  });

  it('after lines stored before, take the time of the last stored line that has one', async () => {
    const sessionId = randomUUID();
    const path = `-home-dev-again/${sessionId}.jsonl`;
    const timed = (uuid: string, s: number) => JSON.stringify({ type: 'user', sessionId, uuid, timestamp: at(s), message: { role: 'user', content: uuid } });
    await writeTranscripts(dir, [{ path, lines: [timed('u1', 1), timed('u2', 2)] }]);
    await importTranscripts(db.sql, [join(dir, path)]);
    // Claude Code went on writing: an untimed line, then a timed one.
    await appendFile(join(dir, path), `${JSON.stringify({ type: 'file-history-snapshot', messageId: 'm3' })}\n${timed('u3', 30)}\n`);

    expect(await importTranscripts(db.sql, [join(dir, path)])).toMatchObject({ stored: 2, duplicate: 2 });
    expect(times(await rowsOf(sessionId)).slice(2)).toEqual([['file-history-snapshot', at(2), true], ['user', at(30), false]]);
  });

  it('in a file with no time at all, take the start of its session', async () => {
    const sessionId = randomUUID();
    const main = JSON.stringify({ type: 'user', sessionId, uuid: 'u1', timestamp: at(7), message: { role: 'user', content: 'run the workflow' } });
    const journal = [JSON.stringify({ type: 'started', agentId: 'a1', label: 'scan' }), JSON.stringify({ type: 'result', agentId: 'a1' })];
    await writeTranscripts(join(dir, 'workflow'), [
      { path: `-home-dev-wf/${sessionId}.jsonl`, lines: [main] },
      { path: `-home-dev-wf/${sessionId}/subagents/workflows/wf_1/journal.jsonl`, lines: journal },
    ]);
    await importTranscripts(db.sql, [join(dir, 'workflow')]);
    expect(times(await rowsOf(sessionId))).toEqual([['user', at(7), false], ['started', at(7), true], ['result', at(7), true]]);
  });
});
