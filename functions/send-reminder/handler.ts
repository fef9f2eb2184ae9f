import * as z from 'zod';
import { addAudit, isFinal } from '../shared/adapters/order-repository';
import { remindStep } from '../shared/adapters/step-store';
import { orderIdSchema, runSettingsSchema } from '../shared/domain/order.schema';
import { STEP_STATE_NAMES, stepIdSchema } from '../shared/domain/steps.schema';
import { OrderClosedError, OrderExpiredError } from '../shared/errors';
import { stepLabels } from '../shared/i18n/steps';
import { translator } from '../shared/i18n/translate';
import { stepHandler } from '../shared/middleware';
import { languageOf, sendLinkEmail } from '../shared/notify';

export const sendReminderSchema = z.object({
  orderId: orderIdSchema,
  step: stepIdSchema,
  settings: runSettingsSchema,
});

/**
 * A waiting step timed out. Counts it (once per timed-out token, so a retry counts nothing
 * more); past the last reminder the order expires (OrderExpiredError, caught by the state
 * machine); otherwise the person it waits on gets a reminder with a fresh link.
 */
export async function sendReminder(input: z.infer<typeof sendReminderSchema>) {
  // The timed-out token identifies this timeout: a retry finds it counted and emailed, while a
  // step entered again (after a hand-off) starts counting afresh without colliding with old emails.
  // One write counts it and answers with the order (the step is part of the order's item).
  const { count, timeoutKey, order } = await remindStep(input.orderId, input.step);
  const max = input.settings.maxReminders;
  if (count > max) {
    throw new OrderExpiredError(
      `Nobody completed "${STEP_STATE_NAMES[input.step]}" after ${max} reminder(s); the order expires`,
    );
  }
  // A cancelled (or otherwise final) order gets no reminder, and above all no fresh active link.
  if (isFinal(order)) throw new OrderClosedError(`Order ${order.orderId} is ${order.status}`);
  const t = translator(stepLabels, languageOf(order));
  const emailed = await sendLinkEmail(
    order,
    `reminder#${input.step}#${count}#${timeoutKey}`,
    order.assignee,
    {
      kind: 'reminder',
      stepLabel: t(input.step),
      remaining: max - count,
    },
  );
  await addAudit(
    order.orderId,
    {
      actor: 'system',
      action: 'Reminder sent',
      details: { step: STEP_STATE_NAMES[input.step], to: order.assignee.email, reminder: count, of: max },
    },
    `reminder#${input.step}#${count}#${timeoutKey}`,
  );
  return { reminders: count, emailed };
}

export const handler = stepHandler(sendReminderSchema, sendReminder);
