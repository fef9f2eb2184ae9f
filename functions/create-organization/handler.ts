import { createOrganization as createOrg } from '../shared/adapters/org-directory';
import { ValidationError } from '../shared/errors';
import { stepHandler } from '../shared/middleware';
import {
  getOrder,
  orgStepInputSchema,
  parseChoice,
  recordOrganization,
  type OrgStepInput,
} from '../shared/org-mapping';

/** Creates the organization the contact described (no match was found), then maps the order to it. */
export async function createOrganization(input: OrgStepInput) {
  const choice = parseChoice(input);
  if (choice.action !== 'create') throw new ValidationError('Expected a new organization, got one to map');
  const order = await getOrder(input.orderId);
  // The partner org's first user is the person provisioning; the customer org's is its admin.
  const adminEmail = choice.adminEmail ?? order.assignee.email;
  const org = await createOrg({
    orderId: order.orderId,
    kind: input.kind,
    organization: choice.organization,
    adminEmail,
  });
  await recordOrganization(order, org, true, choice.adminEmail);
  return { orgId: org.orgId, name: org.name };
}

export const handler = stepHandler(orgStepInputSchema, createOrganization);
