import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secretsManager } from '../clients/secrets-manager';
import { getConfig } from '../config';
import { ConfigurationError } from '../errors';
import { logger } from '../observability';
import { webexCredentialsSchema, type WebexCredentials } from './webex.schema';

// The Webex integration's credentials: on AWS a Secrets Manager secret (WEBEX_SECRET_ARN), on the
// embedded runtime the JSON its local Webex writes (WEBEX_CREDENTIALS).
// - The secret is read again once its cached copy is SECRET_MAX_AGE_SECONDS old, so a refresh
//   token the operator stores reaches warm instances within that time.
// - When Webex rotates the refresh token on a renewal, the new one is written back to the secret
//   (PutSecretValue, granted on this secret only): the next instance, or this one after a cold
//   start, does not present a token Webex has retired. If the write fails, this instance keeps the
//   new token in memory (and logs an error) until the secret holds something else.
// - A value that is not JSON, which is what a new stack's secret holds (CDK's random placeholder),
//   is a ConfigurationError saying what to put there.

export const SECRET_MAX_AGE_SECONDS = 300;

const EXPECTED =
  'JSON {"clientId": "…", "clientSecret": "…", "refreshToken": "…"} (the integration’s client id and secret, and a refresh token from its OAuth grant; docs/deploy.md)';

let provider: SecretsProvider | undefined;
/** A rotated token not (yet) in the store, and the stored text it replaces. */
let rotated: { replaces: string; credentials: WebexCredentials } | undefined;

export function resetWebexCredentials(): void {
  provider = undefined;
  rotated = undefined;
}

function secrets(): SecretsProvider {
  provider ??= new SecretsProvider({ awsSdkV3Client: secretsManager() });
  return provider;
}

/** The stored text and where it comes from, for the messages. */
async function stored(): Promise<{ text: string; where: string; secretArn?: string }> {
  const config = getConfig();
  if (config.WEBEX_CREDENTIALS) return { text: config.WEBEX_CREDENTIALS, where: 'WEBEX_CREDENTIALS' };
  const secretArn = config.WEBEX_SECRET_ARN;
  if (!secretArn)
    throw new ConfigurationError('Invalid configuration: WEBEX_SECRET_ARN or WEBEX_CREDENTIALS is required');
  const text = await secrets().get(secretArn, { maxAge: SECRET_MAX_AGE_SECONDS });
  if (typeof text !== 'string' || text.trim() === '')
    throw new ConfigurationError(`The Webex credentials secret ${secretArn} is empty: store ${EXPECTED}`);
  return { text, where: `The Webex credentials secret ${secretArn}`, secretArn };
}

function parse(text: string, where: string): WebexCredentials {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Never quote the value: it is a secret, or the placeholder of one.
    throw new ConfigurationError(
      `${where} does not hold JSON yet (a new stack's secret holds a random placeholder): store ${EXPECTED}`,
    );
  }
  const parsed = webexCredentialsSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new ConfigurationError(`${where} is missing or has bad fields: ${fields}; store ${EXPECTED}`);
  }
  return parsed.data;
}

/** The credentials as stored now (within SECRET_MAX_AGE_SECONDS), or the rotated ones this instance holds. */
export async function webexCredentials(): Promise<WebexCredentials> {
  const { text, where } = await stored();
  if (rotated?.replaces === text) return rotated.credentials;
  rotated = undefined;
  return parse(text, where);
}

/**
 * After a renewal: keeps a refresh token Webex rotated, writing it (with the new access token) back
 * to the secret. `used` are the credentials the renewal presented.
 */
export async function keepRenewedToken(
  used: WebexCredentials,
  token: { refreshToken?: string; accessToken: string },
): Promise<void> {
  if (!token.refreshToken || token.refreshToken === used.refreshToken) return;
  const { text, secretArn } = await stored();
  const credentials: WebexCredentials = {
    ...used,
    refreshToken: token.refreshToken,
    accessToken: token.accessToken,
  };
  rotated = { replaces: text, credentials };
  // The embedded runtime's credentials are its local Webex's, in .local/: memory is enough.
  if (!secretArn) return;
  try {
    await secretsManager().send(
      new PutSecretValueCommand({ SecretId: secretArn, SecretString: JSON.stringify(credentials) }),
    );
    // The next read fetches what was just written.
    secrets().clearCache();
  } catch (error) {
    logger.error('Could not write the rotated Webex refresh token back to its secret; kept in memory', {
      secretArn,
      errorName: (error as Error).name,
    });
  }
}
