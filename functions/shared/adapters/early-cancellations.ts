import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '../clients/dynamodb';
import * as z from 'zod';
import { dynamodb } from '../clients/dynamodb';
import { getConfig } from '../config';
import { GSI1, isConditionalCheckFailed, keys } from './keys';
import { queryRange, stripKeys } from './order-repository';

// A cancellation that arrived before its order (EventBridge does not guarantee order, and a
// failed intake is retried later). It is kept as a tombstone for a while, so the order event
// that comes after it starts no run; DynamoDB's TTL removes it after the retention time.

const table = () => getConfig().TABLE_NAME;

/** How long a cancellation of an unknown order is kept (an order event later than this would run). */
export const EARLY_CANCELLATION_RETENTION_DAYS = 30;

export const earlyCancellationSchema = z.object({
  orderId: z.string(),
  cancelledAt: z.string(),
  reason: z.string().optional(),
  /** When the cancellation was recorded. */
  recordedAt: z.string(),
  /** When it is removed (epoch seconds, DynamoDB TTL). */
  ttl: z.number(),
  /** The first order event refused because of it, and how many were. */
  refusedAt: z.string().optional(),
  refusals: z.number().int().default(0),
});
export type EarlyCancellation = z.infer<typeof earlyCancellationSchema>;

/**
 * Records the cancellation of an order not known yet; the first one recorded stays. Returns it.
 * One request (a conditional PutItem); two when one was recorded before (then a GetItem).
 */
export async function recordEarlyCancellation(input: {
  orderId: string;
  cancelledAt: string;
  reason?: string;
}): Promise<EarlyCancellation> {
  const now = new Date();
  const item: EarlyCancellation = {
    ...input,
    recordedAt: now.toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + EARLY_CANCELLATION_RETENTION_DAYS * 24 * 3600,
    refusals: 0,
  };
  try {
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...keys.earlyCancellation(input.orderId),
          type: 'early-cancellation',
          gsi1pk: keys.gsiEarlyCancellations,
          gsi1sk: item.recordedAt,
          ...item,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return item;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return (await findEarlyCancellation(input.orderId)) ?? item;
  }
}

/** The cancellation that came before its order, if any. One request (GetItem). */
export async function findEarlyCancellation(orderId: string): Promise<EarlyCancellation | undefined> {
  const { Item } = await dynamodb().send(
    new GetCommand({ TableName: table(), Key: keys.earlyCancellation(orderId), ConsistentRead: true }),
  );
  return Item ? earlyCancellationSchema.parse(stripKeys(Item)) : undefined;
}

/**
 * What an order event finds before it starts a run: a cancellation that came before it, and
 * whether the order is stored already (a duplicate event). The tombstone (`CANCELLED`) and the
 * order's item (`ORDER`) sort in one range of the order's partition: one request (a Query; the
 * items between them, emails, links and their counters, are filtered out).
 */
export async function findArrival(
  orderId: string,
): Promise<{ cancelled?: EarlyCancellation; orderExists: boolean }> {
  const items = await queryRange(
    keys.orderPk(orderId),
    keys.earlyCancellation(orderId).sk,
    keys.order(orderId).sk,
    {
      expression: '#type IN (:cancelled, :order)',
      names: { '#type': 'type' },
      values: { ':cancelled': 'early-cancellation', ':order': 'order' },
    },
  );
  const tombstone = items.find((item) => item.sk === keys.earlyCancellation(orderId).sk);
  return {
    cancelled: tombstone ? earlyCancellationSchema.parse(stripKeys(tombstone)) : undefined,
    orderExists: items.some((item) => item.sk === keys.order(orderId).sk),
  };
}

/** Notes that an order event was refused because of the cancellation (the first time is kept). One request (UpdateItem). */
export async function noteRefusedOrder(orderId: string): Promise<void> {
  await dynamodb()
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.earlyCancellation(orderId),
        UpdateExpression:
          'SET refusedAt = if_not_exists(refusedAt, :at), refusals = if_not_exists(refusals, :zero) + :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': new Date().toISOString(), ':zero': 0, ':one': 1 },
      }),
    )
    .catch((error: unknown) => {
      if (!isConditionalCheckFailed(error)) throw error;
    });
}

/** The recorded early cancellations, newest first (the ops view lists them). One request (a Query on GSI1). */
export async function listEarlyCancellations(limit = 200): Promise<EarlyCancellation[]> {
  const { Items } = await dynamodb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.gsiEarlyCancellations },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (Items ?? []).map((i) => earlyCancellationSchema.parse(stripKeys(i as Record<string, unknown>)));
}
