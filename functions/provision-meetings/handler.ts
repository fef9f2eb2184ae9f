import { releaseSiteNames, reserveSiteName } from '../shared/adapters/org-directory';
import { addAudit, getOrder, updateOrder } from '../shared/adapters/order-repository';
import { siteUrl } from '../shared/domain/meetings.schema';
import { SiteNameTakenError } from '../shared/errors';
import { stepHandler } from '../shared/middleware';
import { parseMeetingsSetup, provisionInputSchema, type ProvisionInput } from '../shared/provisioning';
import { customerWebexOrgId, newJob } from '../shared/webex-jobs';
import { ensureSite } from '../shared/webex/webex-port';

/**
 * Webex Meetings: reserve every site name (unique across all orders), then find or submit each
 * site in the customer's Webex org (by its name, so a retry never makes a second). Returns the
 * job "Check Meetings site" polls; it records the sites on the order when Webex has made them.
 */
export async function provisionMeetings(input: ProvisionInput) {
  const settings = parseMeetingsSetup(input);
  for (const site of settings.sites) {
    // The setup page reserved these on submit; reserving again is a no-op for this order.
    if (!(await reserveSiteName(site.siteName, input.orderId))) {
      throw new SiteNameTakenError(`${siteUrl(site.siteName)} belongs to another order`);
    }
  }
  // Names reserved on an earlier Close that the final sites no longer use go back to everyone.
  await releaseSiteNames(
    input.orderId,
    settings.sites.map((s) => s.siteName),
  );
  const orgId = customerWebexOrgId(await getOrder(input.orderId));
  const sites = [];
  for (const site of settings.sites) sites.push(await ensureSite(orgId, site));
  await updateOrder(input.orderId, { status: 'in-progress', currentStep: 'Provision Webex Meetings' });
  await addAudit(
    input.orderId,
    {
      actor: 'system',
      action: 'Meetings sites submitted to Webex',
      details: { sites: sites.map((s) => s.siteUrl).join(', ') },
    },
    `webex-sites#${sites.map((s) => s.id).join(',')}`,
  );
  const status = sites.some((s) => s.status === 'error')
    ? 'error'
    : sites.every((s) => s.status === 'provisioned')
      ? 'provisioned'
      : 'provisioning';
  return newJob({ kind: 'meetings', orgId, refs: sites.map((s) => s.id), status }, input.settings);
}

export const handler = stepHandler(provisionInputSchema, provisionMeetings);
