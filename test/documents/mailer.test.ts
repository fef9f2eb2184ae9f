import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AccountSuspendedException,
  MessageRejected,
  NotFoundException,
  SendEmailCommand,
  SESv2Client,
  SESv2ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetClients } from '../../functions/shared/clients';
import { classifySendError, sendEmail } from '../../functions/shared/documents/mailer';
import { EmailRejectedError, TransientError } from '../../functions/shared/errors';
import { emailRequest, ORDER_ID, SETUP_URL } from './email-requests';

const require = createRequire(import.meta.url);

function withEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, value] of Object.entries(v)) {
      if (value === undefined) delete process.env[k];
      else process.env[k] = value;
    }
    resetClients();
  };
  apply(values);
  return () => apply(saved);
}

describe('sendEmail with SES v2 (mocked)', () => {
  // Installed for this block only: the last block talks to a real emulator.
  let ses: AwsClientStub<SESv2Client>;
  let restore: () => void;

  beforeAll(() => {
    ses = mockClient(SESv2Client);
  });
  afterAll(() => ses.restore());

  beforeEach(() => {
    ses.reset();
    restore = withEnv({ SES_CONFIGURATION_SET: 'provisioning-emails', SES_ENDPOINT: undefined });
  });
  afterEach(() => restore());

  it('sends HTML and text parts from the sender, with the configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });

    const sent = await sendEmail(emailRequest('welcome', 'ro'));

    expect(sent).toEqual({
      messageId: 'msg-1',
      subject: `Sunt necesare informațiile de asigurare a accesului pentru comanda ${ORDER_ID}`,
    });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.FromEmailAddress).toBe(process.env.SENDER_EMAIL);
    expect(input?.ConfigurationSetName).toBe('provisioning-emails');
    expect(input?.Destination?.ToAddresses).toEqual(['ana.popescu@partner.example']);
    const simple = input?.Content?.Simple;
    expect(simple?.Subject?.Charset).toBe('UTF-8');
    expect(simple?.Body?.Html?.Data).toContain('Configurare serviciu');
    expect(simple?.Body?.Text?.Data).toContain(SETUP_URL);
  });

  it('leaves the configuration set out when none is configured', async () => {
    restore();
    restore = withEnv({ SES_CONFIGURATION_SET: undefined, SES_ENDPOINT: undefined });
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-2' });
    await sendEmail(emailRequest('expired', 'en'));
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).not.toHaveProperty('ConfigurationSetName');
  });

  it('sends the ops notification to OPS_EMAIL, in English', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-3' });
    await sendEmail({ ...emailRequest('ops-failure', 'ro'), to: 'someone@else.example' });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.Destination?.ToAddresses).toEqual([process.env.OPS_EMAIL]);
    expect(input?.Content?.Simple?.Subject?.Data).toMatch(/^\[ops\] Provisioning run failed/);
  });

  it.each([
    [
      'MessageRejected',
      () => new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }),
      /rejected/,
    ],
    [
      'NotFoundException (sandbox)',
      () => new NotFoundException({ message: 'Email address not verified', $metadata: {} }),
      /sandbox/,
    ],
    [
      'AccountSuspendedException',
      () => new AccountSuspendedException({ message: 'Suspended', $metadata: {} }),
      /suspended/,
    ],
  ])('a rejection (%s) is an EmailRejectedError with a clear message', async (_name, error, pattern) => {
    ses.on(SendEmailCommand).rejects(error());
    const failure = await sendEmail(emailRequest('welcome', 'en')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EmailRejectedError);
    expect((failure as Error).name).toBe('EmailRejectedError');
    expect((failure as Error).message).toMatch(pattern);
    expect((failure as Error).message).toContain(
      `welcome email for order ${ORDER_ID} to ana.popescu@partner.example`,
    );
  });

  it('throttling is a TransientError (the state machine retries it)', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const failure = await sendEmail(emailRequest('welcome', 'en')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as Error).name).toBe('TransientError');
  });

  it('a 5xx is a TransientError', async () => {
    const error = new SESv2ServiceException({
      name: 'InternalFailure',
      $fault: 'server',
      message: 'Internal failure',
      $metadata: { httpStatusCode: 500 },
    });
    ses.on(SendEmailCommand).rejects(error);
    await expect(sendEmail(emailRequest('complete', 'en'))).rejects.toBeInstanceOf(TransientError);
  });
});

describe('classifySendError', () => {
  const request = { orderId: ORDER_ID, to: 'a@example.com', kind: 'welcome' };

  it('an untyped 4xx answer (emulators say "Unknown") is a rejection', () => {
    const error = Object.assign(new Error('Bad Request Exception'), {
      name: 'Unknown',
      $metadata: { httpStatusCode: 400 },
    });
    const classified = classifySendError(error, request);
    expect(classified).toBeInstanceOf(EmailRejectedError);
    expect(classified.message).toContain('SES answered Unknown (HTTP 400)');
  });

  it('a refused connection is transient; a programming error keeps its own name', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifySendError(refused, request)).toBeInstanceOf(TransientError);
    const bug = new TypeError('x is undefined');
    expect(classifySendError(bug, request)).toBe(bug);
  });
});

describe('sendEmail against aws-ses-v2-local', () => {
  let server: Server;
  let endpoint: string;
  let restore: () => void;

  beforeAll(async () => {
    const start = (
      require('aws-ses-v2-local') as { default: (c: { host: string; port: number }) => Promise<Server> }
    ).default;
    server = await start({ host: '127.0.0.1', port: 0 });
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    restore = withEnv({ SES_ENDPOINT: endpoint, SES_CONFIGURATION_SET: 'provisioning-emails' });
  });

  afterAll(async () => {
    restore();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('the mailbox receives subject, HTML and text parts', async () => {
    const orderId = `ORD-SES-${Date.now().toString(36)}`;
    const sent = await sendEmail({ ...emailRequest('welcome', 'ro'), orderId });
    expect(sent.messageId).not.toBe('');

    const res = await fetch(`${endpoint}/store`);
    const store = (await res.json()) as {
      emails: {
        messageId: string;
        subject: string;
        destination: { to: string[] };
        body: { html: string; text: string };
      }[];
    };
    const email = store.emails.find((e) => e.messageId === sent.messageId);
    expect(email?.subject).toBe(
      `Sunt necesare informațiile de asigurare a accesului pentru comanda ${orderId}`,
    );
    expect(email?.destination.to).toEqual(['ana.popescu@partner.example']);
    expect(email?.body.html).toContain(`href="${SETUP_URL}"`);
    expect(email?.body.html).toContain('Configurare serviciu');
    expect(email?.body.text).toContain(`Configurare serviciu:\n${SETUP_URL}`);
  });
});
