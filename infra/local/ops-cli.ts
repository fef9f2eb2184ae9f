// `npm run ops -- list [--status S] [--search PREFIX] [--limit N]`, `npm run ops -- show <orderId>`,
// `npm run ops -- events <orderId>` and `npm run ops -- dead-letters`: the ops view's facts in a terminal. Against the embedded runtime (its endpoints are read from
// .local/runtime.json while it runs) or, with TABLE_NAME, STATE_MACHINE_ARN and AWS credentials
// in the environment, against AWS.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { orderIdSchema } from '../../functions/shared/domain/order.schema';
import { listRuns, loadRun, RUN_STATUSES } from './ops/ops-queries';
import { formatDeadLetters, formatEvents, formatRunDetail, formatRunList } from './ops/ops-text';
import { deadLetters, listEvents } from './events/send-event';
import { useEmbeddedRuntimeIfRunning } from './runtime-env';

const USAGE = `Usage:
  npm run ops -- list [--status <${RUN_STATUSES.join('|')}>] [--search <order id or prefix>] [--limit <n>]
  npm run ops -- show <orderId>
  npm run ops -- events <orderId>     (the order's events in and out, newest first, with their JSON)
  npm run ops -- dead-letters         (event deliveries that failed every attempt)`;

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
    useEmbeddedRuntimeIfRunning();
    print(formatRunList(await listRuns(options.data), new Date()));
    return 0;
  }
  if (command === 'show') {
    const id = orderIdSchema.safeParse(rest[0] ?? '');
    if (!id.success || rest.length !== 1) {
      console.error(USAGE);
      return 2;
    }
    useEmbeddedRuntimeIfRunning();
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
      console.error(
        'Events are kept by the embedded runtime (npm start). On AWS, read the DomainEventsLogGroup log group and the dead-letter queue (docs/runbook.md).',
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
  console.error(USAGE);
  return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
}

// Run only as the entry point (the tests import main()).
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      console.error(
        `${name}: ${message}\nIs the embedded runtime running (npm start)? Or set TABLE_NAME, STATE_MACHINE_ARN and AWS credentials.`,
      );
      process.exit(1);
    },
  );
}
