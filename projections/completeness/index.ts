import type { DocProjection } from '../projection.js';
import { completenessKeys, evolveCompleteness, type CompletenessDoc } from './evolve.js';
import { completenessRollupDdl } from './rollups.js';

export type { CompletenessDoc } from './evolve.js';

/**
 * Capture completeness, from the log alone: per tool use, prompt text, transcript file and
 * session, what the hook stream and the transcript should both hold and what they do
 * (evolve.ts); summed per session (rollups.ts) and classified when read (classify.ts).
 */
export const completeness: DocProjection<CompletenessDoc> = {
  name: 'completeness',
  version: 2,
  handles: () => true,
  keys: completenessKeys,
  evolve: evolveCompleteness,
  index: (doc) => ({ sessionId: doc.sessionId, at: 'at' in doc ? doc.at : null }),
  ddl: completenessRollupDdl,
};
