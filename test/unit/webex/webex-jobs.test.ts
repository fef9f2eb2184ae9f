import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWebexJob } from '../../../functions/check-webex-job/handler';
import { instrumentDynamodb } from '../../../functions/shared/clients/dynamodb';
import { OrderClosedError, WebexJobTimedOutError } from '../../../functions/shared/errors';
import { recordWebexOrg, submitOrganization, type WebexJob } from '../../../functions/shared/webex-jobs';
import { getOrder, listAudit } from '../../../functions/shared/adapters/order-repository';
import { importLine } from '../../fixtures/organizations';
import { waitFor } from '../../helpers/wait';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { startTestWebex, type TestWebex } from '../support/local-webex';
import { seedOrder } from '../support/seed';

// The job poller's arithmetic, on a Webex whose jobs take an hour: each check doubles the wait
// (up to its cap), and the last check the run allows fails the run, saying what to do.

let table: LocalTable;
let webex: TestWebex;
beforeAll(async () => {
  table = await startLocalTable();
  webex = await startTestWebex({ jobSeconds: 3600 });
});
afterAll(async () => {
  await webex.stop();
  await table.stop();
});

describe('Check <job>', () => {
  it('waits longer after each check, up to the cap, then fails with WebexJobTimedOutError', async () => {
    const orderId = await seedOrder();
    const settings = {
      stepTimeoutSeconds: 60,
      maxReminders: 1,
      webexPoll: { firstWaitSeconds: 1, maxWaitSeconds: 3, maxPolls: 4 },
    };
    const org = importLine({ orgId: `slow-${orderId}`, kind: 'customer', name: 'Slow Org' });
    const organization = { ...org, activeUsers: 1, createdAt: new Date().toISOString() };
    let job = await submitOrganization(organization, 'admin@slow.example', settings);
    expect(job).toMatchObject({ status: 'provisioning', polls: 0, waitSeconds: 1 });

    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      job = await checkWebexJob({ orderId, job, settings });
      expect(job.status).toBe('provisioning');
      waits.push(job.waitSeconds);
    }
    expect(waits).toEqual([2, 3, 3]);
    const failure = await checkWebexJob({ orderId, job, settings }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WebexJobTimedOutError);
    expect((failure as Error).message).toMatch(
      /still provisioning after 4 checks; redrive the run to keep waiting/,
    );
    expect((await webex.state()).customers.filter((c) => c.externalId === org.orgId)).toHaveLength(1);
  });

  it('an org still provisioning when first read is waited on; its orgId is read once Webex presents it', async () => {
    const quick = await startTestWebex({ jobSeconds: 1 });
    try {
      const orgId = `c-quick-${Date.now()}`;
      const orderId = await seedOrder({
        customerOrg: { orgId, name: 'Quick Org', created: true, adminEmail: 'admin@quick.example' },
      });
      const settings = {
        stepTimeoutSeconds: 60,
        maxReminders: 1,
        webexPoll: { firstWaitSeconds: 1, maxWaitSeconds: 1, maxPolls: 30 },
      };
      const org = importLine({ orgId, kind: 'customer', name: 'Quick Org' });
      const organization = { ...org, activeUsers: 1, createdAt: new Date().toISOString() };
      const job = await submitOrganization(organization, 'admin@quick.example', settings);
      // Webex presents no orgId while the customer is provisioning; nothing reads one yet.
      const early = (await quick.state()).customers.find((c) => c.externalId === orgId);
      expect(early).toMatchObject({ status: 'provisioning' });
      expect(early).not.toHaveProperty('orgId');
      // Its page says so too.
      const page = await (await fetch(`${quick.url}/?externalId=${orgId}`)).text();
      expect(page).toContain('presented once provisioned');
      expect(job).toMatchObject({ status: 'provisioning' });
      expect(job.orgId).toBeUndefined();
      const first = await checkWebexJob({ orderId, job, settings });
      expect(first).toMatchObject({ status: 'provisioning', polls: 1 });
      expect(first.orgId).toBeUndefined();

      const ready = await waitFor('the org provisioned', async () => {
        const next = await checkWebexJob({ orderId, job: first, settings });
        return next.status === 'provisioned' ? next : undefined;
      });

      const customer = (await quick.state()).customers.find((c) => c.externalId === org.orgId);
      expect(customer?.orgId).toEqual(expect.any(String));
      expect(ready.orgId).toBe(customer?.orgId);
      // Only now the order keeps the Webex org.
      expect((await getOrder(orderId)).customerOrg?.webexOrgId).toBe(customer?.orgId);
    } finally {
      await quick.stop();
    }
  });
});

describe('recordWebexOrg', () => {
  /** The DynamoDB requests `run` sends, by command. */
  async function requestsOf(run: () => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const remove = instrumentDynamodb((client) =>
      client.middlewareStack.add(
        (next, context) => async (args) => {
          sent.push(context.commandName ?? '?');
          return next(args);
        },
        { step: 'initialize', name: 'recordWebexOrgCount' },
      ),
    );
    try {
      await run();
    } finally {
      remove();
    }
    return sent;
  }

  const readyJob = (orgKind: 'partner' | 'customer', orgId: string): WebexJob => ({
    kind: 'organization',
    orgKind,
    orgId,
    refs: [`cust-${orgId}`],
    status: 'provisioned',
    polls: 1,
    waitSeconds: 1,
    submission: 1,
  });

  it('keeps the Webex org id and its audit entry in one write, without reading the order; a retry writes no second entry', async () => {
    const orderId = await seedOrder({
      partnerOrg: { orgId: `p-${Date.now()}`, name: 'Partner Org', created: true, country: 'US' },
    });
    const job = readyJob('partner', `webex-p-${orderId}`);
    expect(await requestsOf(() => recordWebexOrg(job, orderId))).toEqual(['UpdateItemCommand']);
    await recordWebexOrg(job, orderId);

    const order = await getOrder(orderId);
    expect(order.partnerOrg).toMatchObject({ name: 'Partner Org', created: true, webexOrgId: job.orgId });
    expect(order.customerOrg).toBeUndefined();
    const entries = (await listAudit(orderId)).filter(
      (e) => e.action === 'Partner organization provisioned in Webex',
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]?.details).toEqual({ webexOrgId: job.orgId });
  });

  it('an order without that organization gets the entry only; a closed order is refused', async () => {
    const orderId = await seedOrder();
    const job = readyJob('customer', `webex-c-${orderId}`);
    await recordWebexOrg(job, orderId);
    expect((await getOrder(orderId)).customerOrg).toBeUndefined();
    expect((await listAudit(orderId)).map((e) => e.action)).toContain(
      'Customer organization provisioned in Webex',
    );

    const closed = await seedOrder({
      status: 'cancelled',
      customerOrg: {
        orgId: `c-${Date.now()}`,
        name: 'Closed Org',
        created: false,
        adminEmail: 'a@closed.example',
      },
    });
    await expect(recordWebexOrg(job, closed)).rejects.toBeInstanceOf(OrderClosedError);
    expect((await getOrder(closed)).customerOrg?.webexOrgId).toBeUndefined();
  });
});
