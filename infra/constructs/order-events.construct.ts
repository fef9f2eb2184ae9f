import { createHash } from 'node:crypto';
import { ArnFormat, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resolvePattern, type EventRuleSpec } from '../event-rules';
import type { EventPattern } from '../local/events/event-pattern';

/** EventBridge archive names are 1 to 48 characters. */
export const ARCHIVE_NAME_MAX_LENGTH = 48;

/**
 * `<stack name>-events`, or for a long stack name its first characters, a hash of the whole name
 * (two stacks still get two archives) and `-events`: always within the 48 characters.
 */
export function archiveName(stackName: string): string {
  const plain = `${stackName}-events`.replace(/[^.\-_A-Za-z0-9]/g, '-');
  if (plain.length <= ARCHIVE_NAME_MAX_LENGTH) return plain;
  const hash = createHash('sha256').update(stackName).digest('hex').slice(0, 8);
  const tail = `-${hash}-events`;
  return `${plain.slice(0, ARCHIVE_NAME_MAX_LENGTH - tail.length)}${tail}`;
}

export interface OrderEventsProps {
  /** Days the archive keeps every event of the bus, for replays after an outage. */
  archiveRetentionDays: number;
  /** Retention of the log group that keeps the workflow's domain events. */
  logRetention: logs.RetentionDays;
}

export interface RuleTargets {
  /** The functions rule targets name (functions/registry.ts ids). */
  functions: Record<string, lambda.IFunction>;
  /** Values of the `${Name}` placeholders in the rules' patterns. */
  substitutions: Record<string, string>;
}

/** A pattern of the shared table in the shape CDK's Rule takes (it renders detailType back). */
function cdkPattern(pattern: EventPattern): events.EventPattern {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as events.EventPattern;
}

/**
 * The workflow's event bus: the order system's events come in on it, the workflow's domain events
 * go out on it. Its rules are the rows of infra/event-rules.ts (the embedded runtime routes by the
 * same rows). An event that cannot be delivered, or whose function keeps failing, ends in the
 * dead-letter queue (alarmed), so nothing the order system sends is lost silently; the archive
 * keeps every event for a replay of a time window (docs/runbook.md).
 */
export class OrderEvents extends Construct {
  readonly bus: events.EventBus;
  readonly deadLetterQueue: sqs.Queue;
  readonly archive: events.CfnArchive;
  /** Every domain event the workflow publishes, for inspection. */
  readonly domainEventsLog: logs.LogGroup;
  readonly rules: Record<string, events.Rule> = {};

  constructor(scope: Construct, id: string, props: OrderEventsProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Subscription order events from the order system, and the workflow’s domain events',
    });

    this.archive = new events.CfnArchive(this, 'Archive', {
      // Named by us: left to CloudFormation, the name is built from the stack and logical id and
      // can pass the 48 characters an archive name may have. Unique per stack; deleted with it.
      archiveName: archiveName(Stack.of(this).stackName),
      sourceArn: this.bus.eventBusArn,
      description: 'Every event of the workflow bus, for replays after an outage',
      retentionDays: props.archiveRetentionDays,
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

    // EventBridge writes to log groups whose names start with /aws/events/. The group is kept when
    // the stack is deleted, so its name ends with the stack's unique id: a stack deployed again
    // after a destroy creates its own group instead of failing on the one left behind.
    const stack = Stack.of(this);
    const stackUuid = Fn.select(2, Fn.split('/', stack.stackId));
    this.domainEventsLog = new logs.LogGroup(this, 'DomainEventsLog', {
      logGroupName: `/aws/events/${stack.stackName}/domain-events/${stackUuid}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // EventBridge may write to it: a native resource policy (CDK's log-group target would install
    // it through a custom resource, one more Lambda function with managed policies).
    new logs.ResourcePolicy(this, 'DomainEventsLogPolicy', {
      policyStatements: [
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.domainEventsLog.logGroupArn],
        }),
      ],
    });
  }

  /** The log group as a rule target (its ARN without the `:*` of its IAM resource form). */
  private logTarget(): events.IRuleTarget {
    const arn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: this.domainEventsLog.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    return {
      bind: () => ({ arn, retryPolicy: { maximumRetryAttempts: 8, maximumEventAge: Duration.hours(24) } }),
    };
  }

  /** One rule per row of the shared table, on its bus, delivering to its target. */
  addRules(specs: readonly EventRuleSpec[], props: RuleTargets): void {
    for (const spec of specs) {
      const target = spec.target;
      let ruleTarget: events.IRuleTarget;
      if (target.kind === 'function') {
        const fn = props.functions[target.functionId];
        if (!fn)
          throw new Error(
            `Event rule ${spec.id} targets ${target.functionId}, which the stack does not build`,
          );
        ruleTarget = this.lambdaTarget(fn);
      } else {
        ruleTarget = this.logTarget();
      }
      this.rules[spec.id] = new events.Rule(this, spec.id, {
        // No bus: the account's default bus, where AWS services send their events.
        eventBus: spec.bus === 'workflow' ? this.bus : undefined,
        description: spec.description,
        eventPattern: cdkPattern(resolvePattern(spec.pattern, props.substitutions)),
        targets: [ruleTarget],
      });
    }
  }

  /**
   * A function as the target of a rule: EventBridge retries delivery (throttling, service
   * errors); the function's own errors are retried by Lambda's asynchronous invocation, then
   * sent to the dead-letter queue with their context.
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
