import { cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Time limits, never timings: on a shared machine whose load is above its core count, every
// limit grows with the load (up to 6x), so a slow run is not reported as a broken one. A quiet
// machine (CI) keeps the plain limits. waitFor() in test/helpers/wait.ts reads the same factor.
const loadFactor = Math.min(6, Math.max(1, (loadavg()[0] ?? 0) / Math.max(1, cpus().length)));
process.env.TEST_TIME_SCALE ??= loadFactor.toFixed(2);
const scale = Number(process.env.TEST_TIME_SCALE) || 1;

/**
 * The long files first, so the two workers end together instead of one waiting on a browser suite
 * that started last. vitest orders by the last run's durations when it has them (BaseSequencer);
 * a fresh clone (CI) has none, and would start files in path order. The groups below are the
 * slowest by the JSON reporter's per-file durations; within a group vitest's own order stands.
 */
const FIRST = [
  /^test\/e2e\//,
  /^test\/bench\/bench-run\./,
  /^test\/integration\//,
  /^test\/infra\//,
  /^test\/ops\//,
];
class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const path = relative(process.cwd(), spec.moduleId).replaceAll('\\', '/');
      const at = FIRST.findIndex((pattern) => pattern.test(path));
      return at === -1 ? FIRST.length : at;
    };
    // Array.prototype.sort is stable: vitest's order stands within a group.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: Math.round(60_000 * scale),
    hookTimeout: Math.round(120_000 * scale),
    // Integration and browser suites start their own emulators on free ports; two cores here.
    maxWorkers: 2,
    setupFiles: ['test/setup-env.ts'],
    sequence: { sequencer: LongFilesFirst },
  },
});
