import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  dynamodb,
  GetCommand,
  instrumentDynamodb,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '../../../functions/shared/clients/dynamodb';
import { startLocalTable, type LocalTable } from '../support/local-table';

// The process's DynamoDB client: a plain client with the handler cache, behind commands that take
// and give plain objects. Run against a real DynamoDB (dynalite), so what is written is what a
// later read finds, in DynamoDB's own types.

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable('dynamodb-client-test');
});
afterAll(async () => {
  await table.stop();
});

let n = 0;
const pk = () => `CLIENT#${process.pid}-${++n}`;

describe('the DynamoDB client', () => {
  it('writes plain objects and reads them back as they were, leaving out undefined attributes', async () => {
    const key = { pk: pk(), sk: 'ITEM' };
    await dynamodb().send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...key,
          name: 'Fabrikam',
          count: 3,
          ratio: 0.5,
          open: true,
          nothing: null,
          gone: undefined,
          tags: ['a', 'b'],
          address: { city: 'Zürich', lines: ['Bahnhofstrasse 1'], zip: undefined },
          codes: new Set(['X', 'Y']),
        },
      }),
    );

    const { Item } = await dynamodb().send(new GetCommand({ TableName: table.tableName, Key: key }));

    expect(Item).toEqual({
      ...key,
      name: 'Fabrikam',
      count: 3,
      ratio: 0.5,
      open: true,
      nothing: null,
      tags: ['a', 'b'],
      address: { city: 'Zürich', lines: ['Bahnhofstrasse 1'] },
      codes: new Set(['X', 'Y']),
    });
    expect(Item).not.toHaveProperty('gone');
  });

  it('reads no item as undefined', async () => {
    const { Item } = await dynamodb().send(
      new GetCommand({ TableName: table.tableName, Key: { pk: pk(), sk: 'NONE' } }),
    );
    expect(Item).toBeUndefined();
  });

  it('updates with expression values and returns the new attributes as a plain object', async () => {
    const key = { pk: pk(), sk: 'ITEM' };
    await dynamodb().send(new PutCommand({ TableName: table.tableName, Item: { ...key, count: 1 } }));

    const { Attributes } = await dynamodb().send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: key,
        UpdateExpression: 'SET #c = #c + :one, #s = :status',
        ConditionExpression: '#c = :was',
        ExpressionAttributeNames: { '#c': 'count', '#s': 'status' },
        ExpressionAttributeValues: { ':one': 1, ':was': 1, ':status': { state: 'ready' } },
        ReturnValues: 'ALL_NEW',
      }),
    );

    expect(Attributes).toEqual({ ...key, count: 2, status: { state: 'ready' } });
    // The condition reads the marshalled values too: a stale count is refused.
    await expect(
      dynamodb().send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: key,
          UpdateExpression: 'SET #c = :n',
          ConditionExpression: '#c = :was',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':n': 9, ':was': 1 },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('pages a Query with the last evaluated key as a plain object', async () => {
    const partition = pk();
    for (const sk of ['A', 'B', 'C'])
      await dynamodb().send(
        new PutCommand({ TableName: table.tableName, Item: { pk: partition, sk, v: sk } }),
      );

    const seen: string[] = [];
    let start: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await dynamodb().send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ExclusiveStartKey: start,
          Limit: 2,
        }),
      );
      seen.push(...(page.Items ?? []).map((item) => item.v as string));
      start = page.LastEvaluatedKey;
      if (start) expect(start).toEqual({ pk: partition, sk: 'B' });
      pages += 1;
    } while (start);

    expect(seen).toEqual(['A', 'B', 'C']);
    expect(pages).toBe(2);
  });

  it('writes and reads in batches, and deletes', async () => {
    const partition = pk();
    const keys = ['1', '2', '3'].map((sk) => ({ pk: partition, sk }));
    const res = await dynamodb().send(
      new BatchWriteCommand({
        RequestItems: {
          [table.tableName]: keys.map((key) => ({ PutRequest: { Item: { ...key, n: Number(key.sk) } } })),
        },
      }),
    );
    expect(res.UnprocessedItems?.[table.tableName] ?? []).toEqual([]);

    await dynamodb().send(new DeleteCommand({ TableName: table.tableName, Key: keys[1] }));
    const { Responses } = await dynamodb().send(
      new BatchGetCommand({ RequestItems: { [table.tableName]: { Keys: keys, ConsistentRead: true } } }),
    );

    const items = (Responses?.[table.tableName] ?? []).sort((a, b) =>
      String(a.sk).localeCompare(String(b.sk)),
    );
    expect(items).toEqual([
      { pk: partition, sk: '1', n: 1 },
      { pk: partition, sk: '3', n: 3 },
    ]);
    const scanned = await dynamodb().send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
      }),
    );
    expect(scanned.Items).toHaveLength(2);
  });

  it('resolves its middleware once per command and counts every request of an instrument added late', async () => {
    expect(dynamodb().config.cacheMiddleware).toBe(true);
    const key = { pk: pk(), sk: 'ITEM' };
    // The client has sent GetItem and PutItem before the counter is added.
    await dynamodb().send(new PutCommand({ TableName: table.tableName, Item: key }));
    await dynamodb().send(new GetCommand({ TableName: table.tableName, Key: key }));

    const counted: string[] = [];
    const remove = instrumentDynamodb((client) =>
      client.middlewareStack.add(
        (next, context) => async (args) => {
          counted.push(context.commandName ?? '?');
          return next(args);
        },
        { step: 'initialize', name: 'testCount' },
      ),
    );
    try {
      for (let i = 0; i < 3; i++) {
        await dynamodb().send(new PutCommand({ TableName: table.tableName, Item: { ...key, i } }));
        await dynamodb().send(new GetCommand({ TableName: table.tableName, Key: key }));
      }
    } finally {
      remove();
    }
    await dynamodb().send(new GetCommand({ TableName: table.tableName, Key: key }));

    expect(counted).toEqual(Array.from({ length: 3 }, () => ['PutItemCommand', 'GetItemCommand']).flat());
  });
});

describe('the DynamoDB client on the wire', () => {
  let ddb: AwsClientStub<DynamoDBClient>;
  beforeAll(() => {
    ddb = mockClient(DynamoDBClient);
  });
  afterEach(() => ddb.reset());
  afterAll(() => ddb.restore());

  it("sends DynamoDB's attribute values and answers with plain objects", async () => {
    ddb.on(GetItemCommand).resolves({ Item: { pk: { S: 'ORDER#1' }, sk: { S: 'ORDER' }, n: { N: '42' } } });
    ddb.on(PutItemCommand).resolves({});

    const { Item } = await dynamodb().send(
      new GetCommand({ TableName: 't', Key: { pk: 'ORDER#1', sk: 'ORDER' }, ConsistentRead: true }),
    );
    await dynamodb().send(
      new PutCommand({
        TableName: 't',
        Item: { pk: 'ORDER#1', sk: 'ORDER', skipped: undefined },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );

    expect(Item).toEqual({ pk: 'ORDER#1', sk: 'ORDER', n: 42 });
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: 't',
      Key: { pk: { S: 'ORDER#1' }, sk: { S: 'ORDER' } },
      ConsistentRead: true,
    });
    expect(ddb.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: 't',
      Item: { pk: { S: 'ORDER#1' }, sk: { S: 'ORDER' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });
});
