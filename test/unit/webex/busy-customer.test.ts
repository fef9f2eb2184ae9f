import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkWebexJob } from '../../../functions/check-webex-job/handler';
import { provisionCalling } from '../../../functions/provision-calling/handler';
import { provisionMeetings } from '../../../functions/provision-meetings/handler';
import { getOrder, updateOrder } from '../../../functions/shared/adapters/order-repository';
import { resetConfig } from '../../../functions/shared/config';
import type { CallingLocation } from '../../../functions/shared/domain/calling.schema';
import { WebexCustomerBusyError, WebexRequestError } from '../../../functions/shared/errors';
import { ensureCustomer, getCustomer, updateCustomer } from '../../../functions/shared/webex/webex-port';
import { waitFor } from '../../helpers/wait';
import { captureDomainEvents } from '../support/domain-events';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { startTestWebex, type TestWebex } from '../support/local-webex';
import { seedOrder } from '../support/seed';

// Two orders of one customer org update its Webex customer at the same moment. Webex refuses an
// update with 409 "Wait until the customer is no longer updating" while the other one runs: the
// step waits and submits again (WebexCustomerBusyError, which the state's Retry backs off on); it does not
// fail the run. Here Webex's jobs take 2 s, and every answer waits 300 ms, so two steps started
// together both read the customer before either sends its PUT.

// The workflow's bus: recording a service publishes a domain event on it.
const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());

let table: LocalTable;
let webex: TestWebex;
beforeAll(async () => {
  table = await startLocalTable();
  webex = await startTestWebex({ jobSeconds: 2 });
});
afterAll(async () => {
  await webex.stop();
  await table.stop();
});
afterEach(() => {
  webex.faults({});
  delete process.env.WEBEX_MEETINGS;
  resetConfig();
});

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

let counter = 0;

/** A provisioned customer in Webex, and `orders` orders whose customer org it is. */
async function customerWithOrders(orders: number) {
  const externalId = `org-busy-${process.pid}-${++counter}-${Date.now()}`;
  const submitted = await ensureCustomer({
    provisioningId: 'test',
    packages: ['webex_meetings'],
    externalId,
    address: {
      addressLine1: 'Strada Lipscani 1',
      city: 'București',
      stateOrProvince: 'București',
      zipOrPostalCode: '030031',
      country: 'RO',
    },
    customerInfo: { name: `Busy ${counter}`, primaryEmail: 'admin@example.com' },
  });
  const customer = await provisioned(submitted.id);
  const orderIds: string[] = [];
  for (let i = 0; i < orders; i++) {
    const orderId = await seedOrder();
    await updateOrder(orderId, {
      customerOrg: {
        orgId: externalId,
        name: `Busy ${counter}`,
        created: false,
        adminEmail: 'admin@example.com',
        webexOrgId: customer.orgId ?? '',
      },
    });
    orderIds.push(orderId);
  }
  return { customer, orderIds };
}

function provisioned(id: string) {
  return waitFor(`customer ${id} provisioned`, async () => {
    const { customer } = await getCustomer(id);
    return customer.status === 'provisioned' && customer;
  });
}

const calling = (orderId: string) => ({
  orderId,
  service: { type: 'calling' as const, quantity: 5 },
  setup: { type: 'calling', settings: { location: hq } },
});

describe('an update of a customer Webex is still updating', () => {
  it('a second PUT while the first runs is a wait (WebexCustomerBusyError), not a refusal', async () => {
    const { customer } = await customerWithOrders(0);
    await updateCustomer(customer.id, { packages: ['webex_meetings'] });

    const second = await updateCustomer(customer.id, { packages: ['webex_meetings'] }).catch(
      (e: unknown) => e,
    );

    expect(second).toBeInstanceOf(WebexCustomerBusyError);
    expect((second as Error).message).toMatch(/is updating \(another update is under way\)/);
    // Once Webex is done, the same PUT goes through.
    await provisioned(customer.id);
    await expect(updateCustomer(customer.id, { packages: ['webex_meetings'] })).resolves.toBeUndefined();
  });

  it('a 409 for good (an externalId another customer has) stays a refusal', async () => {
    const { customer: one } = await customerWithOrders(0);
    const { customer: other } = await customerWithOrders(0);

    const failure = await updateCustomer(one.id, {
      packages: ['webex_meetings'],
      externalId: other.externalId,
    }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WebexRequestError);
    expect(failure).toMatchObject({ status: 409 });
  });

  it('two orders adding Calling to one customer at once: the refused one waits, then both record Calling', async () => {
    const { customer, orderIds } = await customerWithOrders(2);
    webex.faults({ latencyMs: 300 });

    const outcomes = await Promise.allSettled(orderIds.map((id) => provisionCalling(calling(id))));

    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(WebexCustomerBusyError);
    // The state's Retry runs the step again after its backoff; by then Webex is done and the
    // packages are there, so nothing is sent twice.
    webex.faults({});
    await provisioned(customer.id);
    for (const orderId of orderIds) {
      const input = calling(orderId);
      await checkWebexJob({ ...input, job: await provisionCalling(input) });
      expect((await getOrder(orderId)).provisioned.calling?.location).toEqual(hq);
    }
    expect((await webex.state()).customers.find((c) => c.id === customer.id)?.packages).toEqual([
      'webex_meetings',
      'common_area_calling',
      'webex_calling',
    ]);
  });

  it('WEBEX_MEETINGS=wholesale-package: a Meetings package PUT meeting another order Calling update waits too', async () => {
    process.env.WEBEX_MEETINGS = 'wholesale-package';
    resetConfig();
    const { orderIds } = await customerWithOrders(2);
    const [first, second] = orderIds as [string, string];
    webex.faults({ latencyMs: 300 });
    const meetings = {
      orderId: second,
      service: { type: 'meetings' as const, quantity: 5 },
      setup: {
        type: 'meetings',
        settings: {
          sites: [{ siteName: `busy-${counter}`, timeZone: 'Asia/Tokyo', earlyRelease: false, licenses: 5 }],
        },
      },
    };

    const outcomes = await Promise.allSettled([
      provisionCalling(calling(first)),
      provisionMeetings(meetings),
    ]);

    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(WebexCustomerBusyError);
  });
});
