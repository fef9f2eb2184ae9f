import { BatchWriteCommand, GetCommand, UpdateCommand } from '../clients/dynamodb';
import * as z from 'zod';
import { dynamodb } from '../clients/dynamodb';
import { getConfig } from '../config';
import { hashToken } from '../domain/links';
import { STEP_IDS, stepIdSchema, stepStatusSchema, type StepId } from '../domain/steps.schema';
import { isConditionalCheckFailed, keys } from './keys';
import { orderChanged } from './order-changes';
import {
  auditKeysOf,
  auditOnOrder,
  isFinal,
  orderWrite,
  orderWriteRefused,
  queryRange,
  stripKeys,
  type NewAuditEntry,
  type OrderPatch,
} from './order-repository';
import { orderRecordSchema, type OrderRecord } from '../domain/order-record.schema';

// Waiting steps: each callback task keeps its task token server-side, with the step. A step is an
// attribute of its order's item (`step:<stepId>`, a map), so the write that starts a step, moves
// the order on and checks it is still open is one conditional UpdateItem, and the read of an order
// is the read of its steps. The token is never returned by anything that renders a page or writes
// a log: `parseStep` drops it, and only a claim hands it back.

const table = () => getConfig().TABLE_NAME;

/** The order item's attribute that holds one step. */
export const stepAttribute = (stepId: StepId) => `step:${stepId}`;

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

/** One stored step as the pages see it: never with its task token. */
export function parseStep(orderId: string, stepId: StepId, stored: unknown): WaitingStep {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { taskToken, ...rest } = z.record(z.string(), z.unknown()).parse(stored);
  return waitingStepSchema.parse({ ...rest, orderId, stepId });
}

/** The steps an order item holds, in the order of STEP_IDS, without their tokens. No request. */
export function stepsOf(orderItem: Record<string, unknown>): WaitingStep[] {
  const orderId = String(orderItem.orderId);
  return STEP_IDS.filter((id) => orderItem[stepAttribute(id)] !== undefined).map((id) =>
    parseStep(orderId, id, orderItem[stepAttribute(id)]),
  );
}

/**
 * The order and its steps from the order's item, with the dedupe keys of the audit entries it
 * holds (so a page writes an entry only when it is not there yet). No request.
 */
export function orderWithSteps(orderItem: Record<string, unknown>): {
  order: OrderRecord;
  steps: WaitingStep[];
  audited: ReadonlySet<string>;
} {
  return {
    order: orderRecordSchema.parse(stripKeys(orderItem)),
    steps: stepsOf(orderItem),
    audited: auditKeysOf(orderItem),
  };
}

/**
 * A callback step begins: keeps its task token with the step and sets `orderPatch` on the order,
 * in one conditional write that answers with the order. Throws OrderClosedError for an order that
 * reached a final status (nothing is stored then) and OrderNotFoundError for a missing one.
 * - A new step, or one whose last token was answered: a fresh pending step (`stored`).
 * - A step still pending gets the run's new token (after a reminder) and keeps `since`,
 *   `reminders` and its deferral (`stored`).
 * - The same token again (a retried invocation) changes nothing (`stored` false).
 * One request (a conditional UpdateItem of the order) for a step entered afresh; two when the step
 * is still pending (the first write is refused, a second one replaces the token); three only when
 * both are refused (then a GetItem says why: the same token, or the order closed or missing).
 */
export async function waitOnStep(
  orderId: string,
  stepId: StepId,
  taskToken: string,
  orderPatch: OrderPatch = {},
  opts: { allowClosed?: boolean } = {},
): Promise<{ stored: boolean; order: OrderRecord }> {
  const tokenHash = hashToken(taskToken);
  const at = new Date().toISOString();
  const base = orderWrite(orderPatch, opts);
  const names = { ...base.names, '#step': stepAttribute(stepId), '#st': 'status', '#hash': 'tokenHash' };
  const write = async (set: string[], condition: string, values: Record<string, unknown>) => {
    const { Attributes } = await dynamodb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.order(orderId),
        UpdateExpression: `SET ${[...base.sets, ...set].join(', ')}`,
        ConditionExpression: `${base.condition} AND (${condition})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...base.values, ...values },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = Attributes ?? {};
    orderChanged(orderId, { kind: 'order', item });
    return { stored: true, order: orderRecordSchema.parse(stripKeys(item)) };
  };
  try {
    const step = {
      status: 'pending',
      taskToken,
      tokenHash,
      since: at,
      updatedAt: at,
      reminders: 0,
      deferred: false,
    };
    return await write(
      ['#step = :step'],
      'attribute_not_exists(#step) OR (#step.#st <> :pending AND #step.#hash <> :hash)',
      {
        ':step': step,
        ':pending': 'pending',
        ':hash': tokenHash,
      },
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  try {
    return await write(
      ['#step.taskToken = :token', '#step.#hash = :hash', '#step.updatedAt = :at'],
      '#step.#st = :pending AND #step.#hash <> :hash',
      { ':pending': 'pending', ':hash': tokenHash, ':token': taskToken, ':at': at },
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  const { Item } = await dynamodb().send(
    new GetCommand({ TableName: table(), Key: keys.order(orderId), ConsistentRead: true }),
  );
  const order = Item ? orderRecordSchema.parse(stripKeys(Item)) : undefined;
  if (!order || (!opts.allowClosed && isFinal(order))) return orderWriteRefused(orderId);
  return { stored: false, order };
}

/**
 * The step's part of `waitOnStep` alone: the order's own fields and status are left as they are
 * (an order cancelled while its step waits keeps the step). True when this call stored a new token.
 * Requests as `waitOnStep`.
 */
export async function storeTaskToken(orderId: string, stepId: StepId, taskToken: string): Promise<boolean> {
  return (await waitOnStep(orderId, stepId, taskToken, {}, { allowClosed: true })).stored;
}

/** One request (GetItem of the order's item, only the step's attribute). */
export async function getStep(orderId: string, stepId: StepId): Promise<WaitingStep | undefined> {
  const { Item } = await dynamodb().send(
    new GetCommand({
      TableName: table(),
      Key: keys.order(orderId),
      ProjectionExpression: '#step',
      ExpressionAttributeNames: { '#step': stepAttribute(stepId) },
      ConsistentRead: true,
    }),
  );
  const stored = Item?.[stepAttribute(stepId)];
  return stored === undefined ? undefined : parseStep(orderId, stepId, stored);
}

/** The order and all its steps: one request (GetItem); undefined when there is no order. */
export async function findOrderWithSteps(
  orderId: string,
): Promise<(ReturnType<typeof orderWithSteps> & { heldSites: readonly string[] }) | undefined> {
  // The order's item, the site names it holds, and any step stored before steps moved onto it.
  const items = await queryRange(keys.orderPk(orderId), keys.order(orderId).sk, LEGACY_STEPS_END, {
    expression: '#type IN (:order, :step, :siteRef)',
    names: { '#type': 'type' },
    values: { ':order': 'order', ':step': 'step', ':siteRef': 'site-ref' },
  });
  const orderItem = await withLegacySteps(orderId, items);
  return orderItem ? { ...orderWithSteps(orderItem), heldSites: heldSitesIn(items) } : undefined;
}

/** The Meetings site names an order holds, from a read of its partition that reached its `SITEREF#` items. No request. */
export function heldSitesIn(items: Record<string, unknown>[]): string[] {
  return items.filter((item) => item.type === 'site-ref').map((item) => String(item.siteName));
}

/** Steps stored before they were attributes of the order's item were items `STEP#<stepId>`, sorting after it. */
export const LEGACY_STEPS_END = 'STEP#\uffff';

/**
 * The order's item from a read of its partition that reached its old step items (`STEP#<stepId>`,
 * written before steps moved onto the order's item), with those steps moved onto it: an order
 * that was waiting when that changed keeps waiting where it was. The move is one conditional
 * UpdateItem (a step already on the order's item stays as it is) and one BatchWriteItem deleting
 * the old items, once per order; no request when there are none. Undefined for no order.
 */
export async function withLegacySteps(
  orderId: string,
  items: Record<string, unknown>[],
): Promise<Record<string, unknown> | undefined> {
  const orderItem = items.find((item) => item.sk === keys.order(orderId).sk);
  const legacy = items.filter((item) => item.type === 'step' && String(item.sk).startsWith('STEP#'));
  if (!orderItem || legacy.length === 0) return orderItem;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = legacy.flatMap((item, i) => {
    const parsed = stepIdSchema.safeParse(item.stepId);
    if (!parsed.success) return [];
    const { orderId: _o, stepId: _s, ttl: _t, ...step } = stripKeys(item);
    names[`#s${i}`] = stepAttribute(parsed.data);
    values[`:s${i}`] = step;
    return [`#s${i} = if_not_exists(#s${i}, :s${i})`];
  });
  let moved = orderItem;
  if (sets.length > 0) {
    try {
      const { Attributes } = await dynamodb().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.order(orderId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { ...names, '#pk': 'pk' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      moved = Attributes ?? orderItem;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return undefined;
    }
  }
  await dynamodb().send(
    new BatchWriteCommand({
      RequestItems: {
        [table()]: legacy.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
      },
    }),
  );
  return moved;
}

/** Every step of the order, pending and submitted. One request (GetItem). */
export async function listSteps(orderId: string): Promise<WaitingStep[]> {
  return (await findOrderWithSteps(orderId))?.steps ?? [];
}

/** One request (GetItem). */
export async function listPendingSteps(orderId: string): Promise<WaitingStep[]> {
  return (await listSteps(orderId)).filter((s) => s.status === 'pending');
}

/**
 * One conditional UpdateItem on one step of the order's item. `#step` names the step's attribute,
 * `#st` its status; returns the order's item as written, or undefined when the condition refused
 * the write.
 */
async function updateStep(
  orderId: string,
  stepId: StepId,
  update: string,
  condition: string,
  values: Record<string, unknown>,
  extraNames: Record<string, string> = {},
): Promise<Record<string, unknown> | undefined> {
  // DynamoDB refuses a name placeholder the expressions do not use.
  const names = Object.fromEntries(
    Object.entries({ '#step': stepAttribute(stepId), '#st': 'status', ...extraNames }).filter(([k]) =>
      new RegExp(`${k}(?!\\w)`).test(`${update} ${condition}`),
    ),
  );
  try {
    const { Attributes } = await dynamodb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.order(orderId),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ?? {};
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}

/** The token a written order item holds for one step (only a claim reads it). */
function tokenIn(item: Record<string, unknown> | undefined, stepId: StepId): string | undefined {
  const step = item?.[stepAttribute(stepId)] as { taskToken?: unknown } | undefined;
  return typeof step?.taskToken === 'string' ? step.taskToken : undefined;
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
 * the run with. The claim is tied to the token it claims (its hash), so a step entered again with
 * a new token is claimable again. It carries a lease (claimedUntil) until confirmClaim: a claim
 * whose answer never reached the run opens again after it (see functions/resume/claims.ts).
 * `orderPatch`: the decision's fields of the order, set by the same write, which then also needs
 * the order not to have reached a final status. `audit`: the decision's audit entry, written by
 * the same write (order-repository.ts `auditOnOrder`); a claim made again after its release
 * (same token) replaces it. Returns undefined when the step is not pending
 * with that token any more (a repeated or late submit), or the order closed meanwhile.
 * One request (a conditional UpdateItem of the order's item).
 */
export async function claimStep(
  orderId: string,
  stepId: StepId,
  expectedTokenHash: string,
  submittedBy: string,
  opts: { orderPatch?: OrderPatch; audit?: { entry: NewAuditEntry; dedupeKey: string } } = {},
): Promise<string | undefined> {
  const order = opts.orderPatch ? orderWrite(opts.orderPatch) : undefined;
  const audit = opts.audit ? auditOnOrder(opts.audit.entry, opts.audit.dedupeKey) : undefined;
  const sets = [
    '#step.#st = :submitted, #step.submittedAt = :at, #step.submittedBy = :by, #step.claimedUntil = :until',
    ...(order?.sets ?? []),
    ...(audit ? [audit.set] : []),
  ];
  const item = await updateStep(
    orderId,
    stepId,
    `SET ${sets.join(', ')}`,
    `#step.#st = :pending AND #step.tokenHash = :hash${order ? ` AND ${order.condition}` : ''}`,
    {
      ':submitted': 'submitted',
      ':pending': 'pending',
      ':hash': expectedTokenHash,
      ':at': new Date().toISOString(),
      ':by': submittedBy,
      ':until': leaseEnd(),
      ...order?.values,
      ...audit?.values,
    },
    { ...order?.names, ...audit?.names },
  );
  // The order's own fields changed: a page waiting on this order sees them (order-changes.ts).
  if (item && order) orderChanged(orderId, { kind: 'order', item });
  return tokenIn(item, stepId);
}

/** The run has the claimed step's answer: the claim's lease ends, the step stays submitted. One request (UpdateItem). */
export async function confirmClaim(orderId: string, stepId: StepId, tokenHash: string): Promise<void> {
  // The token has done its job: it is not kept once the run has the answer.
  await updateStep(
    orderId,
    stepId,
    'REMOVE #step.claimedUntil, #step.taskToken',
    '#step.#st = :submitted AND #step.tokenHash = :hash',
    { ':submitted': 'submitted', ':hash': tokenHash },
  );
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
  const item = await updateStep(
    orderId,
    stepId,
    'SET #step.claimedUntil = :until',
    '#step.#st = :submitted AND #step.tokenHash = :hash AND #step.claimedUntil < :now',
    {
      ':submitted': 'submitted',
      ':hash': tokenHash,
      ':now': new Date(now).toISOString(),
      ':until': leaseEnd(now),
    },
  );
  return tokenIn(item, stepId);
}

/** Undo a claim when resuming the run failed for a passing reason, so the person can submit again. One request (UpdateItem). */
export async function releaseStep(orderId: string, stepId: StepId, tokenHash: string): Promise<void> {
  await updateStep(
    orderId,
    stepId,
    'SET #step.#st = :pending REMOVE #step.submittedAt, #step.submittedBy, #step.claimedUntil',
    '#step.#st = :submitted AND #step.tokenHash = :hash',
    { ':pending': 'pending', ':submitted': 'submitted', ':hash': tokenHash },
  );
}

/** "Set up later" on a pending step; false when it is not pending. One request (UpdateItem). */
export async function setDeferred(orderId: string, stepId: StepId, deferred: boolean): Promise<boolean> {
  // DEFERRED is a DynamoDB reserved word: it must go through a name placeholder.
  const item = await updateStep(
    orderId,
    stepId,
    'SET #step.#deferred = :d',
    '#step.#st = :pending',
    { ':d': deferred, ':pending': 'pending' },
    { '#deferred': 'deferred' },
  );
  return item !== undefined;
}

/**
 * Counts one reminder for a step that timed out. `reminderKey` identifies the timeout (the
 * state's entry time), so a retried invocation counts it once. Returns the count after this call.
 * One request (UpdateItem); two when this timeout was counted before (then a GetItem).
 */
export async function countReminder(orderId: string, stepId: StepId, reminderKey: string): Promise<number> {
  const item = await updateStep(
    orderId,
    stepId,
    'SET #step.reminders = if_not_exists(#step.reminders, :zero) + :one, #step.lastReminderKey = :key',
    'attribute_exists(#step) AND (attribute_not_exists(#step.lastReminderKey) OR #step.lastReminderKey <> :key)',
    { ':zero': 0, ':one': 1, ':key': reminderKey },
  );
  if (item)
    return Number((item[stepAttribute(stepId)] as { reminders?: unknown } | undefined)?.reminders ?? 0);
  return (await getStep(orderId, stepId))?.reminders ?? 0;
}

/**
 * A waiting step timed out: counts one reminder for its current token (the timed-out token's hash
 * identifies the timeout, so a retried invocation counts it once) and answers with the count, that
 * hash (`timeoutKey`; 'none' for a step never stored) and the order. One request (a conditional
 * UpdateItem of the order's item, which holds the step); two when this timeout was counted
 * before or the step was never stored (then a GetItem). Throws OrderNotFoundError for no order.
 */
export async function remindStep(
  orderId: string,
  stepId: StepId,
): Promise<{ count: number; timeoutKey: string; order: OrderRecord }> {
  const item = await updateStep(
    orderId,
    stepId,
    'SET #step.reminders = if_not_exists(#step.reminders, :zero) + :one, #step.lastReminderKey = #step.tokenHash',
    'attribute_exists(#step) AND (attribute_not_exists(#step.lastReminderKey) OR #step.lastReminderKey <> #step.tokenHash)',
    { ':zero': 0, ':one': 1 },
  );
  const found = item ? orderWithSteps(item) : await findOrderWithSteps(orderId);
  if (!found) return orderWriteRefused(orderId);
  const step = found.steps.find((s) => s.stepId === stepId);
  return { count: step?.reminders ?? 0, timeoutKey: step?.tokenHash ?? 'none', order: found.order };
}
