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

/**
 * The unit and setup-page tests share their workers' loaded modules (isolate: false): each file
 * starts its own local table, mocks and configuration and puts them back, so a fresh process per
 * file only loaded the AWS SDK, zod and Hono again, 48 times (import was 96 s of their 142 s;
 * shared, 11 s of 48 s, at a similar load). So do the CDK tests (below) and the files that only
 * read. Suites that start a runtime or a browser, spawn the bundler, and the runtime's own pieces
 * (test/unit/local), keep a process per file: a runtime leaves its endpoints in process.env. The
 * integration and browser files that need no runtime of their own use the one shared runtime
 * (test/helpers/shared-runtime.ts, the globalSetup below).
 */
const SHARED_MODULES = [
  'test/unit/{adapters,domain,events,handlers,i18n,shared,webex}/**/*.test.ts',
  'test/wizard/**/*.test.ts',
  // Files that only read the repository or render in memory: no runtime, env or child process.
  'test/asl/**/*.test.ts',
  // The CDK tests: aws-cdk-lib is loaded, and the default app synthesized (synth-app.fixture.ts),
  // once per worker instead of once per file. Their templates are only read.
  'test/infra/{cdk-nag,cfn-lint,cfn-validation,function-permissions,physical-names,security-model,settings,stateful-stack,webex-precheck,workflow-stack}.test.ts',
  'test/bench/{args,browser,cost-model,counters}.test.ts',
  'test/docs/{deploy-tables,reference,runbook-names}.test.ts',
  'test/documents/{audit-vocabulary,email-templates,summary-audit}.test.ts',
  'test/ops/{asl-graph,ops-render,run-history}.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: Math.round(60_000 * scale),
    hookTimeout: Math.round(120_000 * scale),
    // Integration and browser suites start their own emulators on free ports; two cores here.
    maxWorkers: 2,
    // Concurrent suites (the browser scenarios, the provisioning paths) mostly wait on their runs:
    // all of a suite's tests at once, not vitest's default of 5 then the rest.
    maxConcurrency: 16,
    setupFiles: ['test/setup-env.ts'],
    sequence: { sequencer: LongFilesFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'own-process',
          include: ['test/**/*.test.ts'],
          exclude: SHARED_MODULES,
          // One runtime for the files that can share one (test/helpers/shared-runtime.ts), started
          // in this main process on the first file that asks for it.
          globalSetup: ['test/helpers/shared-runtime.global.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'shared-modules', include: SHARED_MODULES, isolate: false },
      },
    ],
  },
});
