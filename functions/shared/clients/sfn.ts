import { SFNClient } from '@aws-sdk/client-sfn';
import { getConfig } from '../config';
import { traced } from '../observability';
import { clientOptions } from './credentials';

let client: SFNClient | undefined;

export function sfn(): SFNClient {
  client ??= traced(new SFNClient(clientOptions(getConfig().SFN_ENDPOINT)));
  return client;
}

export function resetSfn(): void {
  client = undefined;
}
