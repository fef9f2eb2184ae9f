import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resetClients } from '../../functions/shared/clients';

// A real S3 (s3rver on a temporary directory) on a free port with the project's bucket.
// Start in beforeAll, stop in afterAll; the environment is restored on stop.

const require = createRequire(import.meta.url);

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  stop(): Promise<void>;
}

export async function startLocalS3(bucket = 'provisioning-test'): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const saved = { S3_ENDPOINT: process.env.S3_ENDPOINT, BUCKET_NAME: process.env.BUCKET_NAME };
  process.env.S3_ENDPOINT = endpoint;
  process.env.BUCKET_NAME = bucket;
  resetClients();
  return {
    endpoint,
    bucket,
    async stop() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      resetClients();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
