import type { EmailTemplate } from './email-content';

/** To the customer admin: the partner lets the customer set up the services themselves. */
export const selfSetupTemplate: EmailTemplate<'self-setup'> = (r, { t, serviceLines, dateTime }) => {
  const vars = { orderId: r.orderId, partnerOrgName: r.partnerOrgName, customerOrgName: r.customerOrgName };
  return {
    orderId: r.orderId,
    subject: t('selfSetup.subject', vars),
    preheader: t('selfSetup.preheader', vars),
    heading: t('selfSetup.heading'),
    greetingName: r.recipientName,
    intro: [t('selfSetup.intro', vars), t('selfSetup.partnerAccess'), t('selfSetup.cta')],
    facts: [
      { label: t('fact.order'), value: r.orderId },
      { label: t('fact.customerOrg'), value: r.customerOrgName },
      { label: t('fact.partnerOrg'), value: r.partnerOrgName },
      { label: t('fact.services'), value: serviceLines(r.services).join('\n') },
      ...(r.linkExpiresAt ? [{ label: t('fact.linkExpires'), value: dateTime(r.linkExpiresAt) }] : []),
    ],
    action: { label: t('action.continue'), url: r.setupUrl },
    outro: [],
  };
};
