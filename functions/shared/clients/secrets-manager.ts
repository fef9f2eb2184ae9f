import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traced } from '../observability';
import { clientOptions } from './credentials';

let client: SecretsManagerClient | undefined;

/** The process's one Secrets Manager client (AWS only: the embedded runtime has no secrets). */
export function secretsManager(): SecretsManagerClient {
  client ??= traced(new SecretsManagerClient(clientOptions(undefined)));
  return client;
}

export function resetSecretsManager(): void {
  client = undefined;
}
