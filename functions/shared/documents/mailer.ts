import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ses } from '../clients/ses';
import { getConfig } from '../config';
import type { EmailRequest, SentMessage } from './email.types';

// PROVISIONAL: plain-text emails so the workflow runs end to end; the documents work replaces
// this with the HTML + text templates in both languages. The signature stays.
export async function sendEmail(request: EmailRequest): Promise<SentMessage> {
  const config = getConfig();
  const subject = `Provisioning information required for your order ${request.orderId}`;
  const link = 'setupUrl' in request ? request.setupUrl : 'summaryUrl' in request ? request.summaryUrl : '';
  const res = await ses().send(
    new SendEmailCommand({
      FromEmailAddress: config.SENDER_EMAIL,
      Destination: { ToAddresses: [request.to] },
      ConfigurationSetName: config.SES_CONFIGURATION_SET,
      Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: `${request.kind}\n${link}` } } } },
    }),
  );
  return { messageId: res.MessageId ?? '', subject };
}
