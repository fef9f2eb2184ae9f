import type { Context } from 'aws-lambda';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { MiddlewareStack } from '@smithy/types';
import type { LambdaHandler } from '../infra/local/sfn/sfn-endpoint';

// What the bench counts inside a private runtime: every Lambda invocation the state machine makes
// (by function, with its duration), and every DynamoDB and S3 request the in-process handlers
// send (an SDK middleware on the process's shared clients, so the setup pages, the intake and
// the state machine's functions are all counted; the bench's own reads are not).

export const DYNAMO_READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);
export const DYNAMO_WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
]);

export class Counters {
  readonly dynamo = new Map<string, number>();
  /** DynamoDB requests by the adapter operation that sent them (`step-store.getStep`). */
  readonly dynamoCallers = new Map<string, number>();
  /** Items written by BatchWriteItem (each is billed as one write at least). */
  batchWriteItems = 0;
  readonly s3 = new Map<string, number>();
  readonly lambda = new Map<string, { count: number; ms: number; gbSeconds: number }>();

  bump(map: Map<string, number>, key: string, by = 1): void {
    map.set(key, (map.get(key) ?? 0) + by);
  }

  dynamoReads(): number {
    let n = 0;
    for (const [op, c] of this.dynamo) if (DYNAMO_READS.has(op)) n += c;
    return n;
  }

  /** Write requests, a BatchWriteItem counted once per item. */
  dynamoWrites(): number {
    let n = 0;
    for (const [op, c] of this.dynamo) if (DYNAMO_WRITES.has(op) && op !== 'BatchWriteItemCommand') n += c;
    return n + this.batchWriteItems;
  }

  s3Puts(): number {
    return (this.s3.get('PutObjectCommand') ?? 0) + (this.s3.get('CopyObjectCommand') ?? 0);
  }

  s3Gets(): number {
    return (this.s3.get('GetObjectCommand') ?? 0) + (this.s3.get('HeadObjectCommand') ?? 0);
  }

  recordLambda(id: string, ms: number, memoryMb: number): void {
    const row = this.lambda.get(id) ?? { count: 0, ms: 0, gbSeconds: 0 };
    row.count += 1;
    row.ms += ms;
    // Lambda bills each invocation's duration rounded up to the millisecond.
    row.gbSeconds += (Math.ceil(ms) / 1000) * (memoryMb / 1024);
    this.lambda.set(id, row);
  }

  /** A runtime `intercept` that times every invocation of function `id`. */
  interceptor(id: string, memoryMb: number) {
    return async (event: unknown, context: Context, real: LambdaHandler): Promise<unknown> => {
      const started = performance.now();
      try {
        return await real(event, context);
      } finally {
        this.recordLambda(id, performance.now() - started, memoryMb);
      }
    };
  }
}

/**
 * Counts every command sent through `client` (by command name). `caller` names the code that
 * sent it ({@link callerOf}): pass it on only when asked, as taking a stack costs a little.
 */
export function countCommands<I extends object, O extends object>(
  client: { middlewareStack: MiddlewareStack<I, O> },
  name: string,
  onCommand: (commandName: string, input: unknown, caller: () => string) => void,
): void {
  client.middlewareStack.add(
    (next, context) => {
      // Taken here, where the middleware runs inside the sender's call (async frames included).
      return async (args) => {
        const stack = new Error().stack ?? '';
        onCommand(context.commandName ?? 'unknown', args.input, () => callerOf(stack));
        return next(args);
      };
    },
    { step: 'initialize', name, override: true },
  );
}

/**
 * The operation that sent a request, from a stack taken while it was sent: the outermost adapter
 * function of the innermost run of adapter frames (`findOrderWithSteps` in
 * `functions/shared/adapters/step-store.ts`, which calls order-repository's `queryPages`, →
 * `step-store.findOrderWithSteps`: the operation a handler called), else the first frame in our
 * functions outside the clients, else `other`.
 */
export function callerOf(stack: string): string {
  const frames = stack
    .split('\n')
    .map((line) => /^\s*at (?:async )?(?:(\S+) \()?(.*?):\d+:\d+\)?$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ fn: m[1] ?? '<anonymous>', file: (m[2] ?? '').replaceAll('\\', '/') }));
  const named = (frame: { fn: string; file: string }) =>
    `${(frame.file.split('/').pop() ?? '').replace(/\.[cm]?[jt]s$/, '')}.${frame.fn.replace(/^.*\./, '')}`;
  const inAdapter = (frame: { file: string }) => frame.file.includes('/functions/shared/adapters/');
  const first = frames.findIndex(inAdapter);
  if (first >= 0) {
    let last = first;
    while (last + 1 < frames.length && inAdapter(frames[last + 1] as { file: string })) last += 1;
    return named(frames[last] as { fn: string; file: string });
  }
  const ours = frames.find(
    (f) => f.file.includes('/functions/') && !f.file.includes('/functions/shared/clients/'),
  );
  return ours ? named(ours) : 'other';
}

/** Items in a BatchWriteItem input (document or low-level client). */
export function batchWriteItemCount(input: unknown): number {
  const items = (input as { RequestItems?: Record<string, unknown[]> } | undefined)?.RequestItems ?? {};
  return Object.values(items).reduce((n, list) => n + (Array.isArray(list) ? list.length : 0), 0);
}

export interface HistoryCounts {
  stateTransitions: number;
  lambdaInvocations: number;
  /** Handler time of the state machine's Lambda tasks, from the history (scheduled → succeeded or submitted). */
  lambdaMs: number;
  succeeded: boolean;
  error?: string;
}

/** The events that end a task attempt in failure: a Retry may schedule the task again after one. */
const FAILED_ATTEMPT = new Set([
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
]);

/**
 * State transitions and Lambda invocations (tasks scheduled) in one run's history. A transition
 * is a state entered, or a retry of a task: AWS bills each retry as a transition ("including
 * retries"), and a retry shows in the history only as the task scheduled again right after its
 * failed attempt (its previousEventId is the failure), with no new StateEntered.
 */
export function countHistory(events: HistoryEvent[]): HistoryCounts {
  let stateTransitions = 0;
  let lambdaInvocations = 0;
  let lambdaMs = 0;
  const scheduledAt = new Map<number, number>();
  const typeById = new Map<number, string>();
  for (const e of events) if (e.id !== undefined) typeById.set(e.id, e.type ?? '');
  let succeeded = false;
  let error: string | undefined;
  for (const e of events) {
    const type = e.type ?? '';
    const at = e.timestamp ? e.timestamp.getTime() : 0;
    if (type.endsWith('StateEntered')) stateTransitions += 1;
    if (type === 'TaskScheduled' || type === 'LambdaFunctionScheduled') {
      lambdaInvocations += 1;
      if (e.previousEventId !== undefined && FAILED_ATTEMPT.has(typeById.get(e.previousEventId) ?? ''))
        stateTransitions += 1;
      if (e.id !== undefined) scheduledAt.set(e.id, at);
    }
    if (
      (type === 'TaskSucceeded' || type === 'TaskSubmitted' || type === 'LambdaFunctionSucceeded') &&
      e.previousEventId !== undefined
    ) {
      // previousEventId chains back through TaskStarted to TaskScheduled.
      const prev = events.find((p) => p.id === e.previousEventId);
      const scheduledId = prev?.type === 'TaskStarted' ? prev.previousEventId : e.previousEventId;
      const start = scheduledId !== undefined ? scheduledAt.get(scheduledId) : undefined;
      if (start !== undefined) {
        lambdaMs += Math.max(0, at - start);
        if (scheduledId !== undefined) scheduledAt.delete(scheduledId);
      }
    }
    if (type === 'ExecutionSucceeded') succeeded = true;
    if (type === 'ExecutionFailed') error = e.executionFailedEventDetails?.error ?? 'ExecutionFailed';
    if (type === 'ExecutionAborted') error = 'ExecutionAborted';
    if (type === 'ExecutionTimedOut') error = 'ExecutionTimedOut';
  }
  return { stateTransitions, lambdaInvocations, lambdaMs, succeeded, error };
}
