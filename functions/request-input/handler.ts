import * as z from 'zod';
import { waitOnStep } from '../shared/adapters/step-store';
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
  // One conditional write of the order's item, which holds its steps: it keeps the token with the
  // step, moves the order on and answers with the order. It throws OrderClosedError for an order
  // that reached a final status (nothing is stored for it then), and needs no read before.
  const { stored, order } = await waitOnStep(input.orderId, input.step, input.taskToken, {
    status: 'in-progress',
    currentStep: STEP_STATE_NAMES[input.step],
  });
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
