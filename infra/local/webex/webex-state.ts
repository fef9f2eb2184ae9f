import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';

// What exists in the local Webex, kept in one JSON file under the data directory (written after
// every change, renamed into place so a crash never leaves half a file). Jobs are asynchronous:
// a submitted org or site is `provisioning` until its `readyAt`, then it is what its submission
// decided (`provisioned`, or `error` when the job-error fault was on). The status is worked out
// on read, so a job finishes on time across a restart too.

const jobSchema = z.object({
  readyAt: z.number(),
  outcome: z.enum(['provisioned', 'error']),
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
export function jobStatus(job: StoredJob, now = Date.now()): 'provisioning' | StoredJob['outcome'] {
  return now >= job.readyAt ? job.outcome : 'provisioning';
}
