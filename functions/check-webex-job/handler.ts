import type { CallingSettings } from '../shared/domain/calling.schema';
import { siteUrl } from '../shared/domain/meetings.schema';
import { purchasedServiceSchema } from '../shared/domain/order.schema';
import { serviceSetupResultSchema } from '../shared/domain/steps.schema';
import { ValidationError } from '../shared/errors';
import { parseOrThrow, stepHandler } from '../shared/middleware';
import { parseMeetingsSetup, recordProvisioned } from '../shared/provisioning';
import * as z from 'zod';
import {
  checkJob,
  checkJobInputSchema,
  checkServiceJobs,
  checkServicesInputSchema,
  recordWebexOrg,
  type CheckJobInput,
  type CheckServicesInput,
  type ServicesChecked,
  type WebexJob,
} from '../shared/webex-jobs';
import { ensureCallingLocation } from '../shared/webex/webex-port';
import { addCallingRequest, callingLocationRequest } from '../shared/webex/webex-requests';

/**
 * One poll of a Webex job (an org, an order's Meetings sites, the Calling packages added to the
 * customer). Returns the job with its status and the next wait; records what Webex made once it is
 * ready. "Check … organization" polls one org job; "Check services" polls each service job
 * ({@link checkServices}).
 */
export async function checkWebexJob(input: CheckJobInput) {
  const calling = input.job.kind === 'calling' ? callingSettings(input.setup) : undefined;
  return checkJob(
    input,
    async (job, seen) => {
      if (job.kind === 'organization') return recordWebexOrg(job, input.orderId);
      const service = parseOrThrow(purchasedServiceSchema, input.service, `${job.kind} service`);
      if (calling) {
        // Webex made the location from provisioningParameters.calling: find it, make sure Calling
        // is on (enables it only if Webex did not), and record it.
        const orgId = job.orgId ?? '';
        const { location } = calling;
        const made = await ensureCallingLocation(orgId, callingLocationRequest(location));
        return recordProvisioned(
          input.orderId,
          'calling',
          'Provision Webex Calling',
          { ...calling, webex: { locationId: made.location.id, orgId } },
          {
            location: location.locationName,
            country: location.country,
            licenses: service.quantity,
            webexLocationId: made.location.id,
          },
        );
      }
      const settings = parseMeetingsSetup({ service, setup: input.setup });
      // Meetings as the Wholesale package has no sites of ours in Webex: none are recorded.
      const sites = seen.sites.map((s) => ({ siteName: s.siteName, siteUrl: s.siteUrl, siteId: s.id }));
      await recordProvisioned(
        input.orderId,
        'meetings',
        'Provision Webex Meetings',
        { ...settings, webex: { sites } },
        job.kind === 'meetings-package'
          ? {
              package: 'webex_meetings',
              timeZone: settings.sites[0]?.timeZone ?? '',
              licenses: service.quantity,
            }
          : { sites: settings.sites.map((s) => siteUrl(s.siteName)).join(', '), licenses: service.quantity },
      );
    },
    // A Calling update that failed is submitted again with its location, which Webex requires.
    calling ? { resubmitCustomer: (c) => addCallingRequest(c.packages ?? [], calling.location) } : {},
  );
}

function callingSettings(setup: unknown): CallingSettings {
  const parsed = parseOrThrow(serviceSetupResultSchema, setup, 'Calling setup');
  if (parsed.type !== 'calling') throw new ValidationError(`Expected a Calling setup, got ${parsed.type}`);
  return parsed.settings;
}

/** "Check services": every service job the "Set up services" Map submitted, in one check. */
export function checkServices(input: CheckServicesInput) {
  return checkServiceJobs(input, (entry) =>
    checkWebexJob({
      orderId: input.orderId,
      job: entry.webex.job,
      settings: input.settings,
      service: entry.service,
      setup: entry.setup,
    }),
  );
}

/** One function for both: the services check carries `services`, an org check its `job`. */
const inputSchema = z.union([checkServicesInputSchema, checkJobInputSchema]);

export const handler = stepHandler(inputSchema, (input): Promise<WebexJob | ServicesChecked> =>
  'services' in input ? checkServices(input) : checkWebexJob(input),
);
