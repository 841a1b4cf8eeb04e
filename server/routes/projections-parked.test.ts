import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { startProjector } from '../../projections/engine/projector.js';
import { testApp, testKeys } from '../../test/support/app.js';
import { counterProjection } from '../../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';

let db: TestDatabase;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
});
afterAll(() => db.drop());

const as = (key: string | null, method = 'GET'): RequestInit => ({ method, headers: key ? { authorization: `Bearer ${key}` } : {} });

describe('GET /api/projections/:name/parked', () => {
  it('lists the unresolved parked events with their error and retry mark, and drops them once resolved', async () => {
    let broken = true;
    const projection = counterProjection({ name: 'fragile', poison: (e) => broken && (e.payload as { prompt?: string }).prompt === 'poison' });
    const poison = hookEvent({ sessionId: 'p', payload: { prompt: 'poison' } });
    const [, outcome] = await createAppender(db.sql).append([hookEvent({ sessionId: 'p' }), poison]);
    const projector = await startProjector(db.sql, { projections: [projection], pollMs: 50 });
    await projector.settled();
    await projector.stop();

    const response = await app.request('/api/projections/fragile/parked', as(testKeys.read));
    expect(response.status).toBe(200);
    const parked = (await response.json()) as Array<Record<string, unknown>>;
    expect(parked).toEqual([
      { id: expect.any(Number), position: outcome!.position, eventType: 'UserPromptSubmit', error: expect.stringMatching(/poison event/), parkedAt: expect.any(String), retryRequestedAt: null },
    ]);

    expect((await app.request(`/api/projections/fragile/parked/${parked[0]!.id}/retry`, as(testKeys.admin, 'POST'))).status).toBe(202);
    const marked = (await (await app.request('/api/projections/fragile/parked', as(testKeys.read))).json()) as Array<Record<string, unknown>>;
    expect(marked[0]!.retryRequestedAt).toEqual(expect.any(String));

    broken = false;
    const again = await startProjector(db.sql, { projections: [projection], pollMs: 50 });
    await again.settled();
    await again.stop();
    expect(await (await app.request('/api/projections/fragile/parked', as(testKeys.read))).json()).toEqual([]);
  });

  it('answers 404 for a projection no projector registered, 400 for a malformed name, 401 without a key', async () => {
    expect((await app.request('/api/projections/nothing_here/parked', as(testKeys.read))).status).toBe(404);
    expect((await app.request('/api/projections/Bad-Name/parked', as(testKeys.read))).status).toBe(400);
    expect((await app.request('/api/projections/fragile/parked', as(null))).status).toBe(401);
  });
});
