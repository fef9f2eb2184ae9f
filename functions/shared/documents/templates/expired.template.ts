import type { EmailTemplate } from './email-content';

/** The last reminder passed: the order expired and its links stopped working. */
export const expiredTemplate: EmailTemplate<'expired'> = (r, { t }) => ({
  orderId: r.orderId,
  subject: t('expired.subject', { orderId: r.orderId }),
  preheader: t('expired.preheader', { orderId: r.orderId }),
  heading: t('expired.heading'),
  greetingName: r.recipientName,
  intro: [t('expired.intro', { orderId: r.orderId }), t('expired.services')],
  facts: [{ label: t('fact.order'), value: r.orderId }],
  outro: [t('expired.next')],
});
