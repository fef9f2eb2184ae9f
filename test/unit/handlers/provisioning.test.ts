import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as callingHandler, provisionCalling } from '../../../functions/provision-calling/handler';
import { handler as meetingsHandler, provisionMeetings } from '../../../functions/provision-meetings/handler';
import { reserveSiteName, siteNameHolder } from '../../../functions/shared/adapters/org-directory';
import { getOrder, listAudit, updateOrder } from '../../../functions/shared/adapters/order-repository';
import { DeleteCommand, instrumentDynamodb } from '../../../functions/shared/clients/dynamodb';
import { keys } from '../../../functions/shared/adapters/keys';
import { dynamodb } from '../../../functions/shared/clients';
import type { CallingLocation } from '../../../functions/shared/domain/calling.schema';
import { siteUrl, type MeetingsSite } from '../../../functions/shared/domain/meetings.schema';
import {
  OrderClosedError,
  SiteNameTakenError,
  ValidationError,
  WebexJobFailedError,
  WebexRequestError,
} from '../../../functions/shared/errors';
import { checkWebexJob } from '../../../functions/check-webex-job/handler';
import { ensureCallingLocation } from '../../../functions/shared/webex/webex-port';
import { callingLocationRequest } from '../../../functions/shared/webex/webex-requests';
import { resetConfig } from '../../../functions/shared/config';
import { lambdaContext } from '../support/lambda-context';
import { seedOrder } from '../support/seed';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { seedWebexOrder, startTestWebex, type TestWebex } from '../support/local-webex';
import { captureDomainEvents } from '../support/domain-events';

// The provisioning steps against the local Webex (the same HTTP contract as webexapis.com): what
// each step makes there, and that a step run twice, or twice at once, makes it once.

// The workflow's bus: the steps publish their domain events on it.
const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());

let table: LocalTable;
let webex: TestWebex;
beforeAll(async () => {
  table = await startLocalTable();
  webex = await startTestWebex();
});
afterAll(async () => {
  await webex.stop();
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
  it('reserves the site names, submits each site to Webex, and records them once Webex has made them', async () => {
    const { orderId, webexOrgId } = await seedWebexOrder();
    const sites = [site(30), site(20, { earlyRelease: true })];
    const input = { orderId, ...meetings(50, sites) };

    const job = await provisionMeetings(input);

    expect(job).toMatchObject({ kind: 'meetings', orgId: webexOrgId, polls: 0 });
    expect(job.refs).toHaveLength(2);
    const made = (await webex.state()).sites.filter((s) => s.orgId === webexOrgId);
    expect(made.map((s) => s.siteUrl).sort()).toEqual(sites.map((s) => `${s.siteName}.webex.com`).sort());
    expect(made.every((s) => s.submissions === 1)).toBe(true);
    for (const s of sites) expect(await siteNameHolder(s.siteName)).toBe(orderId);

    const checked = await checkWebexJob({ ...input, job });

    expect(checked).toMatchObject({ status: 'provisioned', polls: 1 });
    const order = await getOrder(orderId);
    expect(order.provisioned.meetings?.sites).toEqual(sites);
    expect(order.provisioned.meetings?.webex?.sites.map((s) => s.siteUrl)).toEqual(
      sites.map((s) => `${s.siteName}.webex.com`),
    );
    expect(order.provisioned.meetings?.webex?.sites.map((s) => s.siteId).sort()).toEqual(
      made.map((s) => s.id).sort(),
    );
  });

  it('a retried or duplicated step finds the sites it submitted: one site each in Webex', async () => {
    const { orderId, webexOrgId } = await seedWebexOrder();
    const only = site(5);
    const input = { orderId, ...meetings(5, [only]) };

    const first = await provisionMeetings(input);
    const [again, concurrent] = await Promise.all([provisionMeetings(input), provisionMeetings(input)]);

    expect(again.refs).toEqual(first.refs);
    expect(concurrent.refs).toEqual(first.refs);
    expect((await webex.state()).sites.filter((s) => s.orgId === webexOrgId)).toHaveLength(1);
    // The submit is in the ops trail once, however often the step ran, and the order shows the step.
    const submitted = (await listAudit(orderId)).filter(
      (e) => e.action === 'Meetings sites submitted to Webex',
    );
    expect(submitted).toHaveLength(1);
    expect(submitted[0]?.details).toEqual({ sites: siteUrl(only.siteName) });
    expect(await getOrder(orderId)).toMatchObject({
      status: 'in-progress',
      currentStep: 'Provision Webex Meetings',
    });
  });

  it('a site name Webex has in another org is refused as taken', async () => {
    const a = await seedWebexOrder();
    const b = await seedWebexOrder();
    const shared = site(5);
    await provisionMeetings({ orderId: a.orderId, ...meetings(5, [shared]) });
    // Our own reservation would stop it first; Webex is the last word for names made elsewhere.
    await dynamodb().send(new DeleteCommand({ TableName: table.tableName, Key: keys.site(shared.siteName) }));

    await expect(provisionMeetings({ orderId: b.orderId, ...meetings(5, [shared]) })).rejects.toThrow(
      /belongs to another Webex organization/,
    );
  });

  it('a job that ends in error fails the check with what Webex said and its trackingId; run again, it resubmits the same site', async () => {
    const { orderId, webexOrgId } = await seedWebexOrder();
    const input = { orderId, ...meetings(5, [site(5)]) };
    webex.faults({ jobError: ['meetings'] });
    const job = await provisionMeetings(input).finally(() => webex.faults({}));

    const failure = await checkWebexJob({ ...input, job }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WebexJobFailedError);
    expect((failure as Error).message).toMatch(
      /ended in error: Meetings site provisioning failed.*\(trackingId \S+\)/,
    );
    const resubmitted = await checkWebexJob({ ...input, job });
    expect(resubmitted).toMatchObject({ status: 'provisioning', submission: 2, polls: 0 });
    const done = await checkWebexJob({ ...input, job: resubmitted });
    expect(done.status).toBe('provisioned');
    const made = (await webex.state()).sites.filter((s) => s.orgId === webexOrgId);
    expect(made).toHaveLength(1);
    expect(made[0]?.submissions).toBe(2);
  });

  it('gives back a name reserved on an earlier Close that the final sites no longer use', async () => {
    const { orderId } = await seedWebexOrder();
    const dropped = site(10);
    await reserveSiteName(dropped.siteName, orderId);
    const kept = site(50);

    await provisionMeetings({ orderId, ...meetings(50, [kept]) });

    expect(await siteNameHolder(kept.siteName)).toBe(orderId);
    expect(await siteNameHolder(dropped.siteName)).toBeUndefined();
  });

  it('names the setup page reserved are read with the order; each is checked by one conditional write', async () => {
    const { orderId } = await seedWebexOrder();
    const held = site(20);
    const added = site(30);
    // The page's Close reserved this one.
    await reserveSiteName(held.siteName, orderId);

    const sent: string[] = [];
    const remove = instrumentDynamodb((client) =>
      client.middlewareStack.add(
        (next, context) => async (args) => {
          sent.push(context.commandName ?? '?');
          return next(args);
        },
        { step: 'initialize', name: 'provisionCount' },
      ),
    );
    try {
      await provisionMeetings({ orderId, ...meetings(50, [held, added]) });
    } finally {
      remove();
    }

    // One read (the order with its names), the held name (its conditional write), the one not
    // held yet (the name and the order's pointer to it), the step.
    expect(sent).toEqual([
      'QueryCommand',
      'PutItemCommand',
      'PutItemCommand',
      'PutItemCommand',
      'UpdateItemCommand',
    ]);
    expect(await siteNameHolder(held.siteName)).toBe(orderId);
    expect(await siteNameHolder(added.siteName)).toBe(orderId);
  });

  it('a name the order still points to but another order took since (ops freed it) is refused as taken', async () => {
    const { orderId } = await seedWebexOrder();
    const stolen = site(50);
    await reserveSiteName(stolen.siteName, orderId);
    await dynamodb().send(new DeleteCommand({ TableName: table.tableName, Key: keys.site(stolen.siteName) }));
    await reserveSiteName(stolen.siteName, 'ORD-SOMEONE-ELSE');

    await expect(provisionMeetings({ orderId, ...meetings(50, [stolen]) })).rejects.toBeInstanceOf(
      SiteNameTakenError,
    );
    expect(await siteNameHolder(stolen.siteName)).toBe('ORD-SOMEONE-ELSE');
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

  it('records the sites once when the check runs twice', async () => {
    const { orderId } = await seedWebexOrder();
    const input = { orderId, ...meetings(5, [site(5)]) };
    const job = await provisionMeetings(input);
    await checkWebexJob({ ...input, job });

    await checkWebexJob({ ...input, job });

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

  it('refuses to record a cancelled order', async () => {
    const { orderId } = await seedWebexOrder();
    const input = { orderId, ...meetings(5, [site(5)]) };
    const job = await provisionMeetings(input);
    await updateOrder(orderId, { status: 'cancelled' });

    await expect(checkWebexJob({ ...input, job })).rejects.toBeInstanceOf(OrderClosedError);
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

describe('Provision Webex Meetings as the Wholesale package (WEBEX_MEETINGS=wholesale-package)', () => {
  afterAll(() => {
    delete process.env.WEBEX_MEETINGS;
    resetConfig();
  });

  it('adds webex_meetings with its time zone to the customer, makes no modelled site, and records Meetings once Webex is done', async () => {
    process.env.WEBEX_MEETINGS = 'wholesale-package';
    resetConfig();
    const { orderId, webexOrgId } = await seedWebexOrder();
    const sites = [site(5, { timeZone: 'Asia/Tokyo' })];
    const input = { orderId, ...meetings(5, sites) };

    const job = await provisionMeetings(input);
    const checked = await checkWebexJob({ ...input, job });

    expect(job).toMatchObject({ kind: 'meetings-package', orgId: webexOrgId });
    expect(checked.status).toBe('provisioned');
    const state = await webex.state();
    expect(state.sites.filter((s) => s.orgId === webexOrgId)).toEqual([]);
    expect(state.customers.find((c) => c.orgId === webexOrgId)).toMatchObject({
      packages: ['webex_meetings'],
      meetingsTimezone: 'Asia/Tokyo',
    });
    expect((await getOrder(orderId)).provisioned.meetings?.webex?.sites).toEqual([]);
  });
});

/** "Provision Webex Calling", then a check of its job (the local Webex's jobs end at once here). */
async function provisionCallingThenCheck(input: Parameters<typeof provisionCalling>[0]) {
  const job = await provisionCalling(input);
  return checkWebexJob({ ...input, job });
}

describe('Provision Webex Calling', () => {
  it('adds the Calling packages with the headquarters location; Webex makes it, enabled for Calling, and the order records its id', async () => {
    const { orderId, webexOrgId } = await seedWebexOrder();

    const job = await provisionCalling({
      orderId,
      service: { type: 'calling', quantity: 20 },
      setup: { type: 'calling', settings: { location: hq } },
    });
    const customer = (await webex.state()).customers.find((c) => c.orgId === webexOrgId);
    expect(customer?.packages).toEqual(['webex_meetings', 'common_area_calling', 'webex_calling']);
    expect(job).toMatchObject({ kind: 'calling', orgId: webexOrgId, refs: [customer?.id] });
    const checked = await checkWebexJob({
      orderId,
      job,
      service: { type: 'calling', quantity: 20 },
      setup: { type: 'calling', settings: { location: hq } },
    });

    expect(checked.status).toBe('provisioned');
    const made = (await webex.state()).locations.filter((l) => l.orgId === webexOrgId);
    expect(made).toEqual([expect.objectContaining({ name: 'Sediul central', callingEnabled: true })]);
    const order = await getOrder(orderId);
    expect(order.provisioned.calling?.location).toEqual(hq);
    expect(order.provisioned.calling?.webex).toEqual({ locationId: made[0]?.id, orgId: webexOrgId });
  });

  it('a retried or duplicated step finds the location by name: one location, enabled once', async () => {
    const { orderId, webexOrgId } = await seedWebexOrder();
    const input = {
      orderId,
      service: { type: 'calling' as const, quantity: 20 },
      setup: { type: 'calling', settings: { location: hq } },
    };

    await provisionCallingThenCheck(input);
    await Promise.all([provisionCallingThenCheck(input), provisionCallingThenCheck(input)]);

    expect((await webex.state()).locations.filter((l) => l.orgId === webexOrgId)).toHaveLength(1);
    const { calling } = (await getOrder(orderId)).provisioned;
    expect(calling?.webex?.locationId).toBe(
      (await webex.state()).locations.find((l) => l.orgId === webexOrgId)?.id,
    );
  });

  it('an address Webex refuses fails for good, naming the field and what Webex said', async () => {
    const { webexOrgId } = await seedWebexOrder();
    // Our form catches this one; Webex has rules of its own, and its refusal names the field.
    const noPostalCode = callingLocationRequest({
      ...hq,
      postalCode: undefined,
      country: 'GB',
      state: undefined,
    });

    const failure = await ensureCallingLocation(webexOrgId, noPostalCode).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WebexRequestError);
    expect(failure).toMatchObject({ name: 'WebexRequestError', status: 400 });
    expect((failure as Error).message).toMatch(
      /Webex refused POST \/locations \(400\): address\.postalCode: postalCode is required for an address in GB \(trackingId SPW_\S+\)/,
    );
  });

  it('keeps what Meetings recorded', async () => {
    const { orderId } = await seedWebexOrder();
    const input = { orderId, ...meetings(5, [site(5)]) };
    await checkWebexJob({ ...input, job: await provisionMeetings(input) });

    await provisionCallingThenCheck({
      orderId,
      service: { type: 'calling', quantity: 20 },
      setup: { type: 'calling', settings: { location: hq } },
    });

    const { provisioned } = await getOrder(orderId);
    expect(Object.keys(provisioned).sort()).toEqual(['calling', 'meetings']);
  });

  it('the handler rejects a US address without a state, naming the field', async () => {
    const { orderId } = await seedWebexOrder();
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
