import { releaseSiteNames, reserveSiteName } from '../shared/adapters/org-directory';
import { getOrderWithSiteNames, updateOrder } from '../shared/adapters/order-repository';
import { siteUrl } from '../shared/domain/meetings.schema';
import { getConfig } from '../shared/config';
import { OrganizationNotFoundError, SiteNameTakenError, WebexCustomerBusyError } from '../shared/errors';
import { stepHandler } from '../shared/middleware';
import { parseMeetingsSetup, provisionInputSchema, type ProvisionInput } from '../shared/provisioning';
import { customerOutcome, customerWebexOrgId, newJob } from '../shared/webex-jobs';
import { ensureSite, findCustomer, updateCustomer } from '../shared/webex/webex-port';
import { addMeetingsPackageRequest } from '../shared/webex/webex-requests';

/**
 * Webex Meetings: reserve every site name (unique across all orders), then find or submit each
 * site in the customer's Webex org (by its name, so a retry never makes a second). Returns the
 * job "Check services" polls (after the Map); it records the sites on the order when Webex has made them.
 * The site call is OUR MODEL (Webex publishes no API to create a site with a chosen URL); with
 * WEBEX_MEETINGS=wholesale-package, Meetings is provisioned instead as the published Wholesale
 * package with its time zone (docs/webex.md).
 */
export async function provisionMeetings(input: ProvisionInput) {
  const settings = parseMeetingsSetup(input);
  // The order and the site names it holds, in one read.
  const { order, heldSites } = await getOrderWithSiteNames(input.orderId);
  for (const site of settings.sites) {
    // The setup page reserved these on Close; reserving again is a no-op for this order, and
    // still the check that no other order took the name since. The order's pointer to a name it
    // holds was in the read: only the name is written.
    const refRead = heldSites.includes(site.siteName);
    if (!(await reserveSiteName(site.siteName, input.orderId, { refRead }))) {
      throw new SiteNameTakenError(`${siteUrl(site.siteName)} belongs to another order`);
    }
  }
  // Names reserved on an earlier Close that the final sites no longer use go back to everyone.
  await releaseSiteNames(
    input.orderId,
    settings.sites.map((s) => s.siteName),
    heldSites,
  );
  const orgId = customerWebexOrgId(order);
  if (getConfig().WEBEX_MEETINGS === 'wholesale-package') {
    const externalId = order.customerOrg?.orgId ?? '';
    const customer = await findCustomer(externalId);
    if (!customer) throw new OrganizationNotFoundError(`Webex has no customer with externalId ${externalId}`);
    if (customerOutcome(customer.status) === 'provisioning')
      throw new WebexCustomerBusyError(
        `Webex customer ${customer.id} is ${customer.status}; Meetings is added once it is done`,
      );
    const timezone = settings.sites[0]?.timeZone ?? 'UTC';
    await updateCustomer(
      customer.id,
      addMeetingsPackageRequest(customer.packages ?? [], timezone, order.provisioned.calling?.location),
    );
    await updateOrder(input.orderId, { status: 'in-progress', currentStep: 'Provision Webex Meetings' });
    return newJob(
      { kind: 'meetings-package', orgId, refs: [customer.id], status: 'provisioning' },
      input.settings,
    );
  }
  const sites = [];
  for (const site of settings.sites) sites.push(await ensureSite(orgId, site));
  // The order's step and the audit entry that records the sites: one write.
  await updateOrder(
    input.orderId,
    { status: 'in-progress', currentStep: 'Provision Webex Meetings' },
    {
      audit: {
        entry: {
          actor: 'system',
          action: 'Meetings sites submitted to Webex',
          details: { sites: sites.map((s) => s.siteUrl).join(', ') },
        },
        dedupeKey: `webex-sites#${sites.map((s) => s.id).join(',')}`,
      },
    },
  );
  const status = sites.some((s) => s.status === 'error')
    ? 'error'
    : sites.every((s) => s.status === 'provisioned')
      ? 'provisioned'
      : 'provisioning';
  return newJob({ kind: 'meetings', orgId, refs: sites.map((s) => s.id), status }, input.settings);
}

export const handler = stepHandler(provisionInputSchema, provisionMeetings);
