import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { traceRun, type RunTrace } from '../../infra/local/ops/run-history';
import { NO_FAULTS } from '../../infra/local/webex/webex-faults';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { ACME_ADDRESS } from '../fixtures/organizations';
import {
  callingSetup,
  executionHistory,
  meetingsSetup,
  startOrder,
  submitStep,
  waitForRunStatus,
} from '../helpers/workflow';

// The run page's story of a two-service order, from the history the local engine really writes:
// the Map's two iterations run side by side (both wait in "Wait for service setup" at once), and
// each event must chain (previousEventId) within its own iteration, as on AWS, so each step shows
// what happened to it, once.

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime({ stepTimeoutSeconds: 600, maxReminders: 1 });
});
afterAll(async () => {
  await rt?.stop();
});
afterEach(() => rt.setWebexFaults(NO_FAULTS));

const newOrg = (name: string) => ({
  action: 'create' as const,
  organization: { name, businessVertical: 'technology' as const, country: 'RO', address: ACME_ADDRESS },
});

/** A partner order for Meetings and Calling, answered up to both service steps. */
async function twoServiceOrder(): Promise<string> {
  const orderId = await startOrder({
    services: [
      { type: 'meetings', quantity: 30 },
      { type: 'calling', quantity: 10 },
    ],
  });
  await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
  await submitStep(rt, orderId, 'partner-org', newOrg(`Partner of ${orderId}`));
  await submitStep(rt, orderId, 'customer-org', {
    ...newOrg(`Customer of ${orderId}`),
    adminEmail: 'admin@customer.example',
  });
  await submitStep(rt, orderId, 'customer-review', { selfSetup: false });
  // The pages offer Meetings first; its site job is still running in Webex while Calling waits for
  // its answer and is provisioned: the two iterations' events interleave in the history.
  await submitStep(rt, orderId, 'service-meetings', meetingsSetup(orderId, 30));
  await submitStep(rt, orderId, 'service-calling', callingSetup());
  return orderId;
}

/** The Map's steps as ops read them: iteration, step, status, attempts. */
function mapSteps(trace: RunTrace) {
  return trace.steps
    .filter((s) => s.iteration !== undefined)
    .map((s) => ({ iteration: s.iteration, name: s.name, status: s.status, attempts: s.attempts.length }));
}

describe('run history of a two-service order on the local engine', () => {
  it('completed: every step of both iterations succeeded, once, with one attempt per task', async () => {
    const orderId = await twoServiceOrder();
    await waitForRunStatus(rt, orderId, 'SUCCEEDED');
    const trace = traceRun(await executionHistory(rt, orderId));
    const steps = mapSteps(trace);
    expect(steps.filter((s) => s.name === 'Wait for service setup')).toEqual([
      { iteration: 0, name: 'Wait for service setup', status: 'succeeded', attempts: 1 },
      { iteration: 1, name: 'Wait for service setup', status: 'succeeded', attempts: 1 },
    ]);
    expect(
      steps
        .filter((s) => s.name === 'Which service?')
        .map((s) => s.iteration)
        .sort(),
    ).toEqual([0, 1]);
    expect(steps.find((s) => s.name === 'Provision Webex Meetings')).toMatchObject({
      iteration: 0,
      attempts: 1,
    });
    expect(steps.find((s) => s.name === 'Provision Webex Calling')).toMatchObject({
      iteration: 1,
      attempts: 1,
    });
    // Nothing was aborted or retried in this run, and no step appears twice in one iteration.
    expect(trace.steps.filter((s) => s.status !== 'succeeded')).toEqual([]);
    const keys = steps.map((s) => `${s.iteration}|${s.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('the Meetings job fails for good: Check services, after the Map, failed the run naming the service; both iterations succeeded, each step once', async () => {
    rt.setWebexFaults({ ...NO_FAULTS, jobError: ['meetings'] });
    const orderId = await twoServiceOrder();
    await waitForRunStatus(rt, orderId, 'FAILED');
    const trace = traceRun(await executionHistory(rt, orderId));
    expect(trace).toMatchObject({ state: 'FAILED', error: 'WebexJobFailedError' });
    expect(trace.failedStep).toMatchObject({ name: 'Check services', status: 'failed' });
    expect(trace.failedStep?.iteration).toBeUndefined();
    // Each iteration ends at its Provision task; the jobs are polled after the Map, so no step in
    // the Map failed or was aborted.
    const steps = mapSteps(trace);
    expect(steps.map((s) => `${s.iteration}|${s.name}|${s.status}`).sort()).toEqual([
      '0|Provision Webex Meetings|succeeded',
      '0|Wait for service setup|succeeded',
      '0|Which service?|succeeded',
      '1|Provision Webex Calling|succeeded',
      '1|Wait for service setup|succeeded',
      '1|Which service?|succeeded',
    ]);
    expect(trace.steps.find((s) => s.name === 'Set up services')).toMatchObject({ status: 'succeeded' });
  });
});
