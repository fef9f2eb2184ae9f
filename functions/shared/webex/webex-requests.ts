import type { CallingSettings } from '../domain/calling.schema';
import type { MeetingsSite } from '../domain/meetings.schema';
import type { CreateLocationRequest, PrecheckRequest } from './webex.schema';

// Our setups, in Webex's words: shared by the provisioning steps and the precheck, so what is
// prechecked is exactly what is submitted.

export function callingLocationRequest(location: CallingSettings['location']): CreateLocationRequest {
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

export function meetingsPrecheck(
  orgId: string | undefined,
  sites: Pick<MeetingsSite, 'siteName' | 'timeZone'>[],
): PrecheckRequest {
  return {
    ...(orgId ? { orgId } : {}),
    provisioningParameters: {
      meetings: { sites: sites.map((s) => ({ siteName: s.siteName, timeZone: s.timeZone })) },
    },
  };
}

export function callingPrecheck(
  orgId: string | undefined,
  location: CallingSettings['location'],
): PrecheckRequest {
  return {
    ...(orgId ? { orgId } : {}),
    provisioningParameters: { calling: { location: callingLocationRequest(location) } },
  };
}
