import type { DocProjection } from '../projection.js';
import { evolveUsage, usageResponseId, type UsageDoc } from './evolve.js';
import { rollupDdl } from './rollups.js';

export type { UsageDoc, UsageTokens } from './evolve.js';

/**
 * Usage over time: one document per API response (`response:<message.id>`, last line wins,
 * as in `stats`), and rollups of them by hour and by session (rollups.ts) that the reports
 * (queries.ts, blocks.ts) read.
 */
export const usage: DocProjection<UsageDoc> = {
  name: 'usage',
  version: 1,
  handles: (event) => event.type === 'transcript.assistant',
  keys(event) {
    const id = usageResponseId(event);
    return id === null ? [] : [`response:${id}`];
  },
  evolve: (doc, event, key) => evolveUsage(doc, event, key.slice('response:'.length)),
  index: (doc) => ({ sessionId: doc.sessionId, at: doc.at, seq: doc.firstPosition }),
  ddl: rollupDdl,
};
