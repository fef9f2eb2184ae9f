import * as z from 'zod';
import { publish } from './adapters/domain-events';
import { recordPartnerRelation } from './adapters/org-directory';
import { getOrder, updateOrder } from './adapters/order-repository';
import { organizationEvents } from './domain/domain-events.schema';
import type { OrderRecord } from './domain/order-record.schema';
import { orderIdSchema, runSettingsSchema, type PartnerRole } from './domain/order.schema';
import type { Organization } from './domain/org.schema';
import { orgKindSchema } from './domain/org.schema';
import { customerOrgResultSchema, partnerOrgResultSchema } from './domain/steps.schema';
import { parseOrThrow } from './middleware';

// Shared by "Map … organization" and "Create … organization": both end by recording the org on
// the order (and, for a partner's customer, the partner–customer relation).

export const orgStepInputSchema = z.object({
  orderId: orderIdSchema,
  kind: orgKindSchema,
  choice: z.unknown(),
  /** The run's settings: how Webex jobs are polled. */
  settings: runSettingsSchema.partial().optional(),
});
export type OrgStepInput = z.infer<typeof orgStepInputSchema>;

export function parseChoice(input: OrgStepInput) {
  return input.kind === 'partner'
    ? {
        ...parseOrThrow(partnerOrgResultSchema, input.choice, 'partner organization choice'),
        adminEmail: undefined,
      }
    : parseOrThrow(customerOrgResultSchema, input.choice, 'customer organization choice');
}

/**
 * `order`: the order as the step read it, or only its id when the step has not read it: a partner
 * org is recorded with no read of the order; a customer org reads it then (the partner's role).
 */
export async function recordOrganization(
  orderOrId: OrderRecord | string,
  org: Organization,
  created: boolean,
  adminEmail: string | undefined,
): Promise<void> {
  const orderId = typeof orderOrId === 'string' ? orderOrId : orderOrId.orderId;
  const stateName = `${created ? 'Create' : 'Map'} ${org.kind} organization`;
  // The order's organization and the audit entry that records it: one write.
  const audit = {
    entry: {
      actor: 'system',
      action: `${org.kind === 'partner' ? 'Partner' : 'Customer'} organization ${created ? 'created' : 'mapped'}`,
      details: { organization: org.name, country: org.country },
    },
    dedupeKey: `${org.kind}-org#${org.orgId}`,
  };
  if (org.kind === 'partner') {
    await updateOrder(
      orderId,
      {
        partnerOrg: { orgId: org.orgId, name: org.name, created, country: org.country },
        status: 'in-progress',
        currentStep: stateName,
      },
      { audit },
    );
  } else {
    const order = typeof orderOrId === 'string' ? await getOrder(orderOrId) : orderOrId;
    // A partner provisioning an existing customer gets a limited role; for a customer it created, full admin.
    let partnerRole: PartnerRole | undefined =
      order.orderFor === 'customer' && order.partnerOrg
        ? created
          ? 'full-admin'
          : 'provisioning-admin'
        : undefined;
    if (partnerRole && order.partnerOrg) {
      // The role the partner holds now: one that created this customer earlier stays full admin.
      partnerRole = await recordPartnerRelation({
        customerId: org.orgId,
        partnerId: order.partnerOrg.orgId,
        role: partnerRole,
        orderId: order.orderId,
      });
    }
    await updateOrder(
      order.orderId,
      {
        customerOrg: {
          orgId: org.orgId,
          name: org.name,
          created,
          country: org.country,
          adminEmail: adminEmail ?? order.assignee.email,
          partnerRole,
        },
        status: 'in-progress',
        currentStep: stateName,
      },
      { audit },
    );
  }
  await publish(...organizationEvents(orderId, org, created));
}

export { getOrder };
