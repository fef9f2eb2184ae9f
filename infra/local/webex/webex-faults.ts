import * as z from 'zod';

// Fault knobs of the local Webex, for tests and trials. Set with `npm start -- --webex-faults
// <spec>` or WEBEX_FAULTS=<spec>, where spec is a comma-separated list:
//   latency=<ms>        every API answer waits this long first
//   429=<share>         this share of API calls answers 429 Too Many Requests with Retry-After
//   retry-after=<s>     the Retry-After those 429s carry (default 1)
//   5xx=<share>         this share of API calls answers 500/502/503
//   job-error=<kinds>   jobs submitted while set end in `error`: organization, meetings, or both (a+b)
//   partial=<packages>  customers submitted or updated while set end `provisioned_with_errors`,
//                       with these packages failed (e.g. partial=webex_calling)
// e.g. WEBEX_FAULTS=429=0.3,5xx=0.3 or --webex-faults job-error=meetings. They can be changed on
// a running local Webex with POST /_local/faults (same fields as JSON).

export const JOB_KINDS = ['organization', 'meetings'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

const share = z.number().min(0).max(1);
export const webexFaultsSchema = z.object({
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  rate429: share.default(0),
  retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
  rate5xx: share.default(0),
  jobError: z.array(z.enum(JOB_KINDS)).default([]),
  /** Packages that fail while the rest of the customer is provisioned (`provisioned_with_errors`). */
  partialPackages: z.array(z.string().regex(/^[a-z_]+$/)).default([]),
});
export type WebexFaults = z.infer<typeof webexFaultsSchema>;

export const NO_FAULTS: WebexFaults = webexFaultsSchema.parse({});

export class WebexFaultsError extends Error {
  override name = 'WebexFaultsError';
}

/** Parses a fault spec; a bad entry throws naming it. An empty spec is no faults. */
export function parseWebexFaults(spec: string | undefined): WebexFaults {
  const out: Record<string, unknown> = {};
  for (const entry of (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, value = ''] = entry.split('=', 2) as [string, string?];
    const num = Number(value);
    const bad = () =>
      new WebexFaultsError(
        `Bad Webex fault "${entry}": use latency=<ms>, 429=<share 0..1>, retry-after=<s>, 5xx=<share 0..1>, job-error=organization+meetings, partial=webex_calling`,
      );
    if (key === 'job-error') {
      const kinds = value.split('+').filter(Boolean);
      if (kinds.length === 0 || kinds.some((k) => !(JOB_KINDS as readonly string[]).includes(k))) throw bad();
      out.jobError = kinds;
      continue;
    }
    if (key === 'partial') {
      const packages = value.split('+').filter(Boolean);
      if (packages.length === 0 || packages.some((p) => !/^[a-z_]+$/.test(p))) throw bad();
      out.partialPackages = packages;
      continue;
    }
    if (value === '' || !Number.isFinite(num)) throw bad();
    if (key === 'latency') out.latencyMs = num;
    else if (key === '429') out.rate429 = num;
    else if (key === 'retry-after') out.retryAfterSeconds = num;
    else if (key === '5xx') out.rate5xx = num;
    else throw bad();
  }
  const parsed = webexFaultsSchema.safeParse(out);
  if (!parsed.success) {
    throw new WebexFaultsError(
      `Bad Webex faults "${spec}": ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
