import { findOrganization } from '../shared/adapters/org-directory';
import { OrganizationNotFoundError, ValidationError } from '../shared/errors';
import { stepHandler } from '../shared/middleware';
import {
  getOrder,
  orgStepInputSchema,
  parseChoice,
  recordOrganization,
  type OrgStepInput,
} from '../shared/org-mapping';
import { submitOrganization } from '../shared/webex-jobs';

/**
 * Maps the order to an existing organization the contact chose (associated, matched or searched).
 * A customer org is then found in Webex by externalId = our org id, or submitted if Webex does not
 * have it yet: its services are provisioned there. (A partner org is the integration's own side:
 * nothing is provisioned in it.)
 */
export async function mapOrganization(input: OrgStepInput) {
  const choice = parseChoice(input);
  if (choice.action !== 'map')
    throw new ValidationError('Expected an organization to map, got a new organization');
  const org = await findOrganization(choice.orgId);
  if (!org || org.kind !== input.kind) {
    throw new OrganizationNotFoundError(`No ${input.kind} organization ${choice.orgId} in the directory`);
  }
  if (input.kind === 'partner') {
    // A partner org is recorded as it is: no read of the order.
    await recordOrganization(input.orderId, org, false, choice.adminEmail);
    return { orgId: org.orgId, name: org.name };
  }
  const order = await getOrder(input.orderId);
  await recordOrganization(order, org, false, choice.adminEmail);
  const job = await submitOrganization(org, choice.adminEmail ?? order.assignee.email, input.settings);
  return { orgId: org.orgId, name: org.name, job };
}

export const handler = stepHandler(orgStepInputSchema, mapOrganization);
