import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export const ORDER_EVENT_SOURCE = 'orders.subscriptions';
export const ORDER_PLACED = 'Subscription Order Placed';
export const ORDER_CANCELLED = 'Subscription Order Cancelled';

export interface OrderEventsProps {
  /** Validates a placed order and starts its run (execution name = order id). */
  intake: lambda.IFunction;
  /** Stops an order's run and marks it cancelled. */
  cancel: lambda.IFunction;
}

/**
 * The order system's entry point: a custom event bus with one rule per event type. An event that
 * cannot be delivered, or whose function keeps failing, ends in the dead-letter queue (alarmed),
 * so nothing the order system sends is lost silently.
 */
export class OrderEvents extends Construct {
  readonly bus: events.EventBus;
  readonly deadLetterQueue: sqs.Queue;
  readonly placedRule: events.Rule;
  readonly cancelledRule: events.Rule;

  constructor(scope: Construct, id: string, props: OrderEventsProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Subscription order events from the order system',
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the order rules, the failed-run rule and their functions ' +
        '(EventBridge target DLQ and Lambda on-failure destination, which cdk-nag does not recognise).',
    });

    this.placedRule = new events.Rule(this, 'OrderPlacedRule', {
      eventBus: this.bus,
      description: 'Starts one provisioning run per placed order',
      eventPattern: { source: [ORDER_EVENT_SOURCE], detailType: [ORDER_PLACED] },
      targets: [this.lambdaTarget(props.intake)],
    });
    this.cancelledRule = new events.Rule(this, 'OrderCancelledRule', {
      eventBus: this.bus,
      description: 'Stops the run of a cancelled order',
      eventPattern: { source: [ORDER_EVENT_SOURCE], detailType: [ORDER_CANCELLED] },
      targets: [this.lambdaTarget(props.cancel)],
    });
  }

  /**
   * A function as the target of a rule, delivered like the order events: EventBridge retries
   * delivery (throttling, service errors); the function's own errors are retried by Lambda's
   * asynchronous invocation, then sent to the dead-letter queue with their context.
   */
  lambdaTarget(fn: lambda.IFunction): events.IRuleTarget {
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
    return new targets.LambdaFunction(fn, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(24),
    });
  }
}
