// Typed errors. Each sets an explicit `name` ending in `Error`: Step Functions matches
// `Retry`/`Catch` on it (ErrorEquals), so names are part of the state machine's contract.

/** A passing fault (throttling, 5xx from a dependency): the state machine retries it with backoff. */
export class TransientError extends Error {
  override name = 'TransientError';
}

/** Input that fails validation. `issues` names each bad field (path and message). */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export class OrderNotFoundError extends Error {
  override name = 'OrderNotFoundError';
}

/** The order is cancelled, expired, failed or completed: nothing more may change it. */
export class OrderClosedError extends Error {
  override name = 'OrderClosedError';
}

export class OrganizationNotFoundError extends Error {
  override name = 'OrganizationNotFoundError';
}

export class SiteNameTakenError extends Error {
  override name = 'SiteNameTakenError';
}

/** The run waited past its last reminder: the state machine ends it as expired. */
export class OrderExpiredError extends Error {
  override name = 'OrderExpiredError';
}

/** An email was refused for good (e.g. SES sandbox: unverified recipient). Not retried. */
export class EmailRejectedError extends Error {
  override name = 'EmailRejectedError';
}

/**
 * Webex refused a request for good (4xx other than 401/429): the message names the call, the
 * field and what Webex said, with Webex's trackingId. Not retried; shown on the run's failed step.
 */
export class WebexRequestError extends Error {
  override name = 'WebexRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly trackingId: string,
    /** Webex's `errors[]`, with the field each is about when Webex names it. */
    readonly details: { field?: string; description: string }[] = [],
  ) {
    super(message);
  }
}

/** Webex refused the integration's token even after a refresh: the integration must be re-authorized. */
export class WebexAuthError extends Error {
  override name = 'WebexAuthError';
}

/** A Webex job (org or Meetings site) ended in `error`: Webex's message and trackingId are in the message. */
export class WebexJobFailedError extends Error {
  override name = 'WebexJobFailedError';
}

/**
 * A Webex customer ended `provisioned_with_errors`: some packages were provisioned, others failed.
 * A partial outcome, neither success nor a crash: the message names each failed package and what
 * Webex said, the order keeps them (`webexPartial`), and ops are told by the failure email.
 */
export class WebexPartiallyProvisionedError extends Error {
  override name = 'WebexPartiallyProvisionedError';
}

/** A Webex job was still running after the last poll the run allows. */
export class WebexJobTimedOutError extends Error {
  override name = 'WebexJobTimedOutError';
}

/**
 * Webex refuses to update a customer (409) while it is still busy with another update (another
 * order of the same customer): a wait, not a failure. The steps that update a customer retry it
 * with a longer backoff than a TransientError, as a Webex update takes seconds to minutes.
 */
export class WebexCustomerBusyError extends Error {
  override name = 'WebexCustomerBusyError';
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Lambda errors arrive with a JSON cause ({errorMessage, errorType, …}); keep just the message. */
export function readableCause(cause: unknown): string {
  if (typeof cause !== 'string') return cause === undefined || cause === null ? '' : JSON.stringify(cause);
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not JSON: the cause is already a message.
  }
  return cause;
}
