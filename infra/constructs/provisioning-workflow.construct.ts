import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag-acknowledgements';

export interface ProvisioningWorkflowProps {
  /** statemachines/provisioning.asl.json */
  definitionFile: string;
  /** ASL `${key}` → the function that key names. */
  functions: Record<string, lambda.IFunction>;
  logRetention: logs.RetentionDays;
}

/**
 * The provisioning state machine, from the ASL file that the embedded runtime also executes.
 * A definition from a file grants nothing by itself: every permission is added here, explicitly.
 */
export class ProvisioningWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly definitionSubstitutions: Record<string, string>;

  constructor(scope: Construct, id: string, props: ProvisioningWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Vended-logs prefix: Step Functions adds the log delivery under a resource policy whose
    // size is limited; the /aws/vendedlogs/ prefix keeps that policy to one wildcard entry.
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/vendedlogs/states/${stack.stackName}-provisioning`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.definitionSubstitutions = Object.fromEntries(
      Object.entries(props.functions).map(([key, fn]) => [key, fn.functionArn]),
    );

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromFile(props.definitionFile),
      definitionSubstitutions: this.definitionSubstitutions,
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      // Every event is logged, without its input and output: those carry task tokens, which
      // must never reach a log line. The execution history in the console has the data.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    for (const fn of Object.values(props.functions)) {
      fn.grantInvoke(this.stateMachine);
      acknowledgeWildcardResource(
        this.stateMachine,
        `${fn.functionArn}:*`,
        'grantInvoke also covers the function’s versions and aliases (ARN:*); the functions are this stack’s own.',
      );
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs log delivery (logs:CreateLogDelivery and friends) and X-Ray PutTraceSegments support no ' +
        'resource-level permissions; these statements are the ones CDK adds for logging and tracing.',
    });
  }
}
