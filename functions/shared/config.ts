import * as z from 'zod';
import { ConfigurationError } from './errors';

// Configuration is read from the environment once, validated, and never silently defaulted
// where a value is required. AWS endpoints are optional: when set (embedded runtime, tests)
// every client talks to that endpoint instead of AWS.
const optionalUrl = z.string().url().optional();

export const configSchema = z.object({
  AWS_REGION: z.string().min(1),
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1),
  SENDER_EMAIL: z.string().email(),
  OPS_EMAIL: z.string().email(),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Base URL of the setup pages, e.g. https://abc.execute-api.eu-west-1.amazonaws.com or http://127.0.0.1:3000 */
  PUBLIC_BASE_URL: z.string().url(),
  STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** Secrets Manager secret holding the link/session signing key (AWS). */
  SIGNING_SECRET_ARN: z.string().min(1).optional(),
  /** The signing key itself (embedded runtime: read from .local/). */
  SIGNING_KEY: z.string().min(32).optional(),
  LINK_TTL_SECONDS: z.coerce.number().int().positive(),
  SUMMARY_URL_TTL_SECONDS: z.coerce.number().int().positive(),
  /** Execution settings the intake shapes into each run (see runSettingsSchema); required by the intake. */
  STEP_TIMEOUT_SECONDS: z.coerce.number().int().positive().optional(),
  MAX_REMINDERS: z.coerce.number().int().min(0).optional(),
  /** How long a submit's claim on a step waits for its answer to reach the run (default 60 s). */
  CLAIM_LEASE_SECONDS: z.coerce.number().positive().optional(),
  /** Form posts and `/next` waits one setup link may make per minute before a 429 (default 60). */
  LINK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().optional(),
  /** How long the setup pages' `/next` waits for the run's next step in one request (default 15 s). */
  NEXT_STEP_WAIT_SECONDS: z.coerce.number().positive().max(25).optional(),
  /** How runs poll Webex jobs (see runSettingsSchema.webexPoll); the intake's defaults when unset. */
  WEBEX_POLL_FIRST_WAIT_SECONDS: z.coerce.number().int().positive().optional(),
  WEBEX_POLL_MAX_WAIT_SECONDS: z.coerce.number().int().positive().optional(),
  WEBEX_POLL_MAX_POLLS: z.coerce.number().int().positive().optional(),
  /** Webex REST base, e.g. https://webexapis.com/v1 (the embedded runtime: its local Webex). */
  WEBEX_API_URL: optionalUrl,
  /** The setup pages (Resume): the WebexPrecheck function they invoke before Close (AWS). */
  WEBEX_PRECHECK_FUNCTION: z.string().min(1).optional(),
  /** Secrets Manager secret holding the Webex integration's credentials (AWS). */
  WEBEX_SECRET_ARN: z.string().min(1).optional(),
  /** The credentials themselves, as JSON (embedded runtime: written by its local Webex under .local/). */
  WEBEX_CREDENTIALS: z.string().min(2).optional(),
  /**
   * How Meetings is provisioned (docs/webex.md): `modelled-site` (default) creates each site with
   * its chosen URL, early release and license split through our modelled site call (Webex
   * publishes no such API); `wholesale-package` provisions Meetings as the published Wholesale
   * package, with only its time zone.
   */
  WEBEX_MEETINGS: z.enum(['modelled-site', 'wholesale-package']).default('modelled-site'),
  DYNAMODB_ENDPOINT: optionalUrl,
  S3_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  SFN_ENDPOINT: optionalUrl,
  EVENTS_ENDPOINT: optionalUrl,
  /** The workflow's event bus: where its domain events are published (functions that publish). */
  EVENT_BUS_NAME: z.string().min(1).optional(),
});

export type Config = z.infer<typeof configSchema>;

let cached: Config | undefined;

/** The validated configuration, parsed on first use and then kept. Throws naming every bad variable. */
export function getConfig(): Config {
  if (cached) return cached;
  const parsed = configSchema.safeParse(process.env);
  if (!parsed.success) {
    const bad = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`Invalid configuration: ${bad}`);
  }
  cached = parsed.data;
  return cached;
}

/**
 * For a command-line tool that reads only part of the configuration (`npm run ops`, `npm run
 * orgs`): requires exactly the variables it names, checks every other one that is set, and makes
 * that the configuration getConfig() returns from now on. So a tool against AWS asks for what it
 * uses (the table, the state machine), not for every Lambda's settings. Throws naming each
 * missing or bad variable. The region may come from the AWS SDK's own chain (profile) then.
 */
export function useToolConfig(needed: readonly (keyof Config)[]): void {
  const missing = needed.filter((key) => !process.env[key]);
  if (missing.length > 0)
    throw new ConfigurationError(
      `Invalid configuration: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set (this command reads ${needed.join(', ')})`,
    );
  const parsed = configSchema.partial().safeParse(process.env);
  if (!parsed.success) {
    const bad = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`Invalid configuration: ${bad}`);
  }
  // The tool reads only the keys it named (now present) and optional ones; the Lambdas' required
  // values it never reads may be missing, which is the point.
  cached = parsed.data as Config;
}

/** A value only some functions need: throws, naming it, where it is missing. */
export function required<K extends keyof Config>(key: K): NonNullable<Config[K]> {
  const value = getConfig()[key];
  if (value === undefined || value === null)
    throw new ConfigurationError(`Invalid configuration: ${key} is required`);
  return value as NonNullable<Config[K]>;
}

/** Tests and the embedded runtime change the environment; this makes the next getConfig() re-read it. */
export function resetConfig(): void {
  cached = undefined;
}
