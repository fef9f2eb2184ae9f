import { QueryCommand, ScanCommand } from '../../../functions/shared/clients/dynamodb';
import { dynamodb } from '../../../functions/shared/clients';
import { getConfig } from '../../../functions/shared/config';

// Raw reads of the local table, for asserting what an adapter really wrote (tests only: the
// project's code never scans).

export async function itemsOf(pk: string): Promise<Record<string, unknown>[]> {
  const { Items } = await dynamodb().send(
    new QueryCommand({
      TableName: getConfig().TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []) as Record<string, unknown>[];
}

export async function allItems(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb().send(
      new ScanCommand({ TableName: getConfig().TABLE_NAME, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    out.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}
