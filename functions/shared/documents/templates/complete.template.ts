import type { EmailTemplate } from './email-content';

/** Every service is provisioned: the order summary's presigned download link and when it expires. */
export const completeTemplate: EmailTemplate<'complete'> = (r, { t, serviceLines, dateTime }) => ({
  orderId: r.orderId,
  subject: t('complete.subject', { orderId: r.orderId }),
  preheader: t('complete.preheader', { orderId: r.orderId }),
  heading: t('complete.heading'),
  greetingName: r.recipientName,
  intro: [t('complete.intro', { orderId: r.orderId }), t('complete.cta')],
  facts: [
    { label: t('fact.order'), value: r.orderId },
    { label: t('fact.services'), value: serviceLines(r.services).join('\n') },
    ...(r.webex?.length ? [{ label: t('fact.webex'), value: r.webex.join('\n') }] : []),
  ],
  action: { label: t('action.download'), url: r.summaryUrl },
  outro: [t('complete.expiry', { date: dateTime(r.summaryUrlExpiresAt) })],
});
