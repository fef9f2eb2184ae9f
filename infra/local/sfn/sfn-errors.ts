// Errors of the Step Functions API, by their AWS names. The server turns each into an HTTP 400
// with `__type` set, which the AWS SDK raises as the typed exception of the same name.

export const SFN_ERROR_NAMES = [
  'ExecutionAlreadyExists',
  'ExecutionDoesNotExist',
  'ExecutionLimitExceeded',
  'ExecutionNotRedrivable',
  'InvalidArn',
  'InvalidExecutionInput',
  'InvalidName',
  'InvalidOutput',
  'InvalidToken',
  'StateMachineDoesNotExist',
  'TaskDoesNotExist',
  'TaskTimedOut',
  'ValidationException',
  'UnknownOperationException',
] as const;
export type SfnErrorName = (typeof SFN_ERROR_NAMES)[number];

export class SfnApiError extends Error {
  override name = 'SfnApiError';
  constructor(
    readonly type: SfnErrorName,
    message: string,
  ) {
    super(message);
  }
}
