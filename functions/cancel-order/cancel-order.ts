import { ExecutionDoesNotExist, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { publish } from '../shared/adapters/domain-events';
import { revokeLinks } from '../shared/adapters/link-store';
import { releaseSiteNames } from '../shared/adapters/org-directory';
import { addAudit, findOrder, isFinal, updateOrder } from '../shared/adapters/order-repository';
import { sfn } from '../shared/clients/sfn';
import { orderCancelled } from '../shared/domain/domain-events.schema';
import { required } from '../shared/config';
import {
  EARLY_CANCELLATION_RETENTION_DAYS,
  recordEarlyCancellation,
} from '../shared/adapters/early-cancellations';
import { logger, metrics } from '../shared/observability';
import { closingRecipients, languageOf, sendPlainEmail } from '../shared/notify';

export type CancelResult =
  | { status: 'cancelled'; orderId: string }
  | { status: 'not-found'; orderId: string }
  /** The order is not known yet: the cancellation is kept, and the order's event will start no run. */
  | { status: 'cancelled-before-order'; orderId: string }
  | { status: 'already-final'; orderId: string; orderStatus: string };

/** The execution ARN of an order's run: the state machine's ARN with the order id as execution name. */
export function executionArnFor(orderId: string): string {
  return `${required('STATE_MACHINE_ARN').replace(':stateMachine:', ':execution:')}:${orderId}`;
}

/**
 * Cancels an order: marked cancelled first (so a step running now stops writing), links
 * revoked, the run stopped, the people told, the decision recorded. Safe to repeat.
 */
export async function cancelOrder(input: {
  orderId: string;
  reason?: string;
  actor: string;
  /** The order system's cancellation of an order not stored yet: record it (see early-cancellations). */
  recordIfUnknown?: { cancelledAt: string };
}): Promise<CancelResult> {
  let order = await findOrder(input.orderId);
  if (!order && input.recordIfUnknown) {
    await recordEarlyCancellation({
      orderId: input.orderId,
      cancelledAt: input.recordIfUnknown.cancelledAt,
      reason: input.reason,
    });
    // The order may have been stored meanwhile (its run started just before this was recorded):
    // then it is cancelled as usual.
    order = await findOrder(input.orderId);
    if (!order) {
      logger.warn('Cancellation for an unknown order: recorded, its order will be refused', {
        orderId: input.orderId,
        reason: input.reason,
        retentionDays: EARLY_CANCELLATION_RETENTION_DAYS,
      });
      metrics.addMetric('CancellationsBeforeOrder', MetricUnit.Count, 1);
      return { status: 'cancelled-before-order', orderId: input.orderId };
    }
  }
  if (!order) return { status: 'not-found', orderId: input.orderId };
  if (isFinal(order) && order.status !== 'cancelled') {
    return { status: 'already-final', orderId: order.orderId, orderStatus: order.status };
  }
  if (order.status !== 'cancelled') {
    await updateOrder(order.orderId, {
      status: 'cancelled',
      cancelReason: input.reason,
      currentStep: 'Cancelled',
    });
    metrics.addMetric('OrdersCancelled', MetricUnit.Count, 1);
  }
  await revokeLinks(order.orderId, 'order cancelled');
  await releaseSiteNames(order.orderId);
  try {
    await sfn().send(
      new StopExecutionCommand({
        executionArn: executionArnFor(order.orderId),
        error: 'OrderCancelled',
        cause: input.reason ?? 'The order was cancelled',
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionDoesNotExist)) throw error;
  }
  for (const to of closingRecipients(order)) {
    await sendPlainEmail(order.orderId, `cancelled#${to}`, {
      kind: 'cancelled',
      orderId: order.orderId,
      to,
      language: languageOf(order),
      reason: input.reason,
    });
  }
  await addAudit(
    order.orderId,
    { actor: input.actor, action: 'Order cancelled', details: input.reason ? { reason: input.reason } : {} },
    'cancelled',
  );
  await publish(orderCancelled(order.orderId, input.reason));
  return { status: 'cancelled', orderId: order.orderId };
}
