import type { EmailTemplate } from './email-content';

/** Provisioning information required: the first email of a run, with the Set up service button. */
export const welcomeTemplate: EmailTemplate<'welcome'> = (r, { t, serviceLines, dateTime }) => ({
  orderId: r.orderId,
  subject: t('welcome.subject', { orderId: r.orderId }),
  preheader: t('welcome.preheader', { orderId: r.orderId }),
  heading: t('welcome.heading'),
  greetingName: r.recipientName,
  intro: [
    t('welcome.intro', { orderId: r.orderId }),
    ...(r.partnerName ? [t('welcome.partner', { partnerName: r.partnerName })] : []),
    t('welcome.cta'),
  ],
  facts: [
    { label: t('fact.order'), value: r.orderId },
    { label: t('fact.services'), value: serviceLines(r.services).join('\n') },
    ...(r.linkExpiresAt ? [{ label: t('fact.linkExpires'), value: dateTime(r.linkExpiresAt) }] : []),
  ],
  action: { label: t('action.setUp'), url: r.setupUrl },
  outro: [],
});
