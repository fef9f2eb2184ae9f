import './quiet-warnings';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DETAIL_TYPE_CANCELLED,
  DETAIL_TYPE_PLACED,
  orderCancelledEventSchema,
  orderPlacedEventSchema,
} from '../../functions/shared/domain/order.schema';
import { localLambdaContext } from './sfn/lambda-context';

// `npm run order -- <event.json>`: plays the order system against a running `npm start`. The
// event is validated with the intake's schema and delivered as the EventBridge rules deliver it
// on AWS: a placed order to the intake function, a cancellation to the cancel function.

function usage(): never {
  console.error(
    'Usage: npm run order -- <event.json> [--data-dir .local]   (examples/ has one per demo scenario)',
  );
  process.exit(2);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

export async function main(argv: string[]): Promise<number> {
  const dirFlag = argv.indexOf('--data-dir');
  const dataDir = dirFlag >= 0 ? argv[dirFlag + 1] : process.env.DATA_DIR;
  const file = argv.find((a, i) => !a.startsWith('-') && !(dirFlag >= 0 && i === dirFlag + 1));
  if (!file) usage();
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(resolve(file), 'utf8'));
  } catch (error) {
    fail(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const detailType = (event as { 'detail-type'?: unknown } | null)?.['detail-type'];
  const schema = detailType === DETAIL_TYPE_CANCELLED ? orderCancelledEventSchema : orderPlacedEventSchema;
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    console.error(
      `Rejected ${file}: the event is not a valid "${String(detailType ?? DETAIL_TYPE_PLACED)}" event.`,
    );
    for (const issue of parsed.error.issues)
      console.error(`  - ${issue.path.join('.') || '(event)'}: ${issue.message}`);
    console.error('No run was started.');
    return 1;
  }

  const { readRuntimeInfo } = await import('./runtime');
  let info;
  try {
    info = readRuntimeInfo(dataDir ? resolve(dataDir) : undefined);
  } catch (error) {
    fail((error as Error).message);
  }
  Object.assign(process.env, info.env, { POWERTOOLS_LOG_LEVEL: 'ERROR' });

  if (detailType === DETAIL_TYPE_CANCELLED) {
    const { handler } = await import('../../functions/cancel-order/handler');
    const result = (await handler(event, localLambdaContext('CancelOrder', { logStream: 'order-cli' }))) as {
      status?: string;
    };
    console.log(JSON.stringify(result, null, 2));
    return result.status === 'rejected' ? 1 : 0;
  }
  const { handler } = await import('../../functions/intake/handler');
  const result = (await handler(event, localLambdaContext('Intake', { logStream: 'order-cli' }))) as {
    status: string;
    orderId?: string;
    executionArn?: string;
    issues?: { path: string; message: string }[];
  };
  if (result.status === 'rejected') {
    console.error(`Rejected: ${(result.issues ?? []).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    return 1;
  }
  if (result.status === 'duplicate') {
    console.log(`Order ${result.orderId ?? ''} was received before: no second run was started.`);
    return 0;
  }
  console.log(`Started the run for order ${result.orderId ?? ''}: ${result.executionArn ?? ''}`);
  console.log(`The contact's email is in the mailbox: ${info.urls.mailbox}`);
  console.log(`Follow the run in the ops view: ${info.urls.ops}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
