import * as z from 'zod';
import { publish } from './adapters/domain-events';
import { setProvisioned } from './adapters/order-repository';
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
import { serviceProvisioned } from './domain/domain-events.schema';

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
  // The service, the order's step and the audit entry: one write of the order.
  await setProvisioned(
    orderId,
    type,
    { ...settings, provisionedAt: new Date().toISOString() },
    {
      patch: { status: 'in-progress', currentStep: stateName },
      audit: {
        entry: { actor: 'system', action: `${stateName.replace('Provision ', '')} provisioned`, details },
        dedupeKey: `provisioned#${type}`,
      },
    },
  );
  const { webex } = settings as { webex?: Record<string, unknown> };
  await publish(serviceProvisioned(orderId, type, details, webex));
}

/** The Meetings setup the contact closed, checked against the purchase. */
export function parseMeetingsSetup(input: Pick<ProvisionInput, 'service' | 'setup'>) {
  const setup = parseOrThrow(serviceSetupResultSchema, input.setup, 'Meetings setup');
  if (setup.type !== 'meetings') throw new ValidationError(`Expected a Meetings setup, got ${setup.type}`);
  return parseOrThrow(meetingsSettingsFor(input.service.quantity), setup.settings, 'Meetings settings');
}
