import * as path from 'node:path';
import { ArnFormat, CfnCondition, CfnOutput, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  CANCEL_FUNCTION,
  FAILURE_FUNCTION,
  INTAKE_FUNCTION,
  RESUME_FUNCTION,
  WEBEX_PRECHECK_FUNCTION,
  STATE_MACHINE_FUNCTIONS,
  type FunctionSpec,
} from '../functions/registry';
import { summaryKey } from '../functions/shared/documents/summary-object';
import { EmailSending } from './constructs/email.construct';
import { Observability } from './constructs/observability.construct';
import { OrderEvents } from './constructs/order-events.construct';
import { EVENT_RULES, STATE_MACHINE_ARN_KEY } from './event-rules';
import { ProvisioningWorkflow } from './constructs/provisioning-workflow.construct';
import { ResumeApi } from './constructs/resume-api.construct';
import { acknowledgeWildcardResource } from './constructs/nag-acknowledgements';
import {
  WorkflowFunction,
  type BundleFile,
  type TableAction,
} from './constructs/workflow-function.construct';
import { WORKFLOW_EVENT_SOURCE } from '../functions/shared/domain/domain-events.schema';
import type { Settings } from './settings';

export interface WorkflowStackProps extends StackProps {
  projectRoot: string;
  settings: Settings;
  table: dynamodb.ITableV2;
  bucket: s3.IBucket;
  signingSecret: secretsmanager.ISecret;
  webexSecret: secretsmanager.ISecret;
}

/** What each function may touch. */
export interface Capabilities {
  /** The DynamoDB actions its code calls (test/infra/function-permissions reads them from its bundle). */
  table: readonly TableAction[];
  bucket?: 'read' | 'write' | 'readWrite';
  /** Reads the key that signs the setup pages' sessions and CSRF tokens (links are random ids, not signed). */
  signing?: boolean;
  /** Sends email through SES. */
  email?: boolean;
  /** Calls Webex: its base URL and read access to the integration's credentials. */
  webex?: boolean;
  /** Invokes the WebexPrecheck function (its name in WEBEX_PRECHECK_FUNCTION). */
  invokesPrecheck?: boolean;
  /**
   * What it may do with the provisioning state machine through the Step Functions API. Only
   * functions outside the state machine: its own functions are referenced by its definition, so
   * a grant back to it would be a dependency cycle.
   */
  stateMachine?: StateMachineAccess;
  /** Publishes the workflow's domain events on its bus (functions/shared/adapters/domain-events.ts). */
  events?: boolean;
}

/**
 * Whether a function's errors may go to X-Ray with their text. Not where the text can hold a
 * setup link or personal data: the public function (its request is the link), the email senders
 * (SES names the refused addresses; the renderer quotes a bad link) and the Webex callers (Webex
 * echoes names, emails and addresses it refuses). The others' errors name keys, fields and AWS
 * errors only. Their errors still reach the run's history and the function's log, as before.
 */
export function errorsHoldNoPersonalData(functionId: string, caps: Capabilities): boolean {
  return functionId !== RESUME_FUNCTION.id && !caps.email && !caps.webex;
}

/** How long the event archive keeps events by default, and at most (EventArchiveRetentionDays). */
export const ARCHIVE_RETENTION_DAYS = 14;
export const ARCHIVE_MAX_RETENTION_DAYS = 30;

export type StateMachineAccess = 'startRuns' | 'stopRuns' | 'sendTaskResults' | 'readHistory';

// Least privilege per function, from what each one's code calls (test/infra/function-permissions
// checks this table against the AWS clients each function's bundle contains).
export const CAPABILITIES: Record<string, Capabilities> = {
  ReceiveOrder: { table: ['PutItem'], events: true },
  RequestInput: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], email: true },
  HandOff: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], email: true },
  // Finds or submits the customer org in Webex.
  MapOrganization: { table: ['GetItem', 'PutItem', 'UpdateItem'], webex: true, events: true },
  CreateOrganization: {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    webex: true,
    events: true,
  },
  // BatchWriteItem: moves a step stored in the old layout onto its order (step-store.ts withLegacySteps).
  SendReminder: {
    table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    email: true,
  },
  ExpireOrder: {
    table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
    email: true,
    events: true,
  },
  ProvisionMeetings: {
    table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
    webex: true,
    events: true,
  },
  ProvisionCalling: { table: ['GetItem'], webex: true, events: true },
  CheckWebexJob: { table: ['GetItem', 'PutItem', 'UpdateItem'], webex: true, events: true },
  RenderSummary: { table: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem'], bucket: 'write' },
  CompleteOrder: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], email: true, events: true },
  // Finds the failed state in the run's history.
  RecordFailure: {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
    email: true,
    stateMachine: 'readHistory',
    events: true,
  },
  Intake: { table: ['Query', 'PutItem', 'UpdateItem'], stateMachine: 'startRuns' },
  CancelOrder: {
    table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
    email: true,
    stateMachine: 'stopRuns',
    events: true,
  },
  // The wizard: session cookies and CSRF tokens (signing key), fresh links for expired ones
  // (email), the summary download (presigned GET), the answers as task results (task tokens
  // name their execution; it needs no state machine ARN).
  // The precheck before Close: it invokes WebexPrecheck, and holds no Webex credential itself.
  Resume: {
    table: [
      'GetItem',
      'BatchGetItem',
      'Query',
      'QueryIndex',
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'BatchWriteItem',
    ],
    bucket: 'read',
    signing: true,
    email: true,
    stateMachine: 'sendTaskResults',
    invokesPrecheck: true,
  },
  // Asks Webex whether a setup would go through (the setup pages invoke it before Close).
  WebexPrecheck: { table: ['GetItem'], webex: true },
};

// The order summary PDF embeds DejaVu Sans (Romanian ș and ț; the standard PDF fonts lack them).
// pdfkit also loads its standard-font metrics at run time through the package import
// `#standard-fonts/*`, which esbuild cannot inline: the bundle gets those files and a
// package.json that maps the import to them.
export const PDF_BUNDLE_FILES: BundleFile[] = [
  { source: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf', target: 'fonts/DejaVuSans.ttf' },
  { source: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf', target: 'fonts/DejaVuSans-Bold.ttf' },
  { source: 'node_modules/pdfkit/js/standard-fonts', target: 'standard-fonts' },
];
export const PDF_PACKAGE_JSON = { private: true, imports: { '#standard-fonts/*': './standard-fonts/*.cjs' } };
export const FONT_DIR = '/var/task/fonts';

/**
 * The stateless half: functions, state machine, event bus, setup pages API, email sending and
 * what ops watch. Safe to destroy and redeploy; the data lives in the stateful stack.
 */
export class WorkflowStack extends Stack {
  readonly functions: Record<string, WorkflowFunction>;
  readonly workflow: ProvisioningWorkflow;
  readonly events: OrderEvents;
  readonly resumeApi: ResumeApi;
  readonly email: EmailSending;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { settings, table, bucket, signingSecret, webexSecret } = props;
    const logRetention = settings.logRetentionDays;

    const emailPattern = '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$';
    const senderEmail = new CfnParameter(this, 'SenderEmail', {
      type: 'String',
      description: 'From address of every email. The address or its domain must be a verified SES identity.',
      allowedPattern: emailPattern,
      constraintDescription: 'an email address',
      ...(settings.senderEmail ? { default: settings.senderEmail } : {}),
    });
    const opsEmail = new CfnParameter(this, 'OpsEmail', {
      type: 'String',
      description: 'Ops address: failure notices from the workflow and, if subscribed, the alarms.',
      allowedPattern: emailPattern,
      constraintDescription: 'an email address',
      ...(settings.opsEmail ? { default: settings.opsEmail } : {}),
    });
    const webexApiUrl = new CfnParameter(this, 'WebexApiUrl', {
      type: 'String',
      description: 'Base URL of the Webex REST API the provisioning steps call.',
      allowedPattern: '^https://[^\\s]+$',
      constraintDescription: 'an https URL',
      default: 'https://webexapis.com/v1',
    });
    const webexMeetings = new CfnParameter(this, 'WebexMeetings', {
      type: 'String',
      description:
        'How Meetings is provisioned: modelled-site (a site with a chosen URL, our modelled call) or wholesale-package (the published Wholesale package with its time zone). docs/webex.md.',
      allowedValues: ['modelled-site', 'wholesale-package'],
      default: 'modelled-site',
    });
    const subscribeOpsEmail = new CfnParameter(this, 'SubscribeOpsEmailToAlarms', {
      type: 'String',
      description: 'Subscribe OpsEmail to the alarm topic (SNS sends a confirmation email first).',
      allowedValues: ['true', 'false'],
      default: 'true',
    });
    const subscribeCondition = new CfnCondition(this, 'SubscribeOpsEmail', {
      expression: Fn.conditionEquals(subscribeOpsEmail.valueAsString, 'true'),
    });

    // The archive holds every "Order Placed" event, with the contact's name and email: it keeps
    // them as long as a replay after an outage needs them, no longer. Outages are alarmed within
    // minutes (failed runs, dead letters); 14 days is as long as the dead-letter queue keeps what
    // failed, and 30 the most a deployer may choose. Never forever.
    const archiveRetentionDays = new CfnParameter(this, 'EventArchiveRetentionDays', {
      type: 'Number',
      description:
        'Days the event bus archive keeps every event (placed orders carry the contact’s name and email), for replays after an outage: 1 to 30.',
      minValue: 1,
      maxValue: ARCHIVE_MAX_RETENTION_DAYS,
      default: ARCHIVE_RETENTION_DAYS,
    });

    this.email = new EmailSending(this, 'Email', { senderEmail: senderEmail.valueAsString });
    // The bus before the functions: the steps publish the workflow's domain events on it.
    this.events = new OrderEvents(this, 'OrderEvents', {
      archiveRetentionDays: archiveRetentionDays.valueAsNumber,
      logRetention,
    });

    // The API exists before the functions: setup links in emails need its URL. Its routes come
    // last. This order has no dependency cycle: the functions reference only the API resource
    // (its endpoint), the routes reference the resume function, and the resume function's
    // policy references the state machine, which references the step functions — none of which
    // reference the routes or the resume function.
    this.resumeApi = new ResumeApi(this, 'ResumeApi', { logRetention });

    const environment: Record<string, string> = {
      TABLE_NAME: table.tableName,
      BUCKET_NAME: bucket.bucketName,
      SENDER_EMAIL: senderEmail.valueAsString,
      OPS_EMAIL: opsEmail.valueAsString,
      SES_CONFIGURATION_SET: this.email.configurationSetName,
      PUBLIC_BASE_URL: this.resumeApi.url,
      LINK_TTL_SECONDS: String(settings.linkTtlSeconds),
      SUMMARY_URL_TTL_SECONDS: String(settings.summaryUrlTtlSeconds),
    };

    const build = (spec: FunctionSpec): WorkflowFunction => {
      const caps = CAPABILITIES[spec.id];
      if (!caps)
        throw new Error(`No capabilities declared for function ${spec.id} (infra/workflow.stack.ts)`);
      const isPdf = spec.id === 'RenderSummary';
      const fn = new WorkflowFunction(this, spec.id, {
        spec,
        projectRoot: props.projectRoot,
        logRetention,
        traceErrors: errorsHoldNoPersonalData(spec.id, caps),
        environment: isPdf ? { ...environment, FONT_DIR } : environment,
        ...(isPdf ? { bundleFiles: PDF_BUNDLE_FILES, bundlePackageJson: PDF_PACKAGE_JSON } : {}),
      });
      fn.bindTable(table, caps.table);
      // The only objects are order summaries; the pattern follows their key (document-store.ts).
      if (caps.bucket) fn.bindBucket(bucket, caps.bucket, summaryKey('*'));
      if (caps.signing) fn.bindSigningSecret(signingSecret);
      if (caps.webex) {
        fn.bindWebex(webexSecret, webexApiUrl.valueAsString);
        fn.addEnvironment('WEBEX_MEETINGS', webexMeetings.valueAsString);
      }
      if (caps.events) {
        fn.allowPublishEvents(this.events.bus, WORKFLOW_EVENT_SOURCE);
      }
      if (caps.email) {
        fn.allowSendEmail({
          senderEmail: senderEmail.valueAsString,
          configurationSetName: this.email.configurationSetName,
        });
      }
      return fn;
    };

    this.functions = {};
    const stepFunctions: Record<string, WorkflowFunction> = {};
    for (const spec of STATE_MACHINE_FUNCTIONS) {
      if (!spec.substitution)
        throw new Error(`State machine function ${spec.id} has no ASL substitution key`);
      if (CAPABILITIES[spec.id]?.stateMachine)
        throw new Error(
          `State machine function ${spec.id} cannot be granted access to its own state machine`,
        );
      const fn = build(spec);
      this.functions[spec.id] = fn;
      stepFunctions[spec.substitution] = fn;
    }

    this.workflow = new ProvisioningWorkflow(this, 'Workflow', {
      definitionFile: path.join(props.projectRoot, 'statemachines/provisioning.asl.json'),
      functions: stepFunctions,
      logRetention,
    });
    const { stateMachine } = this.workflow;

    // The functions outside the state machine, with what they may do to its runs.
    const buildOutside = (spec: FunctionSpec): WorkflowFunction => {
      const fn = build(spec);
      const access = CAPABILITIES[spec.id]?.stateMachine;
      if (access) grantOnStateMachine(fn, stateMachine, access);
      this.functions[spec.id] = fn;
      return fn;
    };

    const intake = buildOutside(INTAKE_FUNCTION);
    intake.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    intake.addEnvironment('STEP_TIMEOUT_SECONDS', String(settings.stepTimeoutSeconds));
    intake.addEnvironment('MAX_REMINDERS', String(settings.maxReminders));

    const cancel = buildOutside(CANCEL_FUNCTION);
    cancel.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);

    const resume = buildOutside(RESUME_FUNCTION);
    // Tells a person asking for a fresh link how many reminders are left.
    resume.addEnvironment('MAX_REMINDERS', String(settings.maxReminders));
    // The Webex precheck before Close runs in its own function: the public one holds no Webex
    // credential, only the right to invoke this one.
    const webexPrecheck = buildOutside(WEBEX_PRECHECK_FUNCTION);
    for (const [id, caps] of Object.entries(CAPABILITIES)) {
      const fn = this.functions[id];
      if (!caps.invokesPrecheck || !fn) continue;
      // The function itself, not its versions (grantInvoke would add `:*`).
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [webexPrecheck.functionArn],
        }),
      );
      fn.addEnvironment('WEBEX_PRECHECK_FUNCTION', webexPrecheck.functionName);
    }
    this.resumeApi.routeTo(resume);

    // The event names the execution; the function reads its history for the failed state.
    const recordFailure = buildOutside(FAILURE_FUNCTION);

    // The rules of the shared table (the embedded runtime routes by the same rows).
    this.events.addRules(EVENT_RULES, {
      functions: {
        [intake.node.id]: intake,
        [cancel.node.id]: cancel,
        [recordFailure.node.id]: recordFailure,
      },
      substitutions: { [STATE_MACHINE_ARN_KEY]: stateMachine.stateMachineArn },
    });

    this.observability = new Observability(this, 'Observability', {
      stateMachine,
      deadLetterQueue: this.events.deadLetterQueue,
      functions: Object.values(this.functions),
      api: this.resumeApi.api,
      opsEmail: { address: opsEmail.valueAsString, condition: subscribeCondition },
    });

    new CfnOutput(this, 'SetupPagesUrl', {
      value: this.resumeApi.url,
      description: 'Base URL of the setup pages',
    });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: this.events.bus.eventBusArn });
    new CfnOutput(this, 'EventArchiveArn', { value: this.events.archive.attrArn });
    new CfnOutput(this, 'DomainEventsLogGroup', { value: this.events.domainEventsLog.logGroupName });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.events.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'OpsTopicArn', { value: this.observability.topic.topicArn });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
  }
}

function grantOnStateMachine(
  fn: WorkflowFunction,
  stateMachine: sfn.StateMachine,
  access: StateMachineAccess,
): void {
  switch (access) {
    case 'startRuns':
      stateMachine.grantStartExecution(fn);
      return;
    case 'stopRuns':
      allowOnExecutions(fn, stateMachine, ['states:StopExecution']);
      return;
    case 'sendTaskResults':
      // Not grantTaskResponse: the pages answer a step or ask whether its run still waits
      // (functions/resume/claims.ts), and never fail a run (no SendTaskFailure).
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskHeartbeat'],
          resources: [stateMachine.stateMachineArn],
        }),
      );
      return;
    case 'readHistory':
      allowOnExecutions(fn, stateMachine, ['states:GetExecutionHistory']);
      return;
  }
}

/** Actions on the executions of one state machine (their ARNs end in the execution name, the order id). */
function allowOnExecutions(fn: WorkflowFunction, stateMachine: sfn.StateMachine, actions: string[]): void {
  const stack = Stack.of(fn);
  const executions = stack.formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachine.stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [executions] }));
  acknowledgeWildcardResource(
    fn.executionRole,
    executions,
    `${actions.join(', ')} on the executions of the provisioning state machine only; execution names are order ids.`,
  );
}
