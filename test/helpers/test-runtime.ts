import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  readRuntimeInfo,
  startRuntime,
  type Runtime,
  type RuntimeInfo,
  type RuntimeOptions,
} from '../../infra/local/runtime';
import { resetClients } from '../../functions/shared/clients/index';
import { logger } from '../../functions/shared/observability';

// The embedded runtime for tests: every service on a free port, data in a temporary directory,
// waiting steps that time out in seconds. Reuse it from any suite (integration, browser, ops,
// bench): `const rt = await startTestRuntime(); ... await rt.stop();`.

export interface TestRuntimeOptions extends Omit<RuntimeOptions, 'ports' | 'dataDir'> {
  /** Keep the data here instead of a fresh temporary directory (e.g. to start again on it). */
  dataDir?: string;
}

export interface TestRuntime extends Runtime {
  /** The real AWS SDK pointed at the local Step Functions endpoint. */
  sfnClient: SFNClient;
  s3Client: S3Client;
  /** Stops everything and starts again on the same data (a restart of `npm start`). */
  restart(): Promise<TestRuntime>;
  /** Stops everything; the temporary data directory is deleted unless it was given. */
  stop(): Promise<void>;
}

/** Defaults for tests: a step times out after 3 s, with one reminder before expiry. */
export const TEST_STEP_TIMEOUT_SECONDS = 3;
export const TEST_MAX_REMINDERS = 1;

export async function startTestRuntime(options: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'provisioning-rt-'));
  const runtimeOptions: RuntimeOptions = {
    stepTimeoutSeconds: TEST_STEP_TIMEOUT_SECONDS,
    maxReminders: TEST_MAX_REMINDERS,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'SILENT',
    ...options,
    // Webex jobs finish in half a second, so the first check finds them done.
    webex: { jobSeconds: 0.5, ...options.webex },
    dataDir,
    ports: { web: 0, dynamodb: 0, s3: 0, ses: 0, sfn: 0, webex: 0 },
  };
  let runtime: Runtime;
  try {
    runtime = await startRuntime(runtimeOptions);
  } catch (error) {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sfnClient = new SFNClient({ region: 'us-east-1', endpoint: runtime.urls.sfn, credentials });
  const s3Client = new S3Client({
    region: 'us-east-1',
    endpoint: runtime.urls.s3,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const halt = async () => {
    sfnClient.destroy();
    s3Client.destroy();
    await runtime.stop();
  };
  return {
    ...runtime,
    sfnClient,
    s3Client,
    restart: async () => {
      await halt();
      const again = await startTestRuntime({ ...options, dataDir });
      // The restarted runtime owns the temporary directory from now on.
      if (ownDir) {
        const stopAgain = again.stop;
        again.stop = async () => {
          await stopAgain();
          rmSync(dataDir, { recursive: true, force: true });
        };
      }
      return again;
    },
    stop: async () => {
      await halt();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface AttachedRuntime {
  urls: RuntimeInfo['urls'];
  env: Record<string, string>;
  stateMachineArn: string;
  sfnClient: SFNClient;
  s3Client: S3Client;
  close(): void;
}

/**
 * Connects this process to a runtime running elsewhere (`npm start`, another process): reads its
 * `runtime.json`, points this process's handlers and clients at it, and gives SDK clients.
 */
export function attachToRuntime(dataDir?: string): AttachedRuntime {
  const info = readRuntimeInfo(dataDir);
  Object.assign(process.env, info.env, { POWERTOOLS_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'SILENT' });
  resetClients();
  logger.setLogLevel(
    (process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT') as Parameters<typeof logger.setLogLevel>[0],
  );
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sfnClient = new SFNClient({ region: 'us-east-1', endpoint: info.urls.sfn, credentials });
  const s3Client = new S3Client({
    region: 'us-east-1',
    endpoint: info.urls.s3,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    urls: info.urls,
    env: info.env,
    stateMachineArn: info.stateMachineArn,
    sfnClient,
    s3Client,
    close: () => {
      sfnClient.destroy();
      s3Client.destroy();
    },
  };
}
