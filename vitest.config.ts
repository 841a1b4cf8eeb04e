import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,projections,server,cli,hook,test}/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // How long a poll waits for a live update to show: a bound for a loaded CI machine, not a speed check.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
