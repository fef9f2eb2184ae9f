import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { recordRejectedEvent } from '../shared/adapters/org-directory';
import { orderCancelledEventSchema } from '../shared/domain/order.schema';
import { lambdaHandler, zodIssues } from '../shared/middleware';
import { logger, metrics } from '../shared/observability';
import { cancelOrder, type CancelResult } from './cancel-order';

/** The EventBridge rule's target for "Subscription Order Cancelled". */
export async function onCancelEvent(
  event: unknown,
): Promise<
  CancelResult | { status: 'rejected'; rejectionId: string; issues: { path: string; message: string }[] }
> {
  const parsed = orderCancelledEventSchema.safeParse(event);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    const rejectionId = await recordRejectedEvent({
      reason: 'invalid cancellation event',
      issues,
      issueCount: parsed.error.issues.length,
      event,
    });
    metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
    logger.warn('Cancellation event rejected', { rejectionId, issues });
    return { status: 'rejected', rejectionId, issues };
  }
  return cancelOrder({
    orderId: parsed.data.detail.orderId,
    reason: parsed.data.detail.reason,
    actor: 'order-system',
    recordIfUnknown: { cancelledAt: parsed.data.detail.cancelledAt },
  });
}

export const handler = lambdaHandler(
  onCancelEvent,
  (event) => (event as { detail?: { orderId?: unknown } })?.detail?.orderId,
);
