import { getConfig } from '../config';
import { EmailRejectedError, TransientError } from '../errors';
import { classifyError, isTransient } from '../middleware';
import type { EmailRequest, SentMessage } from './email.types';

// Sends one email of the flow through SES v2: HTML and text parts in the recipient's language,
// with the configuration set when one is configured. A refusal that a retry cannot cure becomes
// EmailRejectedError (the state machine catches it, never retries it); throttling and 5xx become
// TransientError (retried with backoff).

/** SES v2 SendEmail errors that mean "not now, not ever for this message". */
const REJECTIONS: Record<string, string> = {
  MessageRejected: 'SES rejected the message',
  MailFromDomainNotVerifiedException: 'the sender’s MAIL FROM domain is not verified',
  AccountSuspendedException: 'the SES account is suspended from sending',
  SendingPausedException: 'sending is paused for this account or configuration set',
  NotFoundException:
    'an identity or the configuration set was not found (in the SES sandbox every recipient must be a verified identity)',
  BadRequestException: 'SES refused the request as malformed',
};

interface ServiceErrorShape {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: 'client' | 'server';
}

function isServiceError(error: unknown): error is Error & ServiceErrorShape {
  return error instanceof Error && '$metadata' in error;
}

/** Maps an error from SES to the project's errors; anything else is returned as it is. */
export function classifySendError(
  error: unknown,
  request: { orderId: string; to: string; kind: string },
): Error {
  const what = `${request.kind} email for order ${request.orderId} to ${request.to}`;
  if (isTransient(error)) {
    const classified = classifyError(error);
    return classified instanceof TransientError
      ? new TransientError(`Could not send the ${what} yet: ${classified.message}`, { cause: error })
      : classified;
  }
  if (!isServiceError(error)) return error instanceof Error ? error : new Error(String(error));
  const reason = REJECTIONS[error.name];
  const status = error.$metadata?.httpStatusCode;
  // Emulators (aws-ses-v2-local) answer with untyped errors ("Unknown"); any other 4xx from the
  // service is as final as a named rejection.
  const detail = reason ?? `SES answered ${error.name}${status ? ` (HTTP ${status})` : ''}`;
  return new EmailRejectedError(`The ${what} was rejected: ${detail}: ${error.message}`, { cause: error });
}

export async function sendEmail(request: EmailRequest): Promise<SentMessage> {
  const config = getConfig();
  const { SendEmailCommand, renderEmail, ses } = await import('./mailer-send');
  const to = request.kind === 'ops-failure' ? config.OPS_EMAIL : request.to;
  const email = renderEmail(request);
  const charset = 'UTF-8';
  let messageId: string | undefined;
  try {
    const res = await ses().send(
      new SendEmailCommand({
        FromEmailAddress: config.SENDER_EMAIL,
        Destination: { ToAddresses: [to] },
        ...(config.SES_CONFIGURATION_SET ? { ConfigurationSetName: config.SES_CONFIGURATION_SET } : {}),
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: charset },
            Body: {
              Html: { Data: email.html, Charset: charset },
              Text: { Data: email.text, Charset: charset },
            },
          },
        },
        // Tags show up in the configuration set's event destinations: what was sent, not to whom.
        EmailTags: [{ Name: 'kind', Value: request.kind }],
      }),
    );
    messageId = res.MessageId;
  } catch (error) {
    throw classifySendError(error, { orderId: request.orderId, to, kind: request.kind });
  }
  // A missing id is not worth a retry: the message was accepted, and a retry would send it twice.
  return { messageId: messageId ?? '', subject: email.subject };
}
