import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CANCEL_FUNCTION,
  FAILURE_FUNCTION,
  INTAKE_FUNCTION,
  STATE_MACHINE_FUNCTIONS,
  WEBEX_PRECHECK_FUNCTION,
} from '../../functions/registry';
import { EVENT_RULES, STATE_MACHINE_ARN_KEY } from '../event-rules';
import { EventLog } from './events/event-log';
import { LocalEventBus } from './events/event-bus';
import type { JsonValue } from './events/event-pattern';
import { createEventsServer } from './events/events-server';
import { createTableInput } from '../../functions/shared/adapters/keys';
import { startDynamoDbThread } from './dynamodb-thread';
import { DEFAULT_PORTS, SERVICES, portsFromEnv, resolvePort, type Service } from './ports';
import { detachSesMailbox, startSesMailbox } from './ses-mailbox';
import {
  lambdaArn,
  startSfnEndpoint,
  stateMachineArn,
  type LocalFunction,
  type SfnEndpoint,
} from './sfn/sfn-endpoint';
import { enableConcurrentInvocations } from './sfn/lambda-invoker';
import type { SfnEngine } from './sfn/sfn-engine';
import type { ExecutionSummary } from './sfn/execution-store';
import { startWebServer } from './web-server';
import { startLocalWebex } from './webex/local-webex';
import { webexFaultsSchema, type WebexFaults } from './webex/webex-faults';
import {
  faultCount,
  hasFaults,
  NO_FAULTS,
  seededRandom,
  startFaultFront,
  type FaultConfig,
  type FaultFront,
} from './faults';

// The whole workflow on one machine: DynamoDB (dynalite), S3 (s3rver), SES (aws-ses-v2-local),
// the local Step Functions endpoint running the real ASL with the real handlers in-process, and
// the local EventBridge (PutEvents, routing by the rules of infra/event-rules.ts), and the web
// server for the setup pages and the ops view. Everything listens on 127.0.0.1 and keeps
// its data under one directory (`.local/` by default).

const require = createRequire(import.meta.url);

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const STATE_MACHINE_NAME = 'SubscriptionProvisioning';
export const ASL_PATH = join(REPO_ROOT, 'statemachines/provisioning.asl.json');
export const DEMO_ORGS_PATH = join(REPO_ROOT, 'examples/orgs.demo.jsonl');

export interface RuntimeOptions {
  /** Where everything is kept. Default `<repo>/.local`. */
  dataDir?: string;
  /** Port per service; 0 picks a free one. Default: PORT_* variables, then 3000/8000/4568/8005/8083. */
  ports?: Partial<Record<Service, number>>;
  /** How long a waiting step waits before a reminder. Default 3 days. */
  stepTimeoutSeconds?: number;
  maxReminders?: number;
  linkTtlSeconds?: number;
  summaryUrlTtlSeconds?: number;
  senderEmail?: string;
  opsEmail?: string;
  /** JSON lines loaded into the organization directory on first start; false for none. Default: the demo directory. */
  seedOrgs?: string | false;
  /** Powertools log level of the handlers. Default WARN. */
  logLevel?: string;
  /** Extra environment for the handlers (tests). */
  env?: Record<string, string>;
  /** The local Webex: how long its jobs run, how long its access tokens live, its faults. */
  webex?: { jobSeconds?: number; tokenTtlSeconds?: number; faults?: WebexFaults };
  /**
   * Fault injection at the emulators (`npm start -- --faults dynamodb=0.1 --outage dynamodb=3s@after:claim`):
   * a front on each faulty service's port answers a share of its requests with the service's own
   * retryable errors (infra/local/faults.ts). Default: none.
   */
  faults?: FaultConfig;
  /** Waits before each retry of a failed event delivery to a function. Default 1 s, then 2 s. */
  eventRetryDelaysMs?: number[];
  /** Wraps a function by id (tests inject faults): `(event, context, real) => result`. */
  intercept?: Record<string, NonNullable<LocalFunction['intercept']>>;
}

export interface RuntimeUrls {
  /** Setup pages (`/setup/<link>`), and the ops view at `/ops`. */
  web: string;
  ops: string;
  dynamodb: string;
  s3: string;
  ses: string;
  /** The mailbox page (every email sent). */
  mailbox: string;
  sfn: string;
  /** The local Webex: its page of what exists; its REST API under /v1. */
  webex: string;
  /** The EventBridge endpoint (PutEvents). */
  events: string;
}

/** The name of the workflow's event bus in the embedded runtime (on AWS, the stack's EventBusName output). */
export const LOCAL_EVENT_BUS_NAME = 'subscription-provisioning';

export interface Runtime {
  urls: RuntimeUrls;
  /** The environment the handlers run with (also set on process.env). */
  env: Record<string, string>;
  dataDir: string;
  stateMachineArn: string;
  sfn: SfnEngine;
  /** Switches the local Webex's faults on a running runtime (tests, trials). */
  setWebexFaults(faults: WebexFaults): void;
  /** The local EventBridge: its event log, dead letters and deliveries. */
  events: LocalEventBus;
  /** The demo directory was loaded by this start. */
  seeded: boolean;
  /** The faults injected (none unless asked for), and each front by service. */
  faults: FaultConfig;
  faultFronts: Partial<Record<'dynamodb' | 's3' | 'ses' | 'events', FaultFront>>;
  stop(): Promise<void>;
}

/** What `.local/runtime.json` holds: how the CLIs (`npm run order`, `npm run ops`) reach a running runtime. */
export interface RuntimeInfo {
  pid: number;
  startedAt: string;
  urls: RuntimeUrls;
  env: Record<string, string>;
  stateMachineArn: string;
}

export class RuntimeLockedError extends Error {
  override name = 'RuntimeLockedError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One runtime per data directory: dynalite cannot share its files with another process. */
function lock(dataDir: string): () => void {
  const path = join(dataDir, 'runtime.lock');
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new RuntimeLockedError(
        `Another runtime (pid ${pid}) is using ${dataDir}. Stop it first (Ctrl-C in its terminal), or use another data directory.`,
      );
    }
    if (pid === process.pid)
      throw new RuntimeLockedError(`A runtime of this process is already using ${dataDir}`);
  }
  writeFileSync(path, String(process.pid));
  return () => rmSync(path, { force: true });
}

function signingKey(dataDir: string): string {
  const path = join(dataDir, 'signing-key');
  if (!existsSync(path)) writeFileSync(path, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
}

function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections?.();
  return new Promise((done) => server.close(() => done()));
}

async function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  return true;
}

async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

/**
 * Starts the runtime. A port picked free (0) is found by binding it and letting it go, and is
 * bound again later, once its service starts: in between another process (or an outgoing
 * connection, which takes its local port from the same range) can take it. Then the start is
 * undone and tried again, up to three times, with newly picked ports. A port asked for by number
 * that is taken fails at once, saying which service and how to choose another.
 */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRuntimeOnce(options);
    } catch (error) {
      if (attempt >= 3 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
}

async function startRuntimeOnce(options: RuntimeOptions): Promise<Runtime> {
  const host = '127.0.0.1';
  const dataDir = resolve(options.dataDir ?? join(REPO_ROOT, '.local'));
  mkdirSync(dataDir, { recursive: true });
  const unlock = lock(dataDir);
  const cleanups: (() => Promise<void> | void)[] = [unlock];
  const previousEnv = new Map<string, string | undefined>();
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // Keep stopping the others.
      }
    }
    cleanups.length = 0;
  };

  try {
    const wanted = { ...DEFAULT_PORTS, ...portsFromEnv(), ...options.ports };
    const ports = {} as Record<Service, number>;
    for (const service of SERVICES) ports[service] = await resolvePort(host, service, wanted[service]);
    const url = (service: Service) => `http://${host}:${ports[service]}`;
    // With faults for a service, its emulator listens on a free port of its own, and a fault
    // front listens on the service's port and forwards to it.
    const faults = options.faults ?? NO_FAULTS;
    type Fronted = 'dynamodb' | 's3' | 'ses' | 'events';
    const faulty = (service: Fronted) =>
      (faults.rates[service] ?? 0) > 0 || faults.outages.some((o) => o.service === service);
    // A fresh free port for the emulator behind a front. The ports above are only reserved, not
    // bound yet, so the OS may hand one of them out again: skip those.
    const emulatorPort = async (service: Fronted) => {
      if (!faulty(service)) return ports[service];
      const reserved = new Set(Object.values(ports));
      for (;;) {
        const port = await resolvePort(host, service, 0);
        if (!reserved.has(port)) return port;
      }
    };
    const randomFor = (service: Fronted | 'webex') =>
      faults.seed === undefined ? undefined : seededRandom(faults.seed, service);
    const fronts: Runtime['faultFronts'] = {};
    const front = async (service: Fronted, emulator: number) => {
      if (!faulty(service)) return;
      const f = await startFaultFront({
        service,
        target: `http://${host}:${emulator}`,
        host,
        port: ports[service],
        rate: faults.rates[service],
        random: randomFor(service),
        // Timed outages count from the end of the start (below), so the start itself gets through.
        outages: faults.outages.filter((o) => o.trigger.kind === 'after'),
      });
      fronts[service] = f;
      cleanups.push(() => f.close());
    };

    // DynamoDB: dynalite on disk, in a thread of its own (a core of its own on a multi-core
    // machine); closing it closes its LevelDB so the next start can open it.
    mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
    const dynamoPort = await emulatorPort('dynamodb');
    const dynamo = await startDynamoDbThread({ path: join(dataDir, 'dynamodb'), host, port: dynamoPort });
    cleanups.push(() => dynamo.close());
    await front('dynamodb', dynamoPort);

    // S3: s3rver on a directory.
    const S3rver = require('s3rver') as new (o: Record<string, unknown>) => {
      run(): Promise<unknown>;
      close(): Promise<void>;
    };
    mkdirSync(join(dataDir, 's3'), { recursive: true });
    const s3Port = await emulatorPort('s3');
    const s3rver = new S3rver({
      address: host,
      port: s3Port,
      directory: join(dataDir, 's3'),
      silent: true,
      vhostBuckets: false,
    });
    await s3rver.run();
    cleanups.push(() => s3rver.close());
    await front('s3', s3Port);

    // SES: in this process, its mailbox kept on disk.
    const sesPort = await emulatorPort('ses');
    const sesServer = await startSesMailbox(host, sesPort, join(dataDir, 'ses', 'emails.jsonl'));
    await front('ses', sesPort);
    let emailsSent = 0;
    sesServer.on('request', (req: { method?: string; url?: string }) => {
      if (req.method === 'POST' && (req.url?.startsWith('/v2/email/outbound-emails') || req.url === '/'))
        emailsSent++;
    });
    cleanups.push(async () => {
      await closeServer(sesServer);
      detachSesMailbox();
    });

    // Webex: the local one, its state on disk. Its own fault knobs (WEBEX_FAULTS / options) win;
    // otherwise the runtime-wide `--faults webex=<share>` answers that share of its API calls with
    // Webex's retryable errors, half 429 (with Retry-After), half 5xx.
    const webexRate = faults.rates.webex ?? 0;
    const webex = await startLocalWebex({
      dataDir: join(dataDir, 'webex'),
      host,
      port: ports.webex,
      jobSeconds: options.webex?.jobSeconds,
      tokenTtlSeconds: options.webex?.tokenTtlSeconds,
      random: randomFor('webex'),
      faults:
        options.webex?.faults ??
        (webexRate > 0
          ? webexFaultsSchema.parse({ rate429: webexRate / 2, rate5xx: webexRate / 2 })
          : undefined),
    });
    cleanups.push(() => closeServer(webex.server));

    const smArn = stateMachineArn(STATE_MACHINE_NAME);
    const env: Record<string, string> = {
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      TABLE_NAME: 'provisioning',
      BUCKET_NAME: 'provisioning-documents',
      SENDER_EMAIL: options.senderEmail ?? 'provisioning@example.com',
      OPS_EMAIL: options.opsEmail ?? 'ops@example.com',
      PUBLIC_BASE_URL: url('web'),
      STATE_MACHINE_ARN: smArn,
      SIGNING_KEY: signingKey(dataDir),
      LINK_TTL_SECONDS: String(options.linkTtlSeconds ?? 14 * 24 * 3600),
      SUMMARY_URL_TTL_SECONDS: String(options.summaryUrlTtlSeconds ?? 15 * 60),
      STEP_TIMEOUT_SECONDS: String(options.stepTimeoutSeconds ?? 3 * 24 * 3600),
      MAX_REMINDERS: String(options.maxReminders ?? 3),
      DYNAMODB_ENDPOINT: url('dynamodb'),
      S3_ENDPOINT: url('s3'),
      SES_ENDPOINT: url('ses'),
      SFN_ENDPOINT: url('sfn'),
      WEBEX_API_URL: webex.apiUrl,
      WEBEX_CREDENTIALS: JSON.stringify(webex.credentials),
      // The first check comes just after a local job is due; each later wait doubles.
      WEBEX_POLL_FIRST_WAIT_SECONDS: String(Math.max(1, Math.ceil(webex.jobSeconds + 0.5))),
      WEBEX_POLL_MAX_WAIT_SECONDS: String(Math.max(4, Math.ceil(webex.jobSeconds * 8))),
      WEBEX_POLL_MAX_POLLS: '8',
      EVENTS_ENDPOINT: url('events'),
      EVENT_BUS_NAME: LOCAL_EVENT_BUS_NAME,
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_METRICS_NAMESPACE: 'SubscriptionProvisioning',
      POWERTOOLS_SERVICE_NAME: 'subscription-provisioning',
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
      ...options.env,
    };
    for (const [key, value] of Object.entries(env)) {
      previousEnv.set(key, process.env[key]);
      process.env[key] = value;
    }
    cleanups.push(() => {
      for (const [key, value] of previousEnv) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });
    // Handlers run concurrently in this one process: per-invocation state (the order id on log
    // lines) is kept in an InvokeStore, as on Lambda environments with concurrent invocations.
    await enableConcurrentInvocations();
    // The shared modules read the environment lazily: make them read this one.
    const { resetClients } = await import('../../functions/shared/clients/index');
    resetClients();
    const { resetWebexClient } = await import('../../functions/shared/webex/webex-client');
    resetWebexClient();
    const { logger } = await import('../../functions/shared/observability');
    logger.setLogLevel(env.POWERTOOLS_LOG_LEVEL as Parameters<typeof logger.setLogLevel>[0]);

    // Step Functions: the real ASL; Lambda tasks run the registry's handlers in this process.
    const substitutions: Record<string, string> = {};
    for (const fn of STATE_MACHINE_FUNCTIONS)
      if (fn.substitution) substitutions[fn.substitution] = lambdaArn(fn.id);
    // As on AWS, Step Functions sends each run's end to the default event bus, where a rule of
    // infra/event-rules.ts passes the failed, timed-out and aborted ones to RecordFailure.
    const started: { bus?: LocalEventBus } = {};
    const onExecutionEnded = (summary: ExecutionSummary) => {
      started.bus?.publishServiceEvent(executionStatusChangeEvent(summary) as Record<string, JsonValue>);
    };
    const sfn: SfnEndpoint = await startSfnEndpoint({
      onExecutionEnded,
      dataDir: join(dataDir, 'stepfunctions'),
      root: REPO_ROOT,
      machines: [{ name: STATE_MACHINE_NAME, definition: readFileSync(ASL_PATH, 'utf8'), substitutions }],
      functions: [
        ...STATE_MACHINE_FUNCTIONS,
        FAILURE_FUNCTION,
        INTAKE_FUNCTION,
        CANCEL_FUNCTION,
        WEBEX_PRECHECK_FUNCTION,
      ].map((fn) => ({
        id: fn.id,
        entry: fn.entry,
        timeoutSeconds: fn.timeoutSeconds,
        memoryMb: fn.memoryMb,
        intercept: options.intercept?.[fn.id],
      })),
      port: ports.sfn,
      host,
      resume: false,
    });
    cleanups.push(() => sfn.close());
    // The setup pages invoke the Webex precheck as on AWS: its own function, run by this invoker.
    const { useLocalPrecheckInvoker } =
      await import('../../functions/shared/adapters/webex-precheck-invoker');
    useLocalPrecheckInvoker((payload) =>
      sfn.engine.invokeFunction(WEBEX_PRECHECK_FUNCTION.id, payload as unknown as JsonValue),
    );
    cleanups.push(() => useLocalPrecheckInvoker(undefined));

    // EventBridge: the workflow's bus and the default bus, the rules of infra/event-rules.ts, the
    // registry's functions as targets. Stopped before the engine its deliveries invoke.
    const bus = new LocalEventBus({
      log: new EventLog(
        join(dataDir, 'events', 'events.jsonl'),
        join(dataDir, 'events', 'dead-letters.jsonl'),
      ),
      workflowBusName: LOCAL_EVENT_BUS_NAME,
      rules: EVENT_RULES,
      substitutions: { [STATE_MACHINE_ARN_KEY]: smArn },
      invoke: (functionId, event) => sfn.engine.invokeFunction(functionId, event),
      retryDelaysMs: options.eventRetryDelaysMs,
    });
    started.bus = bus;
    cleanups.push(() => bus.close());
    const eventsServer = createEventsServer(bus);
    const eventsPort = await emulatorPort('events');
    await listen(eventsServer, host, eventsPort);
    cleanups.push(() => closeServer(eventsServer));
    await front('events', eventsPort);
    sfn.engine.statsProviders.push(() => ({
      dynamodbRequests: dynamo.requests(),
      dynamodbThreadBusyMs: dynamo.busyMs(),
      emailsSent,
      webexCalls: Object.values(webex.stats.calls).reduce((a, b) => a + b, 0),
      webexFaultsInjected: webex.stats.faultsInjected,
      events: { ...bus.counts },
      // Errors injected by the fault switch (each one a retry for someone), by service.
      ...(hasFaults(faults)
        ? {
            faultsInjected: Object.fromEntries(
              Object.entries(fronts).map(([service, f]) => [service, faultCount(f.stats())]),
            ),
          }
        : {}),
    }));

    // Setup pages and ops view.
    const web = await startWebServer(host, ports.web, REPO_ROOT);
    cleanups.push(() => closeServer(web));

    // Table and bucket on first start, and the demo directory with the new table.
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    // Straight to the emulators: the fault fronts are for the workflow, not for the runtime's start.
    const ddb = new DynamoDBClient({
      region: env.AWS_REGION,
      endpoint: `http://${host}:${dynamoPort}`,
      credentials,
    });
    await ensureTable(ddb, env.TABLE_NAME ?? 'provisioning');
    ddb.destroy();
    const s3 = new S3Client({
      region: env.AWS_REGION,
      endpoint: `http://${host}:${s3Port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await ensureBucket(s3, env.BUCKET_NAME ?? 'provisioning-documents');
    s3.destroy();
    let seeded = false;
    const seedPath = options.seedOrgs === undefined ? DEMO_ORGS_PATH : options.seedOrgs;
    // Once per data directory (a marker, so a start that crashed mid-seed seeds again; the import overwrites).
    const seedMarker = join(dataDir, 'demo-orgs-loaded');
    if (seedPath && !existsSync(seedMarker) && existsSync(seedPath)) {
      const { parseOrgLines, importOrganizations } =
        await import('../../functions/shared/adapters/org-import');
      const { lines, errors } = parseOrgLines(readFileSync(seedPath, 'utf8'));
      if (errors.length > 0) {
        throw new Error(`${seedPath}: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
      }
      await importOrganizations(lines);
      writeFileSync(seedMarker, `${seedPath}\n${new Date().toISOString()}\n`);
      seeded = true;
    }

    // Runs that were waiting when the runtime last stopped wait again (their handlers can run now).
    sfn.engine.resumeRunning();

    for (const outage of faults.outages) {
      const f = fronts[outage.service as 'dynamodb' | 's3' | 'ses'];
      if (!f || outage.trigger.kind !== 'at') continue;
      const timer = setTimeout(() => f.outageFor(outage.durationMs), outage.trigger.afterMs);
      timer.unref();
      cleanups.push(() => clearTimeout(timer));
    }

    const urls: RuntimeUrls = {
      web: url('web'),
      ops: `${url('web')}/ops`,
      dynamodb: url('dynamodb'),
      s3: url('s3'),
      ses: url('ses'),
      mailbox: `${url('ses')}/`,
      sfn: url('sfn'),
      webex: webex.url,
      events: url('events'),
    };
    const infoPath = join(dataDir, 'runtime.json');
    const info: RuntimeInfo = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      urls,
      env,
      stateMachineArn: smArn,
    };
    writeFileSync(infoPath, `${JSON.stringify(info, null, 2)}\n`);
    cleanups.splice(1, 0, () => rmSync(infoPath, { force: true }));

    return {
      urls,
      env,
      dataDir,
      stateMachineArn: smArn,
      sfn: sfn.engine,
      setWebexFaults: webex.setFaults,
      events: bus,
      seeded,
      faults,
      faultFronts: fronts,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The event AWS sends to EventBridge when an execution changes status (source aws.states). */
export function executionStatusChangeEvent(summary: ExecutionSummary) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '000000000000',
    time: new Date(summary.stopDate ?? Date.now()).toISOString(),
    region: 'us-east-1',
    resources: [summary.executionArn],
    detail: {
      executionArn: summary.executionArn,
      stateMachineArn: summary.stateMachineArn,
      name: summary.name,
      status: summary.status,
      startDate: summary.startDate,
      stopDate: summary.stopDate ?? null,
      input: summary.input,
      output: summary.output ?? null,
      error: summary.error ?? null,
      cause: summary.cause ?? null,
      redriveCount: summary.redriveCount,
    },
  };
}

/** The running runtime's endpoints, from `<dataDir>/runtime.json`; throws a clear message when none runs. */
export function readRuntimeInfo(dataDir = join(REPO_ROOT, '.local')): RuntimeInfo {
  const path = join(dataDir, 'runtime.json');
  if (!existsSync(path))
    throw new Error(`No runtime is running (${path} is missing). Start one with: npm start`);
  const info = JSON.parse(readFileSync(path, 'utf8')) as RuntimeInfo;
  if (!isAlive(info.pid))
    throw new Error(
      `The runtime that wrote ${path} (pid ${info.pid}) is not running. Start one with: npm start`,
    );
  return info;
}
