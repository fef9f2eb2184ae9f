import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../../functions/shared/config';
import {
  TransientError,
  ValidationError,
  WebexAuthError,
  WebexRequestError,
} from '../../../functions/shared/errors';
import { resetWebexClient, webexCall } from '../../../functions/shared/webex/webex-client';
import { checkSiteNames, ensureCustomer, precheck } from '../../../functions/shared/webex/webex-port';
import { listSchema, customerSchema } from '../../../functions/shared/webex/webex.schema';
import { startTestWebex, type TestWebex } from '../support/local-webex';
import { seededRandom } from '../../../infra/local/faults';

// The adapter's contract: against the local Webex (which serves the same HTTP contract as
// webexapis.com), and the same assertions against responses recorded in Webex's documented
// shapes, served by a plain HTTP server.

const customer = (externalId: string) => ({
  provisioningId: 'test',
  packages: ['webex_meetings'],
  externalId,
  address: {
    addressLine1: '771 Alder Drive',
    city: 'Milpitas',
    stateOrProvince: 'CA',
    zipOrPostalCode: '95035',
    country: 'US',
  },
  customerInfo: { name: `Customer ${externalId}`, primaryEmail: 'admin@example.com' },
});

describe('Webex adapter against the local Webex', () => {
  let webex: TestWebex;
  beforeAll(async () => {
    // Tokens live one second: the adapter has to renew them with the refresh token.
    webex = await startTestWebex({ tokenTtlSeconds: 1, random: seededRandom(4, 'webex') });
  });
  afterAll(async () => {
    await webex.stop();
  });
  afterEach(() => webex.faults({}));

  it('gets a token with the refresh token, and renews it when Webex answers 401', async () => {
    await ensureCustomer(customer('renew-1'));
    await new Promise((r) => setTimeout(r, 1100));
    // Counted from here: the setup above made GETs of its own.
    const before = webex.stats.calls['GET /v1/wholesale/customers'] ?? 0;

    const res = await webexCall({
      method: 'GET',
      path: '/wholesale/customers',
      query: { externalId: 'renew-1' },
      schema: listSchema(customerSchema),
    });

    expect(res?.data.items).toHaveLength(1);
    // This one call met the 401 (its token had expired), renewed, and was tried again: two GETs.
    expect((webex.stats.calls['GET /v1/wholesale/customers'] ?? 0) - before).toBe(2);
  });

  it('a 429 is retried after its Retry-After; when they keep coming it becomes TransientError with the trackingId', async () => {
    webex.faults({ rate429: 1, retryAfterSeconds: 0 });

    const failure = await ensureCustomer(customer('busy-1')).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as Error).message).toMatch(
      /^Webex answered 429 to GET \/wholesale\/customers: Rate limit exceeded.* \(trackingId SPW_\S+\)$/,
    );
    expect((await webex.state()).customers.filter((c) => c.externalId === 'busy-1')).toHaveLength(0);
  });

  it('5xx at 30%: every create still lands once (retries in the adapter)', async () => {
    webex.faults({ rate5xx: 0.3, rate429: 0.3, retryAfterSeconds: 0 });
    const made = [];
    for (let i = 0; i < 10; i++) {
      const id = `flaky-${i}`;
      // As the state machine would: TransientError is retried.
      for (let attempt = 0; ; attempt++) {
        try {
          made.push(await ensureCustomer(customer(id)));
          break;
        } catch (error) {
          if (!(error instanceof TransientError) || attempt > 5) throw error;
        }
      }
    }
    webex.faults({});
    const customers = (await webex.state()).customers.filter((c) => c.externalId.startsWith('flaky-'));
    expect(customers.map((c) => c.externalId).sort()).toEqual(made.map((c) => c.externalId).sort());
    expect(new Set(customers.map((c) => c.externalId)).size).toBe(10);
  });

  it('a 4xx is WebexRequestError naming the field and what Webex said', async () => {
    const { stateOrProvince: _dropped, ...noState } = customer('no-state').address;
    const failure = await ensureCustomer({ ...customer('no-state'), address: noState }).catch(
      (e: unknown) => e,
    );

    expect(failure).toBeInstanceOf(WebexRequestError);
    expect(failure).toMatchObject({ status: 400, name: 'WebexRequestError' });
    expect((failure as Error).message).toMatch(
      /^Webex refused POST \/wholesale\/customers \(400\): address\.stateOrProvince: stateOrProvince is required for an address in US \(trackingId SPW_\S+\)$/,
    );
  });

  it('a body that lacks what Webex requires never leaves: ValidationError naming the field', async () => {
    const before = webex.stats.calls['POST /v1/wholesale/customers'] ?? 0;
    const failure = await ensureCustomer({
      ...customer('calling-without-location'),
      packages: ['webex_calling'],
    }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as Error).message).toMatch(
      /provisioningParameters\.calling provisioningParameters\.calling is mandatory with a Calling package \(webex_calling\)/,
    );
    expect(webex.stats.calls['POST /v1/wholesale/customers'] ?? 0).toBe(before);
  });

  it('site check (modelled) and published precheck: what is wrong is named by field', async () => {
    const org = await ensureCustomer(customer('precheck-org'));

    expect(await checkSiteNames({ sites: [{ siteName: 'free-name', timeZone: 'UTC' }] })).toEqual([]);
    expect(await checkSiteNames({ sites: [{ siteName: 'No_Good', timeZone: 'UTC' }] })).toEqual([
      {
        field: 'sites[0].siteName',
        message: "Site name 'No_Good' is not valid: 3-40 lowercase letters, digits and single hyphens",
      },
    ]);
    const issues = await precheck({
      orgId: org.orgId,
      address: customer('precheck-org').address,
      packages: ['webex_calling'],
      provisioningParameters: {
        calling: {
          location: {
            name: 'HQ',
            timezone: 'America/New_York',
            language: 'en_us',
            address: {
              addressLine1: '1 Main St',
              city: 'Springfield',
              zipOrPostalCode: '62701',
              country: 'US',
            },
          },
        },
      },
    });
    expect(issues).toEqual([
      {
        field: 'provisioningParameters.calling.location.address.stateOrProvince',
        message: 'stateOrProvince is required for an address in US',
      },
    ]);
  });
});

/** Serves recorded responses in order, and records what was asked. */
async function recorded(responses: { status: number; headers?: Record<string, string>; body?: unknown }[]) {
  const requests: { method: string; url: string; headers: Record<string, string | string[] | undefined> }[] =
    [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const next = responses.shift() ?? { status: 500, body: { message: 'no more recorded responses' } };
    res.writeHead(next.status, { 'Content-Type': 'application/json', ...next.headers });
    res.end(next.body === undefined ? '' : JSON.stringify(next.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.env.WEBEX_API_URL = `http://127.0.0.1:${port}/v1`;
  process.env.WEBEX_CREDENTIALS = JSON.stringify({
    clientId: 'C1',
    clientSecret: 's',
    refreshToken: 'r',
    accessToken: 'expired-token',
  });
  resetConfig();
  resetWebexClient();
  return {
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// Webex's documented error body (developer.webex.com, "API Errors"): message, errors[].description, trackingId.
const WEBEX_401 = {
  status: 401,
  body: {
    message: 'The request requires a valid access token set in the Authorization request header.',
    errors: [
      { description: 'The request requires a valid access token set in the Authorization request header.' },
    ],
    trackingId: 'ROUTER_5F1A2B3C-0000-1111-2222-333344445555',
  },
};
const TOKEN = {
  status: 200,
  body: { access_token: 'fresh', expires_in: 1209599, refresh_token: 'r', refresh_token_expires_in: 7776000 },
};

describe('Webex adapter against recorded Webex responses', () => {
  it('renews an expired token once, then carries the new one; every call has a TrackingID', async () => {
    const server = await recorded([WEBEX_401, TOKEN, { status: 200, body: { items: [] } }]);
    try {
      const res = await webexCall({
        method: 'GET',
        path: '/wholesale/customers',
        schema: listSchema(customerSchema),
      });

      expect(res?.data.items).toEqual([]);
      expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        'GET /v1/wholesale/customers',
        'POST /v1/access_token',
        'GET /v1/wholesale/customers',
      ]);
      expect(server.requests[0]?.headers.authorization).toBe('Bearer expired-token');
      expect(server.requests[2]?.headers.authorization).toBe('Bearer fresh');
      for (const r of server.requests) expect(r.headers.trackingid).toMatch(/^SPW_/);
    } finally {
      await server.close();
    }
  });

  it('a refresh token Webex refuses is WebexAuthError saying what to do', async () => {
    const server = await recorded([
      WEBEX_401,
      { status: 400, body: { message: 'invalid_grant', trackingId: 'ROUTER_X' } },
    ]);
    try {
      const failure = await webexCall({ method: 'GET', path: '/locations' }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(WebexAuthError);
      expect((failure as Error).message).toMatch(/re-authorize the integration.*docs\/deploy\.md/);
    } finally {
      await server.close();
    }
  });

  it('429 waits Retry-After and tries again; 503 three times is TransientError keeping Webex trackingId', async () => {
    const busy = {
      status: 429,
      headers: { 'Retry-After': '0' },
      body: { message: 'Too Many Requests', trackingId: 'ROUTER_429' },
    };
    const down = {
      status: 503,
      body: {
        message: 'Service Unavailable',
        errors: [{ description: 'Try later' }],
        trackingId: 'ROUTER_503',
      },
    };
    const server = await recorded([busy, { status: 200, body: { items: [] } }, down, down, down]);
    try {
      expect(
        (await webexCall({ method: 'GET', path: '/locations', schema: listSchema(customerSchema) }))?.status,
      ).toBe(200);
      const failure = await webexCall({ method: 'GET', path: '/locations' }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(TransientError);
      expect((failure as Error).message).toBe(
        'Webex answered 503 to GET /locations: Try later (trackingId ROUTER_503)',
      );
    } finally {
      await server.close();
    }
  });

  it('a 4xx keeps Webex trackingId and what it said, and is not retried', async () => {
    const server = await recorded([
      {
        status: 400,
        body: {
          message: 'Invalid request',
          errors: [{ description: 'The timeZone field is not a valid time zone' }],
          trackingId: 'ROUTER_400',
        },
      },
    ]);
    try {
      const failure = await webexCall({ method: 'POST', path: '/locations', body: {} }).catch(
        (e: unknown) => e,
      );
      expect(failure).toMatchObject({ name: 'WebexRequestError', status: 400, trackingId: 'ROUTER_400' });
      expect((failure as Error).message).toBe(
        'Webex refused POST /locations (400): The timeZone field is not a valid time zone (trackingId ROUTER_400)',
      );
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
