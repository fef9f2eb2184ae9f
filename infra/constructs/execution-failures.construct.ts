import * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';
/** The end states of a run that did not succeed. */
export const UNSUCCESSFUL_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'];

export interface ExecutionFailuresProps {
  stateMachine: sfn.IStateMachine;
  /** Records the failure on the order (status, failed step, error, cause) and emails ops. */
  recordFailure: lambda.IFunction;
  /** How the rule delivers to the function: retries and a dead-letter queue. */
  target: (fn: lambda.IFunction) => events.IRuleTarget;
}

/**
 * Task errors are not caught inside the state machine: the failed task ends the run, so the
 * console shows that task in red and RedriveExecution re-runs exactly it. Step Functions sends
 * every status change of an execution to the default event bus; this rule passes the unsuccessful
 * ends of this state machine's runs to the function that records them.
 */
export class ExecutionFailures extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ExecutionFailuresProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Records a failed, timed-out or aborted provisioning run on its order and tells ops',
      eventPattern: {
        source: ['aws.states'],
        detailType: [EXECUTION_STATUS_CHANGE],
        detail: {
          status: UNSUCCESSFUL_STATUSES,
          stateMachineArn: [props.stateMachine.stateMachineArn],
        },
      },
      targets: [props.target(props.recordFailure)],
    });
  }
}
