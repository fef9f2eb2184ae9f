import { serviceSetupResultSchema } from '../shared/domain/steps.schema';
import { ValidationError } from '../shared/errors';
import { parseOrThrow, stepHandler } from '../shared/middleware';
import { provisionInputSchema, recordProvisioned, type ProvisionInput } from '../shared/provisioning';

/** Webex Calling: the headquarters location. More locations are added after provisioning. */
export async function provisionCalling(input: ProvisionInput) {
  const setup = parseOrThrow(serviceSetupResultSchema, input.setup, 'Calling setup');
  if (setup.type !== 'calling') throw new ValidationError(`Expected a Calling setup, got ${setup.type}`);
  const { location } = setup.settings;
  await recordProvisioned(input.orderId, 'calling', 'Provision Webex Calling', setup.settings, {
    location: location.locationName,
    country: location.country,
    licenses: input.service.quantity,
  });
  return { location: location.locationName };
}

export const handler = stepHandler(provisionInputSchema, provisionCalling);
