import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFaults,
  faultsFromEnv,
  FaultSpecError,
  parseFaults,
  seededRandom,
  startFaultFront,
} from '../../../infra/local/faults';

// The fault switch: its spec parsing (clear errors), and the front answering with each service's
// own retryable errors in the service's wire shape, which the real SDK classifies and retries.

describe('parseFaults', () => {
  it('reads shares per service, percentages, and outages with a time or a moment', () => {
    expect(parseFaults('dynamodb=0.1, ses=0.05,s3=5%,webex=0.1')).toEqual({
      rates: { dynamodb: 0.1, ses: 0.05, s3: 0.05, webex: 0.1 },
      outages: [],
    });
    expect(parseFaults('', 'dynamodb=3s@after:claim,s3=500ms@30s,ses=1m').outages).toEqual([
      { service: 'dynamodb', durationMs: 3000, trigger: { kind: 'after', moment: 'claim' } },
      { service: 's3', durationMs: 500, trigger: { kind: 'at', afterMs: 30_000 } },
      { service: 'ses', durationMs: 60_000, trigger: { kind: 'at', afterMs: 0 } },
    ]);
    expect(parseFaults('')).toEqual({ rates: {}, outages: [] });
    expect(faultsFromEnv({ FAULTS: 'ses=0.2', OUTAGE: 'dynamodb=2s' })).toEqual({
      rates: { ses: 0.2 },
      outages: [{ service: 'dynamodb', durationMs: 2000, trigger: { kind: 'at', afterMs: 0 } }],
    });
  });

  it('refuses what it does not understand, naming it', () => {
    const bad =
      (spec: string, outage = '') =>
      () =>
        parseFaults(spec, outage);
    expect(bad('dynamo=0.1')).toThrow(/Unknown service "dynamo".*dynamodb, ses, s3, webex, events/);
    expect(bad('dynamodb=1.5')).toThrow(/between 0 and 1/);
    expect(bad('dynamodb=')).toThrow(/between 0 and 1/);
    expect(bad('dynamodb=abc')).toThrow(FaultSpecError);
    expect(bad('dynamodb')).toThrow(/service=value/);
    expect(bad('', 'dynamodb=3x')).toThrow(/not a duration/);
    expect(bad('', 'dynamodb=3s@after:lunch')).toThrow(/Unknown moment/);
    expect(bad('', 'ses=3s@after:claim')).toThrow(/DynamoDB moment/);
    expect(bad('', 'dynamodb=0s')).toThrow(/longer than 0/);
  });

  it('describes itself for the banner', () => {
    expect(describeFaults(parseFaults('dynamodb=0.1,ses=0.05', 'dynamodb=3s@after:claim'))).toBe(
      'dynamodb 10%, ses 5%; outage dynamodb 3s after the first claim',
    );
  });
});

describe('seededRandom', () => {
  it('draws the same numbers in [0, 1) for the same seed and stream, others for another stream', () => {
    const draws = (seed: number, stream: string) => {
      const r = seededRandom(seed, stream);
      return Array.from({ length: 1000 }, () => r());
    };
    const a = draws(33, 'dynamodb');
    expect(draws(33, 'dynamodb')).toEqual(a);
    expect(draws(33, 'ses')).not.toEqual(a);
    expect(draws(34, 'dynamodb')).not.toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    // Spread evenly enough for a fault rate: about a tenth below 0.1.
    const low = a.filter((x) => x < 0.1).length;
    expect(low).toBeGreaterThan(60);
    expect(low).toBeLessThan(140);
  });
});

describe('the fault front', () => {
  let upstream: Server;
  let target: string;
  let seen = 0;
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen++;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ TableNames: ['t'] }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    upstream.closeAllConnections();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  const client = (endpoint: string, maxAttempts = 1) =>
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint,
      maxAttempts,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

  it('answers with DynamoDB throttling and server errors, which the SDK retries', async () => {
    // Each fault draws twice: whether to fail, then which error (here: each of the three in turn).
    const draws = [0, 0.1, 0, 0.5, 0, 0.9];
    let n = 0;
    const random = () => draws[n++ % draws.length] ?? 0;
    const front = await startFaultFront({
      service: 'dynamodb',
      target,
      host: '127.0.0.1',
      port: 0,
      rate: 1,
      random,
    });
    const ddb = client(front.url, 2);
    try {
      const names: string[] = [];
      for (let i = 0; i < 3; i++) {
        const error = await ddb.send(new ListTablesCommand({})).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        names.push((error as Error).name);
      }
      // The second attempt of each call drew the next error: every call was retried once.
      expect(front.stats().requests).toBe(6);
      expect(front.stats().injected).toEqual({
        ThrottlingException: 2,
        ProvisionedThroughputExceededException: 2,
        InternalServerError: 2,
      });
      expect(names).toEqual([
        'ProvisionedThroughputExceededException',
        'ThrottlingException',
        'InternalServerError',
      ]);
    } finally {
      ddb.destroy();
      await front.close();
    }
  });

  it('lets the SDK retry through a 30 % fault rate, and forwards the rest unchanged', async () => {
    const front = await startFaultFront({
      service: 'dynamodb',
      target,
      host: '127.0.0.1',
      port: 0,
      rate: 0.3,
    });
    const ddb = client(front.url, 10);
    try {
      const before = seen;
      for (let i = 0; i < 8; i++)
        expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual(['t']);
      expect(seen - before).toBe(8);
      const injected = Object.values(front.stats().injected).reduce((a, b) => a + b, 0);
      expect(front.stats().requests).toBe(8 + injected);
    } finally {
      ddb.destroy();
      await front.close();
    }
  });

  it('answers S3 with SlowDown / 503 XML and SES with 429 TooManyRequestsException', async () => {
    const s3 = await startFaultFront({
      service: 's3',
      target,
      host: '127.0.0.1',
      port: 0,
      rate: 1,
      random: () => 0,
    });
    const ses = await startFaultFront({ service: 'ses', target, host: '127.0.0.1', port: 0, rate: 1 });
    try {
      const a = await fetch(`${s3.url}/bucket/key`, { headers: { authorization: 'AWS4-HMAC-SHA256 x' } });
      expect(a.status).toBe(503);
      expect(await a.text()).toContain('<Code>SlowDown</Code>');
      const b = await fetch(`${ses.url}/v2/email/outbound-emails`, {
        method: 'POST',
        headers: { authorization: 'AWS4-HMAC-SHA256 x' },
        body: '{}',
      });
      expect(b.status).toBe(429);
      expect(b.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
      // Not an AWS API call (no signature): a person's browser or the mailbox page is never faulted.
      expect((await fetch(`${ses.url}/store`)).status).toBe(200);
    } finally {
      await s3.close();
      await ses.close();
    }
  });

  it('refuses every API request during an outage, then recovers', async () => {
    const front = await startFaultFront({ service: 'dynamodb', target, host: '127.0.0.1', port: 0 });
    const ddb = client(front.url);
    try {
      front.outageFor(60_000);
      await expect(ddb.send(new ListTablesCommand({}))).rejects.toMatchObject({
        name: 'InternalServerError',
      });
      front.endOutage();
      expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual(['t']);
      expect(front.stats().outage).toBe(1);
    } finally {
      ddb.destroy();
      await front.close();
    }
  });
});
