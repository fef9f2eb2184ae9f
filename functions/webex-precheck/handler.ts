import { findOrganization } from '../shared/adapters/org-directory';
import { getOrder } from '../shared/adapters/order-repository';
import { getConfig } from '../shared/config';
import { lambdaHandler, parseOrThrow } from '../shared/middleware';
import { checkSiteNames, precheck } from '../shared/webex/webex-port';
import {
  webexPrecheckRequestSchema,
  type WebexPrecheckRequest,
  type WebexPrecheckResult,
} from '../shared/webex/webex-precheck.schema';
import { callingPrecheck, customerAddress, meetingsSiteCheck } from '../shared/webex/webex-requests';

/**
 * Would Webex take this setup? Invoked by the setup pages before Close, so that the public
 * function holds no Webex credential. Calling: Webex Wholesale's published precheck (the
 * customer's address, the Calling packages and their location). Meetings: our modelled site
 * call's name check (none when Meetings is the Wholesale package). A Webex that cannot answer
 * throws; the page then lets the Close go ahead (the provisioning step is the last word).
 * One request (GetItem of the order) unless the page sent the customer organization it read;
 * one more (the directory's GetItem) for Calling.
 */
export async function webexPrecheck(request: WebexPrecheckRequest): Promise<WebexPrecheckResult> {
  // The page's read of the order when it sent it; a read of our own otherwise.
  const customerOrg =
    request.customerOrg !== undefined ? request.customerOrg : (await getOrder(request.orderId)).customerOrg;
  const orgId = customerOrg?.webexOrgId;
  if (request.service === 'meetings') {
    if (getConfig().WEBEX_MEETINGS === 'wholesale-package') return { issues: [] };
    return { issues: await checkSiteNames(meetingsSiteCheck(orgId, request.sites)) };
  }
  const { location } = request;
  // The customer's billing address as the directory has it; the location's own when it has none.
  const org = customerOrg ? await findOrganization(customerOrg.orgId) : undefined;
  const address = org?.address
    ? customerAddress(org)
    : {
        addressLine1: location.street,
        city: location.city,
        ...(location.state ? { stateOrProvince: location.state } : {}),
        ...(location.postalCode ? { zipOrPostalCode: location.postalCode } : {}),
        country: location.country,
      };
  return { issues: await precheck(callingPrecheck(orgId, address, location)) };
}

export const handler = lambdaHandler(
  (event: unknown) =>
    webexPrecheck(parseOrThrow(webexPrecheckRequestSchema, event, 'Webex precheck request')),
  (event) => (event as { orderId?: unknown } | null)?.orderId,
);
