import { completeness } from './completeness/index.js';
import { conversations } from './conversations/index.js';
import { summaries } from './summaries/index.js';
import { hookHealthProjection } from './hook-health.js';
import { hookLogsProjection } from './hook-logs.js';
import { messages } from './messages/index.js';
import type { DocProjection } from './projection.js';
import { sidechains } from './sidechains/index.js';
import { statsProjection } from './stats.js';
import { usage } from './usage/index.js';

/** Every projection a projector runs, in the order it catches them up. */
export const allProjections: readonly DocProjection<object>[] = [
  conversations as DocProjection<object>,
  summaries as DocProjection<object>,
  messages as DocProjection<object>,
  sidechains as DocProjection<object>,
  statsProjection as DocProjection<object>,
  usage as DocProjection<object>,
  hookHealthProjection as DocProjection<object>,
  hookLogsProjection as DocProjection<object>,
  completeness as DocProjection<object>,
];
