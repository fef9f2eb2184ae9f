import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';

// SES v2 replaced by aws-sdk-client-mock: every email the real mailer renders and sends is kept,
// so tests assert on what a person would receive (recipient, subject, link).

export interface ReceivedEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  kind: string | undefined;
  /** Setup links in the text part. */
  setupLinks: string[];
}

const SETUP_LINK = /https?:\/\/[^\s"<>]+\/setup\/[A-Za-z0-9_-]+/g;

export function mockMailbox() {
  const ses = mockClient(SESv2Client);
  let count = 0;
  let failures: Error[] = [];
  ses.on(SendEmailCommand).callsFake(async () => {
    const failure = failures.shift();
    if (failure) throw failure;
    return { MessageId: `message-${++count}` };
  });
  return {
    ses,
    /** The next sends fail with these errors, one each, as SES would answer them. */
    failNext(...errors: Error[]) {
      failures.push(...errors);
    },
    sent(): ReceivedEmail[] {
      return ses.commandCalls(SendEmailCommand).map(({ args: [command] }) => {
        const input = command.input;
        const text = input.Content?.Simple?.Body?.Text?.Data ?? '';
        return {
          to: input.Destination?.ToAddresses ?? [],
          subject: input.Content?.Simple?.Subject?.Data ?? '',
          text,
          html: input.Content?.Simple?.Body?.Html?.Data ?? '',
          kind: input.EmailTags?.find((t) => t.Name === 'kind')?.Value,
          setupLinks: [...new Set(text.match(SETUP_LINK) ?? [])],
        };
      });
    },
    clear() {
      ses.resetHistory();
      failures = [];
    },
  };
}
export type Mailbox = ReturnType<typeof mockMailbox>;

/** The raw link id at the end of a setup link. */
export function linkIdOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}
