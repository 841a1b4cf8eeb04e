import { hookHealthProjection } from './hook-health.js';
import type { DocProjection } from './projection.js';
import { statsProjection } from './stats.js';

/** Every projection a projector runs, in the order it catches them up. */
export const allProjections: readonly DocProjection<object>[] = [
  statsProjection as DocProjection<object>,
  hookHealthProjection as DocProjection<object>,
];
