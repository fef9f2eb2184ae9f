import { releaseSiteNames, reserveSiteName } from '../shared/adapters/org-directory';
import { meetingsSettingsFor, siteUrl } from '../shared/domain/meetings.schema';
import { serviceSetupResultSchema } from '../shared/domain/steps.schema';
import { SiteNameTakenError, ValidationError } from '../shared/errors';
import { parseOrThrow, stepHandler } from '../shared/middleware';
import { provisionInputSchema, recordProvisioned, type ProvisionInput } from '../shared/provisioning';

/** Webex Meetings: reserve every site name (unique across all orders), then record the sites. */
export async function provisionMeetings(input: ProvisionInput) {
  const setup = parseOrThrow(serviceSetupResultSchema, input.setup, 'Meetings setup');
  if (setup.type !== 'meetings') throw new ValidationError(`Expected a Meetings setup, got ${setup.type}`);
  const settings = parseOrThrow(
    meetingsSettingsFor(input.service.quantity),
    setup.settings,
    'Meetings settings',
  );
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
  await recordProvisioned(input.orderId, 'meetings', 'Provision Webex Meetings', settings, {
    sites: settings.sites.map((s) => siteUrl(s.siteName)).join(', '),
    licenses: input.service.quantity,
  });
  return { sites: settings.sites.map((s) => siteUrl(s.siteName)) };
}

export const handler = stepHandler(provisionInputSchema, provisionMeetings);
