import type { CallingSettings } from '../shared/domain/calling.schema';
import type { MeetingsSettings } from '../shared/domain/meetings.schema';
import type { OrderRecord } from '../shared/domain/order-record.schema';
import { invokeWebexPrecheck } from '../shared/adapters/webex-precheck-invoker';
import { logger } from '../shared/observability';
import type { FieldErrors } from './forms';

// Before Close on a service's review, the page asks Webex (through the WebexPrecheck function:
// this public function holds no Webex credential) whether the setup would go through:
// for Calling, Webex Wholesale's published precheck (the customer's address, the Calling
// packages and their location); for Meetings, our modelled site call's own name check (a site
// name valid and free in Webex), since Webex publishes no site API. What Webex finds is shown
// beside the field it names, with what was typed kept. When Webex cannot answer (throttled,
// down), the Close goes ahead: the provisioning step retries and is the last word.

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

interface PrecheckIssue {
  field?: string;
  message: string;
}

/** What the precheck needs of the order, from the page's own read: the function reads nothing again. */
function customerOrgOf(order: OrderRecord): { orgId: string; webexOrgId?: string } | null {
  const org = order.customerOrg;
  return org ? { orgId: org.orgId, ...(org.webexOrgId ? { webexOrgId: org.webexOrgId } : {}) } : null;
}

async function ask(run: () => Promise<{ issues: PrecheckIssue[] }>): Promise<PrecheckIssue[]> {
  try {
    return (await run()).issues;
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
  const issues = await ask(() =>
    invokeWebexPrecheck({
      service: 'meetings',
      orderId: order.orderId,
      customerOrg: customerOrgOf(order),
      sites: settings.sites.map((s) => ({ siteName: s.siteName, timeZone: s.timeZone })),
    }),
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
  const issues = await ask(() =>
    invokeWebexPrecheck({
      service: 'calling',
      orderId: order.orderId,
      customerOrg: customerOrgOf(order),
      location: settings.location,
    }),
  );
  return toErrors(issues, (f) => (f ? CALLING_FIELDS[f] : undefined), 'locationName', say);
}
