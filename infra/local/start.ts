import './quiet-warnings';
import { parsePort, SERVICES, type Service } from './ports';
import { parseWebexFaults } from './webex/webex-faults';
import type { Runtime } from './runtime';

// `npm start`: the whole workflow on this machine. Flags: --port-<service> <n> (web, dynamodb,
// s3, ses, sfn, webex; 0 picks a free port), --data-dir <dir>, --step-timeout <seconds>,
// --max-reminders <n>, --webex-faults <spec> (infra/local/webex/webex-faults.ts),
// --webex-job-seconds <s>. Each also has an environment variable (PORT_WEB, ..., DATA_DIR,
// STEP_TIMEOUT_SECONDS, MAX_REMINDERS, WEBEX_FAULTS, WEBEX_JOB_SECONDS).

function parseArgs(argv: string[]) {
  const ports: Partial<Record<Service, number>> = {};
  let dataDir = process.env.DATA_DIR;
  let stepTimeoutSeconds = process.env.STEP_TIMEOUT_SECONDS
    ? Number(process.env.STEP_TIMEOUT_SECONDS)
    : undefined;
  let maxReminders = process.env.MAX_REMINDERS ? Number(process.env.MAX_REMINDERS) : undefined;
  let webexFaults = process.env.WEBEX_FAULTS;
  let webexJobSeconds = process.env.WEBEX_JOB_SECONDS ? Number(process.env.WEBEX_JOB_SECONDS) : undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? '';
    const service = SERVICES.find((s) => flag === `--port-${s}`);
    if (service) ports[service] = parsePort(value(), flag ?? '');
    else if (flag === '--data-dir') dataDir = value();
    else if (flag === '--step-timeout') stepTimeoutSeconds = Number(value());
    else if (flag === '--max-reminders') maxReminders = Number(value());
    else if (flag === '--webex-faults') webexFaults = value();
    else if (flag === '--webex-job-seconds') webexJobSeconds = Number(value());
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'npm start [-- --port-web 3000 --port-dynamodb 8000 --port-s3 4568 --port-ses 8005 --port-sfn 8083 --data-dir .local --step-timeout 259200 --max-reminders 3 --webex-faults 429=0.1,5xx=0.1,latency=50,job-error=meetings --webex-job-seconds 2]',
      );
      process.exit(0);
    } else throw new Error(`Unknown option ${arg} (see npm start -- --help)`);
  }
  if (webexJobSeconds !== undefined && !(Number.isFinite(webexJobSeconds) && webexJobSeconds >= 0))
    throw new Error('--webex-job-seconds (WEBEX_JOB_SECONDS) must be a number of seconds');
  return {
    ports,
    dataDir,
    stepTimeoutSeconds,
    maxReminders,
    webex: { faults: parseWebexFaults(webexFaults), jobSeconds: webexJobSeconds },
  };
}

function banner(runtime: Runtime): string {
  const u = runtime.urls;
  return [
    '',
    'Subscription provisioning is running on this machine (no AWS account needed).',
    '',
    `  Setup pages        ${u.web}/setup/<link>   (the link is in each email)`,
    `  Mailbox (SES)      ${u.mailbox}   every email sent, with its Set up service button`,
    `  Ops view           ${u.ops}`,
    '',
    `  DynamoDB           ${u.dynamodb}`,
    `  S3                 ${u.s3}`,
    `  SES v2             ${u.ses}`,
    `  Step Functions     ${u.sfn}   state machine ${runtime.stateMachineArn}`,
    `  Webex (local)      ${u.webex}   the orgs, Meetings sites and Calling locations orders created`,
    '',
    `  Data               ${runtime.dataDir}${runtime.seeded ? '   (demo organizations loaded)' : ''}`,
    '',
    'Place a demo order (in another terminal):',
    '  npm run order -- examples/order-partner-associated.json',
    '  (docs/demo.md lists which example leads to which outcome)',
    'Then open the mailbox, click "Set up service", and walk through the steps.',
    '',
    'With the AWS CLI:',
    `  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region us-east-1 --endpoint-url ${u.sfn} \\`,
    `    stepfunctions list-executions --state-machine-arn ${runtime.stateMachineArn}`,
    '',
    'Ctrl-C stops everything; runs that wait for someone carry on after the next npm start.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Loaded after quiet-warnings is in place (static imports would run first).
  const { startRuntime } = await import('./runtime');
  const runtime = await startRuntime({
    dataDir: args.dataDir,
    ports: args.ports,
    stepTimeoutSeconds: args.stepTimeoutSeconds,
    maxReminders: args.maxReminders,
    webex: args.webex,
  });
  console.log(banner(runtime));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    runtime.stop().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.message}` : String(error));
  process.exit(1);
});
