import type { AddressInfo } from 'node:net';
import { SfnEngine, type SfnEngineOptions } from './sfn-engine';
import { createSfnServer } from './sfn-server';

export { SfnEngine, executionArn, stateMachineArn } from './sfn-engine';
export { lambdaArn, type LocalFunction, type LambdaHandler } from './lambda-invoker';

export interface SfnEndpoint {
  url: string;
  port: number;
  engine: SfnEngine;
  /** Stops the server and the runs in memory; runs in progress resume on the next start. */
  close(): Promise<void>;
}

/**
 * Starts the local Step Functions endpoint on 127.0.0.1. Runs that were in progress resume at
 * once unless `resume: false` (then call `engine.resumeRunning()` when their handlers can run).
 */
export async function startSfnEndpoint(
  options: SfnEngineOptions & { port?: number; host?: string; resume?: boolean },
): Promise<SfnEndpoint> {
  const engine = new SfnEngine(options);
  const server = createSfnServer(engine);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (options.resume !== false) engine.resumeRunning();
  return {
    url: `http://${host}:${port}`,
    port,
    engine,
    close: async () => {
      engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
