import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand as QueryItemsCommand,
  ScanCommand as ScanItemsCommand,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
// Types only (erased from the bundles): the document shapes adapters already write.
import type * as Doc from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { getConfig } from '../config';
import { traced } from '../observability';
import { clientOptions } from './credentials';

// The process's DynamoDB client: the plain client of SDK v3 with its handler cache
// (`cacheMiddleware`: a command resolves the middleware stack once per command class, not on
// every send), behind a small document-command facade. Adapters write items as plain objects
// (`new GetCommand({ Key: { pk, sk } })`, as with lib-dynamodb's DocumentClient, whose commands
// resolve their own stack on every send and refuse the cache); this module, and only this one,
// marshals them with @aws-sdk/util-dynamodb on the way in and unmarshals the answer. Measured
// per GetItem on the main thread (docs/performance.md): DocumentClient 2.6 ms, plain client
// 1.9 ms, plain client with the cache 1.2 ms.
//
// Marshalled: Key, Item, ExpressionAttributeValues, ExclusiveStartKey, a batch's keys and items;
// unmarshalled: Item, Items, Attributes, LastEvaluatedKey, a batch's responses and unprocessed
// keys and items. DynamoDB's legacy parameters (Expected, AttributeUpdates, KeyConditions,
// QueryFilter, ScanFilter) are not: no adapter uses them, and DynamoDB refuses them unmarshalled
// (hence the casts below, from the document shapes that still allow them).

/** lib-dynamodb's defaults, with `undefined` attributes left out rather than refused. */
const MARSHALL = { removeUndefinedValues: true } as const;

type Item = Record<string, unknown>;
type Marshalled = Record<string, AttributeValue>;

const toItem = (item: Item): Marshalled => marshall(item, MARSHALL);
const maybeToItem = (item: Item | undefined): Marshalled | undefined => (item ? toItem(item) : undefined);
const fromItem = (item: Marshalled): Item => unmarshall(item);
const maybeFromItem = (item: Marshalled | undefined): Item | undefined => (item ? fromItem(item) : undefined);
const mapValues = <A, B>(
  record: Record<string, A> | undefined,
  f: (a: A) => B,
): Record<string, B> | undefined =>
  record && Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));

/** A command of the facade: a document-shaped input, and how it runs on the plain client. */
export abstract class DocumentCommand<Input extends object, Output extends object> {
  /** The output's type (never set: it lets `send` infer what a command answers). */
  declare readonly outputType: Output;
  constructor(readonly input: Input) {}
  /** Marshals the input, sends the low-level command and unmarshals its output. */
  abstract sendWith(client: DynamoDBClient): Promise<Output>;
}

export class GetCommand extends DocumentCommand<Doc.GetCommandInput, Doc.GetCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<Doc.GetCommandOutput> {
    const { Item, ...out } = await client.send(
      new GetItemCommand({ ...this.input, Key: maybeToItem(this.input.Key) }),
    );
    return { ...out, Item: maybeFromItem(Item) };
  }
}

export class PutCommand extends DocumentCommand<Doc.PutCommandInput, Doc.PutCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<Doc.PutCommandOutput> {
    const { Attributes, ...out } = await client.send(
      new PutItemCommand({
        ...this.input,
        Item: maybeToItem(this.input.Item),
        ExpressionAttributeValues: maybeToItem(this.input.ExpressionAttributeValues),
      }),
    );
    return { ...out, Attributes: maybeFromItem(Attributes) } as Doc.PutCommandOutput;
  }
}

export class UpdateCommand extends DocumentCommand<Doc.UpdateCommandInput, Doc.UpdateCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<Doc.UpdateCommandOutput> {
    const { Attributes, ...out } = await client.send(
      new UpdateItemCommand({
        ...this.input,
        Key: maybeToItem(this.input.Key),
        ExpressionAttributeValues: maybeToItem(this.input.ExpressionAttributeValues),
      } as ConstructorParameters<typeof UpdateItemCommand>[0]),
    );
    return { ...out, Attributes: maybeFromItem(Attributes) } as Doc.UpdateCommandOutput;
  }
}

export class DeleteCommand extends DocumentCommand<Doc.DeleteCommandInput, Doc.DeleteCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<Doc.DeleteCommandOutput> {
    const { Attributes, ...out } = await client.send(
      new DeleteItemCommand({
        ...this.input,
        Key: maybeToItem(this.input.Key),
        ExpressionAttributeValues: maybeToItem(this.input.ExpressionAttributeValues),
      } as ConstructorParameters<typeof DeleteItemCommand>[0]),
    );
    return { ...out, Attributes: maybeFromItem(Attributes) } as Doc.DeleteCommandOutput;
  }
}

export class QueryCommand extends DocumentCommand<Doc.QueryCommandInput, Doc.QueryCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<Doc.QueryCommandOutput> {
    const { Items, LastEvaluatedKey, ...out } = await client.send(
      new QueryItemsCommand({
        ...this.input,
        ExpressionAttributeValues: maybeToItem(this.input.ExpressionAttributeValues),
        ExclusiveStartKey: maybeToItem(this.input.ExclusiveStartKey),
      } as ConstructorParameters<typeof QueryItemsCommand>[0]),
    );
    return { ...out, Items: Items?.map(fromItem), LastEvaluatedKey: maybeFromItem(LastEvaluatedKey) };
  }
}

export class ScanCommand extends DocumentCommand<Doc.ScanCommandInput, Doc.ScanCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<Doc.ScanCommandOutput> {
    const { Items, LastEvaluatedKey, ...out } = await client.send(
      new ScanItemsCommand({
        ...this.input,
        ExpressionAttributeValues: maybeToItem(this.input.ExpressionAttributeValues),
        ExclusiveStartKey: maybeToItem(this.input.ExclusiveStartKey),
      } as ConstructorParameters<typeof ScanItemsCommand>[0]),
    );
    return { ...out, Items: Items?.map(fromItem), LastEvaluatedKey: maybeFromItem(LastEvaluatedKey) };
  }
}

export class BatchGetCommand extends DocumentCommand<Doc.BatchGetCommandInput, Doc.BatchGetCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<Doc.BatchGetCommandOutput> {
    const { Responses, UnprocessedKeys, ...out } = await client.send(
      new BatchGetItemCommand({
        ...this.input,
        RequestItems: mapValues(this.input.RequestItems, (request) => ({
          ...request,
          Keys: request.Keys?.map(toItem),
        })),
      } as ConstructorParameters<typeof BatchGetItemCommand>[0]),
    );
    return {
      ...out,
      Responses: mapValues(Responses, (items) => items.map(fromItem)),
      UnprocessedKeys: mapValues(UnprocessedKeys, (request) => ({
        ...request,
        Keys: request.Keys?.map(fromItem),
      })),
    } as Doc.BatchGetCommandOutput;
  }
}

type DocWriteRequest = NonNullable<Doc.BatchWriteCommandInput['RequestItems']>[string][number];

export class BatchWriteCommand extends DocumentCommand<
  Doc.BatchWriteCommandInput,
  Doc.BatchWriteCommandOutput
> {
  async sendWith(client: DynamoDBClient): Promise<Doc.BatchWriteCommandOutput> {
    const { UnprocessedItems, ...out } = await client.send(
      new BatchWriteItemCommand({
        ...this.input,
        RequestItems: mapValues(this.input.RequestItems, (requests) =>
          requests.map((r: DocWriteRequest): WriteRequest => ({
            PutRequest: r.PutRequest && { Item: toItem(r.PutRequest.Item as Item) },
            DeleteRequest: r.DeleteRequest && { Key: toItem(r.DeleteRequest.Key as Item) },
          })),
        ),
      }),
    );
    return {
      ...out,
      UnprocessedItems: mapValues(UnprocessedItems, (requests) =>
        requests.map((r) => ({
          PutRequest: r.PutRequest?.Item && { Item: fromItem(r.PutRequest.Item) },
          DeleteRequest: r.DeleteRequest?.Key && { Key: fromItem(r.DeleteRequest.Key) },
        })),
      ),
    } as Doc.BatchWriteCommandOutput;
  }
}

/** What adapters send commands through. */
export interface DocumentClient {
  send<Output extends object>(command: DocumentCommand<object, Output>): Promise<Output>;
  /** The plain client's configuration and middleware stack. */
  readonly config: DynamoDBClient['config'];
  readonly middlewareStack: DynamoDBClient['middlewareStack'];
  /** The plain client underneath (for low-level commands; tests mock its class). */
  readonly plain: DynamoDBClient;
  /** Closes the plain client's sockets. */
  destroy(): void;
}

function documentClient(plain: DynamoDBClient): DocumentClient {
  return {
    send: (command) => command.sendWith(plain),
    config: plain.config,
    middlewareStack: plain.middlewareStack,
    plain,
    destroy: () => plain.destroy(),
  };
}

let client: DocumentClient | undefined;
const instruments: ((client: DynamoDBClient) => void)[] = [];

/** The process's one DynamoDB client (endpoint from configuration). */
export function dynamodb(): DocumentClient {
  if (!client) {
    const plain = traced(
      new DynamoDBClient({ ...clientOptions(getConfig().DYNAMODB_ENDPOINT), cacheMiddleware: true }),
    );
    for (const instrument of instruments) instrument(plain);
    client = documentClient(plain);
  }
  return client;
}

/**
 * Adds middleware to the process's DynamoDB client, now and after every reset (the bench's
 * request counters). A client with the handler cache ignores middleware added after its first
 * send of a command, so the current client is replaced by a new one that gets it before it
 * sends anything. Returns what takes it off again.
 */
export function instrumentDynamodb(instrument: (client: DynamoDBClient) => void): () => void {
  instruments.push(instrument);
  client = undefined;
  return () => {
    instruments.splice(instruments.indexOf(instrument), 1);
    client = undefined;
  };
}

/** Tests swap clients by resetting them after changing the configuration. */
export function resetDynamodb(): void {
  client = undefined;
}

export type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  QueryCommandInput,
  QueryCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
