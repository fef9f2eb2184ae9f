import { DeleteCommand, GetCommand, PutCommand } from '../clients/dynamodb';
import { dynamodb } from '../clients/dynamodb';
import { getConfig } from '../config';
import { isConditionalCheckFailed, keys, orderItemTtl } from './keys';
import { logger } from '../observability';
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

/** Whether an email of this purpose was sent (or its send attempted). One request (GetItem). */
export async function wasSent(orderId: string, purpose: string): Promise<boolean> {
  const { Item } = await dynamodb().send(
    new GetCommand({ TableName: table(), Key: keys.email(orderId, purpose), ConsistentRead: true }),
  );
  return Item !== undefined;
}

/** What the log shows for an email whose send may or may not have happened (see sendOnce). */
export const UNCONFIRMED_SUBJECT = '(unconfirmed: the send was attempted, its outcome is unknown)';

export async function listSent(orderId: string): Promise<SentEmail[]> {
  const items = await queryPartition(keys.orderPk(orderId), 'EMAIL#');
  return items
    .map((i) => stripKeys(i))
    .map((i) =>
      i.status === 'sending'
        ? {
            purpose: String(i.purpose),
            kind: 'unknown',
            to: '',
            subject: UNCONFIRMED_SUBJECT,
            messageId: '',
            sentAt: String(i.claimedAt),
          }
        : (i as unknown as SentEmail),
    )
    .sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}

/**
 * Claims the purpose before sending: true for the one caller that may send; false when the
 * purpose was claimed or sent before (the conditional write is also the check). One request.
 */
async function claimSend(orderId: string, purpose: string): Promise<boolean> {
  try {
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...keys.email(orderId, purpose),
          type: 'email',
          orderId,
          purpose,
          status: 'sending',
          claimedAt: new Date().toISOString(),
          ...orderItemTtl(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** Gives a claim back after a send that surely did not happen, so a retry sends the email. */
async function releaseSend(orderId: string, purpose: string): Promise<void> {
  await dynamodb().send(
    new DeleteCommand({
      TableName: table(),
      Key: keys.email(orderId, purpose),
      ConditionExpression: '#status = :sending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sending': 'sending' },
    }),
  );
}

const AMBIGUOUS_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);
const AMBIGUOUS_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'AbortError', 'RequestTimeoutException']);

/**
 * Whether a failed send may still have gone out: the connection broke or timed out after the
 * request left (nobody answered). An answer from SES (any HTTP status) or an error before the
 * request (rendering, presigning) means it did not.
 */
export function mayHaveBeenSent(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const meta = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
    if (typeof meta?.httpStatusCode === 'number') return false;
    const code = (e as { code?: unknown }).code;
    if ((typeof code === 'string' && AMBIGUOUS_CODES.has(code)) || AMBIGUOUS_NAMES.has(e.name)) return true;
    e = e.cause;
  }
  return false;
}

/**
 * Sends an email at most once per (order, purpose) — purposes name the recipient where an email
 * goes to several people — whatever fails around it. The purpose is claimed first (a conditional
 * write): a retried step, or a second attempt racing this one, finds the claim and sends nothing.
 * Then the email is sent, then the claim becomes the record of it. When the send fails surely
 * unsent (SES answered an error, or it failed before sending) the claim is given back so a retry
 * sends it; when its outcome is unknown (a timeout), or the record cannot be written after SES
 * took the email, the claim stays: the email is never sent twice, and the log says so.
 * Returns true when this call sent it. Two requests when it sends (the claim, the record), one
 * when it was sent before (the refused claim): no read first.
 */
export async function sendOnce(
  orderId: string,
  purpose: string,
  send: () => Promise<Omit<SentEmail, 'purpose' | 'sentAt'>>,
): Promise<boolean> {
  if (!(await claimSend(orderId, purpose))) return false;
  let sent: Omit<SentEmail, 'purpose' | 'sentAt'>;
  try {
    sent = await send();
  } catch (error) {
    if (mayHaveBeenSent(error)) {
      logger.error('Email send outcome unknown: it is not sent again', { orderId, purpose, error });
    } else {
      await releaseSend(orderId, purpose).catch((e: unknown) =>
        logger.error('Could not give back an email claim after a failed send: it will not be sent', {
          orderId,
          purpose,
          error: e,
        }),
      );
    }
    throw error;
  }
  try {
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...keys.email(orderId, purpose),
          type: 'email',
          orderId,
          ...sent,
          purpose,
          status: 'sent',
          sentAt: new Date().toISOString(),
          ...orderItemTtl(),
        },
      }),
    );
  } catch (error) {
    // SES has it; the claim stays, so no retry sends it again.
    logger.warn('Email sent, but its record could not be written; the claim keeps it from being sent again', {
      orderId,
      purpose,
      messageId: sent.messageId,
      error,
    });
  }
  return true;
}
