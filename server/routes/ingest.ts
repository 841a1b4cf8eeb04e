import { Hono } from 'hono';
import type { Appender } from '../../core/group-commit.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import { ingestBatch, ingestOne } from '../ingest-core.js';
import { countDelivery, countIngest } from '../ingest-metrics.js';
import type { Keyring } from '../keyring.js';
import type { Metrics } from '../metrics.js';
import { readJsonText } from '../read-body.js';

export interface IngestDeps {
  appender: Appender;
  keyring: Keyring;
  bodyLimitBytes: number;
  metrics: Metrics;
}

/**
 * `POST /api/claude-hooks`: the contract's ingest endpoint. 201 stored, 200 duplicate, 409 conflict.
 * `POST /api/claude-hooks/batch`: many envelopes in one request and one commit, each with its own outcome.
 */
export function ingestRoutes({ appender, keyring, bodyLimitBytes, metrics }: IngestDeps) {
  const core = { appender, metrics };
  return new Hono<AppEnv>()
    .post('/api/claude-hooks', countIngest(metrics), requireScope(keyring, 'ingest'), async (c) => {
      const text = await readJsonText(c.req.raw, bodyLimitBytes);
      const answer = await ingestOne(core, text, c.get('logFields'));
      return c.json(answer.body, answer.status as 200 | 201);
    })
    .post('/api/claude-hooks/batch', countIngest(metrics), requireScope(keyring, 'ingest'), async (c) => {
      c.get('logFields').batch = true;
      const text = await readJsonText(c.req.raw, bodyLimitBytes);
      const answer = await ingestBatch(core, text, c.get('logFields'));
      answer.results.forEach((result, i) => countDelivery(metrics, result.status, answer.attempts[i]));
      return c.json(answer.body, 200);
    });
}
