import { getOrder } from '../shared/adapters/order-repository';
import { serviceSetupResultSchema } from '../shared/domain/steps.schema';
import { OrganizationNotFoundError, ValidationError, WebexCustomerBusyError } from '../shared/errors';
import { parseOrThrow, stepHandler } from '../shared/middleware';
import { provisionInputSchema, type ProvisionInput } from '../shared/provisioning';
import { customerOutcome, customerWebexOrgId, newJob } from '../shared/webex-jobs';
import { CALLING_PACKAGES_ADDED, findCustomer, updateCustomer } from '../shared/webex/webex-port';
import { addCallingRequest } from '../shared/webex/webex-requests';

/**
 * Webex Calling: adds the Calling packages to the customer with `PUT /wholesale/customers/{id}`,
 * carrying the headquarters location Webex requires with them (`provisioningParameters.calling`).
 * Webex updates the customer asynchronously and makes the location; "Check services" (after the
 * Map) waits for it, then makes sure the location is enabled for Calling and records it. A retried
 * step finds the packages already added and submits nothing twice.
 */
export async function provisionCalling(input: ProvisionInput) {
  const setup = parseOrThrow(serviceSetupResultSchema, input.setup, 'Calling setup');
  if (setup.type !== 'calling') throw new ValidationError(`Expected a Calling setup, got ${setup.type}`);
  const order = await getOrder(input.orderId);
  const orgId = customerWebexOrgId(order);
  const externalId = order.customerOrg?.orgId ?? '';
  const customer = await findCustomer(externalId);
  if (!customer)
    throw new OrganizationNotFoundError(
      `Webex has no customer with externalId ${externalId} to add Calling to`,
    );
  const packages = customer.packages ?? [];
  const added = CALLING_PACKAGES_ADDED.every((p) => packages.includes(p));
  if (!added) {
    // Webex refuses an update while the customer is still busy with the previous one.
    if (customerOutcome(customer.status) === 'provisioning')
      throw new WebexCustomerBusyError(
        `Webex customer ${customer.id} is ${customer.status}; Calling is added once it is done`,
      );
    await updateCustomer(customer.id, addCallingRequest(packages, setup.settings.location));
  }
  return newJob({ kind: 'calling', orgId, refs: [customer.id], status: 'provisioning' }, input.settings);
}

export const handler = stepHandler(provisionInputSchema, provisionCalling);
