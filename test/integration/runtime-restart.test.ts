import { afterAll, describe, expect, it } from 'vitest';
import { listPendingSteps } from '../../functions/shared/adapters/step-store';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import {
  callingSetup,
  describeRun,
  executionHistory,
  mailbox,
  meetingsSetup,
  orderRecord,
  startOrder,
  statesEntered,
  submitStep,
  waitForPendingStep,
  waitForRunStatus,
} from '../helpers/workflow';

// Stopping the runtime (Ctrl-C) and starting it again on the same data loses nothing: a run that
// waited for a person waits again, with a fresh token, and finishes; finished runs keep their
// history; the mailbox still shows every email.

let rt: TestRuntime | undefined;
afterAll(async () => {
  await rt?.stop();
});

async function mapOrganizations(runtime: TestRuntime, orderId: string): Promise<void> {
  await submitStep(runtime, orderId, 'partner-org', {
    action: 'map',
    orgId: 'org-partner-northwind',
    outcome: 'associated',
  });
  await submitStep(runtime, orderId, 'customer-org', {
    action: 'map',
    orgId: 'org-customer-fabrikam',
    outcome: 'associated',
    adminEmail: 'it.admin@fabrikam.com',
  });
  await submitStep(runtime, orderId, 'customer-review', { selfSetup: false });
}

describe('restarting the embedded runtime', () => {
  it('keeps waiting runs waiting, finished runs finished, and every email', async () => {
    rt = await startTestRuntime({ stepTimeoutSeconds: 600, maxReminders: 1 });

    const runtime = rt;
    // The two orders are independent: one runs to the end while the other reaches its wait.
    const [finished, waiting] = await Promise.all([
      (async () => {
        const orderId = await startOrder({ services: [{ type: 'calling', quantity: 1 }] });
        await submitStep(runtime, orderId, 'order-for', { choice: 'customer' });
        await mapOrganizations(runtime, orderId);
        await submitStep(runtime, orderId, 'service-calling', callingSetup());
        await waitForRunStatus(runtime, orderId, 'SUCCEEDED');
        return orderId;
      })(),
      (async () => {
        const orderId = await startOrder();
        await submitStep(runtime, orderId, 'order-for', { choice: 'customer' });
        return orderId;
      })(),
    ]);
    const finishedHistory = await executionHistory(rt, finished);
    const before = await waitForPendingStep(waiting, 'partner-org');
    const historyBefore = await executionHistory(rt, waiting);
    const emailsBefore = await mailbox(rt);

    rt = await rt.restart();

    // Waiting again, on a fresh token stored by the same step, with no second email.
    const after = await waitForPendingStep(waiting, 'partner-org', { notTokenHash: before.tokenHash });
    expect(after.since).toBe(before.since);
    expect((await describeRun(rt, waiting)).status).toBe('RUNNING');
    expect(await mailbox(rt)).toHaveLength(emailsBefore.length);

    // The finished run is as it was.
    expect((await describeRun(rt, finished)).status).toBe('SUCCEEDED');
    expect(await executionHistory(rt, finished)).toEqual(finishedHistory);

    await mapOrganizations(rt, waiting);
    await submitStep(rt, waiting, 'service-meetings', meetingsSetup(waiting, 10));
    await submitStep(rt, waiting, 'service-calling', callingSetup());
    await waitForRunStatus(rt, waiting, 'SUCCEEDED');
    expect((await orderRecord(waiting))?.status).toBe('completed');
    expect(await listPendingSteps(waiting)).toEqual([]);

    const events = await executionHistory(rt, waiting);
    expect(events.slice(0, historyBefore.length)).toEqual(historyBefore);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    const states = statesEntered(events);
    expect(states.filter((s) => s === 'Receive order')).toHaveLength(1);
    expect(states.filter((s) => s === 'Partner organization')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'ExecutionStarted')).toHaveLength(1);
  });
});
