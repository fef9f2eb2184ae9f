import type { AuditEntry } from '../../functions/shared/domain/audit.schema';
import {
  callingDetails,
  meetingsDetails,
  orderForDetails,
  orgCreatedDetails,
  reviewDetails,
} from '../../functions/shared/domain/audit-details';
import type { MeetingsSite } from '../../functions/shared/domain/meetings.schema';
import type { OrderRecord } from '../../functions/shared/domain/order-record.schema';
import type { Language } from '../../functions/shared/domain/order.schema';
import type { Organization } from '../../functions/shared/domain/org.schema';
import type { SummaryInput } from '../../functions/shared/documents/summary.types';

// A completed order as the render step sees it: a partner order for an existing Romanian
// customer (so the Provisioning admin note applies), Meetings on `sites` sites and Calling.
// Names carry every Romanian diacritic (ă â î ș ț) so the PDF tests can look for them.

export const PARTNER_NAME = 'Parteneri Digitali SRL';
export const CUSTOMER_NAME = 'Societatea Românească de Știință și Tehnică';

export function sites(count: number): MeetingsSite[] {
  const perSite = 10;
  return Array.from({ length: count }, (_, i) => ({
    siteName: count === 1 ? 'stiinta-tehnica' : `stiinta-tehnica-${String(i + 1).padStart(2, '0')}`,
    timeZone: i % 2 === 0 ? 'Europe/Bucharest' : 'Europe/London',
    earlyRelease: i === 0,
    licenses: perSite,
  }));
}

export function partnerOrg(): Organization {
  return {
    orgId: 'org-partner-1',
    kind: 'partner',
    name: PARTNER_NAME,
    businessVertical: 'technology',
    country: 'RO',
    domains: [
      { domain: 'parteneri-digitali.example', status: 'verified' },
      { domain: 'pd-solutii.example', status: 'claimed' },
    ],
    activeUsers: 42,
    lastActivityAt: '2026-11-20T08:00:00Z',
    createdAt: '2021-03-01T08:00:00Z',
  };
}

export function customerOrg(): Organization {
  return {
    orgId: 'org-customer-1',
    kind: 'customer',
    name: CUSTOMER_NAME,
    businessVertical: 'government',
    country: 'RO',
    domains: [{ domain: 'srst.example', status: 'verified' }],
    activeUsers: 310,
    lastActivityAt: '2026-11-22T08:00:00Z',
    createdAt: '2019-05-01T08:00:00Z',
  };
}

export function completedOrder(siteCount = 1, language: Language = 'ro'): OrderRecord {
  const meetingSites = sites(siteCount);
  const quantity = meetingSites.reduce((n, s) => n + s.licenses, 0);
  return {
    orderId: 'ORD-2026-0042',
    subscriptionId: 'SUB-778899',
    placedAt: '2026-11-20T09:30:00Z',
    contact: { email: 'ana.popescu@parteneri-digitali.example', name: 'Ana Popescu', language },
    partnerName: PARTNER_NAME,
    services: [
      { type: 'meetings', quantity },
      { type: 'calling', quantity: 25 },
    ],
    status: 'in-progress',
    assignee: { email: 'ana.popescu@parteneri-digitali.example', role: 'contact' },
    orderFor: 'customer',
    partnerOrg: { orgId: 'org-partner-1', name: PARTNER_NAME, created: false },
    customerOrg: {
      orgId: 'org-customer-1',
      name: CUSTOMER_NAME,
      created: false,
      adminEmail: 'it@srst.example',
      partnerRole: 'provisioning-admin',
    },
    selfSetup: false,
    provisioned: {
      meetings: { sites: meetingSites, provisionedAt: '2026-11-21T10:15:00Z' },
      calling: {
        location: {
          locationName: 'Sediul central Târgu Mureș',
          country: 'RO',
          street: 'Strada Ștefan cel Mare 12',
          city: 'Târgu Mureș',
          postalCode: '540001',
          state: 'Mureș',
          timeZone: 'Europe/Bucharest',
          announcementLanguage: 'ro_ro',
        },
        provisionedAt: '2026-11-21T10:20:00Z',
      },
    },
    currentStep: 'Provision Webex Calling',
    createdAt: '2026-11-20T09:30:02Z',
    updatedAt: '2026-11-21T10:20:00Z',
  };
}

/** Webex ids as Webex writes them: long base64 strings with no break opportunity. */
export const WEBEX_ORG_ID =
  'Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi85ZjNjMmE0Ny1lNWQxLTRiOGEtOWMwZi0xYTJiM2M0ZDVlNmY';
export const WEBEX_LOCATION_ID =
  'Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzNhN2I5YzFkLTJlNGYtNDZhOC05YjBjLWQxZTJmM2E0YjVjNg';

export function auditTrail(): AuditEntry[] {
  return [
    {
      at: '2026-11-20T09:30:02Z',
      actor: 'order-system',
      action: 'Order received',
      details: { subscriptionId: 'SUB-778899', contact: 'ana.popescu@parteneri-digitali.example' },
    },
    {
      at: '2026-11-20T11:02:00Z',
      actor: 'ana.popescu@parteneri-digitali.example',
      action: 'order-for submitted',
      details: orderForDetails('customer'),
    },
    {
      at: '2026-11-20T11:03:00Z',
      actor: 'ana.popescu@parteneri-digitali.example',
      action: 'partner-org submitted',
      details: orgCreatedDetails({ name: PARTNER_NAME, businessVertical: 'technology', country: 'RO' }),
    },
    {
      at: '2026-11-20T11:04:00Z',
      actor: 'system',
      action: 'Partner organization mapped',
      details: { organization: PARTNER_NAME, country: 'RO' },
    },
    {
      at: '2026-11-20T11:09:00Z',
      actor: 'system',
      action: 'Customer organization mapped',
      details: { organization: CUSTOMER_NAME, country: 'RO' },
    },
    {
      at: '2026-11-20T11:10:00Z',
      actor: 'ana.popescu@parteneri-digitali.example',
      action: 'customer-review submitted',
      details: reviewDetails(false),
    },
    {
      at: '2026-11-20T11:20:00Z',
      actor: 'ana.popescu@parteneri-digitali.example',
      action: 'service-meetings submitted',
      details: meetingsDetails({ sites: sites(2).map((s) => ({ ...s, licenses: 25 })) }),
    },
    {
      at: '2026-11-20T11:30:00Z',
      actor: 'ana.popescu@parteneri-digitali.example',
      action: 'service-calling submitted',
      details: callingDetails({
        locationName: 'New York office',
        country: 'US',
        street: '350 Fifth Avenue',
        city: 'New York',
        postalCode: '10118',
        state: 'NY',
        timeZone: 'America/New_York',
        announcementLanguage: 'en_us',
      }),
    },
    {
      at: '2026-11-21T10:10:00Z',
      actor: 'system',
      action: 'Customer organization provisioned in Webex',
      details: { webexOrgId: WEBEX_ORG_ID },
    },
    {
      at: '2026-11-21T10:12:00Z',
      actor: 'system',
      action: 'Meetings sites submitted to Webex',
      details: { sites: 'stiinta-tehnica-01.webex.com, stiinta-tehnica-02.webex.com' },
    },
    { at: '2026-11-21T10:15:00Z', actor: 'system', action: 'Webex Meetings provisioned', details: {} },
    {
      at: '2026-11-21T10:20:00Z',
      actor: 'system',
      action: 'Webex Calling provisioned',
      details: { location: 'New York office', webexLocationId: WEBEX_LOCATION_ID },
    },
  ];
}

export function summaryInput(siteCount = 1, language: Language = 'ro'): SummaryInput {
  return {
    order: completedOrder(siteCount, language),
    audit: auditTrail(),
    partnerOrg: partnerOrg(),
    customerOrg: customerOrg(),
  };
}
