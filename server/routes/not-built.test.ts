import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('read routes before any projector ran', () => {
  it('answer 503 saying the read models are not built yet, not 500', async () => {
    for (const path of ['/api/conversations', '/api/conversations/some-session', '/api/stats']) {
      const response = await testApp(db.sql).request(path, { headers: { authorization: `Bearer ${testKeys.read}` } });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { message: string }).message).toMatch(/not built yet/);
    }
  });
});
