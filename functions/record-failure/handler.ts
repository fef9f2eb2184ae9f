import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { publish } from '../shared/adapters/domain-events';
import { findOrder, isFinal, updateOrder } from '../shared/adapters/order-repository';
import { orderFailed } from '../shared/domain/domain-events.schema';
import { sfn } from '../shared/clients/sfn';
import { getConfig } from '../shared/config';
import { readableCause } from '../shared/errors';
import { lambdaHandler, parseOrThrow } from '../shared/middleware';
import { logger, metrics } from '../shared/observability';
import { sendPlainEmail } from '../shared/notify';

// Target of the EventBridge rule on this state machine's "Step Functions Execution Status
// Change" events. Task failures are not caught inside the state machine: the failed task ends
// the run itself (so the console shows it in red, and RedriveExecution re-runs exactly it), and
// this function records the failure on the order and tells ops.

export const executionStatusChangeSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string().min(1),
    /** The execution name: the order id. */
    name: z.string().min(1),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED', 'SUCCEEDED', 'RUNNING', 'PENDING_REDRIVE']),
    error: z.string().nullish(),
    cause: z.string().nullish(),
    redriveCount: z.number().int().nullish(),
  }),
});
export type ExecutionStatusChange = z.infer<typeof executionStatusChangeSchema>;

export { readableCause };

const TASK_FAILURE =
  /^(Task|LambdaFunction|Activity)(Failed|TimedOut|StartFailed|ScheduleFailed|SubmitFailed)$/;

/**
 * The state whose task failure ended the run. From the newest task failure, follow
 * previousEventId back to the state it ran in (a sibling Map iteration may have entered other
 * states since); without ids, the nearest state entered before it. Else the last state entered.
 */
export function failedStateIn(eventsNewestFirst: HistoryEvent[]): string | undefined {
  const byId = new Map(eventsNewestFirst.map((e) => [e.id, e]));
  const failureAt = eventsNewestFirst.findIndex((e) => e.type !== undefined && TASK_FAILURE.test(e.type));
  const from = Math.max(failureAt, 0);
  let cursor = eventsNewestFirst[from];
  for (let hops = 0; cursor?.previousEventId && hops < 50; hops++) {
    cursor = byId.get(cursor.previousEventId);
    if (cursor?.stateEnteredEventDetails?.name) return cursor.stateEnteredEventDetails.name;
  }
  for (const event of eventsNewestFirst.slice(from)) {
    if (event.type?.endsWith('StateEntered') && event.stateEnteredEventDetails?.name) {
      return event.stateEnteredEventDetails.name;
    }
  }
  return undefined;
}

async function failedState(executionArn: string): Promise<string | undefined> {
  const { events } = await sfn().send(
    new GetExecutionHistoryCommand({
      executionArn,
      reverseOrder: true,
      maxResults: 100,
      includeExecutionData: false,
    }),
  );
  return failedStateIn(events ?? []);
}

/** A run ended without success: the order records where and why, and ops are told (once per attempt). */
export async function recordFailure(change: ExecutionStatusChange) {
  const { detail } = change;
  const orderId = detail.name;
  if (!['FAILED', 'TIMED_OUT', 'ABORTED'].includes(detail.status)) return { recorded: false };
  const order = await findOrder(orderId);
  // A cancelled (or expired) order's run is stopped or ended on purpose: nothing failed.
  if (order && isFinal(order)) return { recorded: false, status: order.status };
  const step = (await failedState(detail.executionArn)) ?? order?.currentStep ?? 'unknown';
  const error =
    detail.error ?? (detail.status === 'ABORTED' ? 'ExecutionAborted' : `Execution${detail.status}`);
  const cause = readableCause(detail.cause).slice(0, 2000);
  const attempt = `failure#${detail.redriveCount ?? 0}`;
  metrics.addMetric('OrdersFailed', MetricUnit.Count, 1);
  logger.error('Provisioning failed', { step, error, cause, executionArn: detail.executionArn });
  if (order) {
    // The failure and its audit entry: one write.
    await updateOrder(
      order.orderId,
      { status: 'failed', failure: { step, error, cause, at: new Date().toISOString() } },
      {
        audit: {
          entry: { actor: 'system', action: 'Provisioning failed', details: { step, error, cause } },
          dedupeKey: attempt,
        },
      },
    );
    await publish(orderFailed(order.orderId, { step, error, cause, attempt: detail.redriveCount ?? 0 }));
  }
  await sendPlainEmail(orderId, attempt, {
    kind: 'ops-failure',
    orderId,
    to: getConfig().OPS_EMAIL,
    language: 'en',
    step,
    error,
    cause,
  });
  return { recorded: true, step, error, cause };
}

export const handler = lambdaHandler(
  (event: unknown) =>
    recordFailure(parseOrThrow(executionStatusChangeSchema, event, 'execution status change')),
  (event) => (event as { detail?: { name?: unknown } } | null)?.detail?.name,
);
