import type { Sql } from 'postgres';
import { createAppender } from '../../core/group-commit.js';
import type { Keys } from '../../core/keys.js';
import { createApp } from '../../server/app.js';

export const testKeys: Keys = {
  ingest: 'test-ingest-key-0123456789',
  read: 'test-read-key-0123456789',
  admin: 'test-admin-key-0123456789',
};

export function testApp(sql: Sql, overrides: { bodyLimitBytes?: number } = {}) {
  return createApp({ sql, appender: createAppender(sql), keys: testKeys, ...overrides });
}

export function post(body: string | Buffer, headers: Record<string, string> = {}) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.ingest}`, ...headers },
    body,
  };
}
