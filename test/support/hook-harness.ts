import { listen } from '../../server/http.js';
import { testApp, testKeys } from './app.js';
import { createTestDatabase } from './database.js';
import { hookSandbox } from './hook.js';

/** A real ingest server on its own database, and a hook sandbox pointed at it. */
export async function hookHarness() {
  const db = await createTestDatabase();
  const server = await listen(testApp(db.sql), { port: 0 });
  const sandbox = await hookSandbox();
  const api = `${server.url}api/claude-hooks`;
  return {
    db,
    server,
    sandbox,
    api,
    /** Hook environment that delivers to this server with the ingest key. */
    live: (extra: NodeJS.ProcessEnv = {}) => sandbox.env({ CLAUDE_HOOK_API_URL: api, CLAUDE_HOOK_API_KEY: testKeys.ingest, ...extra }),
    async close() {
      await server.close();
      await db.drop();
      await sandbox.cleanup();
    },
  };
}
