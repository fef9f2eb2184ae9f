import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeInfo } from '../../infra/local/runtime';
import { useSharedRuntime, type SharedRuntime } from '../helpers/shared-runtime';
import {
  cancelOrder,
  describeRun,
  startOrder,
  waitForPendingStep,
  waitForRunStatus,
} from '../helpers/workflow';

// The runtime the integration and browser files share (test/helpers/shared-runtime.ts): one per
// `vitest run`, owned by vitest's main process, where its Lambdas run; this worker reaches it
// over HTTP and the AWS SDK only, and no file gets its endpoints without asking for them.

/** The runtime's endpoints as this worker had them before it attached to anything. */
const envAtStart = {
  DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT,
  SFN_ENDPOINT: process.env.SFN_ENDPOINT,
  EVENTS_ENDPOINT: process.env.EVENTS_ENDPOINT,
};
let rt: SharedRuntime;

beforeAll(async () => {
  rt = await useSharedRuntime();
});
afterAll(() => {
  rt?.close();
});

describe('the shared test runtime', () => {
  it('leaves the workers’ environment alone: a file that does not attach has none of its endpoints', () => {
    expect(envAtStart).toEqual({
      DYNAMODB_ENDPOINT: undefined,
      SFN_ENDPOINT: undefined,
      EVENTS_ENDPOINT: undefined,
    });
  });

  it('is one runtime, started once and owned by another process than this worker', async () => {
    const again = await useSharedRuntime();
    again.close();
    expect(again.dataDir).toBe(rt.dataDir);
    expect(again.urls).toEqual(rt.urls);
    const info = JSON.parse(readFileSync(join(rt.dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo;
    expect(info.pid).not.toBe(process.pid);
    // Attached: this worker's handlers and clients point at it.
    expect(process.env.DYNAMODB_ENDPOINT).toBe(rt.urls.dynamodb);
    expect(process.env.EVENTS_ENDPOINT).toBe(rt.urls.events);
  });

  it('runs an order placed over PutEvents in its own process, up to the first step; a cancellation ends it', async () => {
    const orderId = await startOrder();
    const step = await waitForPendingStep(orderId, 'order-for');
    expect(step.orderId).toBe(orderId);
    expect((await describeRun(rt, orderId)).status).toBe('RUNNING');
    // Stop what was started: a run left waiting on the shared runtime would hold vitest's main
    // process (the interpreter's task timer) until its teardown gives up.
    await cancelOrder(orderId, 'The test is done with it');
    await waitForRunStatus(rt, orderId, 'ABORTED');
  });
});
