import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { INTAKE_FUNCTION, RESUME_FUNCTION, STATE_MACHINE_FUNCTIONS } from '../functions/registry';
import { ArgsError, parseBenchArgs, USAGE, type BenchArgs } from './args';
import { Contact, OrderFailure, orderEvent, planOrder, type OrderPlan, type OrderTimings } from './contact';
import { costPerThousandOrders, PRICES, priceLines } from './cost-model';
import { batchWriteItemCount, countCommands, Counters, countHistory, type HistoryCounts } from './counters';
import { bundleReport } from './bundles';
import { Mailbox } from './mailbox';
import { readyToShown, WAITS_ON_WEBEX } from './ready';
import { mb, mean, ms, num, percentile, usd } from './stats';
import {
  closeEventBridgeClients,
  listEvents,
  putEvent,
  waitForDeliveries,
} from '../infra/local/events/send-event';
import { STEP_IDS } from '../functions/shared/domain/steps.schema';
import { describeFaults, hasFaults, type FaultConfig } from '../infra/local/faults';

// `npm run bench`: N orders end to end through an embedded runtime, each by a scripted contact
// answering every step through the setup pages over HTTP. Prints throughput, submit-to-next-step
// latency, what each order costs in AWS requests, and the cost per 1,000 orders at list prices.
// A benchmark, not a test: nothing here asserts a timing.

interface Target {
  web: string;
  ses: string;
  sfn: string;
  /** The local Webex (its /_local/stats counts the calls the steps made). */
  webex?: string;
  /** The EventBridge endpoint and the workflow bus: orders are placed with PutEvents. */
  events: { url: string; busName: string };
  stateMachineArn: string;
  /** The runtime's process (this one for a private runtime). */
  pid: number;
  private: boolean;
  counters?: Counters;
  stop(): Promise<void>;
}

interface OrderResult {
  plan: OrderPlan;
  /** The intake started its run. */
  started: boolean;
  /** Setup page requests sent again after a 503 ("try again in a moment"). */
  tryAgains: number;
  timings?: OrderTimings;
  httpRequests: number;
  /** Resume function time: the setup pages' requests, as measured by the browser. */
  resumeMs: number;
  failure?: string;
  history?: HistoryCounts;
  /** Ready (in the run's history) → shown (in the contact's browser), ms, by submit label. */
  readyToShown?: Map<string, number[]>;
}

/** A full garbage collection in this process (so "after" is what stays, not what waits for the collector). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc === 'function') (gc as () => void)();
}

function heapLine(): string {
  const m = process.memoryUsage();
  return `heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)})`;
}

/** Resident set size of a process, from /proc (bytes); undefined where /proc is missing. */
function rssOf(pid: number): { rss: number; peak: number; anon: number; file: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
  } catch {
    return pid === process.pid
      ? { rss: process.memoryUsage().rss, peak: Number.NaN, anon: Number.NaN, file: Number.NaN }
      : undefined;
  }
}

/**
 * API calls the local Webex has answered since it started, by route (its own count, at its HTTP
 * server: `GET /_local/stats`), ids in a path folded into `{id}`; undefined without one.
 */
async function webexCalls(url: string | undefined): Promise<Map<string, number> | undefined> {
  if (!url) return undefined;
  try {
    const stats = (await (await fetch(`${url}/_local/stats`)).json()) as { calls: Record<string, number> };
    const byRoute = new Map<string, number>();
    for (const [route, n] of Object.entries(stats.calls)) {
      const folded = route.replace(/\/(?=[^/]*\d)[^/]{8,}/g, '/{id}');
      byRoute.set(folded, (byRoute.get(folded) ?? 0) + n);
    }
    return byRoute;
  } catch {
    return undefined;
  }
}

/** Calls by route from `before` to `after`, and their total (NaN when either is missing). */
function webexCallsSince(
  before: Map<string, number> | undefined,
  after: Map<string, number> | undefined,
): { total: number; byRoute: [string, number][] } {
  if (!before || !after) return { total: Number.NaN, byRoute: [] };
  const byRoute = [...after]
    .map(([route, n]): [string, number] => [route, n - (before.get(route) ?? 0)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return { total: byRoute.reduce((sum, [, n]) => sum + n, 0), byRoute };
}

/**
 * CPU time (user + system, seconds) a process has used: this process's own counter, or another
 * process's from /proc (clock ticks of 1/100 s, as Linux reports them to user space).
 */
function cpuSecondsOf(pid: number): number {
  if (pid === process.pid) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const loadLine = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

/** The part of the runtime's stats (at `<sfn>/`) the bench reads. */
interface RuntimeStatsReport {
  faultsInjected?: Record<string, number>;
  webexFaultsInjected?: number;
  dynamodbThreadBusyMs?: number;
  /** Requests the runtime's DynamoDB has answered, by operation (counted at its server). */
  dynamodbRequests?: Record<string, number>;
}

/** What the runtime reports of itself, or nothing when it does not answer. */
async function runtimeStats(sfnUrl: string): Promise<RuntimeStatsReport | undefined> {
  try {
    return ((await (await fetch(`${sfnUrl}/`)).json()) as { stats?: RuntimeStatsReport }).stats;
  } catch {
    return undefined;
  }
}

/**
 * Requests the runtime's DynamoDB has answered so far, every client's and every attempt (its own
 * count, at its server: a cross-check of the client-side counter, and the only count when
 * attached); NaN when the runtime does not say.
 */
async function dynamodbServerRequests(sfnUrl: string): Promise<number> {
  const byOperation = (await runtimeStats(sfnUrl))?.dynamodbRequests;
  return byOperation ? Object.values(byOperation).reduce((a, b) => a + b, 0) : Number.NaN;
}

/** How long the runtime's DynamoDB thread has been busy (ms). */
async function dynamodbThreadBusyMs(sfnUrl: string): Promise<number> {
  return (await runtimeStats(sfnUrl))?.dynamodbThreadBusyMs ?? Number.NaN;
}

/** Errors the runtime's fault switch has injected so far, by service. */
async function faultsInjected(sfnUrl: string): Promise<Record<string, number> | undefined> {
  const stats = await runtimeStats(sfnUrl);
  if (!stats?.faultsInjected) return undefined;
  return { ...stats.faultsInjected, webex: stats.webexFaultsInjected ?? 0 };
}

async function privateRuntime(faults: FaultConfig | undefined): Promise<Target> {
  const counters = new Counters();
  const dataDir = mkdtempSync(join(tmpdir(), 'provisioning-bench-'));
  const { startRuntime } = await import('../infra/local/runtime');
  const intercept = Object.fromEntries(
    STATE_MACHINE_FUNCTIONS.map((fn) => [fn.id, counters.interceptor(fn.id, fn.memoryMb ?? 256)]),
  );
  const runtime = await startRuntime({
    dataDir,
    ports: { web: 0, dynamodb: 0, s3: 0, ses: 0, sfn: 0, webex: 0, events: 0 },
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'ERROR',
    intercept,
    faults,
  }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  // Every in-process handler shares these two clients: count what they send. The DynamoDB client
  // caches its resolved middleware, so the counter goes in before its first send (a new client).
  const { s3 } = await import('../functions/shared/clients/index');
  const { instrumentDynamodb } = await import('../functions/shared/clients/dynamodb');
  instrumentDynamodb((client) =>
    countCommands(client, 'benchCountDynamo', (op, input, caller) => {
      counters.bump(counters.dynamo, op);
      counters.bump(counters.dynamoCallers, `${caller()} ${op.replace(/Command$/, '')}`);
      if (op === 'BatchWriteItemCommand') counters.batchWriteItems += batchWriteItemCount(input);
    }),
  );
  countCommands(s3(), 'benchCountS3', (op) => counters.bump(counters.s3, op));
  return {
    web: runtime.urls.web,
    ses: runtime.urls.ses,
    sfn: runtime.urls.sfn,
    webex: runtime.urls.webex,
    events: { url: runtime.urls.events, busName: runtime.env.EVENT_BUS_NAME ?? '' },
    stateMachineArn: runtime.stateMachineArn,
    pid: process.pid,
    private: true,
    counters,
    stop: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function attachedRuntime(dataDir: string | undefined): Promise<Target> {
  const { readRuntimeInfo } = await import('../infra/local/runtime');
  const info = readRuntimeInfo(dataDir);
  // Orders go through the runtime's EventBridge; the bench reads the run with this process's clients.
  Object.assign(process.env, info.env, { POWERTOOLS_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'ERROR' });
  const { resetClients } = await import('../functions/shared/clients/index');
  resetClients();
  return {
    web: info.urls.web,
    ses: info.urls.ses,
    sfn: info.urls.sfn,
    webex: info.urls.webex,
    events: { url: info.urls.events, busName: info.env.EVENT_BUS_NAME ?? '' },
    stateMachineArn: info.stateMachineArn,
    pid: info.pid,
    private: false,
    stop: async () => undefined,
  };
}

async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Waits until the run has ended (the done page can show a moment before the run's last state). */
async function finishedHistory(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const run = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (run.status !== 'RUNNING' || Date.now() > deadline) return history(client, executionArn);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

const STEP_ORDER: readonly string[] = STEP_IDS;
function stepOrder(label: string): number {
  const i = STEP_ORDER.findIndex((s) => label.startsWith(s));
  return i < 0 ? STEP_ORDER.length : i;
}

function table(rows: [string, string][], indent = '  '): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`).join('\n');
}

/**
 * What faults cost: orders completed of those started, the errors injected by service over the
 * run, and the retries per order. Each injected error is answered to one request, which someone
 * retries (the SDK; when its attempts run out, Step Functions' Retry, or the contact trying a 503
 * page again), so retries per order are the injected errors divided by the orders started.
 */
export function faultLines(
  results: readonly Pick<OrderResult, 'started' | 'failure' | 'tryAgains'>[],
  injected: Record<string, number>,
  faults: FaultConfig | undefined,
): string[] {
  const started = results.filter((r) => r.started).length;
  const completed = results.filter((r) => r.started && !r.failure).length;
  const total = Object.values(injected).reduce((a, b) => a + b, 0);
  const tryAgains = results.reduce((sum, r) => sum + r.tryAgains, 0);
  const perOrder = (x: number) => num(x / Math.max(1, started), 1);
  const notStarted = results.length - started;
  return [
    `Faults (${faults && hasFaults(faults) ? describeFaults(faults) : 'those of the running runtime'})`,
    table([
      [
        'Orders completed / started',
        `${completed} / ${started} (${started > 0 ? num((completed / started) * 100, 1) : '0'}% completion)` +
          (notStarted > 0 ? `; ${notStarted} placed did not start` : ''),
      ],
      [
        'Faults injected',
        `${Object.entries(injected)
          .map(([service, n]) => `${service} ${n}`)
          .join(', ')} (${total} in all)`,
      ],
      [
        'Retries per order (faults ÷ orders)',
        `${perOrder(total)} (each injected error retried by the SDK, or when its attempts ran out by Step Functions or the contact; the contact tried a 503 page again ${perOrder(tryAgains)} per order)`,
      ],
    ]),
  ];
}

export async function main(args: BenchArgs): Promise<number> {
  const runId = Date.now().toString(36).toUpperCase();
  console.log(
    `Bench ${runId}: ${args.orders} orders, ${args.concurrency} at a time, scenario ${args.scenario}, ` +
      `${args.attach ? 'attached to the running runtime' : 'private embedded runtime'}` +
      (args.faults ? `, faults ${describeFaults(args.faults)}` : ''),
  );
  const bootStarted = performance.now();
  const target = args.attach ? await attachedRuntime(args.dataDir) : await privateRuntime(args.faults);
  console.log(
    `Runtime ready in ${ms(performance.now() - bootStarted)} (web ${target.web}, pid ${target.pid})`,
  );
  if (args.orgs > 0) {
    const { seedDirectory } = await import('./orgs');
    for (const line of (await seedDirectory(args.orgs)).lines) console.log(line);
  }
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sfn = new SFNClient({ region: 'us-east-1', endpoint: target.sfn, credentials });
  const executionArnOf = (orderId: string) =>
    `${target.stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;

  const plans = Array.from({ length: args.orders }, (_, i) =>
    planOrder(
      runId,
      i + 1,
      args.scenario === 'mix' ? (i % 2 === 0 ? 'partner-new' : 'my-company') : args.scenario,
    ),
  );
  const mailbox = new Mailbox(target.ses, Date.now());
  const webexCallsBefore = await webexCalls(target.webex);
  const faultsBefore = await faultsInjected(target.sfn);
  const results: OrderResult[] = [];
  const intakeMs: number[] = [];
  if (target.private) collectGarbage();
  const rssBefore = rssOf(target.pid);
  const heapBefore = target.private ? heapLine() : '';
  let peakRss = rssBefore?.rss ?? 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(target.pid)?.rss ?? 0);
  }, 500);
  let done = 0;
  let nextReport = 1;
  const step = Math.max(1, Math.ceil(args.orders / 10));
  const started = performance.now();
  const cpuBefore = cpuSecondsOf(target.pid);
  const mainLoopBefore = performance.eventLoopUtilization();
  const dynamoBusyBefore = await dynamodbThreadBusyMs(target.sfn);
  const dynamoServerBefore = await dynamodbServerRequests(target.sfn);
  const loadBefore = loadLine();
  let exitCode = 0;
  try {
    await pool(plans, args.concurrency, async (plan) => {
      const contact = new Contact(plan, target.web, mailbox);
      const result: OrderResult = { plan, started: false, tryAgains: 0, httpRequests: 0, resumeMs: 0 };
      try {
        const placedAt = performance.now();
        // As the order system places it: PutEvents; the bus's rule invokes the intake.
        const put = await putEvent(target.events, orderEvent(plan.detail));
        if ('errorCode' in put)
          throw new OrderFailure('intake', `PutEvents refused the order: ${put.errorMessage}`);
        const [delivery] = (await waitForDeliveries(target.events.url, put.eventId)).deliveries;
        intakeMs.push(delivery?.durationMs ?? 0);
        const outcome = (delivery?.result ?? {}) as { status?: string };
        if (outcome.status !== 'started')
          throw new OrderFailure('intake', `the order did not start: ${JSON.stringify(delivery)}`);
        result.started = true;
        await contact.run(placedAt);
        result.timings = contact.timings;
      } catch (error) {
        result.failure = error instanceof Error ? error.message : String(error);
      }
      result.httpRequests = contact.browser.requests.length;
      result.tryAgains = contact.browser.tryAgains;
      result.resumeMs = contact.browser.requests.reduce((sum, r) => sum + r.ms, 0);
      results.push(result);
      done += 1;
      if (done >= nextReport * step || done === args.orders) {
        nextReport = Math.floor(done / step) + 1;
        const elapsed = (performance.now() - started) / 1000;
        const failed = results.filter((r) => r.failure).length;
        console.log(
          `  ${String(done).padStart(String(args.orders).length)}/${args.orders} orders (${Math.round((done / args.orders) * 100)}%) ` +
            `in ${elapsed.toFixed(1)} s, ${(done / elapsed).toFixed(2)} orders/s${failed ? `, ${failed} failed` : ''}`,
        );
      }
    });
    const wallMs = performance.now() - started;
    const cpuSeconds = cpuSecondsOf(target.pid) - cpuBefore;
    const mainLoopBusyMs = performance.eventLoopUtilization(mainLoopBefore).active;
    const dynamoBusyMs = (await dynamodbThreadBusyMs(target.sfn)) - dynamoBusyBefore;
    const dynamoServerRequests = (await dynamodbServerRequests(target.sfn)) - dynamoServerBefore;
    const loadAfter = loadLine();
    clearInterval(sampler);
    const rssAtEnd = rssOf(target.pid);
    if (target.private) collectGarbage();
    const rssAfter = rssOf(target.pid);
    const heapAfter = target.private ? heapLine() : '';
    // BENCH_HEAP_SNAPSHOT=<file>: what the runtime keeps after the run, for a closer look (Chrome DevTools).
    if (target.private && process.env.BENCH_HEAP_SNAPSHOT)
      console.log(`Heap snapshot: ${writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT)}`);
    peakRss = Math.max(peakRss, rssAfter?.rss ?? 0);

    // Counting happens after the clock stopped: histories, then the mailbox.
    const ok = results.filter((r) => !r.failure && r.timings);
    const counts: HistoryCounts[] = [];
    await pool(ok, 8, async (r) => {
      try {
        const events = await finishedHistory(sfn, executionArnOf(r.plan.detail.orderId));
        const c = countHistory(events);
        r.readyToShown = readyToShown(events, r.timings?.transitions ?? []);
        if (!c.succeeded) r.failure = `run did not succeed: ${c.error ?? 'still running'}`;
        else {
          counts.push(c);
          r.history = c;
        }
      } catch (error) {
        r.failure = `execution history: ${error instanceof Error ? error.message : String(error)}`;
      }
    });
    await mailbox.poll().catch((error: unknown) => {
      console.error(
        `Could not read the mailbox at the end: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    const orderIds = new Set(results.map((r) => r.plan.detail.orderId));
    const emails = mailbox
      .emails()
      .filter((e) => [...e.subject.matchAll(/BENCH-[A-Z0-9]+-\d{5}/g)].some((m) => orderIds.has(m[0])));
    mailbox.close();
    // Events per order on the bus: in (the placed order, the run's status change), out (domain events).
    const busEvents = await listEvents(target.events.url).catch(() => []);
    const ofOrders = busEvents.filter((e) => e.orderId !== undefined && orderIds.has(e.orderId));
    const eventsIn = ofOrders.filter((e) => e.direction === 'in').length;
    const eventsOut = ofOrders.filter((e) => e.direction === 'out').length;

    // With faults on (--faults, or an attached runtime started with them): how many orders still
    // completed, and what the faults cost them.
    const faultsAfter = await faultsInjected(target.sfn);
    const faultReport = faultsAfter
      ? faultLines(
          results,
          Object.fromEntries(Object.entries(faultsAfter).map(([k, v]) => [k, v - (faultsBefore?.[k] ?? 0)])),
          args.faults,
        )
      : [];
    const printFaults = () => {
      if (faultReport.length === 0) return;
      console.log('');
      console.log(faultReport.join('\n'));
    };
    const failures = results.filter((r) => r.failure);
    const listFailures = () => {
      console.log('');
      console.log(`${failures.length} order(s) failed:`);
      for (const f of failures.slice(0, 50))
        console.log(`  ${f.plan.detail.orderId} (${f.plan.scenario}): ${f.failure ?? ''}`);
      if (failures.length > 50) console.log(`  … and ${failures.length - 50} more`);
    };
    const succeeded = results.filter((r) => !r.failure);
    if (succeeded.length === 0) {
      printFaults();
      listFailures();
      return 1;
    }
    const n = Math.max(1, succeeded.length);
    const transitions = succeeded.flatMap((r) => r.timings?.transitions ?? []);
    const latencies = transitions.map((t) => t.ms);
    const formPosts = succeeded.flatMap((r) => r.timings?.formPosts ?? []);
    const perOrderHttp = succeeded.reduce((s, r) => s + r.httpRequests, 0) / n;
    const stateTransitions = counts.reduce((s, c) => s + c.stateTransitions, 0) / n;
    const smInvocations = counts.reduce((s, c) => s + c.lambdaInvocations, 0) / n;
    const c = target.counters;

    // Lambda: the state machine's tasks, the intake (EventBridge target), and the resume function
    // behind the HTTP API (one invocation per request of the setup pages).
    const resumeGbSeconds =
      (succeeded.reduce((s, r) => s + r.resumeMs, 0) / 1000 / n) * ((RESUME_FUNCTION.memoryMb ?? 256) / 1024);
    const intakeGbSeconds = (mean(intakeMs) / 1000) * ((INTAKE_FUNCTION.memoryMb ?? 256) / 1024);
    let smGbSeconds: number;
    let smSeconds: number;
    if (c) {
      const rows = [...c.lambda.values()];
      smGbSeconds = rows.reduce((s, r) => s + r.gbSeconds, 0) / n;
      smSeconds = rows.reduce((s, r) => s + r.ms, 0) / 1000 / n;
    } else {
      smSeconds = counts.reduce((s, h) => s + h.lambdaMs, 0) / 1000 / n;
      smGbSeconds = smSeconds * 0.25;
    }
    const lambdaInvocations = smInvocations + 1 + perOrderHttp;
    const dynamoReads = c ? c.dynamoReads() / n : Number.NaN;
    const dynamoWrites = c ? c.dynamoWrites() / n : Number.NaN;
    const emailsPerOrder = emails.length / n;
    // Every order's Webex calls (failed orders' too: the count is the runtime's), over the orders that succeeded.
    const webex = webexCallsSince(webexCallsBefore, await webexCalls(target.webex));
    const webexPerOrder = webex.total / n;
    const cost = costPerThousandOrders({
      stateTransitions,
      lambdaInvocations,
      lambdaSeconds: smSeconds,
      lambdaMemoryGb: 0.25,
      lambdaGbSeconds: smGbSeconds + intakeGbSeconds + resumeGbSeconds,
      dynamoReads: Number.isFinite(dynamoReads) ? dynamoReads : 0,
      dynamoWrites: Number.isFinite(dynamoWrites) ? dynamoWrites : 0,
      emails: emailsPerOrder,
      httpRequests: perOrderHttp,
      s3Puts: c ? c.s3Puts() / n : 1,
      s3Gets: c ? c.s3Gets() / n : 0,
    });

    const byLabel = new Map<string, number[]>();
    for (const t of transitions) byLabel.set(t.label, [...(byLabel.get(t.label) ?? []), t.ms]);
    console.log('');
    console.log(`Results (${succeeded.length} of ${results.length} orders succeeded)`);
    console.log(
      table([
        [
          'Orders per second, end to end',
          `${num((succeeded.length / wallMs) * 1000, 2)} (${(wallMs / 1000).toFixed(1)} s wall clock)`,
        ],
        [
          'CPU per order',
          `${num(cpuSeconds / succeeded.length, 3)} s (${num(cpuSeconds, 1)} s of CPU in ${target.private ? 'this process: runtime and contacts' : `the runtime's process ${target.pid}`})`,
        ],
        [
          'Event loop busy per order',
          [
            target.private ? `main thread ${num(mainLoopBusyMs / succeeded.length, 0)} ms` : undefined,
            `DynamoDB thread ${num(dynamoBusyMs / succeeded.length, 0)} ms`,
          ]
            .filter(Boolean)
            .join(', '),
        ],
        ['Load average (1, 5, 15 min)', `before ${loadBefore}; after ${loadAfter} (${cpus().length} cores)`],
        [
          'Order placed → done page',
          `p50 ${ms(
            percentile(
              succeeded.map((r) => r.timings?.totalMs ?? NaN),
              50,
            ),
          )}, p95 ${ms(
            percentile(
              succeeded.map((r) => r.timings?.totalMs ?? NaN),
              95,
            ),
          )}`,
        ],
        [
          'Order placed → welcome email',
          `p50 ${ms(
            percentile(
              succeeded.map((r) => r.timings?.toEmailMs ?? NaN),
              50,
            ),
          )}, p95 ${ms(
            percentile(
              succeeded.map((r) => r.timings?.toEmailMs ?? NaN),
              95,
            ),
          )}`,
        ],
        [
          'Submit → next step rendered',
          `p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))} (${latencies.length} submits)`,
        ],
        [
          'Form post within a step',
          `p50 ${ms(percentile(formPosts, 50))}, p95 ${ms(percentile(formPosts, 95))} (${formPosts.length} posts)`,
        ],
      ]),
    );
    /** p50/p95 of each step's times, in the wizard's order; `mark` names a step apart. */
    const byStep = (
      title: string,
      times: Map<string, number[]>,
      mark: (label: string) => string = () => '',
    ) => {
      console.log(`  ${title}:`);
      console.log(
        table(
          [...times]
            .sort((a, b) => stepOrder(a[0]) - stepOrder(b[0]))
            .map(([label, xs]) => [
              `${label}${mark(label)}`,
              `p50 ${ms(percentile(xs, 50))}, p95 ${ms(percentile(xs, 95))} (${xs.length})`,
            ]),
          '    ',
        ),
      );
    };
    byStep('Submit → next step, by step', byLabel);
    const readyByLabel = new Map<string, number[]>();
    for (const r of succeeded)
      for (const [label, xs] of r.readyToShown ?? [])
        readyByLabel.set(label, [...(readyByLabel.get(label) ?? []), ...xs]);
    byStep(
      'Next step ready (in the run) → shown (in the browser), by step (* waits on a Webex job)',
      readyByLabel,
      (label) => (WAITS_ON_WEBEX.has(label) ? ' *' : ''),
    );
    printFaults();
    console.log('');
    console.log('Per order (mean)');
    console.log(
      table([
        ['State transitions', num(stateTransitions)],
        [
          'Lambda invocations',
          `${num(lambdaInvocations)} (state machine ${num(smInvocations)}, intake 1, setup pages ${num(perOrderHttp)})`,
        ],
        [
          'Lambda GB-seconds',
          `${num(smGbSeconds + intakeGbSeconds + resumeGbSeconds, 3)} (state machine ${num(smGbSeconds, 3)}, intake ${num(intakeGbSeconds, 3)}, setup pages ${num(resumeGbSeconds, 3)})`,
        ],
        [
          'DynamoDB requests',
          c
            ? `${num(dynamoReads + dynamoWrites)} (reads ${num(dynamoReads)}, writes ${num(dynamoWrites)})`
            : 'not measured when attached (counted inside the runtime process only)',
        ],
        [
          'DynamoDB at its server',
          Number.isFinite(dynamoServerRequests)
            ? `${num(dynamoServerRequests / n)} requests (every client and attempt, as the runtime's DynamoDB counts them)`
            : 'not reported by the runtime',
        ],
        [
          'S3 requests',
          c
            ? `PUT ${num(c.s3Puts() / n)}, GET ${num(c.s3Gets() / n)}`
            : 'not measured when attached (1 PUT assumed)',
        ],
        ['Emails', num(emailsPerOrder)],
        ['EventBridge events', `in ${num(eventsIn / n)}, out ${num(eventsOut / n)} (domain events)`],
        ['HTTP requests (setup pages)', num(perOrderHttp)],
        [
          'Webex calls',
          Number.isFinite(webexPerOrder) ? num(webexPerOrder) : 'not measured (no local Webex)',
        ],
      ]),
    );
    const scenarios = [...new Set(succeeded.map((r) => r.plan.scenario))].map((scenario) => {
      const rs = succeeded.filter((r) => r.plan.scenario === scenario);
      const avg = (f: (r: OrderResult) => number) => num(mean(rs.map(f)));
      return `${scenario} (${rs.length}): ${avg((r) => r.history?.stateTransitions ?? NaN)} transitions, ${avg((r) => r.history?.lambdaInvocations ?? NaN)} Lambda tasks, ${avg((r) => r.httpRequests)} HTTP requests`;
    });
    console.log(`  By scenario: ${scenarios.join('; ')}`);
    if (webex.byRoute.length > 0)
      console.log(
        `  Webex calls by route: ${webex.byRoute.map(([route, k]) => `${route} ${num(k / n)}`).join(', ')}`,
      );
    if (c) {
      const ops = [...c.dynamo]
        .sort((a, b) => b[1] - a[1])
        .map(([op, k]) => `${op.replace(/Command$/, '')} ${num(k / n)}`);
      console.log(`  DynamoDB by operation: ${ops.join(', ')}`);
      // Which call grew: the adapter operation that sent each request (bench/counters.ts, callerOf).
      console.log('  DynamoDB requests per order by adapter operation:');
      for (const [caller, k] of [...c.dynamoCallers].sort((a, b) => b[1] - a[1]))
        console.log(`    ${caller.padEnd(52)} ${num(k / n)}`);
      const fns = [...c.lambda]
        .sort((a, b) => b[1].count - a[1].count)
        .map(([id, r]) => `${id} ${num(r.count / n)}× ${ms(r.ms / r.count)}`);
      console.log(`  State machine functions (calls per order × mean time): ${fns.join(', ')}`);
    }
    console.log('');
    console.log(`AWS cost per 1,000 orders at public list prices (${PRICES.asOf})`);
    // Attached, DynamoDB requests happen in the runtime's process, where the bench cannot count them.
    const unmeasured = new Set(c ? [] : ['DynamoDB writes', 'DynamoDB reads']);
    console.log(
      table(
        cost.lines.map(([name, v]) => [name, unmeasured.has(name) ? 'not measured when attached' : usd(v)]),
      ),
    );
    console.log(table([['Total', `${usd(cost.total)}${unmeasured.size ? ' (without DynamoDB)' : ''}`]]));
    console.log('  Prices used:');
    console.log(
      priceLines()
        .map((l) => `    ${l}`)
        .join('\n'),
    );
    console.log(
      '  (DynamoDB: one request unit per request, a BatchWriteItem one per item. Lambda time is measured on this\n' +
        '  machine with every handler sharing one event loop, so it grows with the load; the setup pages are timed\n' +
        '  by the browser, including the wait for the next step.)',
    );
    console.log('');
    const label = target.private
      ? 'Runtime (this process: runtime and bench)'
      : `Runtime (pid ${target.pid})`;
    console.log(
      `${label} RSS: before ${rssBefore ? mb(rssBefore.rss) : 'n/a'}, at the end ${rssAtEnd ? mb(rssAtEnd.rss) : 'n/a'}, ` +
        `after a full GC ${target.private && rssAfter ? mb(rssAfter.rss) : 'n/a'}, peak sampled ${mb(peakRss)}`,
    );
    const split = (r: ReturnType<typeof rssOf>) =>
      r && Number.isFinite(r.anon) ? `${mb(r.anon)} anonymous + ${mb(r.file)} file-backed` : 'n/a';
    console.log(`  RSS split: before ${split(rssBefore)}; at the end ${split(rssAtEnd)}`);
    if (target.private) console.log(`  JS heap: before ${heapBefore}; after a full GC ${heapAfter}`);

    if (failures.length > 0) {
      listFailures();
      exitCode = 1;
    }
  } finally {
    clearInterval(sampler);
    mailbox.close();
    sfn.destroy();
    closeEventBridgeClients();
    await target.stop();
  }
  return exitCode;
}

const isMain =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'));
if (isMain) {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof ArgsError ? `${error.message}\n\n${USAGE}` : String(error));
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    process.exit(0);
  }
  (args.bundles ? Promise.resolve(bundleReport()) : main(args)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      process.exit(1);
    },
  );
}
