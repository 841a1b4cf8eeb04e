import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../core/event-store.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { testApp, testKeys } from '../../test/support/app.js';
import { checkCapture } from '../../cli/doctor-capture.js';
import { completenessRule } from '../completeness-rule.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';

let db: TestDatabase;
const complete = 'eeeeeeee-3333-4000-8000-000000000001';
const gappy = 'ffffffff-3333-4000-8000-000000000002';
const read = { authorization: `Bearer ${testKeys.read}` };

/** A hook event with the transcript lines it shipped; `skip` leaves one line out of the chunk (the hook lost it). */
function turn(sessionId: string, skip?: number) {
  const path = `/home/dev/.claude/projects/-app/${sessionId}.jsonl`;
  const at = (s: number) => `2026-11-30T10:00:0${s}.000Z`;
  const lines = [
    { type: 'user', uuid: 'u1', sessionId, timestamp: at(1), message: { role: 'user', content: 'list files please' } },
    { type: 'assistant', uuid: 'a1', sessionId, timestamp: at(2), message: { id: `m-${sessionId}`, role: 'assistant', content: [{ type: 'text', text: 'Here they are, all of them.' }] } },
    { type: 'assistant', uuid: 'a2', sessionId, timestamp: at(3), message: { id: `n-${sessionId}`, role: 'assistant', content: [{ type: 'text', text: 'Anything else you need?' }] } },
  ].map((l) => JSON.stringify(l));
  const start = envelopeEvents({ requestId: `${sessionId}-start`, event: 'SessionStart', sessionId, capturedAt: at(0), payload: { session_id: sessionId, hook_event_name: 'SessionStart' }, client: { host: 'alpha' } });
  const prompt = envelopeEvents({ requestId: `${sessionId}-prompt`, event: 'UserPromptSubmit', sessionId, capturedAt: at(1), payload: { session_id: sessionId, hook_event_name: 'UserPromptSubmit', prompt: 'list files please' }, client: { host: 'alpha' } });
  const kept = lines.map((text, i) => (i === skip ? ' '.repeat(Buffer.byteLength(text)) : text));
  const stop = envelopeEvents({ requestId: `${sessionId}-stop`, event: 'Stop', sessionId, capturedAt: at(4), payload: { session_id: sessionId, hook_event_name: 'Stop' }, client: { host: 'alpha' }, transcript: [{ path, offset: 0, lines: kept }] });
  return [...start, ...prompt, ...stop];
}

beforeAll(async () => {
  db = await createTestDatabase();
  await appendEvents(db.sql, [...turn(complete), ...turn(gappy, 1)], new Date());
  const projector = await startProjector(db.sql, { projections: allProjections });
  await projector.settled();
  await projector.stop();
});
afterAll(() => db.drop());

describe('GET /api/completeness', () => {
  const get = async (path: string) => {
    const res = await testApp(db.sql).request(path, { headers: read });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('says a whole session is complete, and names the byte range a lost line leaves', async () => {
    expect((await get(`/api/conversations/${complete}/completeness`)).body).toMatchObject({ unexplained: 0, rate: 1, gaps: [] });
    const gaps = (await get(`/api/conversations/${gappy}/completeness`)).body;
    expect(gaps).toMatchObject({ unexplained: 1, host: 'alpha', gaps: [{ kind: 'range', expected: false, range: { file: `${gappy}.jsonl` } }] });
  });

  it('gives the overall rate and the sessions with unexplained gaps, per host too', async () => {
    const { status, body } = await get('/api/completeness');
    expect(status).toBe(200);
    expect(body).toMatchObject({ sessions: 2, unexplained: 1, sessionsWithGaps: [{ sessionId: gappy, unexplained: 1 }] });
    expect(body.rate as number).toBeLessThan(1);
    expect(body.rate as number).toBeGreaterThan(0.8);
    expect(body.byHost).toMatchObject([{ host: 'alpha', unexplained: 1 }]);
    expect((await get('/api/conversations/nope/completeness')).status).toBe(404);
    expect((await testApp(db.sql).request('/api/completeness')).status).toBe(401);
  });

  it('raises the capture-gaps alert and exports the gauges', async () => {
    const [finding] = await completenessRule(db.sql).check(new Date());
    expect(finding).toMatchObject({ id: 'capture-gaps', level: 'warning', details: { unexplained: 1, sessions: [gappy] } });
    const text = await (await testApp(db.sql).request('/metrics', { headers: read })).text();
    expect(text).toMatch(/^arrakis_capture_unexplained_gaps 1$/m);
    expect(text).toMatch(/^arrakis_capture_rate 0\.\d+$/m);
    const [doctor] = await checkCapture(db.sql);
    expect(doctor).toMatchObject({ check: 'capture', verdict: 'warn' });
    expect(doctor!.detail).toContain(`1 unexplained gap(s): ${gappy} (1)`);
  });
});
