import * as z from 'zod';
import { revokeLinks, REVOKED_BY_HAND_OFF } from '../shared/adapters/link-store';
import { addAudit, getOrder, updateOrder } from '../shared/adapters/order-repository';
import { emailSchema, orderIdSchema } from '../shared/domain/order.schema';
import { ValidationError } from '../shared/errors';
import { stepHandler } from '../shared/middleware';
import { sendLinkEmail } from '../shared/notify';

export const handOffInputSchema = z.discriminatedUnion('role', [
  /** "I want someone else to complete this order". */
  z.object({
    orderId: orderIdSchema,
    role: z.literal('delegate'),
    email: emailSchema,
    submissionId: z.string().min(1),
  }),
  /** "My customer will set up their own services": the customer admin continues from the services. */
  z.object({ orderId: orderIdSchema, role: z.literal('customer-admin') }),
]);
export type HandOffInput = z.infer<typeof handOffInputSchema>;

export async function handOff(input: HandOffInput) {
  const order = await getOrder(input.orderId);
  if (input.role === 'delegate') {
    const from = order.assignee.email;
    const to = { email: input.email, role: 'delegate' as const };
    // The previous person's links stop working; the new person gets a fresh one.
    await updateOrder(order.orderId, {
      assignee: to,
      status: 'in-progress',
      currentStep: 'Hand off to another person',
    });
    await revokeLinks(order.orderId, REVOKED_BY_HAND_OFF, to.email);
    const emailed = await sendLinkEmail(order, `handoff#${input.submissionId}`, to, {
      kind: 'handoff',
      fromEmail: from,
      services: order.services,
    });
    await addAudit(
      order.orderId,
      { actor: 'system', action: 'Order handed to another person', details: { from, to: to.email } },
      `handoff#${input.submissionId}`,
    );
    return { assignee: to.email, emailed };
  }

  const customer = order.customerOrg;
  if (!customer) throw new ValidationError('The customer organization is not mapped yet');
  const to = { email: customer.adminEmail, role: 'customer-admin' as const };
  // The partner keeps its relation to the customer org (recorded at mapping); only the run's
  // waiting person changes. The partner's links stay valid and show where the order stands.
  await updateOrder(order.orderId, {
    assignee: to,
    selfSetup: true,
    status: 'in-progress',
    currentStep: 'Hand services to customer admin',
  });
  const emailed = await sendLinkEmail(order, 'self-setup', to, {
    kind: 'self-setup',
    partnerOrgName: order.partnerOrg?.name ?? order.partnerName ?? '',
    customerOrgName: customer.name,
    services: order.services,
  });
  await addAudit(
    order.orderId,
    { actor: 'system', action: 'Services handed to the customer admin', details: { to: to.email } },
    'self-setup',
  );
  return { assignee: to.email, emailed };
}

export const handler = stepHandler(handOffInputSchema, handOff);
