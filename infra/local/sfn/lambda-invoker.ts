import { randomUUID } from 'node:crypto';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { JsonValue } from './asl';

// Runs a Lambda handler in-process, as the Lambda service would: a context object with the
// function's name and deadline, the payload as JSON in and out, and a failure reported the way
// Step Functions sees a Lambda error (error = the error's name, cause = Lambda's JSON).

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalFunction {
  /** Function name (the last part of its ARN). */
  id: string;
  /** A module path relative to `root`, whose `handler` export is called. */
  entry?: string;
  /** Or the handler itself (tests). */
  handler?: LambdaHandler;
  timeoutSeconds?: number;
  memoryMb?: number;
  /** Wraps every invocation (tests inject faults with it): gets the event, the context and the real handler. */
  intercept?: (event: unknown, context: Context, real: LambdaHandler) => Promise<unknown>;
}

export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 20;

export function lambdaArn(id: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${id}`;
}

/** The error a task fails with: `name` is the Step Functions error, `message` its cause. */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

export function lambdaCause(error: unknown): string {
  const e = error instanceof Error ? error : new Error(String(error));
  return JSON.stringify({
    errorType: e.name,
    errorMessage: e.message,
    trace: (e.stack ?? '').split('\n').slice(0, 10),
  });
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

/**
 * Runs `fn` as one Lambda invocation among others in the same process, the way the Lambda
 * runtime does when an environment takes concurrent invocations: an AsyncLocalStorage-backed
 * InvokeStore holds the request id, and Powertools (with AWS_LAMBDA_MAX_CONCURRENCY set) keeps
 * each invocation's log keys, such as the order id, in it instead of on the shared logger.
 */
/**
 * Turns on per-invocation state for Powertools in this process: the store must exist before
 * AWS_LAMBDA_MAX_CONCURRENCY tells Powertools to use it. Code outside an invocation (CLIs, tests
 * calling a handler directly) keeps using the shared state.
 */
export async function enableConcurrentInvocations(): Promise<void> {
  await InvokeStore.getInstanceAsync(true);
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '1000';
}

export async function runAsInvocation<T>(requestId: string, fn: () => Promise<T>): Promise<T> {
  const store = await InvokeStore.getInstanceAsync(true);
  return store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId }, fn);
}

export class LambdaInvoker {
  private readonly byName = new Map<string, LocalFunction>();
  private readonly loaded = new Map<string, Promise<LambdaHandler>>();
  /** Invocations per function since the start (the bench reports them). */
  readonly invocations = new Map<string, number>();

  constructor(
    functions: LocalFunction[],
    private readonly root: string,
  ) {
    for (const fn of functions) this.byName.set(fn.id, fn);
  }

  find(functionName: string): LocalFunction | undefined {
    const name = functionName.startsWith('arn:') ? (functionName.split(':')[6] ?? '') : functionName;
    return this.byName.get(name);
  }

  timeoutSeconds(functionName: string): number {
    return this.find(functionName)?.timeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS;
  }

  private load(fn: LocalFunction): Promise<LambdaHandler> {
    let pending = this.loaded.get(fn.id);
    if (!pending) {
      pending = (async () => {
        if (fn.handler) return fn.handler;
        if (!fn.entry) throw new Error(`Function ${fn.id} has neither a handler nor an entry`);
        const mod = (await import(pathToFileURL(join(this.root, fn.entry)).href)) as { handler?: unknown };
        if (typeof mod.handler !== 'function') throw new Error(`${fn.entry} exports no handler`);
        return mod.handler as LambdaHandler;
      })();
      // A handler file that fails to load (still being written) is tried again on the next call.
      pending.catch(() => this.loaded.delete(fn.id));
      this.loaded.set(fn.id, pending);
    }
    return pending;
  }

  /** Invokes the function; resolves with its JSON result or rejects with a TaskFailure. */
  async invoke(functionName: string, payload: JsonValue): Promise<JsonValue> {
    const fn = this.find(functionName);
    if (!fn) {
      throw new TaskFailure(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${functionName} (the local runtime knows ${[...this.byName.keys()].join(', ')})`,
      );
    }
    let handler: LambdaHandler;
    try {
      handler = await this.load(fn);
    } catch (error) {
      throw new TaskFailure('Lambda.ServiceException', lambdaCause(error));
    }
    this.invocations.set(fn.id, (this.invocations.get(fn.id) ?? 0) + 1);
    const timeoutMs = (fn.timeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS) * 1000;
    const deadline = Date.now() + timeoutMs;
    const requestId = randomUUID();
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: fn.id,
      functionVersion: '$LATEST',
      invokedFunctionArn: lambdaArn(fn.id),
      memoryLimitInMB: String(fn.memoryMb ?? 256),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${fn.id}`,
      logStreamName: `local/${requestId}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TaskFailure(
              'Sandbox.Timedout',
              JSON.stringify({
                errorType: 'Sandbox.Timedout',
                errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
              }),
            ),
          ),
        timeoutMs,
      );
    });
    try {
      // The payload crosses a process boundary on AWS: the handler gets its own copy.
      const event = toJson(payload);
      const run = runAsInvocation(requestId, () =>
        fn.intercept ? fn.intercept(event, context, handler) : handler(event, context),
      );
      const result = await Promise.race([run, timeout]);
      return toJson(result);
    } catch (error) {
      if (error instanceof TaskFailure) throw error;
      const name = error instanceof Error && error.name ? error.name : 'Error';
      throw new TaskFailure(name, lambdaCause(error));
    } finally {
      clearTimeout(timer);
    }
  }
}
