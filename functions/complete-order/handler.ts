import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { publish } from '../shared/adapters/domain-events';
import { addAudit, getOrder, isFinal, updateOrder } from '../shared/adapters/order-repository';
import { orderCompleted } from '../shared/domain/domain-events.schema';
import { presignSummary } from '../shared/documents/document-store';
import { orderIdSchema } from '../shared/domain/order.schema';
import { OrderClosedError, ValidationError } from '../shared/errors';
import { stepHandler } from '../shared/middleware';
import { metrics } from '../shared/observability';
import { closingRecipients, languageOf, sendPlainEmail } from '../shared/notify';

export const completeOrderSchema = z.object({ orderId: orderIdSchema });

/** Every service is provisioned: the people get the summary link, and the order is completed. */
export async function completeOrder(input: z.infer<typeof completeOrderSchema>) {
  const order = await getOrder(input.orderId);
  // A retry of a completed order may resend nothing; a cancelled or expired one must not be told it is set up.
  if (isFinal(order) && order.status !== 'completed')
    throw new OrderClosedError(`Order ${order.orderId} is ${order.status}`);
  if (!order.summaryKey) throw new ValidationError(`Order ${order.orderId} has no order summary yet`);
  // Email before the status: a retry after a failed send finds the order still open.
  const { url, expiresAt } = await presignSummary(order.summaryKey);
  for (const to of closingRecipients(order)) {
    await sendPlainEmail(order.orderId, `complete#${to}`, {
      kind: 'complete',
      orderId: order.orderId,
      to,
      language: languageOf(order),
      summaryUrl: url,
      summaryUrlExpiresAt: expiresAt,
      services: order.services,
    });
  }
  if (order.status !== 'completed') {
    const at = new Date().toISOString();
    await updateOrder(order.orderId, { status: 'completed', completedAt: at, currentStep: 'Complete order' });
    await addAudit(order.orderId, { actor: 'system', action: 'Order completed', details: {} }, 'completed');
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
