import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamodb } from '../clients/dynamodb';
import { getConfig } from '../config';
import { isConditionalCheckFailed, keys } from './keys';
import { queryPartition, stripKeys } from './order-repository';

// A record of every email sent for an order, keyed by its purpose ("welcome", "reminder#partner-org#2").
// It makes sending idempotent across retries, and survives a restart of the local mailbox.

const table = () => getConfig().TABLE_NAME;

export interface SentEmail {
  purpose: string;
  kind: string;
  to: string;
  subject: string;
  messageId: string;
  sentAt: string;
}

export async function wasSent(orderId: string, purpose: string): Promise<boolean> {
  const { Item } = await dynamodb().send(
    new GetCommand({ TableName: table(), Key: keys.email(orderId, purpose), ConsistentRead: true }),
  );
  return Item !== undefined;
}

export async function recordSent(orderId: string, email: SentEmail): Promise<void> {
  try {
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.email(orderId, email.purpose), type: 'email', orderId, ...email },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

export async function listSent(orderId: string): Promise<SentEmail[]> {
  const items = await queryPartition(keys.orderPk(orderId), 'EMAIL#');
  return items
    .map((i) => stripKeys(i) as unknown as SentEmail)
    .sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}

/**
 * Sends an email once per (order, purpose): a retried step finds the record and sends nothing.
 * A crash between the send and the record may send it twice; never zero times.
 */
export async function sendOnce(
  orderId: string,
  purpose: string,
  send: () => Promise<Omit<SentEmail, 'purpose' | 'sentAt'>>,
): Promise<boolean> {
  if (await wasSent(orderId, purpose)) return false;
  const sent = await send();
  await recordSent(orderId, { ...sent, purpose, sentAt: new Date().toISOString() });
  return true;
}
