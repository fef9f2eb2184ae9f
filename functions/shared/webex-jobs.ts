import * as z from 'zod';
import { addAudit, setOrganizationWebexId, updateOrder } from './adapters/order-repository';
import type { OrderRecord } from './domain/order-record.schema';
import {
  DEFAULT_WEBEX_POLL,
  orderIdSchema,
  runSettingsSchema,
  type RunSettings,
} from './domain/order.schema';
import type { Organization } from './domain/org.schema';
import { orgKindSchema, type OrgKind } from './domain/org.schema';
import {
  OrganizationNotFoundError,
  WebexJobFailedError,
  WebexJobTimedOutError,
  WebexPartiallyProvisionedError,
} from './errors';
import { ensureCustomer, getCustomer, getSite, resubmitSite, updateCustomer } from './webex/webex-port';
import { customerRequest } from './webex/webex-requests';
import {
  jobStatusSchema,
  type Customer,
  type CustomerStatus,
  type Site,
  type UpdateCustomerRequest,
} from './webex/webex.schema';

// Webex's asynchronous jobs (an org, a set of Meetings sites, the Calling packages added to the
// customer) as the state machine sees them: the step that submits returns a job; "Wait for …"
// waits job.waitSeconds; "Check …" reads the status, doubling the wait each time, and fails with
// WebexJobTimedOutError after the run's last poll. The service jobs are polled together after the
// "Set up services" Map: "Wait for services" → "Check services" → "Services ready?". What Webex's statuses mean here:
// - `provisioning`, `updating`, `pending_rpl_review` (Cisco's restricted-party review): waited on;
// - `provisioned`: ready; the customer's `orgId` is read only now (Webex presents it only then);
// - `error`, `deleting`: the run fails at its Check step with Webex's message and trackingId;
// - `provisioned_with_errors`: a partial outcome. The order records which packages failed (from
//   resourceDetails and errors), and the run fails with WebexPartiallyProvisionedError, so ops
//   are told (the failure email) and the run page shows it: not a success, not a crash.
// When a Check step runs again after a reported failure (a redrive, after the cause was fixed),
// it submits the same job again (Webex: update the customer or site with the same body) and
// polling starts over: still one org, one site.

export const webexJobSchema = z.object({
  /** `meetings`: our modelled sites; `meetings-package`: Meetings as the Wholesale package. */
  kind: z.enum(['organization', 'meetings', 'meetings-package', 'calling']),
  /** For an organization job: which of the order's orgs. */
  orgKind: orgKindSchema.optional(),
  /** The Webex org the job is in; for an organization job, known only once Webex has provisioned it. */
  orgId: z.string().min(1).optional(),
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
  /** Meetings and Calling: the service and its setup, recorded on the order when Webex is done. */
  service: z.unknown().optional(),
  setup: z.unknown().optional(),
});
export type CheckJobInput = z.infer<typeof checkJobInputSchema>;

/**
 * One service's job as the Map's iteration ends it ("Provision Webex …" puts the job at `webex.job`),
 * and as "Check services" hands it back: the service and its setup are recorded on the order when
 * Webex is done.
 */
export const serviceJobSchema = z.object({
  service: z.unknown(),
  setup: z.unknown(),
  webex: z.object({ job: webexJobSchema }),
});
export type ServiceJob = z.infer<typeof serviceJobSchema>;

/** "Check services": the service jobs from the Map's output (or the previous check), polled together. */
export const checkServicesInputSchema = z.object({
  orderId: orderIdSchema,
  services: z.object({
    /** The wait before this check; the next one doubles it (or starts over after a resubmission). */
    waitSeconds: z.number().int().min(1),
    jobs: z.array(serviceJobSchema).min(1),
  }),
  settings: runSettingsSchema.partial().optional(),
});
export type CheckServicesInput = z.infer<typeof checkServicesInputSchema>;

/** What "Check services" returns: "Services ready?" reads `status`, "Wait for services" `waitSeconds`. */
export interface ServicesChecked {
  status: 'provisioned' | 'provisioning';
  waitSeconds: number;
  jobs: ServiceJob[];
}

const SERVICE_NAMES: Record<string, string> = { meetings: 'Webex Meetings', calling: 'Webex Calling' };

/** The service a job is for, as ops read it in a failure ("Webex Calling"). */
export function serviceName(entry: Pick<ServiceJob, 'service'>): string {
  const type = (entry.service as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? (SERVICE_NAMES[type] ?? `service ${type}`) : 'a service';
}

/** How a job can end a run, the gravest first: the error "Check services" fails with when several did. */
const WEBEX_JOB_ENDINGS = [WebexJobFailedError, WebexPartiallyProvisionedError, WebexJobTimedOutError];

/**
 * "Check services": one check of every service job not yet done (one Webex read each, through
 * `checkOne`, which records a service once Webex has made it). A job is done once a check saw it
 * provisioned (status provisioned after at least one poll: "Provision Webex Meetings" may return
 * sites already provisioned, which a check still has to record). The next wait is the shortest of
 * the jobs still running (they double together; a resubmitted one starts over). When a job failed,
 * partly failed or ran out of polls, the others are still checked (and recorded when ready), then
 * the run fails naming each service: a redrive runs this check again, which resubmits a job whose
 * failure was reported and polls the rest.
 */
export async function checkServiceJobs(
  input: CheckServicesInput,
  checkOne: (entry: ServiceJob) => Promise<WebexJob>,
): Promise<ServicesChecked> {
  // The jobs are checked side by side (as their iterations' checks ran before): each writes only
  // its own service's fields and audit entries on the order.
  const outcomes = await Promise.allSettled(
    input.services.jobs.map(async (entry) => {
      const { job } = entry.webex;
      if (job.status === 'provisioned' && job.polls > 0) return entry;
      return { ...entry, webex: { job: await checkOne(entry) } };
    }),
  );
  const jobs: ServiceJob[] = [];
  const failures: { entry: ServiceJob; error: Error }[] = [];
  outcomes.forEach((outcome, i) => {
    const entry = input.services.jobs[i] as ServiceJob;
    if (outcome.status === 'fulfilled') {
      jobs.push(outcome.value);
      return;
    }
    const error: unknown = outcome.reason;
    if (!(error instanceof Error) || !WEBEX_JOB_ENDINGS.some((kind) => error instanceof kind)) throw error;
    failures.push({ entry, error });
    jobs.push(entry);
  });
  if (failures.length > 0) {
    const message = failures.map((f) => `${serviceName(f.entry)}: ${f.error.message}`).join('; ');
    const Kind = WEBEX_JOB_ENDINGS.find((kind) => failures.some((f) => f.error instanceof kind));
    throw new (Kind ?? WebexJobFailedError)(message);
  }
  const running = jobs.map((j) => j.webex.job).filter((j) => j.status !== 'provisioned');
  return {
    status: running.length === 0 ? 'provisioned' : 'provisioning',
    waitSeconds:
      running.length > 0 ? Math.min(...running.map((j) => j.waitSeconds)) : input.services.waitSeconds,
    jobs,
  };
}

export function pollSettings(settings: Partial<RunSettings> | undefined) {
  return settings?.webexPoll ?? DEFAULT_WEBEX_POLL;
}

export function newJob(
  fields: Pick<WebexJob, 'kind' | 'orgId' | 'refs' | 'status'> & { orgKind?: OrgKind },
  settings: Partial<RunSettings> | undefined,
): WebexJob {
  return { ...fields, polls: 0, waitSeconds: pollSettings(settings).firstWaitSeconds, submission: 1 };
}

type Outcome = WebexJob['status'] | 'partial' | 'deleting';

/** What a customer's published status means for the run waiting on it. */
export function customerOutcome(status: CustomerStatus): Outcome {
  switch (status) {
    case 'provisioned':
      return 'provisioned';
    case 'provisioned_with_errors':
      return 'partial';
    case 'error':
      return 'error';
    case 'deleting':
      return 'deleting';
    case 'provisioning':
    case 'updating':
    case 'pending_rpl_review':
      return 'provisioning';
  }
}

/** The customer's orgId, which Webex presents once it has provisioned the customer. */
function readyOrgId(customer: Customer): string | undefined {
  return customerOutcome(customer.status) === 'provisioned' || customer.status === 'provisioned_with_errors'
    ? customer.orgId
    : undefined;
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
      orgId: readyOrgId(customer),
      refs: [customer.id],
      status: customerOutcome(customer.status) === 'provisioned' ? 'provisioned' : 'provisioning',
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

/** One package Webex did not provision, with what it said. */
export interface FailedPackage {
  name: string;
  status: string;
  problems: string[];
}

export interface Observed {
  status: Outcome;
  /** What Webex said about each failed part, with the trackingId of the answer. */
  failures: string[];
  /** provisioned_with_errors: the packages that failed. */
  failedPackages: FailedPackage[];
  customers: Customer[];
  sites: Site[];
}

const RANK: Record<Outcome, number> = { provisioned: 0, provisioning: 1, partial: 2, deleting: 3, error: 4 };

/** The packages of a partly provisioned customer that failed, from resourceDetails and errors. */
export function failedPackagesOf(customer: Customer): FailedPackage[] {
  const failed = (customer.resourceDetails?.packages ?? [])
    .filter((p) => p.status !== 'provisioned')
    .map((p) => ({
      name: p.name,
      status: p.status,
      problems: (p.warnings ?? []).map((w) => `${w.description} (errorCode ${w.errorCode})`),
    }));
  const general = (customer.errors ?? []).map((e) => `${e.description} (errorCode ${e.errorCode})`);
  if (failed.length === 0) return [{ name: '(not named by Webex)', status: 'error', problems: general }];
  if (general.length > 0) failed[0] = { ...failed[0]!, problems: [...failed[0]!.problems, ...general] };
  return failed;
}

async function observe(job: WebexJob): Promise<Observed> {
  const out: Observed = { status: 'provisioned', failures: [], failedPackages: [], customers: [], sites: [] };
  for (const ref of job.refs) {
    let status: Outcome;
    let trackingId: string;
    let label: string;
    let said: string;
    if (job.kind !== 'meetings') {
      const got = await getCustomer(ref);
      const c = got.customer;
      out.customers.push(c);
      status = customerOutcome(c.status);
      trackingId = got.trackingId;
      label =
        job.kind === 'organization'
          ? `Webex organization ${c.externalId} (customer ${c.id})`
          : `Webex ${job.kind === 'calling' ? 'Calling' : 'Meetings'} packages of ${c.externalId} (customer ${c.id})`;
      if (status === 'partial') {
        const failed = failedPackagesOf(c);
        out.failedPackages.push(...failed);
        said = failed
          .map((p) => `${p.name} ${p.status}${p.problems.length ? `: ${p.problems.join('; ')}` : ''}`)
          .join(', ');
      } else {
        said = c.errors?.map((e) => `${e.description} (errorCode ${e.errorCode})`).join('; ') || '';
      }
    } else {
      const got = await getSite(ref, job.orgId ?? '');
      out.sites.push(got.site);
      status = got.site.status;
      trackingId = got.trackingId;
      label = `Webex Meetings site ${got.site.siteUrl}`;
      said = got.site.errors?.map((e) => e.description).join('; ') ?? '';
    }
    if (status === 'error')
      out.failures.push(`${label} ended in error: ${said || 'no reason given'} (trackingId ${trackingId})`);
    if (status === 'deleting')
      out.failures.push(
        `${label} is being deleted in Webex: it cannot be provisioned (trackingId ${trackingId})`,
      );
    if (status === 'partial')
      out.failures.push(
        `${label} was provisioned with errors; these packages failed: ${said} (trackingId ${trackingId})`,
      );
    if (RANK[status] > RANK[out.status]) out.status = status;
  }
  return out;
}

/** Submits the failed parts of a job again, with the same request as the first time. */
async function resubmit(
  job: WebexJob,
  seen: Observed,
  again: (customer: Customer) => UpdateCustomerRequest,
): Promise<void> {
  for (const customer of seen.customers.filter((c) =>
    ['error', 'provisioned_with_errors'].includes(c.status),
  ))
    await updateCustomer(customer.id, again(customer));
  for (const site of seen.sites.filter((s) => s.status === 'error')) await resubmitSite(site);
}

/** The same customer again: its packages and address as Webex has them. */
export function sameCustomer(customer: Customer): UpdateCustomerRequest {
  return {
    packages: customer.packages ?? [],
    ...(customer.address?.addressLine1 && customer.address.city && customer.address.country
      ? {
          address: {
            ...customer.address,
            addressLine1: customer.address.addressLine1,
            city: customer.address.city,
            country: customer.address.country,
          },
        }
      : {}),
  };
}

export interface CheckOptions {
  /** How a failed customer is submitted again (PUT body); the same packages by default. */
  resubmitCustomer?: (customer: Customer) => UpdateCustomerRequest;
}

/**
 * "Check <job>": the job's status now, with the next wait. Records what Webex made when it is
 * ready; fails the run (once) when it ended in error or partly; resubmits when run again after that.
 */
export async function checkJob(
  input: CheckJobInput,
  onReady: (job: WebexJob, seen: Observed) => Promise<void>,
  options: CheckOptions = {},
): Promise<WebexJob> {
  const { job } = input;
  const poll = pollSettings(input.settings);
  const seen = await observe(job);
  // No read of the order: a check that finds the job still running writes nothing, and what a
  // ready job records is written without reading the order first.
  const polls = job.polls + 1;
  if (seen.status === 'provisioned') {
    const orgId = job.orgId ?? seen.customers[0]?.orgId;
    const ready = { ...job, ...(orgId ? { orgId } : {}), status: 'provisioned' as const, polls };
    await onReady(ready, seen);
    return ready;
  }
  if (seen.status === 'error' || seen.status === 'partial' || seen.status === 'deleting') {
    if (seen.status === 'partial') {
      await updateOrder(input.orderId, {
        webexPartial: { job: job.kind, packages: seen.failedPackages, at: new Date().toISOString() },
      });
    }
    // The first time this submission's failure is seen, it ends the run with Webex's words. A later
    // run of this step (a redrive) finds it reported and submits the job again.
    const firstReport = await addAudit(
      input.orderId,
      {
        actor: 'system',
        action: seen.status === 'partial' ? 'Webex provisioned with errors' : 'Webex job failed',
        details: { job: job.kind, error: seen.failures.join(' | ') },
      },
      `webex-error#${job.refs.join(',')}#${job.submission}`,
    );
    if (firstReport || seen.status === 'deleting') {
      if (seen.status === 'partial') throw new WebexPartiallyProvisionedError(seen.failures.join('; '));
      throw new WebexJobFailedError(seen.failures.join('; '));
    }
    await resubmit(job, seen, options.resubmitCustomer ?? sameCustomer);
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
      `Webex ${JOB_NAMES[job.kind]} job ${job.refs.join(', ')} was still ${seen.customers.map((c) => c.status).join(', ') || 'provisioning'} after ${polls} checks; redrive the run to keep waiting`,
    );
  }
  return {
    ...job,
    status: 'provisioning',
    polls,
    waitSeconds: Math.min(job.waitSeconds * 2, poll.maxWaitSeconds),
  };
}

const JOB_NAMES: Record<WebexJob['kind'], string> = {
  organization: 'organization',
  meetings: 'Meetings site',
  calling: 'Calling packages',
  'meetings-package': 'Meetings package',
};

/**
 * Organization jobs: keep the Webex org id on the order once Webex has provisioned the org, with
 * its audit entry: one write of the order, no read (order-repository.ts `setOrganizationWebexId`).
 */
export async function recordWebexOrg(job: WebexJob, orderId: string): Promise<void> {
  if (!job.orgId)
    throw new OrganizationNotFoundError('Webex provisioned the customer without presenting its orgId');
  // A job that does not say which org it is for (none is submitted so) records the entry only.
  await setOrganizationWebexId(orderId, job.orgKind, job.orgId, {
    entry: {
      actor: 'system',
      action: `${job.orgKind === 'partner' ? 'Partner' : 'Customer'} organization provisioned in Webex`,
      details: { webexOrgId: job.orgId },
    },
    dedupeKey: `webex-org#${job.orgId}`,
  });
}
