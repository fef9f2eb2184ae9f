import { LambdaClient } from '@aws-sdk/client-lambda';
import { traced } from '../observability';
import { clientOptions } from './credentials';

let client: LambdaClient | undefined;

/** Lambda, for the one synchronous call a function makes to another (Resume → WebexPrecheck). */
export function lambda(): LambdaClient {
  client ??= traced(new LambdaClient(clientOptions(undefined)));
  return client;
}

export function resetLambda(): void {
  client = undefined;
}
