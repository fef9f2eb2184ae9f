import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration and browser suites start their own emulators on free ports; two cores here.
    maxWorkers: 2,
    setupFiles: ['test/setup-env.ts'],
  },
});
