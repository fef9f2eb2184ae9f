import type { CallingSettings } from '../shared/domain/calling.schema';
import type { MeetingsSettings } from '../shared/domain/meetings.schema';
import type { OrderRecord } from '../shared/domain/order-record.schema';
import { findOrganization } from '../shared/adapters/org-directory';
import { getConfig } from '../shared/config';
import { logger } from '../shared/observability';
import { checkSiteNames, precheck, type PrecheckIssue } from '../shared/webex/webex-port';
import { callingPrecheck, customerAddress, meetingsSiteCheck } from '../shared/webex/webex-requests';
import type { FieldErrors } from './forms';

// Before Close on a service's review, the page asks Webex whether the setup would go through:
// for Calling, Webex Wholesale's published precheck (the customer's address, the Calling
// packages and their location); for Meetings, our modelled site call's own name check (a site
// name valid and free in Webex), since Webex publishes no site API. What Webex finds is shown beside the field it names, with what was typed kept. When
// Webex cannot answer (throttled, down), the Close goes ahead: the provisioning step retries and
// is the last word.

/** Webex's request fields, as form fields of the Calling page. */
const LOCATION = 'provisioningParameters.calling.location';
const CALLING_FIELDS: Record<string, string> = {
  [`${LOCATION}.name`]: 'locationName',
  [`${LOCATION}.timezone`]: 'timeZone',
  [`${LOCATION}.language`]: 'announcementLanguage',
  [`${LOCATION}.address.addressLine1`]: 'street',
  [`${LOCATION}.address.city`]: 'city',
  [`${LOCATION}.address.stateOrProvince`]: 'state',
  [`${LOCATION}.address.zipOrPostalCode`]: 'postalCode',
  [`${LOCATION}.address.country`]: 'country',
};

async function ask(run: () => Promise<PrecheckIssue[]>): Promise<PrecheckIssue[]> {
  try {
    return await run();
  } catch (error) {
    logger.warn('Webex precheck could not run; the setup is submitted unchecked', { error });
    return [];
  }
}

function toErrors(
  issues: PrecheckIssue[],
  fieldOf: (webexField: string | undefined) => string | undefined,
  fallback: string,
  say: (message: string) => string,
): FieldErrors {
  const errors: FieldErrors = new Map();
  for (const issue of issues) {
    const key = fieldOf(issue.field) ?? fallback;
    const message = say(issue.message);
    errors.set(key, errors.has(key) ? `${errors.get(key)} ${message}` : message);
  }
  return errors;
}

/** Problems Webex sees with the Meetings sites, keyed by each site's name field. */
export async function precheckMeetings(
  order: OrderRecord,
  settings: MeetingsSettings,
  siteField: (index: number) => string,
  say: (message: string) => string,
): Promise<FieldErrors> {
  // The site-name check belongs to our modelled site call: Meetings as the Wholesale package has no site names.
  if (getConfig().WEBEX_MEETINGS === 'wholesale-package') return new Map();
  const issues = await ask(() =>
    checkSiteNames(meetingsSiteCheck(order.customerOrg?.webexOrgId, settings.sites)),
  );
  return toErrors(
    issues,
    (f) => {
      const match = /sites\[(\d+)\]/.exec(f ?? '');
      return match ? siteField(Number(match[1])) : undefined;
    },
    siteField(0),
    say,
  );
}

/** Problems Webex sees with the Calling location, keyed by the page's field names. */
export async function precheckCalling(
  order: OrderRecord,
  settings: CallingSettings,
  say: (message: string) => string,
): Promise<FieldErrors> {
  const issues = await ask(async () => {
    // The customer's billing address as Webex has it on file; the location's own when the
    // directory has none (an org imported without one).
    const org = order.customerOrg ? await findOrganization(order.customerOrg.orgId) : undefined;
    const { location } = settings;
    const address = org?.address
      ? customerAddress(org)
      : {
          addressLine1: location.street,
          city: location.city,
          ...(location.state ? { stateOrProvince: location.state } : {}),
          ...(location.postalCode ? { zipOrPostalCode: location.postalCode } : {}),
          country: location.country,
        };
    return precheck(callingPrecheck(order.customerOrg?.webexOrgId, address, location));
  });
  return toErrors(issues, (f) => (f ? CALLING_FIELDS[f] : undefined), 'locationName', say);
}
