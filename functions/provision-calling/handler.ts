import { getOrder } from '../shared/adapters/order-repository';
import { serviceSetupResultSchema } from '../shared/domain/steps.schema';
import { ValidationError } from '../shared/errors';
import { parseOrThrow, stepHandler } from '../shared/middleware';
import { provisionInputSchema, recordProvisioned, type ProvisionInput } from '../shared/provisioning';
import { customerWebexOrgId } from '../shared/webex-jobs';
import { callingLocationRequest } from '../shared/webex/webex-requests';
import { ensureCallingLocation } from '../shared/webex/webex-port';

/**
 * Webex Calling: the headquarters location, found by its name in the customer org or created,
 * then enabled for Calling (once). More locations are added after provisioning.
 */
export async function provisionCalling(input: ProvisionInput) {
  const setup = parseOrThrow(serviceSetupResultSchema, input.setup, 'Calling setup');
  if (setup.type !== 'calling') throw new ValidationError(`Expected a Calling setup, got ${setup.type}`);
  const { location } = setup.settings;
  const orgId = customerWebexOrgId(await getOrder(input.orderId));
  const made = await ensureCallingLocation(orgId, callingLocationRequest(location));
  await recordProvisioned(
    input.orderId,
    'calling',
    'Provision Webex Calling',
    { ...setup.settings, webex: { locationId: made.location.id, orgId } },
    {
      location: location.locationName,
      country: location.country,
      licenses: input.service.quantity,
      webexLocationId: made.location.id,
    },
  );
  return { location: location.locationName, locationId: made.location.id };
}

export const handler = stepHandler(provisionInputSchema, provisionCalling);
