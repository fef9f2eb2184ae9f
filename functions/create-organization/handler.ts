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
import { submitOrganization } from '../shared/webex-jobs';

/**
 * Creates the organization the contact described (no match was found), maps the order to it,
 * and submits it to Webex (found by externalId = our org id, so a retry never makes a second).
 * Returns the Webex job the run waits on.
 */
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
  const job = await submitOrganization(org, adminEmail, input.settings);
  return { orgId: org.orgId, name: org.name, job };
}

export const handler = stepHandler(orgStepInputSchema, createOrganization);
