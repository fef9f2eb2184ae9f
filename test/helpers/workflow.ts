import { randomUUID } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { IntakeResult } from '../../functions/intake/handler';
import { findOrder } from '../../functions/shared/adapters/order-repository';
import { listPendingSteps, type WaitingStep } from '../../functions/shared/adapters/step-store';
import { summaryKey } from '../../functions/shared/documents/document-store';
import type { OrderRecord } from '../../functions/shared/domain/order-record.schema';
import {
  DETAIL_TYPE_CANCELLED,
  DETAIL_TYPE_PLACED,
  ORDER_SOURCE,
  type OrderPlacedDetail,
} from '../../functions/shared/domain/order.schema';
import { stepResultSchemas, type StepId } from '../../functions/shared/domain/steps.schema';
import type { TestRuntime } from './test-runtime';
import { answerAtLink, SetupPageRefused, SetupPagesVisitor, stepForm } from './setup-pages';
import { h1 } from '../wizard/support/web-client';
import { waitFor, type WaitOptions } from './wait';
import { putEvent, waitForDeliveries } from '../../infra/local/events/send-event';

// What a test does to the running workflow, the way the real actors do it: the order system
// sends an event (PutEvents to the runtime's EventBridge endpoint, whose rule invokes the intake
// or the cancel function, as on AWS), a person answers a step at the setup pages (their link
// from the mailbox, the step's form posted over HTTP to the runtime's web server), and the test
// reads what a person or ops would see: emails in the mailbox, the order record, the PDF in S3,
// the execution history through the AWS SDK.

/** What the run helpers need: an SFN client on the runtime's endpoint and the state machine. */
export type RunAccess = Pick<TestRuntime, 'sfnClient' | 'stateMachineArn'>;

/** A valid "Subscription Order Placed" detail with a fresh order id; override any field. */
export function orderDetail(overrides: Partial<OrderPlacedDetail> = {}): OrderPlacedDetail {
  const orderId = overrides.orderId ?? `ORD-T-${randomUUID().slice(0, 8)}`;
  return {
    orderId,
    subscriptionId: `Sub-${orderId}`,
    placedAt: new Date().toISOString(),
    contact: { email: 'alex@northwind-partners.com', name: 'Alex Morgan', language: 'en' },
    partnerName: 'Northwind Partners',
    services: [
      { type: 'meetings', quantity: 10 },
      { type: 'calling', quantity: 5 },
    ],
    ...overrides,
  };
}

export function orderPlacedEvent(
  detail: OrderPlacedDetail | Record<string, unknown>,
): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    source: ORDER_SOURCE,
    'detail-type': DETAIL_TYPE_PLACED,
    account: '000000000000',
    region: 'us-east-1',
    time: new Date().toISOString(),
    resources: [],
    detail,
  };
}

/**
 * Sends an event with PutEvents to the running runtime's bus (EVENTS_ENDPOINT and EVENT_BUS_NAME,
 * set by the runtime) and returns what the rule's target answered. Throws when EventBridge refuses
 * the entry or the target fails for good.
 */
export async function sendEvent(event: Record<string, unknown>): Promise<unknown> {
  const url = process.env.EVENTS_ENDPOINT;
  const busName = process.env.EVENT_BUS_NAME;
  if (!url || !busName) throw new Error('No runtime: EVENTS_ENDPOINT and EVENT_BUS_NAME are not set');
  const put = await putEvent({ url, busName }, event);
  if ('errorCode' in put)
    throw new Error(`PutEvents refused the event: ${put.errorCode}: ${put.errorMessage}`);
  const record = await waitForDeliveries(url, put.eventId);
  const delivery = record.deliveries.find((d) => d.result !== undefined || d.status === 'failed');
  if (!delivery) throw new Error(`No rule delivered event ${put.eventId} to a function`);
  if (delivery.status === 'failed') throw new Error(`${delivery.target} failed: ${delivery.error ?? ''}`);
  return delivery.result;
}

/** Places an order as the order system does: PutEvents, delivered to the intake by the rule. */
export async function placeOrder(event: Record<string, unknown>): Promise<IntakeResult> {
  return (await sendEvent(event)) as IntakeResult;
}

/** Places a valid order (see orderDetail) and returns its id; throws unless its run started. */
export async function startOrder(overrides: Partial<OrderPlacedDetail> = {}): Promise<string> {
  const detail = orderDetail(overrides);
  const result = await placeOrder(orderPlacedEvent(detail));
  if (result.status !== 'started')
    throw new Error(`Order ${detail.orderId} did not start: ${JSON.stringify(result)}`);
  return detail.orderId;
}

/** Sends a "Subscription Order Cancelled" event with PutEvents; the cancellation rule delivers it. */
export async function cancelOrder(
  orderId: string,
  reason = 'Cancelled by the order system',
): Promise<unknown> {
  return sendEvent({
    version: '0',
    id: randomUUID(),
    source: ORDER_SOURCE,
    'detail-type': DETAIL_TYPE_CANCELLED,
    time: new Date().toISOString(),
    detail: { orderId, cancelledAt: new Date().toISOString(), reason },
  });
}

/** Waits until the run waits on `stepId` with a token stored (and not the token `notTokenHash`). */
export async function waitForPendingStep(
  orderId: string,
  stepId: StepId,
  options: WaitOptions & { notTokenHash?: string } = {},
): Promise<WaitingStep> {
  return waitFor(
    `order ${orderId} to wait on ${stepId}`,
    async () =>
      (await listPendingSteps(orderId)).find(
        (s) => s.stepId === stepId && s.tokenHash !== options.notTokenHash,
      ),
    options,
  );
}

/**
 * Submits a waiting step through the setup pages themselves, over HTTP: the person the order waits
 * on (`by`, by default the order's assignee) opens the newest setup link of theirs for the order
 * from the mailbox and answers the step's form with `result` (see setup-pages.ts). The pages
 * validate it, claim the step, write the audit entry, send SendTaskSuccess and confirm the claim;
 * nothing here repeats that. Throws SetupPageRefused when the page does not take the answer.
 */
export async function submitStep(
  rt: Pick<TestRuntime, 'urls'>,
  orderId: string,
  stepId: StepId,
  result: unknown,
  options: WaitOptions & {
    /** Whose link answers: the order's assignee unless given (a customer admin's, say). */
    by?: string;
    /** With short step timeouts the token may time out mid-submit: submit again on the reminder's token. */
    retryIfTimedOut?: boolean;
  } = {},
): Promise<WaitingStep> {
  // The answer a test gives must be one the run could receive at all.
  const output = stepResultSchemas[stepId].parse(result) as Record<string, unknown>;
  let notTokenHash: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const step = await waitForPendingStep(orderId, stepId, { ...options, notTokenHash });
    const by = options.by ?? (await findOrder(orderId))?.assignee.email;
    if (!by) throw new Error(`Order ${orderId} has no assignee to answer ${stepId}`);
    const links = (
      await waitForEmails(rt, by, 1, {
        ...options,
        match: (e) => e.subject.includes(orderId) && setupLinkIn(e) !== undefined,
      })
    )
      .reverse()
      .sort((a, b) => b.at - a.at)
      .map((e) => setupLinkIn(e) ?? '');
    try {
      await answerWithNewestLink(
        links.map((link) => atRuntime(rt, link)),
        stepId,
        output,
      );
      return step;
    } catch (error) {
      const expired = error instanceof SetupPageRefused && error.status === 410;
      if (!options.retryIfTimedOut || !expired || attempt >= 3) throw error;
      notTokenHash = step.tokenHash;
    }
  }
}

/**
 * The link on the runtime's web server as it runs now: a test runtime started again (restart())
 * listens on new free ports, where `npm start` keeps its own, so older emails name the old port.
 */
function atRuntime(rt: Pick<TestRuntime, 'urls'>, link: string): string {
  const url = new URL(link);
  const web = new URL(rt.urls.web);
  url.protocol = web.protocol;
  url.host = web.host;
  return url.toString();
}

/** Answers at the newest link that shows the step's form (older ones may be revoked or show less). */
async function answerWithNewestLink(
  links: string[],
  stepId: StepId,
  output: Record<string, unknown>,
): Promise<void> {
  let firstRefusal: unknown;
  for (const link of [...new Set(links)]) {
    const visitor = new SetupPagesVisitor(new URL(link).origin);
    const page = await visitor.get(link);
    if (!stepForm(page.body, stepId)) {
      firstRefusal ??= new SetupPageRefused(
        page.status,
        h1(page.body),
        [],
        `to show a form for ${stepId} at ${link}`,
      );
      continue;
    }
    await answerAtLink(visitor, link, stepId, output);
    return;
  }
  throw firstRefusal ?? new Error(`No setup link to answer ${stepId}`);
}

export interface MailboxEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments?: unknown[];
  at: number;
}

/** Every email in the SES mailbox (optionally only those to one address). */
export async function mailbox(rt: Pick<TestRuntime, 'urls'>, to?: string): Promise<MailboxEmail[]> {
  const res = await fetch(`${rt.urls.ses}/store`);
  const { emails } = (await res.json()) as { emails: MailboxEmail[] };
  return to
    ? emails.filter((e) => e.destination.to.map((a) => a.toLowerCase()).includes(to.toLowerCase()))
    : emails;
}

/** Waits until at least `count` emails to `to` are in the mailbox (and any `match` holds). */
export async function waitForEmails(
  rt: Pick<TestRuntime, 'urls'>,
  to: string,
  count = 1,
  options: WaitOptions & { match?: (e: MailboxEmail) => boolean } = {},
): Promise<MailboxEmail[]> {
  return waitFor(
    `${count} email(s) to ${to}`,
    async () => {
      const found = (await mailbox(rt, to)).filter(options.match ?? (() => true));
      return found.length >= count ? found : undefined;
    },
    options,
  );
}

/** The setup link (`<base>/setup/<id>`) in an email. */
export function setupLinkIn(email: MailboxEmail): string | undefined {
  const text = `${email.body.text ?? ''}\n${email.body.html ?? ''}`;
  return /https?:\/\/[^\s"'<>]+\/setup\/[A-Za-z0-9_-]+/.exec(text)?.[0];
}

export async function orderRecord(orderId: string): Promise<OrderRecord | undefined> {
  return findOrder(orderId);
}

export function executionArnOf(rt: Pick<TestRuntime, 'stateMachineArn'>, orderId: string): string {
  return rt.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${orderId}`;
}

export async function describeRun(rt: RunAccess, orderId: string): Promise<DescribeExecutionCommandOutput> {
  return rt.sfnClient.send(new DescribeExecutionCommand({ executionArn: executionArnOf(rt, orderId) }));
}

/** Waits until the order's run has ended with `status` (SUCCEEDED, FAILED, ABORTED, ...). */
export async function waitForRunStatus(
  rt: RunAccess,
  orderId: string,
  status: string,
  options: WaitOptions = {},
): Promise<DescribeExecutionCommandOutput> {
  return waitFor(
    `the run of ${orderId} to be ${status}`,
    async () => {
      const run = await describeRun(rt, orderId);
      if (run.status === status) return run;
      if (run.status !== 'RUNNING')
        throw new Error(`run is ${run.status}: ${run.error ?? ''} ${run.cause ?? ''}`);
      return undefined;
    },
    { timeoutMs: 60_000, ...options },
  );
}

/** The run's whole history, through the AWS SDK (every page). */
export async function executionHistory(rt: RunAccess, orderId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await rt.sfnClient.send(
      new GetExecutionHistoryCommand({
        executionArn: executionArnOf(rt, orderId),
        maxResults: 1000,
        nextToken,
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The names of the states the run entered, in order. */
export function statesEntered(events: HistoryEvent[]): string[] {
  return events.flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : []));
}

/** The order summary PDF from S3. */
export async function summaryPdf(
  rt: Pick<TestRuntime, 's3Client' | 'env'>,
  orderId: string,
): Promise<Buffer> {
  const res = await rt.s3Client.send(
    new GetObjectCommand({ Bucket: rt.env.BUCKET_NAME, Key: summaryKey(orderId) }),
  );
  return Buffer.from(
    await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

/**
 * The settings the intake gives the next runs (how long a step waits before a reminder, how many
 * reminders before expiry), as `STEP_TIMEOUT_SECONDS`/`MAX_REMINDERS` do for `npm start`.
 */
export async function setRunSettings(
  rt: Pick<TestRuntime, 'env'>,
  settings: { stepTimeoutSeconds: number; maxReminders: number },
): Promise<void> {
  rt.env.STEP_TIMEOUT_SECONDS = String(settings.stepTimeoutSeconds);
  rt.env.MAX_REMINDERS = String(settings.maxReminders);
  process.env.STEP_TIMEOUT_SECONDS = rt.env.STEP_TIMEOUT_SECONDS;
  process.env.MAX_REMINDERS = rt.env.MAX_REMINDERS;
  const { resetConfig } = await import('../../functions/shared/config');
  resetConfig();
}

/** Valid Meetings and Calling setups for a purchase (site names unique per order). */
export function meetingsSetup(orderId: string, quantity: number, siteName?: string) {
  const name =
    siteName ?? `s-${orderId.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 40).replace(/-+$/, '');
  return {
    type: 'meetings' as const,
    settings: {
      sites: [{ siteName: name, timeZone: 'Europe/Bucharest', earlyRelease: false, licenses: quantity }],
    },
  };
}

/**
 * A valid Calling setup. The location name is new each time: Webex (and the page's precheck)
 * refuses a second location of the same name in one organization, and orders share organizations.
 */
export function callingSetup(locationName = `Headquarters ${randomUUID().slice(0, 8)}`) {
  return {
    type: 'calling' as const,
    settings: {
      location: {
        locationName,
        country: 'US',
        street: '1 Market St',
        city: 'San Francisco',
        postalCode: '94105',
        state: 'CA',
        timeZone: 'America/Los_Angeles',
        announcementLanguage: 'en_us' as const,
      },
    },
  };
}

export interface RuntimeStats {
  memory: NodeJS.MemoryUsage;
  stats: {
    executions: Record<string, number>;
    stateTransitions: number;
    lambdaInvocations: Record<string, number>;
    dynamodbRequests: Record<string, number>;
    emailsSent: number;
  };
}

/** The runtime's counters since it started (state transitions, Lambda invocations, DynamoDB requests, emails) and its memory. */
export async function runtimeStats(rt: Pick<TestRuntime, 'urls'>): Promise<RuntimeStats> {
  return (await (await fetch(`${rt.urls.sfn}/`)).json()) as RuntimeStats;
}
