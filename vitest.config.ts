import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/setup.ts'],
    // One Temporal dev server and two cores: test files run one after another.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Workflows answer within a second on an idle machine; CI machines are not idle.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
