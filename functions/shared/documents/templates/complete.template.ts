import type { EmailTemplate } from './email-content';

/** The setup pages' summary address of a link: it presigns a fresh download URL on every click. */
export function summaryAddress(setupUrl: string): string {
  return `${setupUrl.replace(/\/+$/, '')}/summary`;
}

/** Every service is provisioned: the order summary, downloaded through the setup link. */
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
  action: { label: t('action.download'), url: summaryAddress(r.setupUrl) },
  outro: r.linkExpiresAt ? [t('complete.expiry', { date: dateTime(r.linkExpiresAt) })] : [],
});
