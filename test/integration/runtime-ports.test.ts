import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as Ports from '../../infra/local/ports';
import type { Service } from '../../infra/local/ports';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';

// A port picked free (0) is bound again only when its service starts; another process, or an
// outgoing connection, can take it in between (it failed a CI run with EADDRINUSE). The runtime
// then starts again on newly picked ports. Here the first port picked for the web server is
// taken by someone else before the web server binds it.

const taken: Server[] = [];
const picks: Partial<Record<Service, number[]>> = {};

vi.mock('../../infra/local/ports', async (importOriginal) => {
  const real = await importOriginal<typeof Ports>();
  return {
    ...real,
    resolvePort: async (host: string, service: Service, port: number) => {
      const picked = await real.resolvePort(host, service, port);
      (picks[service] ??= []).push(picked);
      if (service === 'web' && picks.web?.length === 1) {
        const squatter = createServer();
        await new Promise<void>((done) => squatter.listen(picked, host, done));
        taken.push(squatter);
      }
      return picked;
    },
  };
});

let rt: TestRuntime | undefined;
afterAll(async () => {
  await rt?.stop();
  for (const server of taken) server.close();
});

describe('the runtime on free ports', () => {
  it('starts again on other ports when a picked port is taken before its service binds it', async () => {
    rt = await startTestRuntime();
    const [first, second] = picks.web ?? [];
    expect(second, 'a second start picked the web port again').toBeDefined();
    expect(rt.urls.web).toBe(`http://127.0.0.1:${second}`);
    expect(second).not.toBe(first);
    expect((await fetch(`${rt.urls.web}/ops`)).status).toBe(200);
  });
});
