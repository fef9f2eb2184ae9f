import { cpus, loadavg } from 'node:os';
import { defineConfig } from 'vitest/config';

// Time limits, never timings: on a shared machine whose load is above its core count, every
// limit grows with the load (up to 6x), so a slow run is not reported as a broken one. A quiet
// machine (CI) keeps the plain limits. waitFor() in test/helpers/wait.ts reads the same factor.
const loadFactor = Math.min(6, Math.max(1, (loadavg()[0] ?? 0) / Math.max(1, cpus().length)));
process.env.TEST_TIME_SCALE ??= loadFactor.toFixed(2);
const scale = Number(process.env.TEST_TIME_SCALE) || 1;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: Math.round(60_000 * scale),
    hookTimeout: Math.round(120_000 * scale),
    // Integration and browser suites start their own emulators on free ports; two cores here.
    maxWorkers: 2,
    setupFiles: ['test/setup-env.ts'],
  },
});
