import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

// One logger, one metrics and one tracer per process, shared by every handler and adapter.
export const SERVICE_NAME = 'subscription-provisioning';
export const METRICS_NAMESPACE = 'SubscriptionProvisioning';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
export const tracer = new Tracer({ serviceName: SERVICE_NAME });
