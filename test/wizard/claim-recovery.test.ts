import {
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueLink } from '../../functions/shared/adapters/link-store';
import { findOrder, listAudit } from '../../functions/shared/adapters/order-repository';
import { getStep, storeTaskToken } from '../../functions/shared/adapters/step-store';
import { resetClients } from '../../functions/shared/clients';
import { startFaultFront, type FaultFront } from '../../infra/local/faults';
import { waitFor } from '../helpers/wait';
import { startLocalTable, type LocalTable } from '../unit/support/local-table';
import { seedOrder } from '../unit/support/seed';
import { formsOf, h1, WebClient } from './support/web-client';

// A claimed step whose answer never reached the run opens again by itself (issue 13, hole 2).
// DynamoDB faults are injected at the emulator boundary: a fault front between the app and
// dynalite, with an outage that starts right after the claim, or when the run is resumed.
// Step Functions is a fake that remembers which tokens it took (SendTaskHeartbeat on a taken
// token fails as on AWS).

let table: LocalTable;
let front: FaultFront | undefined;
const sfn = mockClient(SFNClient);
/** Tokens the run has taken an answer for. */
const delivered = new Set<string>();
/** What SendTaskSuccess does besides taking the answer (set per test). */
let onSend: (token: string) => void = (token) => delivered.add(token);

const LEASE_SECONDS = 1;

beforeAll(async () => {
  table = await startLocalTable();
  process.env.CLAIM_LEASE_SECONDS = String(LEASE_SECONDS);
});
afterAll(async () => {
  delete process.env.CLAIM_LEASE_SECONDS;
  sfn.restore();
  await table.stop();
});
beforeEach(() => {
  sfn.reset();
  delivered.clear();
  onSend = (token) => delivered.add(token);
  sfn.on(SendTaskSuccessCommand).callsFake((input: { taskToken: string }) => {
    onSend(input.taskToken);
    return {};
  });
  sfn.on(SendTaskHeartbeatCommand).callsFake((input: { taskToken: string }) => {
    if (delivered.has(input.taskToken)) throw new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });
    return {};
  });
});
afterEach(async () => {
  await front?.close();
  front = undefined;
  process.env.DYNAMODB_ENDPOINT = table.endpoint;
  resetClients();
});

/** Puts a fault front between the app and dynalite. */
async function withFaultFront(afterClaimOutageMs?: number): Promise<FaultFront> {
  front = await startFaultFront({
    service: 'dynamodb',
    target: table.endpoint,
    host: '127.0.0.1',
    port: 0,
    outages: afterClaimOutageMs
      ? [{ service: 'dynamodb', durationMs: afterClaimOutageMs, trigger: { kind: 'after', moment: 'claim' } }]
      : [],
  });
  process.env.DYNAMODB_ENDPOINT = front.url;
  resetClients();
  return front;
}

async function orderWaitingOnOrderFor() {
  const orderId = await seedOrder(
    { status: 'in-progress' },
    { contact: { email: 'ana@partner.example', name: 'Ana Popescu', language: 'en' } },
  );
  const token = `AQCEAAAAKgAAAA${Math.floor(Math.random() * 1e9)}+task/token==`.padEnd(700, 'z');
  await storeTaskToken(orderId, 'order-for', token);
  const { linkId } = await issueLink({ orderId, recipient: 'ana@partner.example', role: 'contact' });
  return { orderId, token, url: `/setup/${linkId}` };
}

const orderForForm = (body: string) => formsOf(body).find((f) => f.action.endsWith('/steps/order-for'));

async function afterOutageAndLease(f: FaultFront): Promise<void> {
  await waitFor('the outage to end', () => !f.inOutage(), { timeoutMs: 20_000, intervalMs: 100 });
  await new Promise((resolve) => setTimeout(resolve, LEASE_SECONDS * 1000 + 100));
}

describe('a claimed step whose answer never reached the run', () => {
  it('an outage that starts right after the claim does not stop the submit: nothing else is written before the run has the answer', async () => {
    // The claim writes the decision's order fields and its audit entry too (one write of the
    // order's item): the next request is SendTaskSuccess, then the confirmation, which the outage
    // refuses; after the lease the claim settles as submitted (the run has the answer).
    const o = await orderWaitingOnOrderFor();
    const client = new WebClient();
    const form = orderForForm((await client.get(o.url)).body);
    if (!form) throw new Error('no order-for form');
    const f = await withFaultFront(2500);

    const sent = await client.post(form.action, { ...form.hidden, choice: 'customer' });

    expect(sent.status).toBe(303);
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input.output)).toEqual([
      JSON.stringify({ choice: 'customer' }),
    ]);
    expect(f.stats().outage).toBeGreaterThan(0);

    await afterOutageAndLease(f);
    const page = await client.get(o.url);
    expect(orderForForm(page.body), `no form again, got "${h1(page.body)}"`).toBeUndefined();
    expect(await getStep(o.orderId, 'order-for')).toMatchObject({ status: 'submitted' });
    expect((await getStep(o.orderId, 'order-for'))?.claimedUntil).toBeUndefined();
    expect((await findOrder(o.orderId))?.orderFor).toBe('customer');
    expect((await listAudit(o.orderId)).map((e) => e.action)).toContain('order-for submitted');
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  });

  it('opens again after a short outage while the run is resumed (SendTaskSuccess fails, so does the release)', async () => {
    const o = await orderWaitingOnOrderFor();
    const client = new WebClient();
    const form = orderForForm((await client.get(o.url)).body);
    if (!form) throw new Error('no order-for form');
    const f = await withFaultFront();
    let first = true;
    onSend = (token) => {
      if (first) {
        first = false;
        f.outageFor(2000);
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: {} });
      }
      delivered.add(token);
    };

    const failed = await client.post(form.action, { ...form.hidden, choice: 'my-company' });
    expect(failed.status).toBe(503);
    expect((await waitFor('the step', () => !f.inOutage() && getStep(o.orderId, 'order-for')))?.status).toBe(
      'submitted',
    );

    await afterOutageAndLease(f);
    const reopened = orderForForm((await client.get(o.url)).body);
    expect(reopened).toBeDefined();
    const sent = await client.post(reopened?.action ?? '', { ...reopened?.hidden, choice: 'my-company' });
    expect(sent.status).toBe(303);
    expect(delivered).toEqual(new Set([o.token]));
  });

  it('is not opened again when the answer got there but its confirmation did not (an outage right after)', async () => {
    const o = await orderWaitingOnOrderFor();
    const client = new WebClient();
    const form = orderForForm((await client.get(o.url)).body);
    if (!form) throw new Error('no order-for form');
    const f = await withFaultFront();
    onSend = (token) => {
      delivered.add(token);
      f.outageFor(2000);
    };

    const sent = await client.post(form.action, { ...form.hidden, choice: 'customer' });
    expect(sent.status).toBe(303);

    await afterOutageAndLease(f);
    const page = await client.get(o.url);
    expect(orderForForm(page.body)).toBeUndefined();
    expect(h1(page.body)).toBe('We’re working on your order');
    const repeat = await client.post(form.action, {
      ...form.hidden,
      choice: 'someone-else',
      email: 'x@y.example',
    });
    expect(repeat.status).toBe(409);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    expect(await getStep(o.orderId, 'order-for')).toMatchObject({ status: 'submitted' });
    expect((await getStep(o.orderId, 'order-for'))?.claimedUntil).toBeUndefined();
  });

  it('counts a submit whose SendTaskSuccess failed after the run took the answer as done, not open', async () => {
    const o = await orderWaitingOnOrderFor();
    const client = new WebClient();
    const form = orderForForm((await client.get(o.url)).body);
    if (!form) throw new Error('no order-for form');
    onSend = (token) => {
      delivered.add(token);
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $retryable: {} });
    };

    const sent = await client.post(form.action, { ...form.hidden, choice: 'customer' });

    expect(sent.status).toBe(303);
    expect(await getStep(o.orderId, 'order-for')).toMatchObject({ status: 'submitted' });
    expect(orderForForm((await client.get(o.url)).body)).toBeUndefined();
  });
});
