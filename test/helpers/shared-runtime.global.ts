// First: the defaults every test process starts with (metrics off, logs silent), before the
// handlers' modules load here, in vitest's main process.
import '../setup-env';
import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { startTestRuntime, type TestRuntime } from './test-runtime';

// One embedded runtime for the test files that can share it (see shared-runtime.ts): vitest's
// globalSetup, so it lives in vitest's main process, with its Lambdas, emulators and engine, and
// the test files in the workers reach it over HTTP and the AWS SDK only, as the CLIs reach
// `npm start`.
//
// It starts on the first file that asks for it, not here: a run of unit tests alone never pays
// for it, and vitest has taken the workers' environment before then, so the runtime's endpoints
// (set on this process's env, where its handlers read them) do not leak into files that start
// their own. The ask goes to a small broker on 127.0.0.1, whose address is provided to the
// workers (`inject('sharedRuntimeBroker')`).

/** The settings of the shared runtime: waiting steps wait an hour, so no reminder comes mid-test. */
export const SHARED_RUNTIME_OPTIONS = { stepTimeoutSeconds: 3600, maxReminders: 2 } as const;

declare module 'vitest' {
  export interface ProvidedContext {
    /** The broker's base URL: `GET /runtime` starts the shared runtime once and says where it is. */
    sharedRuntimeBroker: string;
  }
}

export interface SharedRuntimeInfo {
  dataDir: string;
  seeded: boolean;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let starting: Promise<TestRuntime> | undefined;
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/runtime') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /runtime');
      return;
    }
    starting ??= startTestRuntime(SHARED_RUNTIME_OPTIONS);
    starting.then(
      (rt) => {
        const info: SharedRuntimeInfo = { dataDir: rt.dataDir, seeded: rt.seeded };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info));
      },
      (error: unknown) => {
        // The next file asks again: a failed start is not kept.
        starting = undefined;
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`The shared runtime did not start: ${message}`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The broker has no TCP address');
  project.provide('sharedRuntimeBroker', `http://127.0.0.1:${address.port}`);

  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const rt = await starting?.catch(() => undefined);
    await rt?.stop();
  };
}
