import type * as z from 'zod';
import { publish } from '../shared/adapters/domain-events';
import { createOrder, newOrderRecord } from '../shared/adapters/order-repository';
import { orderReceived } from '../shared/domain/domain-events.schema';
import { executionInputSchema } from '../shared/domain/order.schema';
import { stepHandler } from '../shared/middleware';
import { logger, metrics } from '../shared/observability';
import { MetricUnit } from '@aws-lambda-powertools/metrics';

export const receiveOrderInputSchema = executionInputSchema;

/** Stores the order once (a duplicate event finds it there and changes nothing). */
export async function receiveOrder(input: z.infer<typeof receiveOrderInputSchema>) {
  const at = new Date().toISOString();
  // The order and the audit entry that it was received: one write.
  const created = await createOrder(newOrderRecord(input.order, at), {
    entry: {
      actor: 'order-system',
      action: 'Order received',
      at,
      details: {
        subscriptionId: input.order.subscriptionId,
        services: input.order.services.map((s) => `${s.type} × ${s.quantity}`).join(', '),
        contact: input.order.contact.email,
      },
    },
    dedupeKey: 'received',
  });
  if (created) {
    metrics.addMetric('OrdersReceived', MetricUnit.Count, 1);
  } else {
    logger.info('Order already stored; nothing to do');
  }
  // Also on a retry: the event keeps its id, and consumers dedupe on it.
  await publish(orderReceived(input.order));
  return { orderId: input.order.orderId, created };
}

export const handler = stepHandler(receiveOrderInputSchema, receiveOrder);
