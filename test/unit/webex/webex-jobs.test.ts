import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWebexJob } from '../../../functions/check-webex-job/handler';
import { WebexJobTimedOutError } from '../../../functions/shared/errors';
import { submitOrganization } from '../../../functions/shared/webex-jobs';
import { importLine } from '../../fixtures/organizations';
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
});
