import { CANCEL_FUNCTION, FAILURE_FUNCTION, INTAKE_FUNCTION } from '../functions/registry';
import { WORKFLOW_EVENT_SOURCE } from '../functions/shared/domain/domain-events.schema';
import {
  DETAIL_TYPE_CANCELLED,
  DETAIL_TYPE_PLACED,
  ORDER_SOURCE,
} from '../functions/shared/domain/order.schema';
import type { EventPattern } from './local/events/event-pattern';

// The one table of EventBridge rules. The CDK app deploys a rule per row (OrderEvents construct),
// and the embedded runtime's local bus routes every PutEvents entry by the same rows, with the
// same pattern matching. Patterns are written as EventBridge takes them (`detail-type`, not
// CDK's `detailType`); `${Name}` placeholders are filled with deploy-time values (ARNs).

/** Which bus a rule listens on: the workflow's own bus, or the account's default bus (AWS service events). */
export type RuleBus = 'workflow' | 'default';

export type RuleTarget =
  /** A function of functions/registry.ts, invoked asynchronously with retries and a dead-letter queue. */
  | { kind: 'function'; functionId: string }
  /** A CloudWatch log group for inspection (locally: the events page, which lists every event). */
  | { kind: 'log'; name: string };

export interface EventRuleSpec {
  /** Construct id of the rule. */
  id: string;
  bus: RuleBus;
  description: string;
  pattern: EventPattern;
  target: RuleTarget;
}

/** The placeholder for the provisioning state machine's ARN (known at deploy time). */
export const STATE_MACHINE_ARN_KEY = 'StateMachineArn';

export const EVENT_RULES: readonly EventRuleSpec[] = [
  {
    id: 'OrderPlacedRule',
    bus: 'workflow',
    description: 'Starts one provisioning run per placed order',
    pattern: { source: [ORDER_SOURCE], 'detail-type': [DETAIL_TYPE_PLACED] },
    target: { kind: 'function', functionId: INTAKE_FUNCTION.id },
  },
  {
    id: 'OrderCancelledRule',
    bus: 'workflow',
    description: 'Stops the run of a cancelled order',
    pattern: { source: [ORDER_SOURCE], 'detail-type': [DETAIL_TYPE_CANCELLED] },
    target: { kind: 'function', functionId: CANCEL_FUNCTION.id },
  },
  {
    // Task errors are not caught inside the state machine: the failed task ends the run (the
    // console shows it in red, RedriveExecution re-runs exactly it). Step Functions sends every
    // status change to the default bus; this rule passes the unsuccessful ends of this state
    // machine's runs to the function that records them on the order and tells ops.
    id: 'ExecutionFailuresRule',
    bus: 'default',
    description: 'Records a failed, timed-out or aborted provisioning run on its order and tells ops',
    pattern: {
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
        stateMachineArn: [`\${${STATE_MACHINE_ARN_KEY}}`],
      },
    },
    target: { kind: 'function', functionId: FAILURE_FUNCTION.id },
  },
  {
    id: 'DomainEventsLogRule',
    bus: 'workflow',
    description: 'Keeps every domain event the workflow publishes in a log group, for inspection',
    pattern: { source: [WORKFLOW_EVENT_SOURCE] },
    target: { kind: 'log', name: 'DomainEvents' },
  },
];

/** The pattern with each `${Name}` placeholder replaced; a placeholder without a value throws. */
export function resolvePattern(pattern: EventPattern, values: Record<string, string>): EventPattern {
  return JSON.parse(
    JSON.stringify(pattern).replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`No value for \${${name}} in an event rule pattern`);
      return JSON.stringify(value).slice(1, -1);
    }),
  ) as EventPattern;
}
