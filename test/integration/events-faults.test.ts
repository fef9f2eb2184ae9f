import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultCount, parseFaults } from '../../infra/local/faults';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';

// `--faults events=<share>`: the local EventBridge gets a fault front like DynamoDB, S3 and SES.
// PutEvents is answered with EventBridge's ThrottlingException for that share; the SDK's retries
// carry every event through, and the front counts what it injected.

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ faults: { ...parseFaults('events=0.5'), seed: 5 } });
});
afterAll(async () => {
  await rt?.stop();
});

describe('faults at the local EventBridge', () => {
  it('answers a share of PutEvents with ThrottlingException; the SDK retries, and every event arrives', async () => {
    const client = new EventBridgeClient({
      endpoint: rt.urls.events,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 10,
    });
    const before = rt.events.counts.in;

    // Twelve senders at once, as a busy producer sends: each one's retries wait their own backoff.
    const outs = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.send(
          new PutEventsCommand({
            Entries: [{ Source: 'test.faults', DetailType: 'Probe', Detail: JSON.stringify({ i }) }],
          }),
        ),
      ),
    );
    for (const out of outs) expect(out.FailedEntryCount ?? 0).toBe(0);
    client.destroy();

    const front = rt.faultFronts.events;
    expect(front).toBeDefined();
    const stats = front?.stats();
    expect(stats?.injected.ThrottlingException ?? 0).toBeGreaterThan(0);
    expect(faultCount(stats ?? { requests: 0, injected: {}, outage: 0 })).toBeLessThan(stats?.requests ?? 0);
    expect(rt.events.counts.in - before).toBe(12);
  });
});
