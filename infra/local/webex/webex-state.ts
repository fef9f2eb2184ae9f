import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';

// What exists in the local Webex, kept in one JSON file under the data directory (written after
// every change, renamed into place so a crash never leaves half a file). Jobs are asynchronous:
// a submitted, updated or deleted customer (or a site) is `provisioning` / `updating` /
// `deleting` until its `readyAt`, then it is what its submission decided (`provisioned`,
// `provisioned_with_errors` with the failed packages, or `error`, as the fault knobs said). The
// status is worked out on read, so a job finishes on time across a restart too; what a finished
// job makes (a Calling location, a removal) is applied by the app's `settle` before each answer.

const jobSchema = z.object({
  readyAt: z.number(),
  /** What the status is until readyAt. */
  phase: z.enum(['provisioning', 'updating', 'deleting']).default('provisioning'),
  outcome: z.enum(['provisioned', 'error', 'provisioned_with_errors']),
  /** provisioned_with_errors: the packages that failed. */
  failedPackages: z.array(z.string()).default([]),
  /** How many times it was submitted (a resubmission after an error counts). */
  submissions: z.number().int().min(1),
  errorDescription: z.string().optional(),
});

const customerSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  externalId: z.string(),
  name: z.string(),
  primaryEmail: z.string(),
  address: z.record(z.string(), z.string()),
  packages: z.array(z.string()),
  createdAt: z.string(),
  job: jobSchema,
  /** Set once the customer was first provisioned: Webex presents its orgId from then on. */
  orgPresented: z.boolean().default(false),
  /** provisioningParameters.meetings.timezone: Meetings as the Wholesale package. */
  meetingsTimezone: z.string().optional(),
  /** The Calling location Webex makes when the current job ends (provisioningParameters.calling). */
  pendingCallingLocation: z
    .object({
      name: z.string(),
      timezone: z.string(),
      language: z.string(),
      address: z.record(z.string(), z.string()),
    })
    .optional(),
});
const siteSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  siteName: z.string(),
  siteUrl: z.string(),
  timeZone: z.string(),
  earlyRelease: z.boolean(),
  licenses: z.number(),
  createdAt: z.string(),
  job: jobSchema,
});
const locationSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  timeZone: z.string(),
  preferredLanguage: z.string(),
  announcementLanguage: z.string().optional(),
  address: z.record(z.string(), z.string()),
  callingEnabled: z.boolean(),
  createdAt: z.string(),
});
const stateSchema = z.object({
  integration: z.object({ clientId: z.string(), clientSecret: z.string(), refreshToken: z.string() }),
  /** The partner's own org: the org of every token (`orgId` defaults to it). */
  partnerOrg: z.object({ id: z.string(), displayName: z.string(), created: z.string() }).default(() => ({
    id: webexId('ORGANIZATION'),
    displayName: 'Local Webex Partner',
    created: new Date().toISOString(),
  })),
  /** Live access tokens and when each expires (epoch ms). */
  tokens: z.record(z.string(), z.number()),
  customers: z.array(customerSchema),
  sites: z.array(siteSchema),
  locations: z.array(locationSchema),
});

export type StoredCustomer = z.infer<typeof customerSchema>;
export type StoredSite = z.infer<typeof siteSchema>;
export type StoredLocation = z.infer<typeof locationSchema>;
export type StoredJob = z.infer<typeof jobSchema>;
export type WebexState = z.infer<typeof stateSchema>;

/** Webex ids are opaque base64 of a `ciscospark://` URI; the local Webex makes its own the same way. */
export function webexId(kind: 'ORGANIZATION' | 'LOCATION' | 'SITE' | 'CUSTOMER'): string {
  return Buffer.from(`ciscospark://us/${kind}/${randomUUID()}`).toString('base64').replace(/=+$/, '');
}

export function secret(): string {
  return randomBytes(24).toString('base64url');
}

export class WebexStateFile {
  readonly state: WebexState;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) {
      this.state = stateSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    } else {
      this.state = {
        integration: { clientId: `C${secret()}`, clientSecret: secret(), refreshToken: secret() },
        partnerOrg: {
          id: webexId('ORGANIZATION'),
          displayName: 'Local Webex Partner',
          created: new Date().toISOString(),
        },
        tokens: {},
        customers: [],
        sites: [],
        locations: [],
      };
      this.save();
    }
  }

  save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}

/** The job's status now: `provisioning` until it is due, then what its submission decided. */
export function jobStatus(job: StoredJob, now = Date.now()): StoredJob['phase'] | StoredJob['outcome'] {
  return now >= job.readyAt ? job.outcome : job.phase;
}
