import type { Server } from 'node:http';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import type { WebexCredentials } from '../../../functions/shared/webex/webex.schema';
import { createWebexApp, type LocalWebexStats } from './webex-app';
import { NO_FAULTS, type WebexFaults } from './webex-faults';
import { WebexStateFile } from './webex-state';

// Starts the local Webex on its own port, its state in <dataDir>/webex/state.json. It registers
// one integration on first start; the runtime hands that integration's credentials to the
// handlers (WEBEX_CREDENTIALS), as a deployment stores them in Secrets Manager.

export interface LocalWebexStartOptions {
  dataDir: string;
  host: string;
  port: number;
  jobSeconds?: number;
  tokenTtlSeconds?: number;
  faults?: WebexFaults;
  /** Where the fault draws come from (a seeded stream in tests). Default Math.random. */
  random?: () => number;
}

export interface LocalWebex {
  server: Server;
  /** The page listing what exists. */
  url: string;
  /** The REST base the adapter calls (WEBEX_API_URL). */
  apiUrl: string;
  credentials: WebexCredentials;
  jobSeconds: number;
  stats: LocalWebexStats;
  setFaults(faults: WebexFaults): void;
}

export const DEFAULT_JOB_SECONDS = 2;

export async function startLocalWebex(options: LocalWebexStartOptions): Promise<LocalWebex> {
  const store = new WebexStateFile(join(options.dataDir, 'state.json'));
  const jobSeconds = options.jobSeconds ?? DEFAULT_JOB_SECONDS;
  const { app, stats, setFaults } = createWebexApp(store, {
    jobSeconds,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 14 * 24 * 3600,
    faults: options.faults ?? NO_FAULTS,
    random: options.random,
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host}:${port}`;
  const { integration } = store.state;
  return {
    server,
    url,
    apiUrl: `${url}/v1`,
    credentials: {
      clientId: integration.clientId,
      clientSecret: integration.clientSecret,
      refreshToken: integration.refreshToken,
    },
    jobSeconds,
    stats,
    setFaults,
  };
}
