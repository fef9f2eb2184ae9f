import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
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
 *
 * A Lambda bundle built without the X-Ray SDK (all but the functions with `xraySdk: true` in
 * functions/registry.ts) has LAMBDA_BUNDLE_XRAY_SDK replaced with "false" at build time
 * (infra/bundling.ts), so this condition is false there and the tracer's imports are left out of
 * the bundle; Lambda's active tracing still records each invocation in the run's trace. Run from
 * source, the variable is unset. (The condition is written out here, not in a constant: esbuild
 * folds it only where it stands.)
 */
const loaded =
  process.env.LAMBDA_BUNDLE_XRAY_SDK !== 'false' && tracingEnabled()
    ? await Promise.all([
        import('@aws-lambda-powertools/tracer'),
        import('@aws-lambda-powertools/tracer/middleware'),
      ])
    : undefined;
export const tracer: Tracer | undefined = loaded && new loaded[0].Tracer({ serviceName: SERVICE_NAME });

/** An AWS SDK v3 client, traced as an X-Ray subsegment per call where tracing is on. */
export function traced<C>(client: C): C {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/** The handler's X-Ray segment where tracing is on; no middleware otherwise. */
export function tracing(): middy.MiddlewareObj[] {
  return loaded && tracer ? [loaded[1].captureLambdaHandler(tracer)] : [];
}
