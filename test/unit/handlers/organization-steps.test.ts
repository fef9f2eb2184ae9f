import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWebexJob } from '../../../functions/check-webex-job/handler';
import { createOrganization, handler as createHandler } from '../../../functions/create-organization/handler';
import { handOff } from '../../../functions/hand-off/handler';
import { mapOrganization, handler as mapHandler } from '../../../functions/map-organization/handler';
import {
  dynamoOrgDirectory,
  findOrganization,
  getPartnerRelation,
} from '../../../functions/shared/adapters/org-directory';
import { importOrganizations } from '../../../functions/shared/adapters/org-import';
import { getOrder, listAudit } from '../../../functions/shared/adapters/order-repository';
import { instrumentDynamodb } from '../../../functions/shared/clients/dynamodb';
import { OrganizationNotFoundError, ValidationError } from '../../../functions/shared/errors';
import { importLine } from '../../fixtures/organizations';
import { lambdaContext } from '../support/lambda-context';
import { mockMailbox, type Mailbox } from '../support/mailbox';
import { seedOrder } from '../support/seed';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { startTestWebex, type TestWebex } from '../support/local-webex';
import { captureDomainEvents } from '../support/domain-events';

// The workflow's bus: the steps publish their domain events on it.
const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());

let table: LocalTable;
let mailbox: Mailbox;
let webex: TestWebex;
beforeAll(async () => {
  table = await startLocalTable();
  webex = await startTestWebex();
  mailbox = mockMailbox();
  await importOrganizations([
    importLine({
      orgId: 'partner-1',
      kind: 'partner',
      name: 'Partner Solutions SRL',
      domains: [{ domain: 'partner.example', status: 'verified' }],
      users: [{ email: 'ana.popescu@partner.example', active: true }],
    }),
    importLine({ orgId: 'customer-1', kind: 'customer', name: 'Acme Industries' }),
  ]);
});
afterAll(async () => {
  mailbox.ses.restore();
  await webex.stop();
  await table.stop();
});

const mapPartner = { action: 'map', orgId: 'partner-1', outcome: 'associated' } as const;
const newCustomer = {
  action: 'create',
  organization: {
    name: 'Initech România',
    businessVertical: 'technology',
    country: 'RO',
    address: { street: 'Strada Lipscani 1', city: 'București', state: 'București', postalCode: '030031' },
  },
  adminEmail: 'it@initech.example',
} as const;

/** An order whose contact chose "for a customer" and mapped their partner org. */
async function partnerOrder() {
  const orderId = await seedOrder({ orderFor: 'customer', status: 'in-progress' });
  await mapOrganization({ orderId, kind: 'partner', choice: mapPartner });
  return orderId;
}

describe('Map organization', () => {
  it('maps the partner org the contact confirmed', async () => {
    const orderId = await seedOrder({ orderFor: 'customer' });
    const sent: string[] = [];
    const remove = instrumentDynamodb((client) =>
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const key = (args.input as { Key?: { pk?: { S?: string } } }).Key?.pk?.S ?? '';
          sent.push(`${context.commandName ?? '?'} ${key.split('#')[0]}`);
          return next(args);
        },
        { step: 'initialize', name: 'mapPartnerCount' },
      ),
    );

    const result = await mapOrganization({ orderId, kind: 'partner', choice: mapPartner }).finally(remove);

    expect(result).toEqual({ orgId: 'partner-1', name: 'Partner Solutions SRL' });
    // The directory's org, then one write of the order with its audit entry: no read of the order.
    expect(sent).toEqual(['GetItemCommand ORG', 'UpdateItemCommand ORDER']);
    // The org's country rides along: the service pages' defaults need no read of the org.
    expect((await getOrder(orderId)).partnerOrg).toEqual({
      orgId: 'partner-1',
      name: 'Partner Solutions SRL',
      created: false,
      country: 'RO',
    });
  });

  it('gives the partner the provisioning admin role on an existing customer', async () => {
    const orderId = await partnerOrder();

    await mapOrganization({
      orderId,
      kind: 'customer',
      choice: { action: 'map', orgId: 'customer-1', outcome: 'matched', adminEmail: 'admin@acme.example' },
    });

    expect((await getOrder(orderId)).customerOrg).toEqual({
      orgId: 'customer-1',
      name: 'Acme Industries',
      created: false,
      country: 'RO',
      adminEmail: 'admin@acme.example',
      partnerRole: 'provisioning-admin',
    });
    expect(await getPartnerRelation('customer-1', 'partner-1')).toEqual({
      role: 'provisioning-admin',
      orderId,
    });
  });

  it('records no partner role when the order is for the contact’s own company', async () => {
    const orderId = await seedOrder({ orderFor: 'my-company' });

    await mapOrganization({
      orderId,
      kind: 'customer',
      choice: {
        action: 'map',
        orgId: 'customer-1',
        outcome: 'associated',
        adminEmail: 'ana.popescu@partner.example',
      },
    });

    const order = await getOrder(orderId);
    expect(order.customerOrg?.partnerRole).toBeUndefined();
    expect(order.partnerOrg).toBeUndefined();
  });

  it.each([
    ['an org of the other kind', 'customer-1'],
    ['an org that does not exist', 'no-such-org'],
  ])('refuses %s', async (_what, orgId) => {
    const orderId = await seedOrder();

    await expect(
      mapOrganization({ orderId, kind: 'partner', choice: { action: 'map', orgId, outcome: 'searched' } }),
    ).rejects.toBeInstanceOf(OrganizationNotFoundError);
    expect((await getOrder(orderId)).partnerOrg).toBeUndefined();
  });

  it('refuses a choice to create an org', async () => {
    const orderId = await seedOrder();

    await expect(mapOrganization({ orderId, kind: 'customer', choice: newCustomer })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('writes its audit entry once when the step runs again', async () => {
    const orderId = await seedOrder();

    await mapOrganization({ orderId, kind: 'partner', choice: mapPartner });
    await mapOrganization({ orderId, kind: 'partner', choice: mapPartner });

    const entries = (await listAudit(orderId)).filter((e) => e.action === 'Partner organization mapped');
    expect(entries).toHaveLength(1);
  });

  it('the handler rejects a customer choice without the admin email, naming the field', async () => {
    const orderId = await seedOrder();

    await expect(
      mapHandler(
        { orderId, kind: 'customer', choice: { action: 'map', orgId: 'customer-1', outcome: 'matched' } },
        lambdaContext(),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('adminEmail') });
  });
});

describe('Create organization', () => {
  it('creates the customer org; the partner that created it is its full admin', async () => {
    const orderId = await partnerOrder();

    const result = await createOrganization({ orderId, kind: 'customer', choice: newCustomer });

    expect(result).toMatchObject({ orgId: `c-${orderId}`, name: 'Initech România' });
    // Submitted to Webex as a customer whose externalId is our org id; the run waits on its job.
    const [inWebex] = (await webex.state()).customers.filter((c) => c.externalId === `c-${orderId}`);
    expect(inWebex).toMatchObject({ name: 'Initech România' });
    expect(result.job).toMatchObject({ kind: 'organization', orgKind: 'customer', orgId: inWebex?.orgId });
    expect((await getOrder(orderId)).customerOrg).toMatchObject({
      orgId: `c-${orderId}`,
      created: true,
      adminEmail: 'it@initech.example',
      partnerRole: 'full-admin',
    });
    expect(await getPartnerRelation(`c-${orderId}`, 'partner-1')).toEqual({ role: 'full-admin', orderId });
    const byAdmin = await dynamoOrgDirectory.findOrgsByUserEmail('customer', 'it@initech.example');
    expect(byAdmin.map((o) => o.orgId)).toContain(`c-${orderId}`);
  });

  it('when Webex answers the submit itself with errors, the step fails with TransientError and its retry submits one org', async () => {
    const orderId = await partnerOrder();
    const input = { orderId, kind: 'customer', choice: newCustomer } as const;
    // Every Webex call answers 500/502/503: the adapter's own retries run out.
    webex.faults({ rate5xx: 1 });
    try {
      await expect(createHandler(input, lambdaContext())).rejects.toMatchObject({
        name: 'TransientError',
        message: expect.stringMatching(/Webex answered 5\d\d .*trackingId/),
      });
    } finally {
      webex.faults({});
    }
    expect((await webex.state()).customers.filter((c) => c.externalId === `c-${orderId}`)).toEqual([]);
    // Our side is recorded and stays one org: the retry finds it and submits it to Webex once.
    expect((await getOrder(orderId)).customerOrg).toMatchObject({ orgId: `c-${orderId}`, created: true });

    const retried = await createHandler(input, lambdaContext());

    const inWebex = (await webex.state()).customers.filter((c) => c.externalId === `c-${orderId}`);
    expect(inWebex).toHaveLength(1);
    expect(retried).toMatchObject({ orgId: `c-${orderId}`, job: { orgId: inWebex[0]?.orgId } });
  });

  it('creates no second org when the step runs again', async () => {
    const orderId = await seedOrder({ orderFor: 'customer' });
    const choice = {
      action: 'create',
      organization: {
        name: 'New Partner Co',
        businessVertical: 'technology',
        country: 'RO',
        address: { street: 'Strada Lipscani 1', city: 'București', state: 'București', postalCode: '030031' },
      },
    } as const;

    const first = await createOrganization({ orderId, kind: 'partner', choice });
    const second = await createOrganization({ orderId, kind: 'partner', choice });

    expect(second).toEqual(first);
    // One org in Webex too: found by its externalId (our org id) the second time.
    expect((await webex.state()).customers.filter((c) => c.externalId === first.orgId)).toHaveLength(1);
    // The partner org's first user is the contact provisioning the order; its domain is claimed.
    const byContact = await dynamoOrgDirectory.findOrgsByUserEmail('partner', 'ana.popescu@partner.example');
    expect(byContact.filter((o) => o.createdByOrder === orderId).map((o) => o.orgId)).toEqual([
      `p-${orderId}`,
    ]);
    expect(await findOrganization(first.orgId)).toMatchObject({
      domains: [{ domain: 'partner.example', status: 'claimed' }],
    });
  });

  it('does not demote the partner that created a customer when a later order maps that customer', async () => {
    const first = await partnerOrder();
    await createOrganization({ orderId: first, kind: 'customer', choice: newCustomer });
    const second = await partnerOrder();

    await mapOrganization({
      orderId: second,
      kind: 'customer',
      choice: { action: 'map', orgId: `c-${first}`, outcome: 'associated', adminEmail: 'it@initech.example' },
    });

    expect(await getPartnerRelation(`c-${first}`, 'partner-1')).toEqual({
      role: 'full-admin',
      orderId: first,
    });
    expect((await getOrder(second)).customerOrg).toMatchObject({ created: false, partnerRole: 'full-admin' });
  });

  it('keeps the partner relation when the customer admin takes over the services', async () => {
    const orderId = await partnerOrder();
    await createOrganization({ orderId, kind: 'customer', choice: newCustomer });

    await handOff({ orderId, role: 'customer-admin' });

    expect((await getOrder(orderId)).selfSetup).toBe(true);
    expect(await getPartnerRelation(`c-${orderId}`, 'partner-1')).toEqual({ role: 'full-admin', orderId });
  });

  it('refuses a choice to map an existing org', async () => {
    const orderId = await seedOrder();

    await expect(createOrganization({ orderId, kind: 'partner', choice: mapPartner })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('the handler rejects a new org without a country, naming the field', async () => {
    const orderId = await seedOrder();
    const choice = { action: 'create', organization: { name: 'No Country', businessVertical: 'retail' } };

    await expect(createHandler({ orderId, kind: 'partner', choice }, lambdaContext())).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('organization.country'),
    });
  });
});

describe('Check customer organization (the Webex job)', () => {
  it('records the Webex org id on the order once Webex has provisioned the org', async () => {
    const orderId = await partnerOrder();
    const { job } = await createOrganization({ orderId, kind: 'customer', choice: newCustomer });
    if (!job) throw new Error('expected a Webex job');

    const checked = await checkWebexJob({ orderId, job });

    expect(checked).toMatchObject({ status: 'provisioned', polls: 1, orgId: expect.any(String) });
    expect((await getOrder(orderId)).customerOrg?.webexOrgId).toBe(checked.orgId);
  });

  it('an org job that ends in error fails the check with Webex’s words; run again (a redrive), it resubmits the same org', async () => {
    const orderId = await partnerOrder();
    webex.faults({ jobError: ['organization'] });
    const { job } = await createOrganization({ orderId, kind: 'customer', choice: newCustomer }).finally(() =>
      webex.faults({}),
    );
    if (!job) throw new Error('expected a Webex job');

    await expect(checkWebexJob({ orderId, job })).rejects.toThrow(
      /^Webex organization .* ended in error: Provisioning of the customer organization failed.*\(trackingId SPW_\S+\)$/,
    );
    // Webex presents no orgId for a customer in error.
    expect(job.orgId).toBeUndefined();
    const again = await checkWebexJob({ orderId, job });
    expect(again).toMatchObject({ status: 'provisioning', submission: 2 });
    const ready = await checkWebexJob({ orderId, job: again });
    expect(ready).toMatchObject({ status: 'provisioned', orgId: expect.any(String) });

    const customers = (await webex.state()).customers.filter((c) => c.externalId === `c-${orderId}`);
    expect(customers).toHaveLength(1);
    expect((await getOrder(orderId)).customerOrg?.webexOrgId).toBe(customers[0]?.orgId);
    expect(ready.orgId).toBe(customers[0]?.orgId);
  });
});
