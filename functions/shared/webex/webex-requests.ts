import type { CallingSettings } from '../domain/calling.schema';
import type { MeetingsSite } from '../domain/meetings.schema';
import type { Organization } from '../domain/org.schema';
import { ValidationError } from '../errors';
import { CALLING_PACKAGES_ADDED, INITIAL_PACKAGES, PROVISIONING_ID } from './webex-port';
import type {
  CreateLocationRequest,
  PrecheckRequest,
  ProvisionCustomerRequest,
  SiteCheckRequest,
  UpdateCustomerRequest,
  WholesaleAddress,
} from './webex.schema';

// Our setups, in Webex's words: shared by the provisioning steps and the checks before Close, so
// what is checked is exactly what is submitted.

type CallingLocationSetup = CallingSettings['location'];

/** The Locations API's shape ("Create a Location", "Enable a Location for Webex Calling"). */
export function callingLocationRequest(location: CallingLocationSetup): CreateLocationRequest {
  return {
    name: location.locationName,
    timeZone: location.timeZone,
    preferredLanguage: location.announcementLanguage,
    announcementLanguage: location.announcementLanguage,
    address: {
      address1: location.street,
      city: location.city,
      ...(location.state ? { state: location.state } : {}),
      ...(location.postalCode ? { postalCode: location.postalCode } : {}),
      country: location.country,
    },
  };
}

function wholesaleAddress(a: {
  street: string;
  city: string;
  state?: string;
  postalCode?: string;
  country: string;
}): WholesaleAddress {
  return {
    addressLine1: a.street,
    city: a.city,
    ...(a.state ? { stateOrProvince: a.state } : {}),
    ...(a.postalCode ? { zipOrPostalCode: a.postalCode } : {}),
    country: a.country,
  };
}

/** The Wholesale shape of the same location (`provisioningParameters.calling.location`). */
export function wholesaleCallingLocation(location: CallingLocationSetup) {
  return {
    name: location.locationName,
    address: wholesaleAddress(location),
    timezone: location.timeZone,
    language: location.announcementLanguage,
  };
}

/** The org's billing address as Webex requires it (addressLine1, city, country). */
export function customerAddress(org: Organization): WholesaleAddress {
  if (!org.address) {
    throw new ValidationError(
      `Organization ${org.orgId} (${org.name}) has no postal address on file, and Webex requires one (street, city, country) to provision it: add it to the directory (npm run orgs -- import) and redrive the run`,
    );
  }
  return wholesaleAddress({ ...org.address, country: org.country });
}

/** The customer request for one of our orgs: its externalId is our org id, so a retry finds it. */
export function customerRequest(org: Organization, adminEmail: string): ProvisionCustomerRequest {
  return {
    provisioningId: PROVISIONING_ID,
    packages: INITIAL_PACKAGES,
    externalId: org.orgId,
    address: customerAddress(org),
    customerInfo: { name: org.name, primaryEmail: adminEmail },
  };
}

/** Adds the Calling packages to a customer, with the location Webex requires for them. */
export function addCallingRequest(
  currentPackages: string[],
  location: CallingLocationSetup,
): UpdateCustomerRequest {
  return {
    packages: [...new Set([...currentPackages, ...CALLING_PACKAGES_ADDED])],
    provisioningParameters: { calling: { location: wholesaleCallingLocation(location) } },
  };
}

/**
 * Meetings as the Wholesale package (WEBEX_MEETINGS=wholesale-package): the complete package list
 * with `webex_meetings` and its time zone. Packages already there keep their parameters; Calling's
 * location goes along when Calling is on the customer (Webex requires it with those packages).
 */
export function addMeetingsPackageRequest(
  currentPackages: string[],
  timezone: string,
  callingLocation: CallingLocationSetup | undefined,
): UpdateCustomerRequest {
  return {
    packages: [...new Set([...currentPackages, 'webex_meetings'])],
    provisioningParameters: {
      meetings: { timezone },
      ...(callingLocation ? { calling: { location: wholesaleCallingLocation(callingLocation) } } : {}),
    },
  };
}

/** The published precheck for adding Calling with this location to the customer. */
export function callingPrecheck(
  orgId: string | undefined,
  address: WholesaleAddress,
  location: CallingLocationSetup,
): PrecheckRequest {
  return {
    ...(orgId ? { orgId } : {}),
    address,
    packages: CALLING_PACKAGES_ADDED,
    provisioningParameters: { calling: { location: wholesaleCallingLocation(location) } },
  };
}

/** The modelled site-name check (our site model's, not the published precheck). */
export function meetingsSiteCheck(
  orgId: string | undefined,
  sites: Pick<MeetingsSite, 'siteName' | 'timeZone'>[],
): SiteCheckRequest {
  return {
    ...(orgId ? { orgId } : {}),
    sites: sites.map((s) => ({ siteName: s.siteName, timeZone: s.timeZone })),
  };
}
