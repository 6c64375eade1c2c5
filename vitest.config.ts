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
    // A test process runs file after file with its modules loaded once (the SDK's native bridge, Fastify,
    // the form definitions): each file builds its own stack in beforeAll, so nothing of one file's state
    // is shared with the next, and the suite spends its CPU on tests rather than on loading modules.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Workflows answer within a second on an idle machine; CI machines are not idle.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
