import { GetCommand, PutCommand, UpdateCommand } from '../clients/dynamodb';
import * as z from 'zod';
import { dynamodb } from '../clients/dynamodb';
import { getConfig } from '../config';
import { hashToken } from '../domain/links';
import { stepIdSchema, stepStatusSchema, type StepId } from '../domain/steps.schema';
import { isConditionalCheckFailed, keys, orderItemTtl } from './keys';
import { orderChanged } from './order-changes';
import { queryPartition, queryRange, stripKeys } from './order-repository';
import { orderRecordSchema, type OrderRecord } from '../domain/order-record.schema';

// Waiting steps: each callback task stores its task token here, server-side, with the step.
// The token is never returned by anything that renders a page or writes a log.

const table = () => getConfig().TABLE_NAME;

export const waitingStepSchema = z.object({
  orderId: z.string(),
  stepId: stepIdSchema,
  status: stepStatusSchema,
  tokenHash: z.string(),
  /** When the run started waiting on this step (kept across reminders). */
  since: z.string(),
  /** When the current token was stored. */
  updatedAt: z.string(),
  reminders: z.number().int().default(0),
  lastReminderKey: z.string().optional(),
  /** "Set up later": the step keeps waiting, the wizard moves on to the next one. */
  deferred: z.boolean().default(false),
  submittedAt: z.string().optional(),
  submittedBy: z.string().optional(),
  /**
   * While a submit's answer is on its way to the run: the claim's lease. Removed when the run has
   * the answer (confirmClaim) or the step opens again (releaseStep). A claim still here after
   * its lease never reached the run, or was never confirmed: currentSteps settles it.
   */
  claimedUntil: z.string().optional(),
});
export type WaitingStep = z.infer<typeof waitingStepSchema>;

/** A stored step as the pages see it: never with its task token. */
export function parseStep(item: Record<string, unknown>): WaitingStep {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { taskToken, ...rest } = stripKeys(item);
  return waitingStepSchema.parse(rest);
}

/**
 * Stores the token of a callback task that just started. Re-running with the same token (a
 * retried invocation) changes nothing; a new token for the same step (after a reminder, or a
 * step entered again) replaces the old one and keeps `since` and `reminders`.
 * Returns true when this call stored a new token. One request (a conditional PutItem); two
 * when the step is still pending (then a conditional UpdateItem).
 */
export async function storeTaskToken(orderId: string, stepId: StepId, taskToken: string): Promise<boolean> {
  const tokenHash = hashToken(taskToken);
  const at = new Date().toISOString();
  const names = { '#status': 'status', '#hash': 'tokenHash' };
  // One conditional write in the usual cases, no read before it:
  // - a new step, or one whose last token was answered: a fresh pending step;
  const item = {
    ...keys.step(orderId, stepId),
    type: 'step',
    orderId,
    stepId,
    status: 'pending',
    taskToken,
    tokenHash,
    since: at,
    updatedAt: at,
    reminders: 0,
    deferred: false,
    ...orderItemTtl(),
  };
  try {
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk) OR (#status <> :pending AND #hash <> :hash)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':pending': 'pending', ':hash': tokenHash },
      }),
    );
    orderChanged(orderId, { kind: 'step', item });
    return true;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  // - a step still pending gets the run's new token (after a reminder) and keeps its history;
  // - the same token again (a retried invocation) changes nothing.
  try {
    const { Attributes } = await dynamodb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.step(orderId, stepId),
        ReturnValues: 'ALL_NEW',
        UpdateExpression: 'SET taskToken = :token, #hash = :hash, updatedAt = :at',
        ConditionExpression: '#status = :pending AND #hash <> :hash',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':hash': tokenHash,
          ':token': taskToken,
          ':at': at,
        },
      }),
    );
    orderChanged(orderId, Attributes ? { kind: 'step', item: Attributes } : undefined);
    return true;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return false;
  }
}

/** One request (GetItem). */
export async function getStep(orderId: string, stepId: StepId): Promise<WaitingStep | undefined> {
  const { Item } = await dynamodb().send(
    new GetCommand({ TableName: table(), Key: keys.step(orderId, stepId), ConsistentRead: true }),
  );
  return Item ? parseStep(Item) : undefined;
}

/** The order and all its steps: one request (a Query, see `queryRange`); undefined when there is no order. */
export async function findOrderWithSteps(
  orderId: string,
): Promise<{ order: OrderRecord; steps: WaitingStep[] } | undefined> {
  const items = await queryRange(keys.orderPk(orderId), keys.order(orderId).sk, 'STEP#\uffff');
  const orderItem = items.find((item) => item.sk === keys.order(orderId).sk);
  if (!orderItem) return undefined;
  return {
    order: orderRecordSchema.parse(stripKeys(orderItem)),
    steps: items.filter((item) => String(item.sk).startsWith('STEP#')).map(parseStep),
  };
}

/** Every step of the order, pending and submitted. One request (Query). */
export async function listSteps(orderId: string): Promise<WaitingStep[]> {
  const items = await queryPartition(keys.orderPk(orderId), 'STEP#');
  return items.map(parseStep);
}

/** One request (Query). */
export async function listPendingSteps(orderId: string): Promise<WaitingStep[]> {
  return (await listSteps(orderId)).filter((s) => s.status === 'pending');
}

/**
 * How long a claim may wait for its answer to reach the run before it counts as lost. Longer
 * than the resume function's timeout (20 s), so the request that claimed has ended by then.
 */
export const DEFAULT_CLAIM_LEASE_SECONDS = 60;

const leaseEnd = (from = Date.now()) =>
  new Date(from + (getConfig().CLAIM_LEASE_SECONDS ?? DEFAULT_CLAIM_LEASE_SECONDS) * 1000).toISOString();

/** A claim whose lease ran out without its answer confirmed (settle it before showing the step). */
export function isStaleClaim(step: WaitingStep, now = new Date()): boolean {
  return (
    step.status === 'submitted' && step.claimedUntil !== undefined && step.claimedUntil < now.toISOString()
  );
}

/**
 * Moves a step from pending to submitted exactly once and hands back the task token to resume
 * the run with. The claim carries a lease (claimedUntil) until confirmClaim: a claim whose answer
 * never reached the run opens again after it (see functions/resume/claims.ts). Returns undefined
 * when the step is not pending with that token any more (a repeated or late submit).
 * One request (a conditional UpdateItem).
 */
export async function claimStep(
  orderId: string,
  stepId: StepId,
  expectedTokenHash: string,
  submittedBy: string,
): Promise<string | undefined> {
  try {
    const { Attributes } = await dynamodb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.step(orderId, stepId),
        UpdateExpression:
          'SET #status = :submitted, submittedAt = :at, submittedBy = :by, claimedUntil = :until',
        ConditionExpression: '#status = :pending AND tokenHash = :hash',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':submitted': 'submitted',
          ':pending': 'pending',
          ':hash': expectedTokenHash,
          ':at': new Date().toISOString(),
          ':by': submittedBy,
          ':until': leaseEnd(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return typeof Attributes?.taskToken === 'string' ? Attributes.taskToken : undefined;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}

/** The run has the claimed step's answer: the claim's lease ends, the step stays submitted. One request (UpdateItem). */
export async function confirmClaim(orderId: string, stepId: StepId, tokenHash: string): Promise<void> {
  try {
    await dynamodb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.step(orderId, stepId),
        // The token has done its job: it is not kept once the run has the answer.
        UpdateExpression: 'REMOVE claimedUntil, taskToken',
        ConditionExpression: '#status = :submitted AND tokenHash = :hash',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':submitted': 'submitted', ':hash': tokenHash },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/**
 * Takes over a claim whose lease ran out (a fresh lease, so one reader settles it) and hands
 * back its token; undefined when it is not such a claim any more. One request (UpdateItem).
 */
export async function takeStaleClaim(
  orderId: string,
  stepId: StepId,
  tokenHash: string,
): Promise<string | undefined> {
  const now = Date.now();
  try {
    const { Attributes } = await dynamodb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.step(orderId, stepId),
        UpdateExpression: 'SET claimedUntil = :until',
        ConditionExpression: '#status = :submitted AND tokenHash = :hash AND claimedUntil < :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':submitted': 'submitted',
          ':hash': tokenHash,
          ':now': new Date(now).toISOString(),
          ':until': leaseEnd(now),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return typeof Attributes?.taskToken === 'string' ? Attributes.taskToken : undefined;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}

/** Undo a claim when resuming the run failed for a passing reason, so the person can submit again. One request (UpdateItem). */
export async function releaseStep(orderId: string, stepId: StepId, tokenHash: string): Promise<void> {
  try {
    await dynamodb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.step(orderId, stepId),
        UpdateExpression: 'SET #status = :pending REMOVE submittedAt, submittedBy, claimedUntil',
        ConditionExpression: '#status = :submitted AND tokenHash = :hash',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':submitted': 'submitted', ':hash': tokenHash },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/** "Set up later" on a pending step; false when it is not pending. One request (UpdateItem). */
export async function setDeferred(orderId: string, stepId: StepId, deferred: boolean): Promise<boolean> {
  try {
    await dynamodb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.step(orderId, stepId),
        // DEFERRED is a DynamoDB reserved word: it must go through a name placeholder.
        UpdateExpression: 'SET #deferred = :d',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', '#deferred': 'deferred' },
        ExpressionAttributeValues: { ':d': deferred, ':pending': 'pending' },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Counts one reminder for a step that timed out. `reminderKey` identifies the timeout (the
 * state's entry time), so a retried invocation counts it once. Returns the count after this call.
 * One request (UpdateItem); two when this timeout was counted before (then a GetItem).
 */
export async function countReminder(orderId: string, stepId: StepId, reminderKey: string): Promise<number> {
  try {
    const { Attributes } = await dynamodb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.step(orderId, stepId),
        UpdateExpression: 'SET reminders = if_not_exists(reminders, :zero) + :one, lastReminderKey = :key',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(lastReminderKey) OR lastReminderKey <> :key)',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':key': reminderKey },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Number(Attributes?.reminders ?? 0);
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return (await getStep(orderId, stepId))?.reminders ?? 0;
  }
}
