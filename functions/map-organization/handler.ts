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

/** Maps the order to an existing organization the contact chose (associated, matched or searched). */
export async function mapOrganization(input: OrgStepInput) {
  const choice = parseChoice(input);
  if (choice.action !== 'map')
    throw new ValidationError('Expected an organization to map, got a new organization');
  const org = await findOrganization(choice.orgId);
  if (!org || org.kind !== input.kind) {
    throw new OrganizationNotFoundError(`No ${input.kind} organization ${choice.orgId} in the directory`);
  }
  const order = await getOrder(input.orderId);
  await recordOrganization(order, org, false, choice.adminEmail);
  return { orgId: org.orgId, name: org.name };
}

export const handler = stepHandler(orgStepInputSchema, mapOrganization);
