import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { addAudit, findOrder, isFinal, updateOrder } from '../shared/adapters/order-repository';
import { getConfig } from '../shared/config';
import { orderIdSchema } from '../shared/domain/order.schema';
import { stepHandler } from '../shared/middleware';
import { logger, metrics } from '../shared/observability';
import { sendPlainEmail } from '../shared/notify';

export const recordFailureSchema = z.object({
  orderId: orderIdSchema,
  error: z.object({ Error: z.string().default('Unknown'), Cause: z.unknown().optional() }),
});

/** Lambda errors arrive with a JSON cause ({errorMessage, errorType, …}); keep just the message. */
export function readableCause(cause: unknown): string {
  if (typeof cause !== 'string') return cause === undefined ? '' : JSON.stringify(cause);
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not JSON: the cause is already a message.
  }
  return cause;
}

/** A step failed for good: the order records where and why, and ops are told. */
export async function recordFailure(input: z.infer<typeof recordFailureSchema>) {
  const order = await findOrder(input.orderId);
  const cause = readableCause(input.error.Cause).slice(0, 2000);
  const step = order?.currentStep ?? 'Receive order';
  metrics.addMetric('OrdersFailed', MetricUnit.Count, 1);
  logger.error('Provisioning failed', { step, error: input.error.Error, cause });
  if (order && !isFinal(order)) {
    const at = new Date().toISOString();
    await updateOrder(order.orderId, {
      status: 'failed',
      failure: { step, error: input.error.Error, cause, at },
    });
    // Keyed like the ops email, so a retried invocation records the failure once.
    await addAudit(
      order.orderId,
      { actor: 'system', action: 'Provisioning failed', details: { step, error: input.error.Error, cause } },
      `failure#${step}#${input.error.Error}`,
    );
  }
  await sendPlainEmail(input.orderId, `failure#${step}#${input.error.Error}`, {
    kind: 'ops-failure',
    orderId: input.orderId,
    to: getConfig().OPS_EMAIL,
    language: 'en',
    step,
    error: input.error.Error,
    cause,
  });
  return { step, error: input.error.Error, cause };
}

export const handler = stepHandler(recordFailureSchema, recordFailure);
