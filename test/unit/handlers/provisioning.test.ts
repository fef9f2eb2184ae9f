import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as callingHandler, provisionCalling } from '../../../functions/provision-calling/handler';
import { handler as meetingsHandler, provisionMeetings } from '../../../functions/provision-meetings/handler';
import { reserveSiteName, siteNameHolder } from '../../../functions/shared/adapters/org-directory';
import { getOrder, listAudit } from '../../../functions/shared/adapters/order-repository';
import type { CallingLocation } from '../../../functions/shared/domain/calling.schema';
import type { MeetingsSite } from '../../../functions/shared/domain/meetings.schema';
import { OrderClosedError, SiteNameTakenError, ValidationError } from '../../../functions/shared/errors';
import { lambdaContext } from '../support/lambda-context';
import { seedOrder } from '../support/seed';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { captureDomainEvents } from '../support/domain-events';

// The workflow's bus: the steps publish their domain events on it.
const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(async () => {
  await table.stop();
});

let siteCounter = 0;
function site(licenses: number, overrides: Partial<MeetingsSite> = {}): MeetingsSite {
  return {
    siteName: `acme-${++siteCounter}`,
    timeZone: 'Europe/Bucharest',
    earlyRelease: false,
    licenses,
    ...overrides,
  };
}

const meetings = (quantity: number, sites: MeetingsSite[]) => ({
  service: { type: 'meetings' as const, quantity },
  setup: { type: 'meetings', settings: { sites } },
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

describe('Provision Webex Meetings', () => {
  it('reserves the site names and records the sites on the order', async () => {
    const orderId = await seedOrder();
    const sites = [site(30), site(20, { earlyRelease: true })];

    const result = await provisionMeetings({ orderId, ...meetings(50, sites) });

    expect(result.sites).toEqual(sites.map((s) => `${s.siteName}.webex.com`));
    const order = await getOrder(orderId);
    expect(order.provisioned.meetings?.sites).toEqual(sites);
    expect(order).toMatchObject({ status: 'in-progress', currentStep: 'Provision Webex Meetings' });
    for (const s of sites) expect(await siteNameHolder(s.siteName)).toBe(orderId);
  });

  it('gives back a name reserved on an earlier Close that the final sites no longer use', async () => {
    const orderId = await seedOrder();
    const dropped = site(10);
    await reserveSiteName(dropped.siteName, orderId);
    const kept = site(50);

    await provisionMeetings({ orderId, ...meetings(50, [kept]) });

    expect(await siteNameHolder(kept.siteName)).toBe(orderId);
    expect(await siteNameHolder(dropped.siteName)).toBeUndefined();
  });

  it('refuses a license split that does not match the purchase', async () => {
    const orderId = await seedOrder();

    await expect(provisionMeetings({ orderId, ...meetings(50, [site(30), site(10)]) })).rejects.toThrow(
      /licenses must add up to 50 \(now 40\)/,
    );
    expect((await getOrder(orderId)).provisioned.meetings).toBeUndefined();
  });

  it('refuses a site name another order holds', async () => {
    const [orderId, other] = [await seedOrder(), await seedOrder()];
    const taken = site(10);
    await reserveSiteName(taken.siteName, other);

    await expect(provisionMeetings({ orderId, ...meetings(10, [taken]) })).rejects.toBeInstanceOf(
      SiteNameTakenError,
    );
    expect(await siteNameHolder(taken.siteName)).toBe(other);
    expect((await getOrder(orderId)).provisioned.meetings).toBeUndefined();
  });

  it('provisions again without complaint when the step runs twice', async () => {
    const orderId = await seedOrder();
    const input = { orderId, ...meetings(5, [site(5)]) };
    await provisionMeetings(input);

    await provisionMeetings(input);

    expect((await listAudit(orderId)).filter((e) => e.action.includes('provisioned'))).toHaveLength(1);
  });

  it('refuses Calling settings', async () => {
    const orderId = await seedOrder();

    await expect(
      provisionMeetings({
        orderId,
        service: { type: 'meetings', quantity: 5 },
        setup: { type: 'calling', settings: { location: hq } },
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses to provision a cancelled order', async () => {
    const orderId = await seedOrder({ status: 'cancelled' });

    await expect(provisionMeetings({ orderId, ...meetings(5, [site(5)]) })).rejects.toBeInstanceOf(
      OrderClosedError,
    );
  });

  it('the handler rejects a bad site name, naming the field', async () => {
    const orderId = await seedOrder();

    await expect(
      meetingsHandler({ orderId, ...meetings(5, [site(5, { siteName: 'Acme_Site' })]) }, lambdaContext()),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('settings.sites.0.siteName'),
    });
  });
});

describe('Provision Webex Calling', () => {
  it('records the headquarters location', async () => {
    const orderId = await seedOrder();

    const result = await provisionCalling({
      orderId,
      service: { type: 'calling', quantity: 20 },
      setup: { type: 'calling', settings: { location: hq } },
    });

    expect(result).toEqual({ location: 'Sediul central' });
    expect((await getOrder(orderId)).provisioned.calling?.location).toEqual(hq);
  });

  it('keeps what Meetings recorded', async () => {
    const orderId = await seedOrder();
    await provisionMeetings({ orderId, ...meetings(5, [site(5)]) });

    await provisionCalling({
      orderId,
      service: { type: 'calling', quantity: 20 },
      setup: { type: 'calling', settings: { location: hq } },
    });

    const { provisioned } = await getOrder(orderId);
    expect(Object.keys(provisioned).sort()).toEqual(['calling', 'meetings']);
  });

  it('the handler rejects a US address without a state, naming the field', async () => {
    const orderId = await seedOrder();
    const us = { ...hq, country: 'US', postalCode: '62701', state: undefined, timeZone: 'America/Chicago' };

    await expect(
      callingHandler(
        {
          orderId,
          service: { type: 'calling', quantity: 2 },
          setup: { type: 'calling', settings: { location: us } },
        },
        lambdaContext(),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('settings.location.state'),
    });
    expect((await getOrder(orderId)).provisioned.calling).toBeUndefined();
  });
});
