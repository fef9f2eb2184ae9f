import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { publish } from '../shared/adapters/domain-events';
import { getOrder, isFinal, updateOrder } from '../shared/adapters/order-repository';
import { orderCompleted } from '../shared/domain/domain-events.schema';
import { orderIdSchema } from '../shared/domain/order.schema';
import { webexResultLines } from '../shared/domain/webex-results';
import { OrderClosedError, ValidationError } from '../shared/errors';
import { stepHandler } from '../shared/middleware';
import { metrics } from '../shared/observability';
import { closingAssignees, sendLinkEmail } from '../shared/notify';

export const completeOrderSchema = z.object({ orderId: orderIdSchema });

/** Every service is provisioned: the people get the summary link, and the order is completed. */
export async function completeOrder(input: z.infer<typeof completeOrderSchema>) {
  const order = await getOrder(input.orderId);
  // A retry of a completed order may resend nothing; a cancelled or expired one must not be told it is set up.
  if (isFinal(order) && order.status !== 'completed')
    throw new OrderClosedError(`Order ${order.orderId} is ${order.status}`);
  if (!order.summaryKey) throw new ValidationError(`Order ${order.orderId} has no order summary yet`);
  // Email before the status: a retry after a failed send finds the order still open.
  // Each person gets a setup link of their own: its summary address presigns a fresh URL per
  // click, so the email keeps working after a presigned URL would have expired.
  for (const to of closingAssignees(order)) {
    await sendLinkEmail(order, `complete#${to.email}`, to, {
      kind: 'complete',
      services: order.services,
      recipientName: to.email === order.contact.email ? order.contact.name : undefined,
      webex: webexResultLines(order),
    });
  }
  if (order.status !== 'completed') {
    const at = new Date().toISOString();
    // The completion and its audit entry: one write.
    await updateOrder(
      order.orderId,
      { status: 'completed', completedAt: at, currentStep: 'Complete order' },
      { audit: { entry: { actor: 'system', action: 'Order completed', at }, dedupeKey: 'completed' } },
    );
    metrics.addMetric('OrdersCompleted', MetricUnit.Count, 1);
    metrics.addMetric(
      'OrderDuration',
      MetricUnit.Seconds,
      (Date.parse(at) - Date.parse(order.createdAt)) / 1000,
    );
  }
  await publish(orderCompleted(order, order.summaryKey));
  return { status: 'completed' };
}

export const handler = stepHandler(completeOrderSchema, completeOrder);
