import './quiet-warnings';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Delivery, EventRecord } from './events/event-log';
import { MAX_EVENT_JSON_DEPTH, nestsDeeperThan } from './events/json-depth';

// `npm run order -- <event.json>`: plays the order system against a running `npm start`. The
// event is sent exactly as an order system sends it, with PutEvents through the runtime's
// EventBridge endpoint, so the rules of infra/event-rules.ts deliver it (a placed order to the
// intake, a cancellation to the cancel function) and a refusal is recorded as on AWS. Then it
// prints what happened and exits 1 when the event was refused.

const USAGE =
  'Usage: npm run order -- <event.json> [--data-dir .local]   (examples/ has one per demo scenario)';

function usage(): never {
  console.error(USAGE);
  process.exit(2);
}

interface TargetResult {
  status?: string;
  orderId?: string;
  executionArn?: string;
  rejectionId?: string;
  orderStatus?: string;
  issues?: { path: string; message: string }[];
}

export interface Outcome {
  lines: string[];
  refused: boolean;
}

/** What one delivery of the event did, in words; `refused` when the workflow turned it down. */
export function describeDelivery(delivery: Delivery, urls: { mailbox: string; ops: string }): Outcome {
  if (delivery.status === 'failed')
    return {
      refused: true,
      lines: [
        `${delivery.target} failed ${delivery.attempts} times and gave up: ${delivery.error ?? 'unknown error'}`,
        'The event is in the dead letters (npm run ops -- dead-letters).',
      ],
    };
  const result = (delivery.result ?? {}) as TargetResult;
  const order = result.orderId ?? '';
  switch (result.status) {
    case 'started':
      return {
        refused: false,
        lines: [
          `Started the run for order ${order}: ${result.executionArn ?? ''}`,
          `The contact's email is in the mailbox: ${urls.mailbox}`,
          `Follow the run in the ops view: ${urls.ops}`,
        ],
      };
    case 'duplicate':
      return { refused: false, lines: [`Order ${order} was received before: no second run was started.`] };
    case 'rejected':
      return {
        refused: true,
        lines: [
          `Rejected: the event is not valid. It was recorded as ${result.rejectionId ?? 'a rejected event'}.`,
          ...(result.issues ?? []).map((i) => `  - ${i.path}: ${i.message}`),
          'No run was started.',
        ],
      };
    case 'cancelled':
      return {
        refused: false,
        lines: [`Cancelled order ${order}: its run was stopped, its links revoked and the people told.`],
      };
    case 'already-final':
      return {
        refused: true,
        lines: [
          `Order ${order} is ${result.orderStatus ?? 'closed'} already: the cancellation changed nothing.`,
        ],
      };
    case 'not-found':
      return {
        refused: false,
        lines: [
          `Order ${order} is unknown: the cancellation was recorded for an unknown order; no run was stopped.`,
        ],
      };
    default: {
      const status = result.status ?? 'done';
      return {
        refused: /reject|refus/i.test(status),
        lines: [`${delivery.target}: ${status}`, JSON.stringify(delivery.result, null, 2)],
      };
    }
  }
}

/** What the bus did with the event: no rule, or each target's outcome. */
export function describeRecord(record: EventRecord, urls: { mailbox: string; ops: string }): Outcome {
  // Function targets answer with a result (or fail); log targets only keep the event.
  const functions = record.deliveries.filter((d) => d.result !== undefined || d.status === 'failed');
  if (record.rules.length === 0 || functions.length === 0)
    return {
      refused: true,
      lines: [
        `No rule matched source "${record.source}" and detail type "${record.detailType}": nothing received the event.`,
      ],
    };
  const outcomes = functions.map((d) => describeDelivery(d, urls));
  return { refused: outcomes.some((o) => o.refused), lines: outcomes.flatMap((o) => o.lines) };
}

export async function main(argv: string[]): Promise<number> {
  if (argv.some((a) => ['--help', '-h', 'help'].includes(a))) {
    console.log(USAGE);
    return 0;
  }
  const dirFlag = argv.indexOf('--data-dir');
  const dataDir = dirFlag >= 0 ? argv[dirFlag + 1] : process.env.DATA_DIR;
  const file = argv.find((a, i) => !a.startsWith('-') && !(dirFlag >= 0 && i === dirFlag + 1));
  if (!file) usage();
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(resolve(file), 'utf8'));
  } catch (error) {
    console.error(`Cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  if (nestsDeeperThan(event, MAX_EVENT_JSON_DEPTH)) {
    console.error(
      `Refused: ${file} nests JSON deeper than ${MAX_EVENT_JSON_DEPTH} levels, the most EventBridge PutEvents processes (it answers MalformedDetail).`,
    );
    console.error('Nothing was sent; no run was started.');
    return 1;
  }

  const { readRuntimeInfo } = await import('./runtime');
  let info;
  try {
    info = readRuntimeInfo(dataDir ? resolve(dataDir) : undefined);
  } catch (error) {
    console.error((error as Error).message);
    console.error(
      'If it runs with another data directory, point at it: DATA_DIR=<its data directory> npm run order -- <event.json> (or --data-dir <dir>).',
    );
    return 1;
  }
  const { closeEventBridgeClients, putEvent, waitForDeliveries } = await import('./events/send-event');
  try {
    const endpoint = { url: info.urls.events, busName: info.env.EVENT_BUS_NAME ?? '' };
    const put = await putEvent(endpoint, event);
    if ('errorCode' in put) {
      console.error(`EventBridge refused the event: ${put.errorCode}: ${put.errorMessage}`);
      console.error('Nothing was delivered; no run was started.');
      return 1;
    }
    console.log(`Sent to ${endpoint.busName} as event ${put.eventId}.`);
    const outcome = describeRecord(await waitForDeliveries(info.urls.events, put.eventId), info.urls);
    for (const line of outcome.lines) (outcome.refused ? console.error : console.log)(line);
    return outcome.refused ? 1 : 0;
  } finally {
    closeEventBridgeClients();
  }
}

// Run only as the entry point (the tests import the formatting).
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      process.exit(1);
    },
  );
}
