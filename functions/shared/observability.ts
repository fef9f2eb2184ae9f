import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type middy from '@middy/core';

// One logger, one metrics and one tracer per process, shared by every handler and adapter.
export const SERVICE_NAME = 'subscription-provisioning';
export const METRICS_NAMESPACE = 'SubscriptionProvisioning';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

/**
 * Whether X-Ray tracing is on: Powertools' own rule (in a Lambda execution environment, not SAM
 * local nor the Amplify mock, and POWERTOOLS_TRACE_ENABLED is not "false").
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const executionEnv = env.AWS_EXECUTION_ENV ?? '';
  return (
    executionEnv !== '' &&
    executionEnv !== 'AWS_Lambda_amplify-mock' &&
    !env.AWS_SAM_LOCAL &&
    (env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() !== 'false'
  );
}

/**
 * The tracer, only where tracing is on (Lambda). Loading it loads the X-Ray SDK, whose
 * cls-hooked turns on async_hooks for the whole process: a cost on every promise and socket
 * (12 % of the embedded runtime's CPU), so the embedded runtime and the tests never load it.
 */
export const tracer: Tracer | undefined = tracingEnabled()
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: SERVICE_NAME })
  : undefined;

/** An AWS SDK v3 client, traced as an X-Ray subsegment per call where tracing is on. */
export function traced<C>(client: C): C {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/** The handler's X-Ray segment where tracing is on; no middleware otherwise. */
export function tracing(): middy.MiddlewareObj[] {
  return tracer ? [captureLambdaHandler(tracer)] : [];
}
