import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/setup.ts'],
    // One Temporal dev server for the run; every test file has a stack of its own (database, task queue,
    // programme, SMTP server), so files run side by side. Most of a test's time is spent waiting for
    // workflow timers and emails, so five at a time keep two cores busy without starving any one.
    fileParallelism: true,
    maxWorkers: 5,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Workflows answer within a second on an idle machine; CI machines are not idle.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
