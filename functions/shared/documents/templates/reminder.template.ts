import { STEP_IDS, type StepId } from '../../domain/steps.schema';
import type { EmailTemplate } from './email-content';

const isStepId = (value: string): value is StepId => (STEP_IDS as readonly string[]).includes(value);

/** A waiting step timed out: the same link with a fresh expiry, and how many reminders are left. */
export const reminderTemplate: EmailTemplate<'reminder'> = (r, { t, dateTime }) => {
  // Callers may pass a step id (translated here) or a label they already have.
  const stepId = r.stepLabel;
  const step = isStepId(stepId) ? t(`step.${stepId}` as const) : stepId;
  const remaining = r.remaining > 0 ? t('reminder.remaining', { count: r.remaining }) : t('reminder.last');
  return {
    orderId: r.orderId,
    subject: t('reminder.subject', { orderId: r.orderId }),
    preheader: t('reminder.preheader', { orderId: r.orderId, step }),
    heading: t('reminder.heading'),
    greetingName: r.recipientName,
    intro: [t('reminder.intro', { orderId: r.orderId, step }), t('reminder.cta')],
    facts: [
      { label: t('fact.order'), value: r.orderId },
      { label: t('fact.step'), value: step },
      ...(r.linkExpiresAt ? [{ label: t('fact.linkExpires'), value: dateTime(r.linkExpiresAt) }] : []),
    ],
    action: { label: t('action.setUp'), url: r.setupUrl },
    outro: [remaining],
  };
};
