import type { EmailTemplate } from './email-content';

/** The order was handed on to this person: their own link, the previous one revoked. */
export const handoffTemplate: EmailTemplate<'handoff'> = (r, { t, serviceLines, dateTime }) => ({
  orderId: r.orderId,
  subject: t('handoff.subject', { orderId: r.orderId }),
  preheader: t('handoff.preheader', { orderId: r.orderId, fromEmail: r.fromEmail }),
  heading: t('handoff.heading'),
  greetingName: r.recipientName,
  intro: [t('handoff.intro', { orderId: r.orderId, fromEmail: r.fromEmail }), t('handoff.cta')],
  facts: [
    { label: t('fact.order'), value: r.orderId },
    { label: t('fact.handedOnBy'), value: r.fromEmail },
    { label: t('fact.services'), value: serviceLines(r.services).join('\n') },
    ...(r.linkExpiresAt ? [{ label: t('fact.linkExpires'), value: dateTime(r.linkExpiresAt) }] : []),
  ],
  action: { label: t('action.setUp'), url: r.setupUrl },
  outro: [],
});
