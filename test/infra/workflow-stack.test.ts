import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS, FAILURE_FUNCTION, STATE_MACHINE_FUNCTIONS } from '../../functions/registry';
import { METRICS_NAMESPACE } from '../../functions/shared/observability';
import { ORDER_METRICS } from '../../infra/constructs/observability.construct';
import { EVENT_RULES } from '../../infra/event-rules';
import { defaultApp } from './synth-app.fixture';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; Condition?: string }>;
interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}

const { workflowTemplate: template, workflow } = defaultApp();
const resources = template.toJSON().Resources as Resources;

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  const child = construct.node.defaultChild as { logicalId: string };
  return workflow.resolve(child.logicalId) as string;
}

/** Every statement of the policies attached to a function's role. */
function statementsOf(functionId: string): Statement[] {
  const fn = workflow.functions[functionId];
  if (!fn) throw new Error(`no function ${functionId}`);
  const roleId = logicalId(fn.executionRole);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

function statementWith(statements: Statement[], action: string): Statement | undefined {
  return statements.find((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action));
}

const stateMachineId = logicalId(workflow.workflow.stateMachine);

describe('functions', () => {
  it('builds every function of the registry through the one construct: Node.js 24, arm64, tracing, JSON logs', () => {
    template.resourceCountIs('AWS::Lambda::Function', ALL_FUNCTIONS.length);
    for (const spec of ALL_FUNCTIONS) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [logicalId(workflow.functions[spec.id]!.executionRole), 'Arn'] },
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: `${spec.id}.handler`,
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
        MemorySize: spec.memoryMb ?? 256,
        Timeout: spec.timeoutSeconds ?? 20,
      });
    }
  });

  it('gives every function the configuration functions/shared/config.ts requires', () => {
    for (const fn of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function')) {
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining([
          'TABLE_NAME',
          'BUCKET_NAME',
          'SENDER_EMAIL',
          'OPS_EMAIL',
          'SES_CONFIGURATION_SET',
          'PUBLIC_BASE_URL',
          'LINK_TTL_SECONDS',
          'SUMMARY_URL_TTL_SECONDS',
        ]),
      );
      expect(env).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'subscription-provisioning',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
        LINK_TTL_SECONDS: String(14 * 24 * 3600),
        SUMMARY_URL_TTL_SECONDS: '900',
        SENDER_EMAIL: { Ref: 'SenderEmail' },
        OPS_EMAIL: { Ref: 'OpsEmail' },
        PUBLIC_BASE_URL: { 'Fn::GetAtt': [logicalId(workflow.resumeApi.api), 'ApiEndpoint'] },
      });
    }
  });

  it('gives the intake the run settings and the state machine, and the PDF renderer its fonts', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [logicalId(workflow.functions.Intake!.executionRole), 'Arn'] },
      Environment: {
        Variables: Match.objectLike({
          STATE_MACHINE_ARN: { Ref: stateMachineId },
          STEP_TIMEOUT_SECONDS: String(3 * 24 * 3600),
          MAX_REMINDERS: '3',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [logicalId(workflow.functions.RenderSummary!.executionRole), 'Arn'] },
      Environment: { Variables: Match.objectLike({ FONT_DIR: '/var/task/fonts' }) },
    });
  });

  it('gives each function its own log group with a retention', () => {
    const groups = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
    // 15 functions, the state machine, the API access logs, the domain events.
    expect(groups).toHaveLength(ALL_FUNCTIONS.length + 3);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('attaches no AWS managed policy and lets each function write only to its own log group', () => {
    for (const role of Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    for (const spec of ALL_FUNCTIONS) {
      const logs = statementWith(statementsOf(spec.id), 'logs:PutLogEvents');
      expect(logs?.Resource).toEqual({
        'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${spec.id}LogGroup`)), 'Arn'],
      });
    }
  });

  it('grants table access without Scan, and the index by name', () => {
    // Which item actions each function gets is checked against its code in function-permissions.
    for (const spec of ALL_FUNCTIONS) {
      const statements = statementsOf(spec.id);
      expect(actionsOf(statements).some((a) => a.startsWith('dynamodb:'))).toBe(true);
      expect(actionsOf(statements).filter((a) => a.includes('Scan') || a === 'dynamodb:*')).toEqual([]);
      const onIndex = statements.filter((s) => JSON.stringify(s.Resource).includes('/index/'));
      for (const s of onIndex) expect(JSON.stringify(s.Resource)).toContain('/index/gsi1');
    }
  });

  it('lets only the PDF renderer write order summaries, and only the summary keys', () => {
    const writers = ALL_FUNCTIONS.filter((spec) => actionsOf(statementsOf(spec.id)).includes('s3:PutObject'));
    expect(writers.map((s) => s.id)).toEqual(['RenderSummary']);
    expect(JSON.stringify(statementWith(statementsOf('RenderSummary'), 's3:PutObject'))).toContain(
      '/orders/*/order-summary.pdf',
    );
  });

  it('scopes SES SendEmail to the sender identity (address or domain) and the configuration set', () => {
    const configSetId = logicalId(workflow.email.configurationSet);
    const senders = ALL_FUNCTIONS.filter((spec) =>
      actionsOf(statementsOf(spec.id)).includes('ses:SendEmail'),
    );
    expect(senders.length).toBeGreaterThan(0);
    for (const spec of senders) {
      const ses = JSON.stringify(statementWith(statementsOf(spec.id), 'ses:SendEmail')?.Resource);
      expect(ses).toContain(':identity/"');
      expect(ses).toContain('{"Ref":"SenderEmail"}');
      expect(ses).toContain(`:configuration-set/",{"Ref":"${configSetId}"}`);
      expect(ses).not.toContain('identity/*');
    }
  });
});

describe('state machine', () => {
  it('is a Standard state machine from the ASL file asset, with tracing and logs in /aws/vendedlogs/states/', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      DefinitionS3Location: Match.objectLike({ Key: Match.stringLikeRegexp('\\.json$') }),
      DefinitionString: Match.absent(),
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
        ],
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/'),
    });
  });

  it('substitutes every state machine function of the registry by its ARN', () => {
    const substitutions = Object.fromEntries(
      STATE_MACHINE_FUNCTIONS.map((spec) => [
        spec.substitution,
        { 'Fn::GetAtt': [logicalId(workflow.functions[spec.id]!), 'Arn'] },
      ]),
    );
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionSubstitutions: substitutions,
    });
  });

  it('may invoke every state machine function, and only those', () => {
    const role = logicalId(workflow.workflow.stateMachine.role);
    const policy = Object.values(resources).find(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${role}"`),
    );
    const invoke = (policy?.Properties.PolicyDocument as { Statement: Statement[] }).Statement.find(
      (s) => s.Action === 'lambda:InvokeFunction',
    );
    const invoked = JSON.stringify(invoke?.Resource);
    for (const spec of ALL_FUNCTIONS) {
      const arn = JSON.stringify({ 'Fn::GetAtt': [logicalId(workflow.functions[spec.id]!), 'Arn'] });
      if (spec.substitution) expect(invoked).toContain(arn);
      else expect(invoked).not.toContain(arn);
    }
  });

  it('lets the intake start runs, the cancel function stop them, the resume function send task responses and the failure recorder read run histories', () => {
    expect(statementWith(statementsOf('Intake'), 'states:StartExecution')?.Resource).toEqual({
      Ref: stateMachineId,
    });
    const stop = statementWith(statementsOf('CancelOrder'), 'states:StopExecution');
    const executionsOfThisMachine = `":execution:",{"Fn::GetAtt":["${stateMachineId}","Name"]},":*"`;
    expect(JSON.stringify(stop?.Resource)).toContain(executionsOfThisMachine);
    const history = statementWith(statementsOf('RecordFailure'), 'states:GetExecutionHistory');
    expect(history?.Action).toBe('states:GetExecutionHistory');
    expect(JSON.stringify(history?.Resource)).toContain(executionsOfThisMachine);
    const success = statementWith(statementsOf('Resume'), 'states:SendTaskSuccess');
    expect(success?.Resource).toEqual({ Ref: stateMachineId });
    // SendTaskHeartbeat: a claimed step asks whether its run still waits (functions/resume/claims.ts).
    // No SendTaskFailure: the pages never fail a run.
    expect([success?.Action].flat().sort()).toEqual(['states:SendTaskHeartbeat', 'states:SendTaskSuccess']);
    // Nobody else may start, stop, resume or read runs.
    for (const spec of ALL_FUNCTIONS) {
      const actions = actionsOf(statementsOf(spec.id));
      if (spec.id !== 'Intake') expect(actions).not.toContain('states:StartExecution');
      if (spec.id !== 'CancelOrder') expect(actions).not.toContain('states:StopExecution');
      if (spec.id !== 'Resume') expect(actions).not.toContain('states:SendTaskSuccess');
      if (spec.id !== 'RecordFailure') expect(actions).not.toContain('states:GetExecutionHistory');
      expect(actions.filter((a) => a === 'states:*' || a === '*')).toEqual([]);
    }
  });
});

describe('event rules', () => {
  const busId = logicalId(workflow.events.bus);
  const dlqArn = { 'Fn::GetAtt': [logicalId(workflow.events.deadLetterQueue), 'Arn'] };

  it.each([
    ['Subscription Order Placed', 'Intake'],
    ['Subscription Order Cancelled', 'CancelOrder'],
  ])('routes "%s" from the custom bus to %s, with a DLQ and a retry policy', (detailType, functionId) => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: { source: ['orders.subscriptions'], 'detail-type': [detailType] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(workflow.functions[functionId]!), 'Arn'] },
          DeadLetterConfig: { Arn: dlqArn },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(workflow.functions[functionId]!) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: dlqArn } },
    });
  });

  it('sends the failed, timed-out and aborted runs of this state machine from the default bus to RecordFailure, with the same DLQ and retry policy', () => {
    const recordFailure = workflow.functions[FAILURE_FUNCTION.id]!;
    template.hasResourceProperties('AWS::Events::Rule', {
      // No EventBusName: Step Functions sends status changes to the default bus.
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: stateMachineId }] },
      },
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(recordFailure), 'Arn'] },
          DeadLetterConfig: { Arn: dlqArn },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(recordFailure) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: dlqArn } },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalId(recordFailure), 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalId(workflow.events.rules.ExecutionFailuresRule!), 'Arn'] },
    });
    // Four rules in all, one per row of infra/event-rules.ts: placed, cancelled, failed runs, domain events.
    template.resourceCountIs('AWS::Events::Rule', 4);
  });

  it('creates one rule per row of the shared table, on the bus the row names', () => {
    for (const spec of EVENT_RULES) {
      const rule = workflow.events.rules[spec.id];
      expect(rule, spec.id).toBeDefined();
      const props = resources[logicalId(rule!)]?.Properties ?? {};
      expect(props.EventBusName, spec.id).toEqual(spec.bus === 'workflow' ? { Ref: busId } : undefined);
      expect(props.Description).toBe(spec.description);
    }
  });

  it('delivers the domain events of the workflow bus to a log group under /aws/events/, for inspection', () => {
    const logGroupId = logicalId(workflow.events.domainEventsLog);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: { source: ['provisioning.workflow'] },
    });
    const rule = resources[logicalId(workflow.events.rules.DomainEventsLogRule!)]!;
    expect(JSON.stringify(rule.Properties.Targets)).toContain(logGroupId);
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::ResourcePolicy');
    expect(policies).toHaveLength(1);
    const policy = JSON.stringify(policies[0]?.Properties.PolicyDocument);
    expect(policy).toContain('events.amazonaws.com');
    expect(policy).toContain('logs:PutLogEvents');
    expect(policy).toContain(logGroupId);
    // Its name ends with the stack's unique id (a kept group never blocks a redeploy).
    const logGroup = resources[logGroupId]!;
    expect(JSON.stringify(logGroup.Properties.LogGroupName)).toMatch(
      /"\/aws\/events\/[^"]+\/domain-events\/"/,
    );
    expect(logGroup.Properties.RetentionInDays).toEqual(expect.any(Number));
  });

  it('archives every event of the bus, for a retention the EventArchiveRetentionDays parameter sets', () => {
    // Placed orders carry the contact: kept as long as a replay needs them (docs/deploy.md), never forever.
    template.hasParameter('EventArchiveRetentionDays', {
      Type: 'Number',
      MinValue: 1,
      MaxValue: 30,
      Default: 14,
    });
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      RetentionDays: { Ref: 'EventArchiveRetentionDays' },
      EventPattern: Match.absent(),
    });
    template.hasOutput('EventArchiveArn', Match.anyValue());
  });

  it('keeps dead letters in an encrypted, TLS-only queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('setup pages API', () => {
  it('routes GET and POST, at the root and below, to the resume function', () => {
    const integration = Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::ApiGatewayV2::Integration',
    );
    expect(integration?.[1].Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(workflow.functions.Resume!), 'Arn'] },
      PayloadFormatVersion: '2.0',
    });
    const routeKeys = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(routeKeys).toEqual(['GET /', 'GET /{proxy+}', 'POST /', 'POST /{proxy+}']);
  });

  it('has an explicit $default stage with JSON access logs that leave out the path (link ids)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalId(workflow.resumeApi.accessLogGroup), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
    const stage = Object.values(resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage');
    const format = (stage?.Properties.AccessLogSettings as { Format: string }).Format;
    expect(format).not.toMatch(/\$context\.path|\$context\.rawPath/);
  });
});

describe('email', () => {
  it('sends through an SES configuration set; the sender is a parameter', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
    });
    template.hasParameter('SenderEmail', { Type: 'String', AllowedPattern: Match.anyValue() });
    template.hasParameter('OpsEmail', { Type: 'String', AllowedPattern: Match.anyValue() });
  });
});

describe('ops: topic, alarms, dashboard', () => {
  const topicId = logicalId(workflow.observability.topic);

  it('notifies ops through an encrypted, TLS-only topic with an optional email subscription', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResource('AWS::SNS::Subscription', {
      Condition: 'SubscribeOpsEmail',
      Properties: { Protocol: 'email', Endpoint: { Ref: 'OpsEmail' }, TopicArn: { Ref: topicId } },
    });
    // CloudWatch must be able to use the topic's key, or alarms never arrive.
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: Match.arrayWith(['kms:Decrypt']),
          }),
        ]),
      },
    });
  });

  it.each(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])(
    'alarms ops on %s of the state machine',
    (metricName) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metricName,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: topicId }],
      });
    },
  );

  it('alarms ops on any message in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalId(workflow.events.deadLetterQueue), 'QueueName'] },
        },
      ],
      Threshold: 1,
      AlarmActions: [{ Ref: topicId }],
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  it('has a dashboard with runs, the order metrics, waiting time, step time, Lambda errors and the DLQ', () => {
    const dashboard = Object.values(resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const metric of ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed'])
      expect(body).toContain(metric);
    for (const metric of [
      ...ORDER_METRICS,
      'TimeWaitingForPeople',
      'StepDuration',
      'OrderDuration',
      'EventsRejected',
      'DuplicateEvents',
    ]) {
      expect(body).toContain(
        `Namespace=\\\\\\"${METRICS_NAMESPACE}\\\\\\" MetricName=\\\\\\"${metric}\\\\\\"`,
      );
    }
    for (const metric of ['Errors', 'Duration', 'ApproximateNumberOfMessagesVisible'])
      expect(body).toContain(metric);
  });
});

describe('outputs', () => {
  it('exports the setup pages URL, bus name, state machine ARN, table and bucket names', () => {
    for (const name of ['SetupPagesUrl', 'EventBusName', 'StateMachineArn', 'TableName', 'BucketName']) {
      template.hasOutput(name, { Value: Match.anyValue() });
    }
  });
});
