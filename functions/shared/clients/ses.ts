import { SESv2Client } from '@aws-sdk/client-sesv2';
import { getConfig } from '../config';
import { traced } from '../observability';
import { clientOptions } from './credentials';

let client: SESv2Client | undefined;

export function ses(): SESv2Client {
  client ??= traced(new SESv2Client(clientOptions(getConfig().SES_ENDPOINT)));
  return client;
}

export function resetSes(): void {
  client = undefined;
}
