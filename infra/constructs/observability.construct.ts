import { Duration, RemovalPolicy, type CfnCondition } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../functions/shared/observability';

/** The embedded metrics the functions publish (functions/shared/observability.ts), in dashboard order. */
export const ORDER_METRICS = [
  'OrdersReceived',
  'OrdersCompleted',
  'OrdersExpired',
  'OrdersCancelled',
  'OrdersFailed',
] as const;

export interface ObservabilityProps {
  stateMachine: sfn.StateMachine;
  deadLetterQueue: sqs.IQueue;
  functions: lambda.IFunction[];
  api: apigwv2.HttpApi;
  /** Subscribed to the ops topic by email; `condition` makes the subscription optional at deploy time. */
  opsEmail?: { address: string; condition?: CfnCondition };
}

/**
 * What ops watch on AWS: an SNS topic that every alarm notifies, the alarms of the workflow
 * (failed, timed-out and aborted runs; anything in the dead-letter queue), and one dashboard.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: Record<'failed' | 'timedOut' | 'aborted' | 'deadLetters', cloudwatch.Alarm>;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { stateMachine } = props;

    // A customer managed key, because CloudWatch cannot publish to a topic encrypted with the
    // AWS managed SNS key (its key policy cannot be changed to let CloudWatch in).
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the ops notification topic of the provisioning workflow',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'OpsTopic', {
      displayName: 'Subscription provisioning: ops alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.opsEmail) {
      const subscription = new sns.Subscription(this, 'OpsEmailSubscription', {
        topic: this.topic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.opsEmail.address,
      });
      if (props.opsEmail.condition) {
        (subscription.node.defaultChild as sns.CfnSubscription).cfnOptions.condition =
          props.opsEmail.condition;
      }
    }

    const fiveMinutes = Duration.minutes(5);
    const anyInFiveMinutes = (
      alarmId: string,
      metric: cloudwatch.IMetric,
      description: string,
    ): cloudwatch.Alarm => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric,
        alarmDescription: description,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      return alarm;
    };
    this.alarms = {
      failed: anyInFiveMinutes(
        'ExecutionsFailedAlarm',
        stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
        'A provisioning run failed (a step error or an expired order). Find it in the Step Functions console by order id; ' +
          'redrive it once the cause is fixed (README runbook).',
      ),
      timedOut: anyInFiveMinutes(
        'ExecutionsTimedOutAlarm',
        stateMachine.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
        'A provisioning run timed out.',
      ),
      aborted: anyInFiveMinutes(
        'ExecutionsAbortedAlarm',
        stateMachine.metricAborted({ period: fiveMinutes, statistic: 'Sum' }),
        'A provisioning run was stopped (cancellations stop runs too: check the order before acting).',
      ),
      deadLetters: anyInFiveMinutes(
        'DeadLetterQueueAlarm',
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        'An order event could not be processed and is in the dead-letter queue: read the message, fix, and re-send it.',
      ),
    };

    // SEARCH matches the metric whatever dimensions the functions add to it (service, function,
    // step); without a label each series is named by its dimensions.
    const emf = (metricName: string, statistic: string, label?: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="${metricName}"', '${statistic}', 300)`,
        ...(label ? { label } : {}),
        period: fiveMinutes,
        usingMetrics: {},
      });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new cloudwatch.TextWidget({
            markdown:
              '# Subscription provisioning\nFind a run by **order id** (execution name) in the Step Functions console. ' +
              'Waiting runs are normal: they wait for people.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Runs',
            width: 12,
            left: [
              stateMachine.metricStarted({ period: fiveMinutes, statistic: 'Sum', label: 'Started' }),
              stateMachine.metricSucceeded({ period: fiveMinutes, statistic: 'Sum', label: 'Succeeded' }),
              stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum', label: 'Failed' }),
              stateMachine.metricTimedOut({ period: fiveMinutes, statistic: 'Sum', label: 'Timed out' }),
              stateMachine.metricAborted({ period: fiveMinutes, statistic: 'Sum', label: 'Aborted' }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Orders',
            width: 12,
            left: ORDER_METRICS.map((name) => emf(name, 'Sum', name)),
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Time waiting for people (average, p90)',
            width: 12,
            left: [
              emf('TimeWaitingForPeople', 'Average', 'Average'),
              emf('TimeWaitingForPeople', 'p90', 'p90'),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Time per step (average, by function)',
            width: 6,
            left: [emf('StepDuration', 'Average')],
          }),
          new cloudwatch.GraphWidget({
            title: 'Order duration, placed to completed (average)',
            width: 6,
            left: [emf('OrderDuration', 'Average', 'OrderDuration')],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Lambda errors',
            width: 12,
            left: props.functions.map((fn) =>
              fn.metricErrors({ period: fiveMinutes, statistic: 'Sum', label: fn.node.id }),
            ),
          }),
          new cloudwatch.GraphWidget({
            title: 'Lambda duration (p90)',
            width: 12,
            left: props.functions.map((fn) =>
              fn.metricDuration({ period: fiveMinutes, statistic: 'p90', label: fn.node.id }),
            ),
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Dead-letter queue depth',
            width: 6,
            left: [
              props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
                period: Duration.minutes(1),
                statistic: 'Maximum',
                label: 'Messages',
              }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Order events rejected or duplicate',
            width: 6,
            left: [emf('EventsRejected', 'Sum', 'Rejected'), emf('DuplicateEvents', 'Sum', 'Duplicate')],
          }),
          new cloudwatch.GraphWidget({
            title: 'Setup pages (HTTP API)',
            width: 6,
            left: [
              props.api.metricCount({ period: fiveMinutes, statistic: 'Sum', label: 'Requests' }),
              props.api.metricClientError({ period: fiveMinutes, statistic: 'Sum', label: '4xx' }),
              props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum', label: '5xx' }),
            ],
          }),
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            width: 6,
            alarms: Object.values(this.alarms),
          }),
        ],
      ],
    });
  }
}
