/** The usage reports, each reading the rollups (rollups.ts) only. */
export { dailyUsage, monthlyUsage, weeklyUsage, type PeriodOptions } from './periods.js';
export { projectUsage, sessionUsage, type SessionOptions } from './sessions.js';
export { blockUsage, type BlockOptions } from './block-queries.js';
export { statuslineUsage } from './statusline.js';
