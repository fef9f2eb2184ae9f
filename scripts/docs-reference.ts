// `npm run docs`: writes docs/reference.md, every environment variable, CDK context key and
// command-line flag with its default. Names, required-ness and defaults come from the code: the
// functions' configuration schema (functions/shared/config.ts), the CDK settings schema
// (infra/settings.ts), the runtime's ports (infra/local/ports.ts) and the defaults the CLIs and
// the intake export. The sentences are written here. test/docs/reference.test.ts fails when the
// committed page differs from what this prints, and when any variable or flag the code reads is
// missing here (or one listed here is read nowhere).
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type * as z from 'zod';
import { configSchema } from '../functions/shared/config';
import { DEFAULT_CLAIM_LEASE_SECONDS } from '../functions/shared/adapters/step-store';
import { DEFAULT_LINK_RATE_LIMIT } from '../functions/shared/adapters/link-store';
import { DEFAULT_NEXT_STEP_WAIT_SECONDS } from '../functions/resume/views';
import { DEFAULT_WEBEX_POLL, runSettingsSchema } from '../functions/shared/domain/order.schema';
import { settingsSchema } from '../infra/settings';
import { DEFAULT_PORTS, PORT_ENV, SERVICES, type Service } from '../infra/local/ports';
import { DEFAULT_JOB_SECONDS } from '../infra/local/webex/local-webex';
import { DEFAULT_ARGS as BENCH_DEFAULTS } from '../bench/args';

export const REFERENCE_PATH = resolve(fileURLToPath(new URL('.', import.meta.url)), '../docs/reference.md');

/** What each variable of the functions' configuration means. A key of configSchema without a line here fails the generator. */
const CONFIG_MEANING: Record<keyof typeof configSchema.shape, string> = {
  AWS_REGION: 'Region of every AWS client. Lambda sets it; locally `us-east-1`.',
  TABLE_NAME: 'The DynamoDB table (orders, steps, links, audit, org directory).',
  BUCKET_NAME: 'The documents bucket (order summary PDFs).',
  SENDER_EMAIL: 'From address of every email (the `SenderEmail` parameter).',
  OPS_EMAIL: 'Where failure notices go (the `OpsEmail` parameter).',
  SES_CONFIGURATION_SET: 'SES configuration set every email is sent with.',
  PUBLIC_BASE_URL:
    'Base URL of the setup pages, in links and for the form-origin check. On AWS the HTTP API URL; locally the setup pages address.',
  STATE_MACHINE_ARN:
    'The provisioning state machine (intake, cancel, the ops CLI). Locally `…:stateMachine:SubscriptionProvisioning`.',
  SIGNING_SECRET_ARN: 'Secrets Manager secret with the key that signs wizard sessions and CSRF tokens (AWS).',
  SIGNING_KEY: 'That key itself, at least 32 characters (embedded runtime: kept under the data directory).',
  LINK_TTL_SECONDS: 'Lifetime of a setup link (CDK `linkTtlSeconds`).',
  SUMMARY_URL_TTL_SECONDS: 'Lifetime of the presigned URL of the summary PDF (CDK `summaryUrlTtlSeconds`).',
  STEP_TIMEOUT_SECONDS: `How long a waiting step waits before a reminder; the intake requires it and takes 1 to ${runSettingsSchema.shape.stepTimeoutSeconds.maxValue ?? ''} (CDK \`stepTimeoutSeconds\`; \`npm start -- --step-timeout\`).`,
  MAX_REMINDERS: `Reminders per waiting step before the order expires; the intake requires it and takes 0 to ${runSettingsSchema.shape.maxReminders.maxValue ?? ''} (CDK \`maxReminders\`; \`npm start -- --max-reminders\`).`,
  LINK_RATE_LIMIT_PER_MINUTE: `Setup-page requests one link may make per minute that decide, look up, call Webex or wait (\`/next\`); past it the page answers 429 with Retry-After. Default ${DEFAULT_LINK_RATE_LIMIT}.`,
  NEXT_STEP_WAIT_SECONDS: `How long \`/next\` waits inside the request for the run to reach the next step before the working page shows (at most 25; the resume function's timeout is 20 s). Default ${DEFAULT_NEXT_STEP_WAIT_SECONDS}.`,
  CLAIM_LEASE_SECONDS: `How long a submit's claim on a step waits for its answer to reach the run. Default ${DEFAULT_CLAIM_LEASE_SECONDS}.`,
  WEBEX_POLL_FIRST_WAIT_SECONDS: `First wait before a Webex job is checked; later waits double. Intake default ${DEFAULT_WEBEX_POLL.firstWaitSeconds}. No CDK setting.`,
  WEBEX_POLL_MAX_WAIT_SECONDS: `Longest wait between two checks of a Webex job. Intake default ${DEFAULT_WEBEX_POLL.maxWaitSeconds}. No CDK setting.`,
  WEBEX_POLL_MAX_POLLS: `Checks of a Webex job before the run fails with \`WebexJobTimedOutError\`. Intake default ${DEFAULT_WEBEX_POLL.maxPolls}. No CDK setting.`,
  WEBEX_API_URL: 'Webex REST base URL (the `WebexApiUrl` parameter; locally the local Webex).',
  WEBEX_SECRET_ARN: 'Secrets Manager secret with the Webex integration credentials (AWS).',
  WEBEX_PRECHECK_FUNCTION:
    'The WebexPrecheck function the setup pages invoke before Close (AWS; the embedded runtime invokes it in-process). The setup pages hold no Webex credential.',
  WEBEX_MEETINGS:
    'How Meetings is provisioned: `modelled-site` (default; our modelled site call with a chosen URL, early release and a license split: Webex publishes no such API) or `wholesale-package` (the published Wholesale package with its time zone). The `WebexMeetings` stack parameter.',
  WEBEX_CREDENTIALS: 'Those credentials as JSON (embedded runtime: written by its local Webex).',
  DYNAMODB_ENDPOINT: 'DynamoDB endpoint instead of AWS (embedded runtime, tests).',
  S3_ENDPOINT: 'S3 endpoint instead of AWS.',
  SES_ENDPOINT: 'SES v2 endpoint instead of AWS.',
  SFN_ENDPOINT: 'Step Functions endpoint instead of AWS.',
  EVENTS_ENDPOINT: 'EventBridge endpoint instead of AWS; the ops CLI reads events and dead letters from it.',
  EVENT_BUS_NAME: 'The bus the functions publish domain events on (functions that publish).',
};

/** What each CDK context key means (its default comes from settingsSchema). */
const SETTING_MEANING: Record<keyof typeof settingsSchema.shape, string> = {
  stepTimeoutSeconds: `How long a waiting step waits for a person before a reminder. The intake takes at most ${runSettingsSchema.shape.stepTimeoutSeconds.maxValue ?? ''}.`,
  maxReminders: `Reminders per waiting step before the order expires. The intake takes at most ${runSettingsSchema.shape.maxReminders.maxValue ?? ''}.`,
  linkTtlSeconds: 'Lifetime of a setup link.',
  summaryUrlTtlSeconds: 'Lifetime of the presigned URL of the order summary PDF.',
  logRetentionDays: 'Retention of every log group, one of the values CloudWatch Logs accepts.',
  senderEmail: 'Default of the `SenderEmail` parameter.',
  opsEmail: 'Default of the `OpsEmail` parameter.',
  stackPrefix: 'Prefix of both stack names, for a second copy in one account.',
};

const SERVICE_LABEL: Record<Service, string> = {
  web: 'setup pages and ops view',
  dynamodb: 'DynamoDB (dynalite)',
  s3: 'S3 (s3rver)',
  ses: 'SES v2 and the mailbox',
  sfn: 'Step Functions',
  webex: 'the local Webex',
  events: 'EventBridge (PutEvents)',
};

type Row = readonly string[];
const code = (s: string) => `\`${s}\``;

function table(header: Row, rows: Row[]): string {
  const line = (cells: Row) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function defaultOf(schema: z.ZodType): string | undefined {
  const parsed = schema.safeParse(undefined);
  return parsed.success && parsed.data !== undefined ? String(parsed.data) : undefined;
}

function configRows(): Row[] {
  return Object.entries(configSchema.shape).map(([key, schema]) => {
    const optional = (schema as z.ZodType).safeParse(undefined).success;
    return [code(key), optional ? 'no' : '**yes**', CONFIG_MEANING[key as keyof typeof CONFIG_MEANING]];
  });
}

function settingRows(): Row[] {
  return Object.entries(settingsSchema.shape).map(([key, schema]) => [
    code(key),
    defaultOf(schema as z.ZodType) ?? '(none)',
    SETTING_MEANING[key as keyof typeof SETTING_MEANING],
  ]);
}

const DAY = 24 * 60 * 60;
const settingsDefaults = settingsSchema.parse({});

function startRows(): Row[] {
  const ports: Row[] = SERVICES.map((s) => [
    code(`--port-${s}`),
    code(PORT_ENV[s]),
    String(DEFAULT_PORTS[s]),
    `Port of ${SERVICE_LABEL[s]}; \`0\` picks a free one.`,
  ]);
  return [
    ...ports,
    [
      code('--data-dir'),
      code('DATA_DIR'),
      '`.local`',
      'Where the runtime keeps its data and `runtime.json`.',
    ],
    [
      code('--step-timeout'),
      code('STEP_TIMEOUT_SECONDS'),
      `${3 * DAY} (3 days)`,
      'Seconds a waiting step waits before a reminder.',
    ],
    [
      code('--max-reminders'),
      code('MAX_REMINDERS'),
      String(settingsDefaults.maxReminders),
      'Reminders before expiry.',
    ],
    [
      code('--faults'),
      code('FAULTS'),
      '(none)',
      'Share of each emulator’s requests answered with its retryable errors, e.g. `dynamodb=0.1,ses=0.05,s3=0.05,webex=0.1,events=0.1` (infra/local/faults.ts).',
    ],
    [
      code('--outage'),
      code('OUTAGE'),
      '(none)',
      'A service refuses every request for a while, e.g. `dynamodb=3s@after:claim` (infra/local/faults.ts).',
    ],
    [
      code('--webex-faults'),
      code('WEBEX_FAULTS'),
      '(none)',
      'Local Webex faults: `latency=<ms>`, `429=<share>`, `retry-after=<s>`, `5xx=<share>`, `job-error=organization+meetings`. While it runs: `POST /_local/faults` (JSON `latencyMs`, `rate429`, `retryAfterSeconds`, `rate5xx`, `jobError`), `GET` and `DELETE` the same path.',
    ],
    [
      code('--webex-job-seconds'),
      code('WEBEX_JOB_SECONDS'),
      String(DEFAULT_JOB_SECONDS),
      'Seconds a local Webex job takes; the runs’ `WEBEX_POLL_*` follow it.',
    ],
    [code('-h'), '', '', 'Same as `--help`.'],
    [code('--help'), '', '', 'Prints the flags and exits.'],
  ];
}

function cliRows(): Row[] {
  return [
    [
      '`npm run order -- <event.json>`',
      code('--data-dir'),
      '`DATA_DIR`, else `.local`',
      'Sends the event with PutEvents to the runtime found in `<dir>/runtime.json`; exit 1 when refused.',
    ],
    [
      '`npm run ops -- list`',
      code('--status'),
      '(all)',
      'Runs whose order has this status: received, in-progress, completed, cancelled, expired, failed.',
    ],
    ['`npm run ops -- list`', code('--search'), '(all)', 'Order id or its start.'],
    ['`npm run ops -- list`', code('--limit'), '(all)', 'At most this many runs (1 to 10,000).'],
    [
      '`npm run ops -- show / events <orderId>`, `dead-letters`',
      '',
      '',
      'A run with its steps, audit trail and emails; its events; failed deliveries. `show` exits 1 for an unknown order.',
    ],
    [
      '`npm run orgs -- import <file.jsonl>`',
      '',
      '',
      'Checks every line, then loads the directory (on AWS with `TABLE_NAME` and `AWS_REGION`).',
    ],
  ];
}

function benchRows(): Row[] {
  const d = BENCH_DEFAULTS;
  return [
    [code('--orders'), code('-n'), String(d.orders), 'Orders driven end to end.'],
    [code('--concurrency'), code('-c'), String(d.concurrency), 'Contacts working at once.'],
    [code('--scenario'), '', d.scenario, '`mix`, `partner-new` or `my-company`.'],
    [code('--attach'), '', 'off', 'Drive the runtime `npm start` runs instead of a private one.'],
    [code('--data-dir'), '', '`.local`', 'With `--attach`: that runtime’s data directory.'],
    [code('--faults'), '', '(none)', 'Fault spec for the private runtime, as `npm start -- --faults`.'],
    [code('--orgs'), '', String(d.orgs), 'Generated organizations imported first.'],
    [code('--bundles'), '', 'off', 'Measure the Lambda bundles and `cdk synth` instead.'],
    [code('--help'), code('-h'), '', 'Prints the flags.'],
  ];
}

const OTHER_ENV: Row[] = [
  [
    code('CDK_VALIDATION'),
    '`npx cdk synth`',
    '(unset)',
    '`true` runs CDK’s built-in CloudFormation validation in this synth (it runs once per `npm test` in test/infra/cfn-validation.test.ts, not on every synth).',
  ],
  [
    code('LAMBDA_BUNDLE_XRAY_SDK'),
    'the Lambda bundles',
    '(unset)',
    'Not set by hand: the build sets it to `"false"` in the functions that do not carry the X-Ray SDK and the Powertools tracer (all but the Webex callers), so their bundles leave the tracer out.',
  ],
  [
    code('RUNTIME_FILE'),
    'CLIs',
    '`<DATA_DIR>/runtime.json`',
    'The running runtime’s `runtime.json`, for `npm run ops` and `orgs` (infra/local/runtime-env.ts).',
  ],
  [code('BENCH_LOG_LEVEL'), '`npm run bench`', '`ERROR`', 'Log level of the functions during a bench.'],
  [
    code('BENCH_HEAP_SNAPSHOT'),
    '`npm run bench`',
    '(none)',
    'Writes a heap snapshot of the private runtime to this file at the end.',
  ],
  [
    code('REQUIRE_BROWSER'),
    '`npm test`',
    '(unset)',
    'Any value: a missing Chromium fails the browser suites instead of skipping them (CI sets `1`).',
  ],
  [code('CHROMIUM_PATH'), '`npm test`', '`/usr/bin/chromium`', 'The browser the browser suite drives.'],
  [
    code('CI'),
    '`npm test`',
    '(unset)',
    'Set in CI (`.ci/run`): a missing tool (the PDF tools, the AWS CLI of test/docs) fails its tests instead of skipping them.',
  ],
  [code('TEST_LOG_LEVEL'), '`npm test`', '`SILENT`', 'Log level of the functions in the test runtimes.'],
  [
    code('TEST_TIME_SCALE'),
    '`npm test`',
    'load / cores, 1 to 6',
    'Multiplies every test time limit (vitest.config.mts); never a timing.',
  ],
  [
    code('POWERTOOLS_LOG_LEVEL'),
    'functions',
    '`INFO` (Powertools) on AWS, `WARN` locally',
    'Powertools logger level (the runtime and the CLIs set it).',
  ],
  [
    code('POWERTOOLS_TRACE_ENABLED'),
    'functions',
    'on, on Lambda',
    '`false` turns X-Ray tracing off (the embedded runtime does).',
  ],
  [code('AWS_EXECUTION_ENV'), 'functions', '(set by Lambda)', 'Tracing is on only on Lambda.'],
  [code('AWS_SAM_LOCAL'), 'functions', '(unset)', 'Set by SAM local: tracing off.'],
  [
    code('AWS_LAMBDA_MAX_CONCURRENCY'),
    'embedded runtime',
    '`1000`',
    'Lets Powertools keep per-invocation state apart for concurrent invocations in one process.',
  ],
  [
    code('FONT_DIR'),
    '`RenderSummary`',
    'the dejavu-fonts-ttf package',
    'Directory of the PDF fonts (the stack sets `/var/task/fonts`).',
  ],
];

export function renderReference(): string {
  return [
    '# Reference: environment variables, CDK context and flags',
    '',
    '<!-- Generated by `npm run docs` (scripts/docs-reference.ts) from the code. Do not edit by hand. -->',
    '',
    'Names, required-ness and defaults are read from the code; `test/docs/reference.test.ts` fails',
    'when this page is stale, or when the code reads a variable or flag this page does not name.',
    '',
    '## The functions’ configuration',
    '',
    'Read once from the environment by `getConfig()` (functions/shared/config.ts); a missing',
    'required value throws `ConfigurationError` naming it. On AWS the workflow stack sets them',
    '(infra/workflow.stack.ts); `npm start` sets them for its in-process functions and writes them',
    'to `runtime.json` for the CLIs.',
    '',
    table(['variable', 'required', 'meaning'], configRows()),
    '',
    '## CDK context (`-c key=value`, or `context` in cdk.json)',
    '',
    'Read by infra/settings.ts; a bad value fails the synth naming the key. See docs/deploy.md.',
    '',
    table(['key', 'default', 'meaning'], settingRows()),
    '',
    '## `npm start`',
    '',
    'Each flag has an environment variable; the flag wins.',
    '',
    table(['flag', 'variable', 'default', 'meaning'], startRows()),
    '',
    '## `npm run order`, `ops`, `orgs`',
    '',
    'They find the running runtime through `<DATA_DIR or .local>/runtime.json`; `ops` and `orgs`',
    'also through `RUNTIME_FILE`. With `TABLE_NAME` set, `ops` and `orgs` use AWS instead.',
    '',
    table(['command', 'flag', 'default', 'meaning'], cliRows()),
    '',
    '## `npm run bench`',
    '',
    'bench/README.md says what each number means.',
    '',
    table(['flag', 'short', 'default', 'meaning'], benchRows()),
    '',
    '## Other variables the code reads',
    '',
    table(['variable', 'read by', 'default', 'meaning'], OTHER_ENV),
    '',
  ].join('\n');
}

/** The page as the repository formats Markdown, so `prettier --check` passes on it. */
export async function formattedReference(): Promise<string> {
  const options = (await resolveConfig(REFERENCE_PATH)) ?? {};
  return format(renderReference(), { ...options, parser: 'markdown' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  writeFileSync(REFERENCE_PATH, await formattedReference());
  console.log(`wrote ${join('docs', 'reference.md')}`);
}
