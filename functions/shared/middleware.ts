import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { TransientError, ValidationError } from './errors';
import { logger, metrics, tracing } from './observability';

// The one middleware order, used by every handler: tracer → logger → metrics → input parser.
// Then errors: AWS SDK errors that a retry may cure become TransientError (the state machine
// retries that name with backoff); everything else keeps its own name for Catch.

export function zodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/** Parses with a zod schema; a failure names each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error);
  throw new ValidationError(
    `Invalid ${what}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    issues,
  );
}

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TooManyRequestsException',
  'SlowDown',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
]);

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof TransientError) return true;
  const meta = error as Error & {
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    code?: string;
  };
  if (meta.$retryable) return true;
  if ((meta.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return TRANSIENT_NAMES.has(error.name) || (meta.code !== undefined && TRANSIENT_NAMES.has(meta.code));
}

/** Rethrows transient AWS errors as TransientError, keeping the original as the cause. */
export function classifyError(error: unknown): Error {
  if (error instanceof TransientError || !isTransient(error))
    return error instanceof Error ? error : new Error(String(error));
  const e = error as Error;
  return new TransientError(`${e.name}: ${e.message}`, { cause: e });
}

/**
 * The shared middy stack around `fn`, which receives the raw event. `orderIdOf` names the order
 * for every log line. Errors are classified (transient AWS errors become TransientError).
 */
export function lambdaHandler<E, R>(
  fn: (event: E, context: Context) => Promise<R>,
  orderIdOf?: (event: E) => unknown,
) {
  return middy<E, R>()
    .use(tracing())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(async (event: E, context: Context) => {
      const orderId = orderIdOf?.(event);
      if (typeof orderId === 'string') logger.appendKeys({ orderId, executionName: orderId });
      const started = Date.now();
      try {
        const result = await fn(event, context);
        // Time per step, by function (the dimension is cleared when the metrics are flushed).
        metrics.addDimension('function', context.functionName);
        metrics.addMetric('StepDuration', MetricUnit.Milliseconds, Date.now() - started);
        return result;
      } catch (error) {
        const classified = classifyError(error);
        logger.error('Handler failed', { error: classified });
        throw classified;
      }
    });
}

/**
 * A state machine step: its input parsed by `schema` (a bad input is a ValidationError naming
 * the field), then `fn`, which holds the step's logic; the handler holds nothing else.
 */
export function stepHandler<S extends z.ZodType, R>(
  schema: S,
  fn: (input: z.infer<S>, context: Context) => Promise<R>,
) {
  return lambdaHandler<unknown, R>(
    (event, context) => fn(parseOrThrow(schema, event, 'step input'), context),
    (event) => {
      const e = event as { orderId?: unknown; order?: { orderId?: unknown } } | null;
      return e?.orderId ?? e?.order?.orderId;
    },
  );
}
