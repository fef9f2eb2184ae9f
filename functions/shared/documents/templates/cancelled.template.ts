import type { EmailTemplate } from './email-content';

/** The order system cancelled the order: the run stopped and the links were revoked. */
export const cancelledTemplate: EmailTemplate<'cancelled'> = (r, { t }) => ({
  orderId: r.orderId,
  subject: t('cancelled.subject', { orderId: r.orderId }),
  preheader: t('cancelled.preheader', { orderId: r.orderId }),
  heading: t('cancelled.heading'),
  greetingName: r.recipientName,
  intro: [t('cancelled.intro', { orderId: r.orderId })],
  facts: [
    { label: t('fact.order'), value: r.orderId },
    ...(r.reason ? [{ label: t('fact.reason'), value: r.reason }] : []),
  ],
  outro: [t('cancelled.next')],
});
