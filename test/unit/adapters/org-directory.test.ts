import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createOrganization,
  dynamoOrgDirectory,
  findOrganization,
  getOrganizations,
  getPartnerRelation,
  MAX_ORGS_PER_LOOKUP,
  recordPartnerRelation,
  releaseSiteNames,
  reserveSiteName,
  siteNameHolder,
  siteNamesHeldBy,
} from '../../../functions/shared/adapters/org-directory';
import { importOrganizations } from '../../../functions/shared/adapters/org-import';
import { GetCommand, PutCommand } from '../../../functions/shared/clients/dynamodb';
import { keys } from '../../../functions/shared/adapters/keys';
import { dynamodb } from '../../../functions/shared/clients';
import { matchOrganization } from '../../../functions/shared/domain/org-matching';
import { importLine } from '../../fixtures/organizations';
import { uniqueOrderId } from '../../fixtures/orders';
import { startLocalTable, type LocalTable } from '../support/local-table';

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
  // A directory with noise around what the tests look for: many orgs on other domains.
  const noise = Array.from({ length: 120 }, (_, i) =>
    importLine({
      orgId: `noise-${i}`,
      name: `Noise ${i}`,
      domains: [{ domain: `noise${i}.example`, status: 'verified' }],
      users: [{ email: `user@noise${i}.example`, active: true }],
    }),
  );
  await importOrganizations([
    ...noise,
    importLine({
      orgId: 'cust-verified',
      name: 'Globex Verified',
      domains: [{ domain: 'globex.example', status: 'verified' }],
      users: [{ email: 'admin@globex.example', active: true, lastActivityAt: '2026-11-01T00:00:00Z' }],
    }),
    importLine({
      orgId: 'cust-claimed',
      name: 'Globex Old',
      domains: [{ domain: 'globex.example', status: 'claimed' }],
      users: [{ email: 'gone@globex.example', active: false, lastActivityAt: '2023-01-01T00:00:00Z' }],
    }),
    importLine({
      orgId: 'partner-globex',
      kind: 'partner',
      name: 'Globex Partner Services',
      domains: [{ domain: 'globex.example', status: 'verified' }],
      users: [{ email: 'admin@globex.example', active: true }],
    }),
  ]);
});
afterAll(async () => {
  await table.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

function recordCommands() {
  const spy = vi.spyOn(dynamodb(), 'send');
  return () => spy.mock.calls.map(([command]) => command.constructor.name);
}

describe('directory lookups', () => {
  it('finds orgs by exact user email, of the kind asked for, with one Query each', async () => {
    const commands = recordCommands();

    const customers = await dynamoOrgDirectory.findOrgsByUserEmail('customer', 'ADMIN@globex.example');
    const partners = await dynamoOrgDirectory.findOrgsByUserEmail('partner', 'admin@globex.example');

    expect(customers.map((o) => o.orgId)).toEqual(['cust-verified']);
    expect(partners.map((o) => o.orgId)).toEqual(['partner-globex']);
    expect(commands()).toEqual(['QueryCommand', 'QueryCommand']);
  });

  it('finds orgs by domain without a scan, in one request whatever the directory size', async () => {
    const commands = recordCommands();

    const orgs = await dynamoOrgDirectory.findOrgsByDomain('customer', 'globex.example');

    expect(orgs.map((o) => o.orgId).sort()).toEqual(['cust-claimed', 'cust-verified']);
    expect(commands()).toEqual(['QueryCommand']);
  });

  it('offers at most 50 orgs for a domain claimed by more, still in one request', async () => {
    await importOrganizations(
      Array.from({ length: 60 }, (_, i) =>
        importLine({
          orgId: `crowd-${i}`,
          name: `Crowd ${i}`,
          domains: [{ domain: 'crowded.example', status: 'claimed' }],
          users: [],
        }),
      ),
    );
    const commands = recordCommands();

    const orgs = await dynamoOrgDirectory.findOrgsByDomain('customer', 'crowded.example');

    expect(orgs).toHaveLength(MAX_ORGS_PER_LOOKUP);
    expect(commands()).toEqual(['QueryCommand']);
  });

  it('still finds orgs whose index items were written before they carried a summary (one BatchGet more)', async () => {
    await importOrganizations([
      importLine({
        orgId: 'legacy-org',
        name: 'Legacy Ltd',
        domains: [{ domain: 'legacy.example', status: 'verified' }],
        users: [{ email: 'admin@legacy.example', active: true }],
      }),
    ]);
    // An index item as the previous import wrote it: no `org` copy.
    const { Item } = await dynamodb().send(
      new GetCommand({ TableName: table.tableName, Key: keys.orgDomain('legacy-org', 'legacy.example') }),
    );
    const { org: _summary, ...legacy } = Item ?? {};
    await dynamodb().send(new PutCommand({ TableName: table.tableName, Item: legacy }));
    const commands = recordCommands();

    const orgs = await dynamoOrgDirectory.findOrgsByDomain('customer', 'legacy.example');

    expect(orgs.map((o) => [o.orgId, o.name])).toEqual([['legacy-org', 'Legacy Ltd']]);
    expect(commands()).toEqual(['QueryCommand', 'BatchGetCommand']);
  });

  it('answers nothing for an unknown email or domain, with one Query', async () => {
    const commands = recordCommands();

    expect(await dynamoOrgDirectory.findOrgsByUserEmail('customer', 'nobody@nowhere.example')).toEqual([]);
    expect(commands()).toEqual(['QueryCommand']);
  });

  it('feeds org matching: a new user of a known domain gets ranked candidates', async () => {
    const result = await matchOrganization(
      dynamoOrgDirectory,
      'customer',
      'new.hire@globex.example',
      new Date('2026-11-25T12:00:00Z'),
    );

    expect(result.outcome).toBe('matched');
    expect(result.outcome === 'matched' && result.candidates.map((c) => [c.org.orgId, c.unlikely])).toEqual([
      ['cust-verified', false],
      ['cust-claimed', true],
    ]);
  });

  it('reads more than 100 orgs in pages of 100', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `noise-${i}`);

    const orgs = await getOrganizations(ids);

    expect(orgs).toHaveLength(120);
  });

  it('stores derived activity: active users and latest activity', async () => {
    expect(await findOrganization('cust-claimed')).toMatchObject({
      activeUsers: 0,
      lastActivityAt: '2023-01-01T00:00:00Z',
    });
  });
});

describe('createOrganization', () => {
  const newOrg = {
    name: 'Initech',
    businessVertical: 'technology',
    country: 'RO',
    address: { street: 'Strada Lipscani 1', city: 'București', state: 'București', postalCode: '030031' },
  } as const;

  it('creates the org with the admin as first user, not active, and their domain claimed (unverified)', async () => {
    const orderId = uniqueOrderId();

    const org = await createOrganization({
      orderId,
      kind: 'customer',
      organization: newOrg,
      adminEmail: 'boss@initech.example',
    });

    expect(org).toMatchObject({
      kind: 'customer',
      name: 'Initech',
      domains: [{ domain: 'initech.example', status: 'claimed' }],
      // Typed in the wizard, not confirmed by Webex: it proves no activity (and matches nothing).
      activeUsers: 0,
      createdByOrder: orderId,
    });
    expect(org.lastActivityAt).toBeUndefined();
    const byUser = await dynamoOrgDirectory.findOrgsByUserEmail('customer', 'boss@initech.example');
    expect(byUser.map((o) => o.orgId)).toContain(org.orgId);
  });

  it('claims no domain for an admin on a public mailbox, so strangers there are never offered the org', async () => {
    const org = await createOrganization({
      orderId: uniqueOrderId(),
      kind: 'customer',
      organization: newOrg,
      adminEmail: 'initech.boss@gmail.com',
    });

    expect(org.domains).toEqual([]);
    expect(await dynamoOrgDirectory.findOrgsByDomain('customer', 'gmail.com')).toEqual([]);
    const byUser = await dynamoOrgDirectory.findOrgsByUserEmail('customer', 'initech.boss@gmail.com');
    expect(byUser.map((o) => o.orgId)).toEqual([org.orgId]);
  });

  it('creates one org per order and kind, however often the step runs', async () => {
    const orderId = uniqueOrderId();
    const input = {
      orderId,
      kind: 'partner' as const,
      organization: newOrg,
      adminEmail: 'p@initech.example',
    };

    const first = await createOrganization(input);
    const second = await createOrganization({ ...input, organization: { ...newOrg, name: 'Renamed' } });

    expect(second).toEqual(first);
    expect(first.orgId).toBe(`p-${orderId}`);
    const orgs = await dynamoOrgDirectory.findOrgsByUserEmail('partner', 'p@initech.example');
    expect(orgs.filter((o) => o.createdByOrder === orderId)).toHaveLength(1);
  });
  it('gives orders with long ids that share a prefix their own orgs', async () => {
    const prefix = `ORD-${'X'.repeat(66)}`;
    const [a, b] = [`${prefix}-0001`, `${prefix}-0002`];
    const input = { kind: 'customer' as const, organization: newOrg, adminEmail: 'it@long.example' };

    const orgA = await createOrganization({ ...input, orderId: a });
    const orgB = await createOrganization({ ...input, orderId: b });

    expect(orgA.orgId).not.toBe(orgB.orgId);
    expect([orgA.createdByOrder, orgB.createdByOrder]).toEqual([a, b]);
    expect(orgA.orgId.length).toBeLessThanOrEqual(64);
  });
});

describe('partner relations', () => {
  it('records the partner’s role on the customer org, readable back', async () => {
    await recordPartnerRelation({
      customerId: 'cust-verified',
      partnerId: 'partner-globex',
      role: 'provisioning-admin',
      orderId: 'ORD-REL-1',
    });

    expect(await getPartnerRelation('cust-verified', 'partner-globex')).toEqual({
      role: 'provisioning-admin',
      orderId: 'ORD-REL-1',
    });
    expect(await getPartnerRelation('cust-claimed', 'partner-globex')).toBeUndefined();
  });
});

describe('Meetings site names', () => {
  it('reserves a name for one order only; the same order may reserve it again', async () => {
    const a = uniqueOrderId();
    const b = uniqueOrderId();

    expect(await reserveSiteName('globex-ro', a)).toBe(true);
    expect(await reserveSiteName('globex-ro', b)).toBe(false);
    expect(await reserveSiteName('globex-ro', a)).toBe(true);
    expect(await siteNameHolder('globex-ro')).toBe(a);
  });

  it('lets exactly one of two orders racing for a name have it', async () => {
    const [a, b] = [uniqueOrderId(), uniqueOrderId()];

    const results = await Promise.all([reserveSiteName('race-site', a), reserveSiteName('race-site', b)]);

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await siteNameHolder('race-site')).toBe(results[0] ? a : b);
  });

  it('has no holder for a free name', async () => {
    expect(await siteNameHolder('free-name')).toBeUndefined();
  });

  it('gives back the names an order holds, except those it keeps, and never another order’s', async () => {
    const [a, b] = [uniqueOrderId(), uniqueOrderId()];
    await reserveSiteName('release-kept', a);
    await reserveSiteName('release-dropped', a);
    await reserveSiteName('release-other', b);

    const released = await releaseSiteNames(a, ['release-kept']);

    expect(released).toEqual(['release-dropped']);
    expect(await siteNameHolder('release-dropped')).toBeUndefined();
    expect(await siteNameHolder('release-kept')).toBe(a);
    expect(await siteNameHolder('release-other')).toBe(b);
    expect(await siteNamesHeldBy(a)).toEqual(['release-kept']);
    // Once released, another order can have the name.
    expect(await reserveSiteName('release-dropped', b)).toBe(true);
  });
});
