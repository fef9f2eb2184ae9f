import type { Language } from '../../functions/shared/domain/order.schema';
import type { EmailKind, EmailRequest } from '../../functions/shared/documents/email.types';

// One request of every email kind, for the template and mailer tests. `hostile` puts markup in
// every free-text field, so the tests can check that the HTML part escapes each of them.

export const ORDER_ID = 'ORD-2026-0042';
export const SETUP_URL = 'https://setup.example.com/setup/AbCdEfGhIjKlMnOpQrStUvWxYz012345';
/** The setup pages' own summary address: it presigns a fresh URL on every click. */
export const SUMMARY_URL = `${SETUP_URL}/summary`;

export function emailRequest(kind: EmailKind, language: Language, hostile = false): EmailRequest {
  const x = (text: string) => (hostile ? `${text} <script>alert("x")</script> & <b>'bold'</b>` : text);
  const base = {
    orderId: ORDER_ID,
    to: 'ana.popescu@partner.example',
    language,
    recipientName: x('Ana Popescu'),
  };
  const services = [
    { type: 'meetings' as const, quantity: 20 },
    { type: 'calling' as const, quantity: 1 },
  ];
  switch (kind) {
    case 'welcome':
      return {
        ...base,
        kind,
        setupUrl: SETUP_URL,
        linkExpiresAt: '2026-12-09T09:30:00Z',
        services,
        partnerName: x('Parteneri Digitali SRL'),
      };
    case 'handoff':
      return { ...base, kind, setupUrl: SETUP_URL, fromEmail: x('ana@partner.example'), services };
    case 'self-setup':
      return {
        ...base,
        kind,
        setupUrl: SETUP_URL,
        partnerOrgName: x('Parteneri Digitali SRL'),
        customerOrgName: x('Societatea Românească de Știință și Tehnică'),
        services,
      };
    case 'reminder':
      return { ...base, kind, setupUrl: SETUP_URL, stepLabel: 'partner-org', remaining: 2 };
    case 'expired':
      return { ...base, kind };
    case 'cancelled':
      return { ...base, kind, reason: x('Customer withdrew') };
    case 'complete':
      return {
        ...base,
        kind,
        setupUrl: SETUP_URL,
        linkExpiresAt: '2026-12-09T13:15:00Z',
        services,
      };
    case 'ops-failure':
      return {
        ...base,
        kind,
        to: 'ops@example.com',
        step: x('Provision Webex Meetings'),
        error: x('SiteNameTakenError'),
        cause: x('Site name acme is taken'),
      };
  }
}
