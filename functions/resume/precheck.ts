import type { CallingSettings } from '../shared/domain/calling.schema';
import type { MeetingsSettings } from '../shared/domain/meetings.schema';
import type { OrderRecord } from '../shared/domain/order-record.schema';
import { logger } from '../shared/observability';
import { precheck, type PrecheckIssue } from '../shared/webex/webex-port';
import { callingPrecheck, meetingsPrecheck } from '../shared/webex/webex-requests';
import type { FieldErrors } from './forms';

// Before Close on a service's review, the page asks Webex whether the setup would go through
// (Webex Wholesale's precheck): a Meetings site name free in Webex, an address valid for its
// country. What Webex finds is shown beside the field it names, with what was typed kept. When
// Webex cannot answer (throttled, down), the Close goes ahead: the provisioning step retries and
// is the last word.

/** Webex's request fields, as form fields of the Calling page. */
const CALLING_FIELDS: Record<string, string> = {
  'provisioningParameters.calling.location.name': 'locationName',
  'provisioningParameters.calling.location.timeZone': 'timeZone',
  'provisioningParameters.calling.location.announcementLanguage': 'announcementLanguage',
  'provisioningParameters.calling.location.preferredLanguage': 'announcementLanguage',
  'provisioningParameters.calling.location.address.address1': 'street',
  'provisioningParameters.calling.location.address.city': 'city',
  'provisioningParameters.calling.location.address.state': 'state',
  'provisioningParameters.calling.location.address.postalCode': 'postalCode',
  'provisioningParameters.calling.location.address.country': 'country',
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
  const issues = await ask(() => precheck(meetingsPrecheck(order.customerOrg?.webexOrgId, settings.sites)));
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
  const issues = await ask(() => precheck(callingPrecheck(order.customerOrg?.webexOrgId, settings.location)));
  return toErrors(issues, (f) => (f ? CALLING_FIELDS[f] : undefined), 'locationName', say);
}
