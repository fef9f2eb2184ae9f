import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { recordRejectedEvent } from '../shared/adapters/org-directory';
import { findArrival, noteRefusedOrder } from '../shared/adapters/early-cancellations';
import { sfn } from '../shared/clients/sfn';
import { getConfig, required } from '../shared/config';
import {
  DEFAULT_WEBEX_POLL,
  orderPlacedEventSchema,
  runSettingsSchema,
  type ExecutionInput,
} from '../shared/domain/order.schema';
import { lambdaHandler, zodIssues } from '../shared/middleware';
import { logger, metrics } from '../shared/observability';

// The EventBridge rule's target for "Subscription Order Placed". EventBridge cannot name an
// execution, so this function validates the event and starts the run named by the order id:
// a duplicate event finds the run (or the order) and starts nothing.

export type IntakeResult =
  | { status: 'started'; orderId: string; executionArn: string }
  | { status: 'duplicate'; orderId: string }
  /** The order was cancelled before it arrived: no run. */
  | { status: 'refused'; orderId: string; reason: string }
  | { status: 'rejected'; rejectionId: string; issues: { path: string; message: string }[] };

export function runSettings() {
  const config = getConfig();
  return runSettingsSchema.parse({
    stepTimeoutSeconds: required('STEP_TIMEOUT_SECONDS'),
    maxReminders: required('MAX_REMINDERS'),
    webexPoll: {
      firstWaitSeconds: config.WEBEX_POLL_FIRST_WAIT_SECONDS ?? DEFAULT_WEBEX_POLL.firstWaitSeconds,
      maxWaitSeconds: config.WEBEX_POLL_MAX_WAIT_SECONDS ?? DEFAULT_WEBEX_POLL.maxWaitSeconds,
      maxPolls: config.WEBEX_POLL_MAX_POLLS ?? DEFAULT_WEBEX_POLL.maxPolls,
    },
  });
}

export async function intake(event: unknown): Promise<IntakeResult> {
  const parsed = orderPlacedEventSchema.safeParse(event);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    const rejectionId = await recordRejectedEvent({
      reason: 'invalid order event',
      issues,
      issueCount: parsed.error.issues.length,
      event,
    });
    metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
    logger.warn('Order event rejected', { rejectionId, issues });
    return { status: 'rejected', rejectionId, issues };
  }
  const { detail } = parsed.data;
  // A cancellation that came first, or the order stored already: one read.
  const { cancelled, orderExists } = await findArrival(detail.orderId);
  if (cancelled) {
    await noteRefusedOrder(detail.orderId);
    logger.warn('Order refused: it was cancelled before it arrived; no run started', {
      orderId: detail.orderId,
      cancelledAt: cancelled.cancelledAt,
      reason: cancelled.reason,
    });
    metrics.addMetric('OrdersRefused', MetricUnit.Count, 1);
    return { status: 'refused', orderId: detail.orderId, reason: 'cancelled before it arrived' };
  }
  if (orderExists) {
    logger.info('Duplicate order event: the order exists already', { orderId: detail.orderId });
    metrics.addMetric('DuplicateEvents', MetricUnit.Count, 1);
    return { status: 'duplicate', orderId: detail.orderId };
  }
  const input: ExecutionInput = { order: detail, settings: runSettings() };
  try {
    const res = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: required('STATE_MACHINE_ARN'),
        name: detail.orderId,
        input: JSON.stringify(input),
      }),
    );
    logger.info('Run started', { orderId: detail.orderId, executionArn: res.executionArn });
    return { status: 'started', orderId: detail.orderId, executionArn: res.executionArn ?? '' };
  } catch (error) {
    // Same name, other input or finished run: this order already had its run.
    if (error instanceof ExecutionAlreadyExists) {
      metrics.addMetric('DuplicateEvents', MetricUnit.Count, 1);
      return { status: 'duplicate', orderId: detail.orderId };
    }
    throw error;
  }
}

export const handler = lambdaHandler(
  intake,
  (event) => (event as { detail?: { orderId?: unknown } })?.detail?.orderId,
);
