// Every Lambda function of the workflow: the ASL substitution key that names it, and its entry
// file. The CDK app builds one function per row; the embedded runtime imports the same entries
// and runs them in-process when the state machine invokes `${Key}`.

export interface FunctionSpec {
  /** Construct id and log name. */
  id: string;
  /** Path of the entry file, relative to the repository root. */
  entry: string;
  /** The `${...}` key in statemachines/provisioning.asl.json, for functions the state machine invokes. */
  substitution?: string;
  /** Longer than the default timeout (PDF rendering). */
  timeoutSeconds?: number;
  memoryMb?: number;
  /**
   * The functions that use the documents bucket (S3) are bundled apart from the others
   * (infra/bundling.ts): the chunks they share would otherwise carry S3's XML protocol into every
   * function. test/infra/function-permissions.test.ts ties this to the code.
   */
  bundleGroup?: 'documents';
  /**
   * Bundled with the Powertools tracer and the X-Ray SDK (90 KB, and about 2 ms of CPU per AWS
   * SDK call): the functions whose work is a call to Webex, where a subsegment per call shows
   * where a run's time went. The others are bundled without them; Lambda's active tracing still
   * records each of their invocations in the run's trace (docs/performance.md).
   */
  xraySdk?: true;
}

export const STATE_MACHINE_FUNCTIONS: FunctionSpec[] = [
  {
    id: 'ReceiveOrder',
    entry: 'functions/receive-order/handler.ts',
    substitution: 'ReceiveOrderFunctionArn',
  },
  {
    id: 'RequestInput',
    entry: 'functions/request-input/handler.ts',
    substitution: 'RequestInputFunctionArn',
  },
  { id: 'HandOff', entry: 'functions/hand-off/handler.ts', substitution: 'HandOffFunctionArn' },
  {
    id: 'MapOrganization',
    entry: 'functions/map-organization/handler.ts',
    substitution: 'MapOrganizationFunctionArn',
    xraySdk: true,
  },
  {
    id: 'CreateOrganization',
    entry: 'functions/create-organization/handler.ts',
    substitution: 'CreateOrganizationFunctionArn',
    xraySdk: true,
  },
  {
    id: 'SendReminder',
    entry: 'functions/send-reminder/handler.ts',
    substitution: 'SendReminderFunctionArn',
  },
  { id: 'ExpireOrder', entry: 'functions/expire-order/handler.ts', substitution: 'ExpireOrderFunctionArn' },
  {
    id: 'ProvisionMeetings',
    entry: 'functions/provision-meetings/handler.ts',
    substitution: 'ProvisionMeetingsFunctionArn',
    xraySdk: true,
  },
  {
    id: 'ProvisionCalling',
    entry: 'functions/provision-calling/handler.ts',
    substitution: 'ProvisionCallingFunctionArn',
    xraySdk: true,
  },
  {
    id: 'CheckWebexJob',
    entry: 'functions/check-webex-job/handler.ts',
    substitution: 'CheckWebexJobFunctionArn',
    xraySdk: true,
  },
  {
    id: 'RenderSummary',
    entry: 'functions/render-summary/handler.ts',
    substitution: 'RenderSummaryFunctionArn',
    timeoutSeconds: 60,
    memoryMb: 1024,
    bundleGroup: 'documents',
  },
  {
    id: 'CompleteOrder',
    entry: 'functions/complete-order/handler.ts',
    substitution: 'CompleteOrderFunctionArn',
  },
];

/**
 * Target of an EventBridge rule on the state machine's "Step Functions Execution Status Change"
 * events (FAILED, TIMED_OUT, ABORTED): records the failure on the order and tells ops. Failures
 * are not caught inside the state machine, so the failed task itself ends the run and a
 * RedriveExecution re-runs exactly that task.
 */
export const FAILURE_FUNCTION: FunctionSpec = {
  id: 'RecordFailure',
  entry: 'functions/record-failure/handler.ts',
};

/** Triggered by EventBridge rules: validate and start a run; cancel a run. */
export const INTAKE_FUNCTION: FunctionSpec = { id: 'Intake', entry: 'functions/intake/handler.ts' };
export const CANCEL_FUNCTION: FunctionSpec = {
  id: 'CancelOrder',
  entry: 'functions/cancel-order/handler.ts',
};
/** Behind the HTTP API: the setup pages (wizard) and their form posts. */
export const RESUME_FUNCTION: FunctionSpec = {
  id: 'Resume',
  entry: 'functions/resume/handler.ts',
  memoryMb: 512,
  bundleGroup: 'documents',
};

/** Invoked by Resume before Close: the Webex precheck, so that the public function holds no Webex credential. */
export const WEBEX_PRECHECK_FUNCTION: FunctionSpec = {
  id: 'WebexPrecheck',
  entry: 'functions/webex-precheck/handler.ts',
};

export const ALL_FUNCTIONS = [
  ...STATE_MACHINE_FUNCTIONS,
  FAILURE_FUNCTION,
  INTAKE_FUNCTION,
  CANCEL_FUNCTION,
  RESUME_FUNCTION,
  WEBEX_PRECHECK_FUNCTION,
];
