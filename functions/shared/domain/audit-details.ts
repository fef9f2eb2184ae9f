import type { AuditEntry } from './audit.schema';
import type { CallingLocation } from './calling.schema';
import type { MeetingsSettings } from './meetings.schema';
import type { ServiceType } from './order.schema';
import type { Organization } from './org.schema';

type OrderFor = 'customer' | 'my-company';

// What the wizard records in the audit trail: codes and values, never sentences. The PDF (in the
// reader's language) and the ops view (English) turn them into words when they show them
// (documents/audit-text.ts), so a Romanian summary has no English in it.

type Details = AuditEntry['details'];

export function orderForDetails(choice: OrderFor | 'someone-else', handedTo?: string): Details {
  return { choice, ...(handedTo ? { handedTo } : {}) };
}

export function orgCreatedDetails(org: {
  name: string;
  businessVertical: Organization['businessVertical'];
  country: string;
  adminEmail?: string;
}): Details {
  return {
    organization: org.name,
    businessVertical: org.businessVertical,
    country: org.country,
    ...(org.adminEmail ? { adminEmail: org.adminEmail } : {}),
  };
}

export function orgMappedDetails(org: {
  name: string;
  outcome: string;
  searchedDomain?: string;
  adminEmail?: string;
}): Details {
  return {
    organization: org.name,
    outcome: org.outcome,
    ...(org.searchedDomain ? { searchedDomain: org.searchedDomain } : {}),
    ...(org.adminEmail ? { adminEmail: org.adminEmail } : {}),
  };
}

export function reviewDetails(selfSetup: boolean): Details {
  return { selfSetup };
}

/** One key per fact of each site: site1 (name), site1TimeZone, site1Licenses, site1EarlyRelease. */
export function meetingsDetails(settings: MeetingsSettings): Details {
  const out: Details = {};
  settings.sites.forEach((s, i) => {
    out[`site${i + 1}`] = s.siteName;
    out[`site${i + 1}TimeZone`] = s.timeZone;
    out[`site${i + 1}Licenses`] = s.licenses;
    out[`site${i + 1}EarlyRelease`] = s.earlyRelease;
  });
  return out;
}

export function callingDetails(l: CallingLocation): Details {
  return {
    location: l.locationName,
    street: l.street,
    city: l.city,
    ...(l.postalCode ? { postalCode: l.postalCode } : {}),
    ...(l.state ? { state: l.state } : {}),
    country: l.country,
    timeZone: l.timeZone,
    announcementLanguage: l.announcementLanguage,
  };
}

export function deferredDetails(service: ServiceType): Details {
  return { service };
}

export const SITE_DETAIL = /^site(\d+)(TimeZone|Licenses|EarlyRelease)?$/;
export const ADDRESS_DETAILS = ['street', 'city', 'postalCode', 'state'] as const;
