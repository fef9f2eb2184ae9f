// `npm run ops -- list [--status S] [--search PREFIX] [--limit N]`, `npm run ops -- show <orderId>`,
// `npm run ops -- events <orderId>` and `npm run ops -- dead-letters`: the ops view's facts in a
// terminal. Against the embedded runtime (its endpoints are read from <DATA_DIR or .local>/runtime.json
// while it runs) or, with TABLE_NAME, STATE_MACHINE_ARN and AWS credentials (and a region) in the
// environment, against AWS: those are all it reads.
import './quiet-warnings';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { orderIdSchema } from '../../functions/shared/domain/order.schema';
import { listRuns, loadRun, RUN_STATUSES } from './ops/ops-queries';
import { formatDeadLetters, formatEvents, formatRunDetail, formatRunList } from './ops/ops-text';
import { deadLetters, listEvents } from './events/send-event';
import { useToolConfig } from '../../functions/shared/config';
import { noRuntimeMessage, useEmbeddedRuntimeIfRunning } from './runtime-env';

const USAGE = `Usage:
  npm run ops -- list [--status <${RUN_STATUSES.join('|')}>] [--search <order id or prefix>] [--limit <n>]
  npm run ops -- show <orderId>
  npm run ops -- events <orderId>     (the order's events in and out, newest first, with their JSON)
  npm run ops -- dead-letters         (event deliveries that failed every attempt)`;

const AWS_HINT =
  "set TABLE_NAME and STATE_MACHINE_ARN (the stacks' TableName and StateMachineArn outputs), AWS_REGION and AWS credentials.";

/**
 * Points the clients at the running embedded runtime, or at AWS when TABLE_NAME is set; false
 * (having said what to do) when neither is there. Only the table and the state machine are asked for.
 */
function connect(command: string): boolean {
  useEmbeddedRuntimeIfRunning();
  if (!process.env.TABLE_NAME) {
    console.error(noRuntimeMessage(`npm run ops -- ${command}`, AWS_HINT));
    return false;
  }
  useToolConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
  return true;
}

const listOptionsSchema = z.object({
  status: z.enum(RUN_STATUSES).optional(),
  search: z.string().trim().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

export async function main(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'list') {
    const { values } = parseArgs({
      args: rest,
      options: { status: { type: 'string' }, search: { type: 'string' }, limit: { type: 'string' } },
      strict: true,
    });
    const options = listOptionsSchema.safeParse(values);
    if (!options.success) {
      console.error(options.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
      console.error(USAGE);
      return 2;
    }
    if (!connect(argv.join(' '))) return 1;
    print(formatRunList(await listRuns(options.data), new Date()));
    return 0;
  }
  if (command === 'show') {
    const id = orderIdSchema.safeParse(rest[0] ?? '');
    if (!id.success || rest.length !== 1) {
      console.error(USAGE);
      return 2;
    }
    if (!connect(argv.join(' '))) return 1;
    const detail = await loadRun(id.data);
    if (!detail) {
      console.error(`No run and no order with id ${id.data}.`);
      return 1;
    }
    print(formatRunDetail(detail, new Date()));
    return 0;
  }
  if (command === 'events' || command === 'dead-letters') {
    const id = orderIdSchema.safeParse(rest[0] ?? '');
    if (command === 'events' ? !id.success || rest.length !== 1 : rest.length !== 0) {
      console.error(USAGE);
      return 2;
    }
    useEmbeddedRuntimeIfRunning();
    const url = process.env.EVENTS_ENDPOINT;
    if (!url) {
      const onAws =
        'this command reads the embedded runtime only; on AWS, read the DomainEventsLogGroup log group and the dead-letter queue (docs/runbook.md).';
      console.error(
        process.env.TABLE_NAME
          ? `Events are kept by the embedded runtime (npm start): ${onAws}`
          : noRuntimeMessage(`npm run ops -- ${argv.join(' ')}`, onAws),
      );
      return 1;
    }
    print(
      command === 'events'
        ? formatEvents(await listEvents(url, id.data), id.data ?? '')
        : formatDeadLetters(await deadLetters(url)),
    );
    return 0;
  }
  if (command === undefined || ['help', '--help', '-h'].includes(command)) {
    print(USAGE);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

// Run only as the entry point (the tests import main()).
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${name}: ${message}`);
      console.error(
        `Is the embedded runtime running (npm start, or DATA_DIR=<its data directory>)? Against AWS: ${AWS_HINT}`,
      );
      process.exit(1);
    },
  );
}
