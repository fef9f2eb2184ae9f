import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbThreadError, startDynamoDbThread } from '../../../infra/local/dynamodb-thread';

// The embedded DynamoDB runs in a worker thread: the SDK reaches it over HTTP, the runtime reads
// its request counts without a message, and closing it closes its LevelDB so the next start
// (npm start after Ctrl-C) opens the same data.

const host = '127.0.0.1';
const dir = mkdtempSync(join(tmpdir(), 'dynamodb-thread-'));
// A thread that failed to start may still be closing its LevelDB in there: retry, as rm -rf would.
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

const client = (port: number) =>
  new DynamoDBClient({
    region: 'us-east-1',
    endpoint: `http://${host}:${port}`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

describe('the DynamoDB emulator thread', () => {
  it('answers the SDK, counts requests by operation, and keeps its data across a restart', async () => {
    const first = await startDynamoDbThread({ path: dir, host, port: 0 });
    const ddb = client(first.port);
    await ddb.send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // dynalite answers CreateTable, then marks the table ACTIVE a moment later (a timer and a
    // LevelDB write): a PutItem in between is refused, as AWS refuses one on a CREATING table.
    await waitUntilTableExists(
      { client: ddb, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 },
      { TableName: 'orders' },
    );
    await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'a' }, n: { N: '1' } } }));
    await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'b' }, n: { N: '2' } } }));
    // The wait's DescribeTable calls are counted too (how many depends on when ACTIVE lands).
    const { DescribeTable: described, ...rest } = first.requests();
    expect(rest).toEqual({ CreateTable: 1, PutItem: 2 });
    expect(described).toBeGreaterThanOrEqual(1);
    expect(first.busyMs()).toBeGreaterThan(0);
    await first.close();
    ddb.destroy();

    const again = await startDynamoDbThread({ path: dir, host, port: 0 });
    const ddb2 = client(again.port);
    const { Item } = await ddb2.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'b' } } }));
    expect(Item?.n).toEqual({ N: '2' });
    expect(again.requests()).toEqual({ GetItem: 1 });
    await again.close();
    ddb2.destroy();
  });

  it('refuses to start on a port that is taken, naming the error', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, host, done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const started = startDynamoDbThread({ path: mkdtempSync(join(dir, 'busy-')), host, port });
      await expect(started).rejects.toBeInstanceOf(DynamoDbThreadError);
      await expect(started).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      blocker.close();
    }
  });
});
