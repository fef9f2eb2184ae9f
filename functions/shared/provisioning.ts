import * as z from 'zod';
import { publish } from './adapters/domain-events';
import { addAudit, setProvisioned, updateOrder } from './adapters/order-repository';
import { serviceProvisioned } from './domain/domain-events.schema';
import { orderIdSchema, purchasedServiceSchema, type ServiceType } from './domain/order.schema';

// Shared by every "Provision <service>" step: the input shape and how a result is recorded.

export const provisionInputSchema = z.object({
  orderId: orderIdSchema,
  service: purchasedServiceSchema,
  setup: z.unknown(),
});
export type ProvisionInput = z.infer<typeof provisionInputSchema>;

export async function recordProvisioned(
  orderId: string,
  type: ServiceType,
  stateName: string,
  settings: Record<string, unknown>,
  details: Record<string, string | number | boolean>,
): Promise<void> {
  await setProvisioned(orderId, type, { ...settings, provisionedAt: new Date().toISOString() });
  await updateOrder(orderId, { status: 'in-progress', currentStep: stateName });
  await addAudit(
    orderId,
    { actor: 'system', action: `${stateName.replace('Provision ', '')} provisioned`, details },
    `provisioned#${type}`,
  );
  const { webex } = settings as { webex?: Record<string, unknown> };
  await publish(serviceProvisioned(orderId, type, details, webex));
}
