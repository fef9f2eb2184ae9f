import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../functions/shared/adapters/keys';
import { startDynamoDbThread } from '../infra/local/dynamodb-thread';

// The SDK's share of a DynamoDB request on the main thread: N GetItems (after a warm-up) through
// the process's client (functions/shared/clients/dynamodb.ts), CPU of the process minus the
// DynamoDB thread's busy time, per call. `tsx bench/sdk-share.ts [calls] [warm-up]`.

const calls = Number(process.argv[2] ?? 2000);
const warm = Number(process.argv[3] ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'sdk-share-'));
const thread = await startDynamoDbThread({ path: dir, host: '127.0.0.1', port: 0 });
const endpoint = `http://127.0.0.1:${thread.port}`;
const admin = new DynamoDBClient({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
await admin.send(new CreateTableCommand(createTableInput('sdk-share')));
admin.destroy();
Object.assign(process.env, {
  DYNAMODB_ENDPOINT: endpoint,
  TABLE_NAME: 'sdk-share',
  POWERTOOLS_TRACE_ENABLED: 'false',
  // The rest of the configuration every function reads (not used here).
  AWS_REGION: 'us-east-1',
  BUCKET_NAME: 'sdk-share',
  SENDER_EMAIL: 'bench@example.com',
  OPS_EMAIL: 'ops@example.com',
  PUBLIC_BASE_URL: 'http://localhost',
  LINK_TTL_SECONDS: '3600',
  SUMMARY_URL_TTL_SECONDS: '3600',
});
const { dynamodb, GetCommand, PutCommand } = await import('../functions/shared/clients/dynamodb');
const Key = { pk: 'ORDER#1', sk: 'ORDER' };
await dynamodb().send(new PutCommand({ TableName: 'sdk-share', Item: { ...Key, name: 'Fabrikam', n: 3 } }));
const get = () => dynamodb().send(new GetCommand({ TableName: 'sdk-share', Key, ConsistentRead: true }));
for (let i = 0; i < warm; i++) await get();
const cpu0 = process.cpuUsage();
const busy0 = thread.busyMs();
const t0 = performance.now();
for (let i = 0; i < calls; i++) await get();
const wall = performance.now() - t0;
const { user, system } = process.cpuUsage(cpu0);
const busy = thread.busyMs() - busy0;
const processMs = (user + system) / 1000;
console.log(
  `${calls} GetItems: process CPU ${(processMs / calls).toFixed(3)} ms per call, DynamoDB thread ${(busy / calls).toFixed(3)} ms, main thread ${((processMs - busy) / calls).toFixed(3)} ms; wall ${(wall / calls).toFixed(3)} ms`,
);
dynamodb().destroy();
await thread.close();
rmSync(dir, { recursive: true, force: true });
