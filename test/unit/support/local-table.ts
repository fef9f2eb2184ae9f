import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../../functions/shared/adapters/keys';
import { dynamodb, resetClients } from '../../../functions/shared/clients';

// A real DynamoDB (dynalite, in memory) on a free port with the project's table, so the adapters'
// conditional writes and GSI queries run for real. One per test file: start in beforeAll, stop in afterAll.

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: { createTableMs?: number }) => Server;

export interface LocalTable {
  endpoint: string;
  tableName: string;
  stop(): Promise<void>;
}

export async function startLocalTable(tableName = 'provisioning-test'): Promise<LocalTable> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const admin = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await admin.send(new CreateTableCommand(createTableInput(tableName)));
  admin.destroy();
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.TABLE_NAME = tableName;
  resetClients();
  return {
    endpoint,
    tableName,
    async stop() {
      // Close the keep-alive sockets so the server shuts down at once.
      dynamodb().destroy();
      delete process.env.DYNAMODB_ENDPOINT;
      resetClients();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
