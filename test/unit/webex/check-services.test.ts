import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkServices, handler } from '../../../functions/check-webex-job/handler';
import { provisionCalling } from '../../../functions/provision-calling/handler';
import { provisionMeetings } from '../../../functions/provision-meetings/handler';
import { getOrder } from '../../../functions/shared/adapters/order-repository';
import type { CallingLocation } from '../../../functions/shared/domain/calling.schema';
import {
  WebexJobFailedError,
  WebexJobTimedOutError,
  WebexPartiallyProvisionedError,
} from '../../../functions/shared/errors';
import type { CheckServicesInput, ServiceJob, WebexJob } from '../../../functions/shared/webex-jobs';
import { waitFor } from '../../helpers/wait';
import { captureDomainEvents } from '../support/domain-events';
import { lambdaContext } from '../support/lambda-context';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { seedWebexOrder, startTestWebex, type TestWebex } from '../support/local-webex';

// "Check services": after the "Set up services" Map, one check polls every service job the Map's
// iterations submitted (one Webex read each), records each service Webex has made, and fails the
// run naming the service whose job failed. Here Webex's jobs take 3 s.

const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());

let table: LocalTable;
let webex: TestWebex;
beforeAll(async () => {
  table = await startLocalTable();
  webex = await startTestWebex({ jobSeconds: 3 });
});
afterAll(async () => {
  await webex.stop();
  await table.stop();
});
afterEach(() => webex.faults({}));

const hq: CallingLocation = {
  locationName: 'Sediul central',
  country: 'RO',
  street: 'Bulevardul Unirii 1',
  city: 'București',
  postalCode: '030167',
  state: 'București',
  timeZone: 'Europe/Bucharest',
  announcementLanguage: 'ro_ro',
};
const settings = { webexPoll: { firstWaitSeconds: 1, maxWaitSeconds: 3, maxPolls: 5 } };

let siteCounter = 0;

/** Both services of an order submitted to Webex, as the Map's output hands them to "Check services". */
async function submittedServices(): Promise<{ orderId: string; jobs: ServiceJob[] }> {
  const { orderId } = await seedWebexOrder();
  const meetings = {
    orderId,
    service: { type: 'meetings' as const, quantity: 5 },
    setup: {
      type: 'meetings',
      settings: {
        sites: [
          {
            siteName: `svc-${process.pid}-${++siteCounter}`,
            timeZone: 'Europe/Bucharest',
            earlyRelease: false,
            licenses: 5,
          },
        ],
      },
    },
    settings,
  };
  const calling = {
    orderId,
    service: { type: 'calling' as const, quantity: 5 },
    setup: { type: 'calling', settings: { location: hq } },
    settings,
  };
  // Each Map iteration's output: its input, with the job at `webex.job`.
  const jobs = [
    { ...meetings, webex: { job: await provisionMeetings(meetings) } },
    { ...calling, webex: { job: await provisionCalling(calling) } },
  ];
  return { orderId, jobs };
}

const input = (orderId: string, jobs: ServiceJob[], waitSeconds = 1): CheckServicesInput => ({
  orderId,
  services: { waitSeconds, jobs },
  settings,
});

const jobOf = (checked: { jobs: ServiceJob[] }, i: number): WebexJob => checked.jobs[i]!.webex.job;

const apiCalls = () => Object.values(webex.stats.calls).reduce((a, b) => a + b, 0);

describe('Check services', () => {
  it('polls both jobs in one check, waits the shortest doubled wait, then records both services once ready', async () => {
    const { orderId, jobs } = await submittedServices();
    // One job already waited longer than the other: the next wait follows the one due sooner.
    jobs[0]!.webex.job.waitSeconds = 2;

    const first = await checkServices(input(orderId, jobs));

    expect(first.status).toBe('provisioning');
    expect([jobOf(first, 0).waitSeconds, jobOf(first, 1).waitSeconds]).toEqual([3, 2]);
    expect(first.waitSeconds).toBe(2);
    expect([jobOf(first, 0).polls, jobOf(first, 1).polls]).toEqual([1, 1]);
    expect((await getOrder(orderId)).provisioned).toEqual({});

    const ready = await waitFor('both services ready', async () => {
      const checked = await checkServices(input(orderId, first.jobs, first.waitSeconds));
      return checked.status === 'provisioned' && checked;
    });

    const { provisioned } = await getOrder(orderId);
    expect(Object.keys(provisioned).sort()).toEqual(['calling', 'meetings']);
    expect(provisioned.calling?.location).toEqual(hq);
    // A job a check saw ready is not read again.
    const before = apiCalls();
    const again = await checkServices(input(orderId, ready.jobs, ready.waitSeconds));
    expect(again.status).toBe('provisioned');
    expect(apiCalls()).toBe(before);
  });

  it('records a service that came back provisioned from its Provision step (not polled yet)', async () => {
    const { orderId, jobs } = await submittedServices();
    await waitFor('Webex done', async () =>
      (await webex.state()).sites.every((s) => s.status !== 'provisioning'),
    );
    const provisionedAtSubmit = {
      ...jobs[0]!,
      webex: { job: { ...jobs[0]!.webex.job, status: 'provisioned' as const } },
    };

    await waitFor('both recorded', async () => {
      const checked = await checkServices(input(orderId, [provisionedAtSubmit, jobs[1]!]));
      return checked.status === 'provisioned';
    });

    expect((await getOrder(orderId)).provisioned.meetings).toBeDefined();
  });

  it('a job that fails fails the check naming its service; the other is still checked and recorded; a redrive resubmits the failed one', async () => {
    webex.faults({ jobError: ['meetings'] });
    const { orderId, jobs } = await submittedServices();
    webex.faults({});
    await waitFor('Webex done', async () =>
      (await webex.state()).customers.every((c) => c.status !== 'updating'),
    );

    const failure = await waitFor('the failed job reported', async () => {
      const e = await checkServices(input(orderId, jobs)).catch((error: unknown) => error);
      return e instanceof Error && e;
    });

    expect(failure).toBeInstanceOf(WebexJobFailedError);
    expect(failure.message).toMatch(/^Webex Meetings: Webex Meetings site \S+ ended in error: /);
    expect(failure.message).not.toContain('Webex Calling');
    const order = await getOrder(orderId);
    expect(order.provisioned.calling).toBeDefined();
    expect(order.provisioned.meetings).toBeUndefined();

    // The redrive runs the same check with the same input: the reported job is submitted again.
    const redriven = await checkServices(input(orderId, jobs));
    expect(redriven.status).toBe('provisioning');
    expect(jobOf(redriven, 0)).toMatchObject({ submission: 2, polls: 0, waitSeconds: 1 });
    expect(redriven.waitSeconds).toBe(1);
    await waitFor('Meetings ready after the resubmission', async () => {
      const checked = await checkServices(input(orderId, redriven.jobs, redriven.waitSeconds));
      return checked.status === 'provisioned';
    });
    expect((await getOrder(orderId)).provisioned.meetings).toBeDefined();
  });

  it('a customer provisioned with errors fails the check as a partial outcome, naming Calling', async () => {
    webex.faults({ partialPackages: ['webex_calling'] });
    const { orderId, jobs } = await submittedServices();
    webex.faults({});

    const failure = await waitFor('the partial outcome', async () => {
      const e = await checkServices(input(orderId, jobs)).catch((error: unknown) => error);
      return e instanceof Error && e;
    });

    expect(failure).toBeInstanceOf(WebexPartiallyProvisionedError);
    expect(failure.message).toMatch(/^Webex Calling: .*webex_calling/);
  });

  it('after the last poll the run allows, fails with WebexJobTimedOutError naming each service still running', async () => {
    const { orderId, jobs } = await submittedServices();
    const last = jobs.map((j) => ({ ...j, webex: { job: { ...j.webex.job, polls: 4 } } }));

    const failure = await checkServices(input(orderId, last)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(WebexJobTimedOutError);
    expect((failure as Error).message).toMatch(/^Webex Meetings: .*; Webex Calling: .*after 5 checks/);
  });

  it('the handler takes the services check and an org check alike, and names a bad field', async () => {
    const { orderId, jobs } = await submittedServices();
    await expect(handler(input(orderId, jobs), lambdaContext())).resolves.toMatchObject({
      jobs: [expect.anything(), expect.anything()],
    });
    await expect(
      handler({ orderId, services: { waitSeconds: 0, jobs } }, lambdaContext()),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
