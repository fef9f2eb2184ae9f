import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { revokeLinks } from '../shared/adapters/link-store';
import { releaseSiteNames } from '../shared/adapters/org-directory';
import { publish } from '../shared/adapters/domain-events';
import { addAudit, getOrder, isFinal, updateOrder } from '../shared/adapters/order-repository';
import { orderExpired } from '../shared/domain/domain-events.schema';
import { orderIdSchema } from '../shared/domain/order.schema';
import { stepHandler } from '../shared/middleware';
import { metrics } from '../shared/observability';
import { closingRecipients, languageOf, sendPlainEmail } from '../shared/notify';

export const expireOrderSchema = z.object({ orderId: orderIdSchema });

/** The last reminder went unanswered: the order is marked expired, its links stop, the people are told. */
export async function expireOrder(input: z.infer<typeof expireOrderSchema>) {
  const order = await getOrder(input.orderId);
  if (order.status !== 'expired') {
    if (isFinal(order)) return { status: order.status };
    await updateOrder(order.orderId, { status: 'expired', currentStep: 'Expire order' });
    metrics.addMetric('OrdersExpired', MetricUnit.Count, 1);
  }
  await revokeLinks(order.orderId, 'order expired');
  // Names held for sites never provisioned go back to everyone; provisioned sites stay.
  await releaseSiteNames(order.orderId, order.provisioned.meetings?.sites.map((s) => s.siteName) ?? []);
  for (const to of closingRecipients(order)) {
    await sendPlainEmail(order.orderId, `expired#${to}`, {
      kind: 'expired',
      orderId: order.orderId,
      to,
      language: languageOf(order),
    });
  }
  await addAudit(order.orderId, { actor: 'system', action: 'Order expired', details: {} }, 'expired');
  await publish(orderExpired(order.orderId, order.currentStep));
  return { status: 'expired' };
}

export const handler = stepHandler(expireOrderSchema, expireOrder);
