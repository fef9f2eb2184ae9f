import { RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_FAULTS } from '../../infra/local/webex/webex-faults';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { waitFor } from '../helpers/wait';
import {
  callingSetup,
  describeRun,
  executionHistory,
  meetingsSetup,
  orderRecord,
  startOrder,
  statesEntered,
  submitStep,
  waitForEmails,
  waitForRunStatus,
} from '../helpers/workflow';
import type { WebexState } from '../unit/support/local-webex';
import { invokeWebexPrecheck } from '../../functions/shared/adapters/webex-precheck-invoker';

// Provisioning against the local Webex on the embedded runtime: what each order really made there
// (orgs, Meetings sites, Calling locations), under 429s and 5xx, and a Webex job that fails.

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime({ stepTimeoutSeconds: 600, maxReminders: 1 });
});
afterAll(async () => {
  await rt?.stop();
});
afterEach(() => rt.setWebexFaults(NO_FAULTS));

async function webexState(): Promise<WebexState> {
  return (await (await fetch(`${rt.urls.webex}/_local/state`)).json()) as WebexState;
}

const newOrg = (name: string) => ({
  action: 'create' as const,
  organization: {
    name,
    businessVertical: 'technology' as const,
    country: 'RO',
    address: { street: 'Strada Lipscani 1', city: 'București', state: 'București', postalCode: '030031' },
  },
});

/** A partner order that creates both orgs, then sets up Meetings (two sites) and Calling. */
async function orderCreatingEverything(): Promise<string> {
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
  const base = meetingsSetup(orderId, 30).settings.sites[0]!;
  await submitStep(rt, orderId, 'service-meetings', {
    type: 'meetings',
    settings: {
      sites: [
        { ...base, siteName: `${base.siteName.slice(0, 36)}-a`, licenses: 20 },
        { ...base, siteName: `${base.siteName.slice(0, 36)}-b`, licenses: 10, earlyRelease: true },
      ],
    },
  });
  // Each order creates its own customer organization, so one name serves every order here.
  await submitStep(rt, orderId, 'service-calling', callingSetup('Headquarters'));
  return orderId;
}

/** What Webex holds for one order: its orgs (by externalId = our org id) and what is in the customer org. */
function madeFor(state: WebexState, orderId: string) {
  const partner = state.customers.filter((c) => c.externalId === `p-${orderId}`);
  const customer = state.customers.filter((c) => c.externalId === `c-${orderId}`);
  const orgId = customer[0]?.orgId;
  return {
    partner,
    customer,
    sites: state.sites.filter((s) => s.orgId === orgId),
    locations: state.locations.filter((l) => l.orgId === orgId),
  };
}

describe('provisioning in the local Webex', () => {
  it('happy path: the orgs, both Meetings sites and the Calling location exist in Webex, and the order keeps their ids', async () => {
    const orderId = await orderCreatingEverything();
    await waitForRunStatus(rt, orderId, 'SUCCEEDED');

    const made = madeFor(await webexState(), orderId);
    expect(made.partner).toEqual([
      expect.objectContaining({ name: `Partner of ${orderId}`, status: 'provisioned' }),
    ]);
    expect(made.customer).toEqual([
      expect.objectContaining({ name: `Customer of ${orderId}`, status: 'provisioned' }),
    ]);
    expect(made.sites.map((s) => [s.siteUrl, s.status, s.submissions]).sort()).toEqual(
      [
        [expect.stringMatching(/-a\.webex\.com$/), 'provisioned', 1],
        [expect.stringMatching(/-b\.webex\.com$/), 'provisioned', 1],
      ].sort(),
    );
    expect(made.locations).toEqual([expect.objectContaining({ name: 'Headquarters', callingEnabled: true })]);

    const order = await orderRecord(orderId);
    expect(order?.customerOrg?.webexOrgId).toBe(made.customer[0]?.orgId);
    expect(order?.partnerOrg?.webexOrgId).toBe(made.partner[0]?.orgId);
    expect(order?.provisioned.meetings?.webex?.sites.map((s) => s.siteId).sort()).toEqual(
      made.sites.map((s) => s.id).sort(),
    );
    expect(order?.provisioned.calling?.webex).toEqual({
      locationId: made.locations[0]?.id,
      orgId: made.customer[0]?.orgId,
    });

    const entered = statesEntered(await executionHistory(rt, orderId));
    for (const state of [
      'Create partner organization',
      'Wait for partner organization',
      'Check partner organization',
      'Partner organization ready?',
      'Create customer organization',
      'Wait for customer organization',
      'Check customer organization',
      'Customer organization ready?',
      'Provision Webex Meetings',
      'Provision Webex Calling',
      'Wait for services',
      'Check services',
      'Services ready?',
    ])
      expect(entered).toContain(state);

    // The page shows it to a person.
    const page = await (await fetch(`${rt.urls.webex}/?externalId=c-${orderId}`)).text();
    expect(page).toContain(`Customer of ${orderId}`);
    expect(page).toContain('Headquarters');
    expect(page).toContain(made.sites[0]!.siteUrl);
  }, 300_000);

  it('429s and 5xx on 30% of Webex calls: every order completes, with exactly one of each object', async () => {
    rt.setWebexFaults({ ...NO_FAULTS, rate429: 0.15, rate5xx: 0.15, retryAfterSeconds: 0 });
    const orders = await Promise.all([
      orderCreatingEverything(),
      orderCreatingEverything(),
      orderCreatingEverything(),
    ]);
    for (const orderId of orders) await waitForRunStatus(rt, orderId, 'SUCCEEDED', { timeoutMs: 180_000 });

    const faults = (await (await fetch(`${rt.urls.webex}/_local/stats`)).json()) as {
      faultsInjected: number;
    };
    expect(faults.faultsInjected).toBeGreaterThan(0);
    const state = await webexState();
    for (const orderId of orders) {
      const made = madeFor(state, orderId);
      expect([made.partner.length, made.customer.length, made.sites.length, made.locations.length]).toEqual([
        1, 1, 2, 1,
      ]);
    }
  }, 300_000);

  it('a Meetings job that ends in error fails the run at Check services with what Webex said, naming the service; after the fault is cleared a redrive completes it, still one site', async () => {
    rt.setWebexFaults({ ...NO_FAULTS, jobError: ['meetings'] });
    const orderId = await orderCreatingEverything();

    const failed = await waitForRunStatus(rt, orderId, 'FAILED');
    expect(failed.error).toBe('WebexJobFailedError');
    expect(failed.cause).toMatch(
      /Webex Meetings: Webex Meetings site \S+\.webex\.com ended in error: Meetings site provisioning failed[^;]*\(trackingId SPW_\S+\)/,
    );
    const order = await waitFor('the failure on the order', async () => {
      const o = await orderRecord(orderId);
      return o?.failure ? o : undefined;
    });
    expect(order.failure).toMatchObject({ step: 'Check services', error: 'WebexJobFailedError' });
    expect(order.failure?.cause).toContain('trackingId');

    rt.setWebexFaults(NO_FAULTS);
    await rt.sfnClient.send(
      new RedriveExecutionCommand({ executionArn: (await describeRun(rt, orderId)).executionArn }),
    );
    await waitForRunStatus(rt, orderId, 'SUCCEEDED');

    const made = madeFor(await webexState(), orderId);
    expect(made.sites).toHaveLength(2);
    expect(made.sites.every((s) => s.status === 'provisioned')).toBe(true);
    // The failed sites were submitted again (not made again); the customer org and location once.
    expect(made.sites.map((s) => s.submissions)).toEqual([2, 2]);
    expect([made.customer.length, made.locations.length]).toEqual([1, 1]);
  }, 300_000);

  it('a customer Webex ends provisioned_with_errors is a partial outcome: the order names the failed package, ops get the email, the run page shows it', async () => {
    // Webex provisions the Calling packages it was asked to add, but webex_calling fails.
    rt.setWebexFaults({ ...NO_FAULTS, partialPackages: ['webex_calling'] });
    const orderId = await orderCreatingEverything();

    const failed = await waitForRunStatus(rt, orderId, 'FAILED');
    expect(failed.error).toBe('WebexPartiallyProvisionedError');
    expect(failed.cause).toMatch(
      /Webex Calling: .*was provisioned with errors; these packages failed: webex_calling error: .*\(errorCode 2560\).*\(trackingId SPW_\S+\)/,
    );
    const order = await waitFor('the partial outcome on the order', async () => {
      const o = await orderRecord(orderId);
      return o?.failure && o.webexPartial ? o : undefined;
    });
    expect(order.failure).toMatchObject({ step: 'Check services', error: 'WebexPartiallyProvisionedError' });
    expect(order.webexPartial?.packages).toEqual([
      expect.objectContaining({ name: 'webex_calling', status: 'error' }),
    ]);
    // Not a success: Calling is not recorded as provisioned; Meetings, checked in the same poll, is.
    expect(order.provisioned.meetings).toBeDefined();
    expect(order.provisioned.calling).toBeUndefined();

    const [email] = await waitForEmails(rt, 'ops@example.com', 1, {
      match: (e) => e.subject.includes(orderId),
    });
    expect(`${email?.subject} ${email?.body.text ?? ''}`).toContain('WebexPartiallyProvisionedError');
    expect(email?.body.text ?? '').toContain('webex_calling');

    const page = await (await fetch(`${rt.urls.ops}/runs/${orderId}`)).text();
    expect(page).toContain('Partly provisioned in Webex');
    expect(page).toMatch(/<code>webex_calling<\/code>:\s*error/);
    const made = madeFor(await webexState(), orderId);
    expect(made.customer[0]?.status).toBe('provisioned_with_errors');
  }, 300_000);

  it('the setup pages reach the Webex precheck through the runtime invoker, as its own WebexPrecheck function', async () => {
    const orderId = await startOrder({ services: [{ type: 'meetings', quantity: 5 }] });
    await waitFor('the order recorded', () => orderRecord(orderId));

    const result = await invokeWebexPrecheck({
      service: 'meetings',
      orderId,
      sites: [{ siteName: 'Not_Valid', timeZone: 'UTC' }],
    });

    expect(result.issues).toEqual([
      {
        field: 'sites[0].siteName',
        message: "Site name 'Not_Valid' is not valid: 3-40 lowercase letters, digits and single hyphens",
      },
    ]);
  }, 120_000);
});
