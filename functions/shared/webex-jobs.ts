import * as z from 'zod';
import { findOrganization } from './adapters/org-directory';
import { addAudit, getOrder, updateOrder } from './adapters/order-repository';
import type { OrderRecord } from './domain/order-record.schema';
import {
  DEFAULT_WEBEX_POLL,
  orderIdSchema,
  runSettingsSchema,
  type RunSettings,
} from './domain/order.schema';
import type { Organization } from './domain/org.schema';
import { orgKindSchema, type OrgKind } from './domain/org.schema';
import { OrganizationNotFoundError, WebexJobFailedError, WebexJobTimedOutError } from './errors';
import {
  CUSTOMER_PACKAGES,
  PROVISIONING_ID,
  ensureCustomer,
  getCustomer,
  getSite,
  resubmitCustomer,
  resubmitSite,
} from './webex/webex-port';
import {
  jobStatusSchema,
  type Customer,
  type ProvisionCustomerRequest,
  type Site,
} from './webex/webex.schema';

// Webex's asynchronous jobs (an org, a set of Meetings sites) as the state machine sees them:
// the step that submits returns a job; "Wait for …" waits job.waitSeconds; "Check …" reads the
// status, doubling the wait each time, and fails with WebexJobTimedOutError after the run's last
// poll. A job that ends in `error` fails the run at its Check step with Webex's message and
// trackingId. When that Check step runs again (a redrive, after the cause was fixed), the
// error has been reported already, so it submits the same job again (Webex: update the customer
// or site with the same body) and polling starts over: still one org, one site.

export const webexJobSchema = z.object({
  kind: z.enum(['organization', 'meetings']),
  /** For an organization job: which of the order's orgs. */
  orgKind: orgKindSchema.optional(),
  /** The Webex org the job is in (meetings), or the org being made (organization). */
  orgId: z.string().min(1),
  /** The Webex ids the job waits on: the customer, or each site. */
  refs: z.array(z.string().min(1)).min(1),
  status: jobStatusSchema,
  polls: z.number().int().min(0),
  waitSeconds: z.number().int().min(1),
  /** Submissions of this job by this run (a resubmission after an error counts). */
  submission: z.number().int().min(1),
});
export type WebexJob = z.infer<typeof webexJobSchema>;

export const checkJobInputSchema = z.object({
  orderId: orderIdSchema,
  job: webexJobSchema,
  settings: runSettingsSchema.partial().optional(),
  /** Meetings: the service and its setup, recorded on the order when the sites are ready. */
  service: z.unknown().optional(),
  setup: z.unknown().optional(),
});
export type CheckJobInput = z.infer<typeof checkJobInputSchema>;

export function pollSettings(settings: Partial<RunSettings> | undefined) {
  return settings?.webexPoll ?? DEFAULT_WEBEX_POLL;
}

export function newJob(
  fields: Pick<WebexJob, 'kind' | 'orgId' | 'refs' | 'status'> & { orgKind?: OrgKind },
  settings: Partial<RunSettings> | undefined,
): WebexJob {
  return { ...fields, polls: 0, waitSeconds: pollSettings(settings).firstWaitSeconds, submission: 1 };
}

/** The customer request for one of our orgs: its externalId is our org id, so a retry finds it. */
export function customerRequest(org: Organization, adminEmail: string): ProvisionCustomerRequest {
  return {
    provisioningId: PROVISIONING_ID,
    packages: CUSTOMER_PACKAGES,
    externalId: org.orgId,
    address: { country: org.country },
    customerInfo: { name: org.name, primaryEmail: adminEmail },
  };
}

/** Finds or submits the org in Webex; the job the run waits on. */
export async function submitOrganization(
  org: Organization,
  adminEmail: string,
  settings: Partial<RunSettings> | undefined,
): Promise<WebexJob> {
  const customer = await ensureCustomer(customerRequest(org, adminEmail));
  return newJob(
    {
      kind: 'organization',
      orgKind: org.kind,
      orgId: customer.orgId,
      refs: [customer.id],
      status: customer.status,
    },
    settings,
  );
}

/** The Webex org id of the order's customer org, once Webex has provisioned it. */
export function customerWebexOrgId(order: OrderRecord): string {
  const id = order.customerOrg?.webexOrgId;
  if (!id) {
    throw new OrganizationNotFoundError(
      `Order ${order.orderId}: the customer organization has no Webex org yet (it is provisioned before the services)`,
    );
  }
  return id;
}

export interface Observed {
  status: WebexJob['status'];
  /** What Webex said about each failed part, with the trackingId of the answer. */
  failures: string[];
  customers: Customer[];
  sites: Site[];
}

async function observe(job: WebexJob): Promise<Observed> {
  const out: Observed = { status: 'provisioned', failures: [], customers: [], sites: [] };
  for (const ref of job.refs) {
    let status: WebexJob['status'];
    let errors: { description: string }[] | undefined;
    let trackingId: string;
    let label: string;
    if (job.kind === 'organization') {
      const got = await getCustomer(ref);
      out.customers.push(got.customer);
      ({ status, errors } = got.customer);
      trackingId = got.trackingId;
      label = `Webex organization ${got.customer.name ?? got.customer.externalId} (${got.customer.orgId})`;
    } else {
      const got = await getSite(ref, job.orgId);
      out.sites.push(got.site);
      ({ status, errors } = got.site);
      trackingId = got.trackingId;
      label = `Webex Meetings site ${got.site.siteUrl}`;
    }
    if (status === 'error') {
      const said = errors?.map((e) => e.description).join('; ') || 'no reason given';
      out.failures.push(`${label} ended in error: ${said} (trackingId ${trackingId})`);
    }
    if (status === 'error') out.status = 'error';
    else if (status === 'provisioning' && out.status !== 'error') out.status = 'provisioning';
  }
  return out;
}

/** Submits the failed parts of a job again, with the same request as the first time. */
async function resubmit(job: WebexJob, seen: Observed, order: OrderRecord): Promise<void> {
  for (const customer of seen.customers.filter((c) => c.status === 'error')) {
    const org = await findOrganization(customer.externalId);
    if (!org) throw new OrganizationNotFoundError(`No organization ${customer.externalId} in the directory`);
    await resubmitCustomer(customer.id, customerRequest(org, adminOf(order, job)));
  }
  for (const site of seen.sites.filter((s) => s.status === 'error')) await resubmitSite(site);
}

function adminOf(order: OrderRecord, job: WebexJob): string {
  return job.orgKind === 'customer' && order.customerOrg
    ? order.customerOrg.adminEmail
    : order.assignee.email;
}

/**
 * "Check <job>": the job's status now, with the next wait. Records what Webex made when it is
 * ready; fails the run (once) when it ended in error; resubmits when run again after that.
 */
export async function checkJob(
  input: CheckJobInput,
  onReady: (job: WebexJob, seen: Observed, order: OrderRecord) => Promise<void>,
): Promise<WebexJob> {
  const { job } = input;
  const poll = pollSettings(input.settings);
  const seen = await observe(job);
  const order = await getOrder(input.orderId);
  const polls = job.polls + 1;
  if (seen.status === 'provisioned') {
    await onReady(job, seen, order);
    return { ...job, status: 'provisioned', polls };
  }
  if (seen.status === 'error') {
    // The first time this submission's error is seen, it ends the run with Webex's words. A later
    // run of this step (a redrive) finds it reported and submits the job again.
    const firstReport = await addAudit(
      input.orderId,
      {
        actor: 'system',
        action: 'Webex job failed',
        details: { job: job.kind, error: seen.failures.join(' | ') },
      },
      `webex-error#${job.refs.join(',')}#${job.submission}`,
    );
    if (firstReport) throw new WebexJobFailedError(seen.failures.join('; '));
    await resubmit(job, seen, order);
    return {
      ...job,
      status: 'provisioning',
      polls: 0,
      waitSeconds: poll.firstWaitSeconds,
      submission: job.submission + 1,
    };
  }
  if (polls >= poll.maxPolls) {
    throw new WebexJobTimedOutError(
      `Webex ${job.kind === 'organization' ? 'organization' : 'Meetings site'} job ${job.refs.join(', ')} was still provisioning after ${polls} checks; redrive the run to keep waiting`,
    );
  }
  return {
    ...job,
    status: 'provisioning',
    polls,
    waitSeconds: Math.min(job.waitSeconds * 2, poll.maxWaitSeconds),
  };
}

/** Organization jobs: keep the Webex org id on the order once Webex has provisioned the org. */
export async function recordWebexOrg(job: WebexJob, order: OrderRecord): Promise<void> {
  if (job.orgKind === 'partner' && order.partnerOrg) {
    await updateOrder(order.orderId, { partnerOrg: { ...order.partnerOrg, webexOrgId: job.orgId } });
  } else if (job.orgKind === 'customer' && order.customerOrg) {
    await updateOrder(order.orderId, { customerOrg: { ...order.customerOrg, webexOrgId: job.orgId } });
  }
  await addAudit(
    order.orderId,
    {
      actor: 'system',
      action: `${job.orgKind === 'partner' ? 'Partner' : 'Customer'} organization provisioned in Webex`,
      details: { webexOrgId: job.orgId },
    },
    `webex-org#${job.orgId}`,
  );
}
