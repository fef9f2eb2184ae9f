import * as z from 'zod';
import { updateOrderAndRead } from '../shared/adapters/order-repository';
import { storeTaskToken } from '../shared/adapters/step-store';
import { orderIdSchema } from '../shared/domain/order.schema';
import { STEP_STATE_NAMES, stepIdSchema } from '../shared/domain/steps.schema';
import { stepHandler } from '../shared/middleware';
import { sendLinkEmail } from '../shared/notify';

export const requestInputSchema = z.object({
  orderId: orderIdSchema,
  step: stepIdSchema,
  taskToken: z.string().min(1).max(4096),
});

/**
 * A callback step begins: keep its task token server-side with the step, and on the first step
 * send the welcome email with the setup link. Later steps send nothing: the contact's browser is
 * carried to them; reminders and hand-offs send their own emails.
 */
export async function requestInput(input: z.infer<typeof requestInputSchema>) {
  // One conditional write that answers with the order: it throws OrderClosedError for an order
  // that reached a final status (nothing is stored for it then), and needs no read before.
  const order = await updateOrderAndRead(input.orderId, {
    status: 'in-progress',
    currentStep: STEP_STATE_NAMES[input.step],
  });
  const stored = await storeTaskToken(input.orderId, input.step, input.taskToken);
  let emailed = false;
  if (input.step === 'order-for') {
    const contact = { email: order.contact.email, role: 'contact' as const };
    emailed = await sendLinkEmail(order, 'welcome', contact, {
      kind: 'welcome',
      recipientName: order.contact.name,
      services: order.services,
      partnerName: order.partnerName,
    });
  }
  // Never return the token: this output lands in the execution history.
  return { step: input.step, stored, emailed };
}

export const handler = stepHandler(requestInputSchema, requestInput);
