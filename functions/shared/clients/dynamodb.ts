import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '../config';
import { traced } from '../observability';
import { clientOptions } from './credentials';

let client: DynamoDBDocumentClient | undefined;

/** The process's one DynamoDB document client (endpoint from configuration). */
export function dynamodb(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(
    traced(new DynamoDBClient(clientOptions(getConfig().DYNAMODB_ENDPOINT))),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return client;
}

/** Tests swap clients by resetting them after changing the configuration. */
export function resetDynamodb(): void {
  client = undefined;
}
