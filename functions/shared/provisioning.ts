import * as z from 'zod';
import { addAudit, setProvisioned, updateOrder } from './adapters/order-repository';
import { meetingsSettingsFor } from './domain/meetings.schema';
import { serviceSetupResultSchema } from './domain/steps.schema';
import { ValidationError } from './errors';
import { parseOrThrow } from './middleware';
import {
  orderIdSchema,
  purchasedServiceSchema,
  runSettingsSchema,
  type ServiceType,
} from './domain/order.schema';

// Shared by every "Provision <service>" step: the input shape and how a result is recorded.

export const provisionInputSchema = z.object({
  orderId: orderIdSchema,
  service: purchasedServiceSchema,
  setup: z.unknown(),
  /** The run's settings: how Webex jobs are polled. */
  settings: runSettingsSchema.partial().optional(),
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
}

/** The Meetings setup the contact closed, checked against the purchase. */
export function parseMeetingsSetup(input: Pick<ProvisionInput, 'service' | 'setup'>) {
  const setup = parseOrThrow(serviceSetupResultSchema, input.setup, 'Meetings setup');
  if (setup.type !== 'meetings') throw new ValidationError(`Expected a Meetings setup, got ${setup.type}`);
  return parseOrThrow(meetingsSettingsFor(input.service.quantity), setup.settings, 'Meetings settings');
}
