import { createServer, type Server } from 'node:http';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetClients } from '../../../functions/shared/clients';
import { ConfigurationError, WebexAuthError } from '../../../functions/shared/errors';
import { resetWebexClient, webexCall } from '../../../functions/shared/webex/webex-client';
import { SECRET_MAX_AGE_SECONDS } from '../../../functions/shared/webex/webex-credentials';

// The Webex credentials on AWS: read from their secret (mocked Secrets Manager), re-read once the
// cached copy is old, a rotated refresh token written back; against a Webex token endpoint that
// rotates refresh tokens and retires the old ones, as an OAuth server may.

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:WebexCredentials-AbCdEf';

/** Webex, as far as tokens go: refresh tokens it honours, rotated on renewal when `rotate` is on. */
interface TokenServer {
  url: string;
  /** Renewals rotate the refresh token and retire the one presented. */
  rotate: boolean;
  /** The refresh token each renewal presented. */
  renewals: string[];
  /** What the last successful renewal handed out. */
  lastIssued?: string;
  /** A new grant (the operator re-authorizes the integration); `only` retires every other one. */
  authorize(only?: boolean): string;
  /** Every access token stops working (they expire). */
  expire(): void;
  close(): Promise<void>;
}

async function startTokenServer(): Promise<TokenServer> {
  let generation = 0;
  const refreshTokens = new Set<string>();
  const accessTokens = new Set<string>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.url === '/v1/access_token') {
        const presented = new URLSearchParams(body).get('refresh_token') ?? '';
        state.renewals.push(presented);
        if (!refreshTokens.has(presented))
          return send(400, { message: 'invalid refresh token', trackingId: 'T' });
        let refreshToken = presented;
        if (state.rotate) {
          refreshTokens.delete(presented);
          refreshToken = `refresh-${++generation}`;
          refreshTokens.add(refreshToken);
        }
        state.lastIssued = refreshToken;
        const access = `access-${++generation}`;
        accessTokens.add(access);
        return send(200, {
          access_token: access,
          expires_in: 3600,
          refresh_token: refreshToken,
          refresh_token_expires_in: 7776000,
        });
      }
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!accessTokens.has(token)) return send(401, { message: 'expired', trackingId: 'T' });
      return send(200, { ok: true });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const state: TokenServer = {
    url: `http://127.0.0.1:${port}/v1`,
    rotate: true,
    renewals: [],
    authorize(only = false) {
      if (only) refreshTokens.clear();
      const token = `granted-${++generation}`;
      refreshTokens.add(token);
      return token;
    },
    expire: () => accessTokens.clear(),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return state;
}

const ping = () => webexCall({ method: 'GET', path: '/people/me' });
const stored = (refreshToken: string, extra: Record<string, string> = {}) =>
  JSON.stringify({ clientId: 'C1', clientSecret: 'cs', refreshToken, ...extra });

describe('Webex credentials from Secrets Manager', () => {
  let webex: TokenServer;
  let secrets: AwsClientStub<SecretsManagerClient>;
  const saved = { ...process.env };

  beforeAll(async () => {
    webex = await startTokenServer();
  });
  afterAll(async () => {
    await webex.close();
  });
  beforeEach(() => {
    secrets = mockClient(SecretsManagerClient);
    delete process.env.WEBEX_CREDENTIALS;
    process.env.WEBEX_SECRET_ARN = SECRET_ARN;
    process.env.WEBEX_API_URL = webex.url;
    resetClients();
    resetWebexClient();
  });
  afterEach(() => {
    vi.useRealTimers();
    secrets.restore();
    for (const key of ['WEBEX_CREDENTIALS', 'WEBEX_SECRET_ARN', 'WEBEX_API_URL']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    resetClients();
    resetWebexClient();
  });

  it("a new stack's placeholder is a ConfigurationError that says what to store, and never quotes the value", async () => {
    // What CDK generates for a secret without a value: a random string, not JSON.
    const placeholder = 'q]Zx8:V^w~p3|Lr9,6AbCdEfGhIjKlMn';
    secrets.on(GetSecretValueCommand).resolves({ SecretString: placeholder });

    const failure = await ping().catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ConfigurationError);
    expect(failure).toMatchObject({ name: 'ConfigurationError' });
    const message = (failure as Error).message;
    expect(message).toContain(SECRET_ARN);
    expect(message).toMatch(/does not hold JSON yet/);
    for (const field of ['clientId', 'clientSecret', 'refreshToken', 'docs/deploy.md'])
      expect(message).toContain(field);
    expect(message).not.toContain(placeholder);
  });

  it('JSON without the fields names the missing ones', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ clientId: 'C1' }) });

    const failure = await ping().catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ConfigurationError);
    expect((failure as Error).message).toMatch(
      /is missing or has bad fields: clientSecret, refreshToken; store JSON/,
    );
  });

  it('writes a rotated refresh token back to the secret, and the next instance renews with it', async () => {
    webex.rotate = true;
    const granted = webex.authorize(true);
    let current = stored(granted);
    secrets.on(GetSecretValueCommand).callsFake(() => ({ SecretString: current }));
    secrets.on(PutSecretValueCommand).callsFake((input: { SecretString: string }) => {
      current = input.SecretString;
      return {};
    });

    await ping();

    const writes = secrets.commandCalls(PutSecretValueCommand);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.args[0].input.SecretId).toBe(SECRET_ARN);
    const written = JSON.parse(writes[0]?.args[0].input.SecretString ?? '{}') as Record<string, string>;
    expect(written).toMatchObject({ clientId: 'C1', clientSecret: 'cs', refreshToken: webex.lastIssued });
    expect(written.refreshToken).not.toBe(granted);
    // A cold start, after the access token expired: the retired token would be refused.
    resetWebexClient();
    webex.expire();
    await ping();
    expect(webex.renewals.at(-1)).toBe(written.refreshToken);
  });

  it('keeps the rotated token in memory when the write fails, and renews with it', async () => {
    webex.rotate = true;
    const granted = webex.authorize(true);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: stored(granted) });
    secrets
      .on(PutSecretValueCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    await ping();
    const rotated = webex.lastIssued;
    expect(rotated).not.toBe(granted);
    webex.expire();
    await ping();

    expect(webex.renewals.at(-1)).toBe(rotated);
    expect(secrets.commandCalls(PutSecretValueCommand).length).toBeGreaterThanOrEqual(1);
  });

  it('reads the secret again once its cached copy is older than the cache time: a new grant reaches a warm instance', async () => {
    webex.rotate = false;
    vi.useFakeTimers({ toFake: ['Date'] });
    const first = webex.authorize(true);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: stored(first) });
    await ping();
    const reads = secrets.commandCalls(GetSecretValueCommand).length;

    // The operator re-authorizes the integration (the first grant stops working) and stores the new one.
    const second = webex.authorize(true);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: stored(second) });

    // Within the cache time, the cached copy is used (no read) and Webex refuses its token.
    vi.setSystemTime(Date.now() + (SECRET_MAX_AGE_SECONDS - 10) * 1000);
    webex.expire();
    await expect(ping()).rejects.toBeInstanceOf(WebexAuthError);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(reads);

    // Past it, the secret is read again and the new grant works, without a cold start.
    vi.setSystemTime(Date.now() + 20 * 1000);
    await ping();
    expect(secrets.commandCalls(GetSecretValueCommand).length).toBeGreaterThan(reads);
    expect(webex.renewals.at(-1)).toBe(second);
  });
});
