import type { EmailTemplate } from './email-content';

/** Causes can be long (stack traces, JSON): the email shows the start, the console has the rest. */
const MAX_CAUSE = 2000;

/** To the ops address: a run failed. Rendered in English whatever the contact's language. */
export const opsFailureTemplate: EmailTemplate<'ops-failure'> = (r, { t }) => {
  const cause = r.cause.length > MAX_CAUSE ? `${r.cause.slice(0, MAX_CAUSE)}…` : r.cause;
  return {
    orderId: r.orderId,
    subject: t('opsFailure.subject', { orderId: r.orderId, step: r.step }),
    preheader: t('opsFailure.preheader', { orderId: r.orderId, step: r.step, error: r.error }),
    heading: t('opsFailure.heading'),
    intro: [t('opsFailure.intro', { orderId: r.orderId })],
    facts: [
      { label: t('fact.order'), value: r.orderId },
      { label: t('fact.failedAt'), value: r.step },
      { label: t('fact.error'), value: r.error },
      { label: t('fact.cause'), value: cause },
    ],
    outro: [t('opsFailure.next')],
  };
};
