import { siteUrl } from '../shared/domain/meetings.schema';
import { purchasedServiceSchema } from '../shared/domain/order.schema';
import { parseOrThrow, stepHandler } from '../shared/middleware';
import { parseMeetingsSetup, recordProvisioned } from '../shared/provisioning';
import { checkJob, checkJobInputSchema, recordWebexOrg, type CheckJobInput } from '../shared/webex-jobs';

/**
 * "Check <job>": one poll of a Webex job (an org, or an order's Meetings sites). Returns the job
 * with its status and the next wait; records what Webex made once it is ready.
 */
export async function checkWebexJob(input: CheckJobInput) {
  return checkJob(input, async (job, seen, order) => {
    if (job.kind === 'organization') {
      await recordWebexOrg(job, order);
      return;
    }
    const service = parseOrThrow(purchasedServiceSchema, input.service, 'Meetings service');
    const settings = parseMeetingsSetup({ service, setup: input.setup });
    const sites = seen.sites.map((s) => ({ siteName: s.siteName, siteUrl: s.siteUrl, siteId: s.id }));
    await recordProvisioned(
      input.orderId,
      'meetings',
      'Provision Webex Meetings',
      { ...settings, webex: { sites } },
      {
        sites: settings.sites.map((s) => siteUrl(s.siteName)).join(', '),
        licenses: service.quantity,
      },
    );
  });
}

export const handler = stepHandler(checkJobInputSchema, checkWebexJob);
