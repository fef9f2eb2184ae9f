import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { failedPackagesOf } from '../../../functions/shared/webex-jobs';
import { webexList } from '../../../functions/shared/webex/webex-client';
import { ensureCustomer } from '../../../functions/shared/webex/webex-port';
import {
  addCallingRequest,
  callingLocationRequest,
  callingPrecheck,
  customerAddress,
  customerRequest,
} from '../../../functions/shared/webex/webex-requests';
import {
  acceptedSchema,
  CALLING_PACKAGES,
  callingLocationListSchema,
  callingLocationSchema,
  createdSchema,
  createLocationRequestSchema,
  customerSchema,
  CUSTOMER_STATUSES,
  enableCallingRequestSchema,
  listSchema,
  locationSchema,
  organizationListSchema,
  organizationSchema,
  precheckRequestSchema,
  precheckResponseSchema,
  provisionCustomerRequestSchema,
  updateCustomerRequestSchema,
  updateLocationRequestSchema,
  webexErrorBodySchema,
} from '../../../functions/shared/webex/webex.schema';
import { organization } from '../../fixtures/organizations';
import * as published from '../../fixtures/webex-published';
import { startTestWebex, type TestWebex } from '../support/local-webex';

// The contract, from three sides: (1) what Webex publishes parses through the client's schemas;
// (2) what the workflow sends carries every field the references require; (3) the local Webex
// answers each listed call with bodies that parse through the same schemas, with the status
// codes and headers Webex uses.

const hq = {
  locationName: 'Sediul central',
  country: 'RO',
  street: 'Strada Lipscani 1',
  city: 'București',
  state: 'București',
  postalCode: '030031',
  timeZone: 'Europe/Bucharest',
  announcementLanguage: 'ro_ro' as const,
};

/** Each field the reference requires is present and not empty. */
function missing(body: Record<string, unknown> | undefined, fields: readonly string[]): string[] {
  return fields.filter((f) => {
    const v = body?.[f];
    return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  });
}

describe('published examples parse through the client', () => {
  it.each([
    ['Get a Wholesale Customer', customerSchema, published.GET_WHOLESALE_CUSTOMER_200],
    ['List Wholesale Customers', listSchema(customerSchema), published.LIST_WHOLESALE_CUSTOMERS_200],
    ['Provision a Wholesale Customer (202)', acceptedSchema, published.PROVISION_WHOLESALE_CUSTOMER_202],
    [
      'Precheck a Wholesale Customer Provisioning',
      precheckResponseSchema,
      published.PRECHECK_WHOLESALE_CUSTOMER_200,
    ],
    ['List Locations', listSchema(locationSchema), published.LIST_LOCATIONS_200],
    ['Get Location Details', locationSchema, published.GET_LOCATION_200],
    ['Create a Location (request)', createLocationRequestSchema, published.CREATE_LOCATION_REQUEST],
    ['Create a Location (201)', createdSchema, published.CREATE_LOCATION_201],
    ['Update a Location (request)', updateLocationRequestSchema, published.UPDATE_LOCATION_REQUEST],
    [
      'Enable a Location for Webex Calling (request)',
      enableCallingRequestSchema,
      published.ENABLE_CALLING_REQUEST,
    ],
    ['Get Location Webex Calling Details', callingLocationSchema, published.GET_CALLING_LOCATION_200],
    ['List Locations Webex Calling Details', callingLocationListSchema, published.LIST_CALLING_LOCATIONS_200],
    ['List Organizations', organizationListSchema, published.LIST_ORGANIZATIONS_200],
    ['Get Organization Details', organizationSchema, published.GET_ORGANIZATION_200],
  ] as [string, z.ZodType, unknown][])('%s', (_name, schema, example) => {
    const parsed = schema.safeParse(example);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('every published customer status is read, and only those', () => {
    expect([...CUSTOMER_STATUSES].sort()).toEqual([...published.CUSTOMER_STATUSES_PUBLISHED].sort());
    for (const status of published.CUSTOMER_STATUSES_PUBLISHED)
      expect(customerSchema.safeParse({ ...published.GET_WHOLESALE_CUSTOMER_200, status }).success).toBe(
        true,
      );
    expect(
      customerSchema.safeParse({ ...published.GET_WHOLESALE_CUSTOMER_200, status: 'done' }).success,
    ).toBe(false);
  });

  it('packages are strings and errorCode a number: the shapes we used to invent are refused', () => {
    const objectPackages = {
      ...published.GET_WHOLESALE_CUSTOMER_200,
      packages: [{ name: 'webex_calling', status: 'provisioned' }],
    };
    const stringCode = {
      ...published.GET_WHOLESALE_CUSTOMER_200,
      errors: [{ errorCode: 'FAILED', description: 'x' }],
    };
    expect(customerSchema.safeParse(objectPackages).success).toBe(false);
    expect(customerSchema.safeParse(stringCode).success).toBe(false);
  });

  it('a customer still provisioning has no orgId, and that reads fine', () => {
    const { orgId: _orgId, ...provisioning } = published.GET_WHOLESALE_CUSTOMER_200;
    expect(customerSchema.parse({ ...provisioning, status: 'provisioning' }).orgId).toBeUndefined();
  });

  it('unknown fields Webex adds later are tolerated on read', () => {
    const later = { ...published.GET_WHOLESALE_CUSTOMER_200, newField: { anything: true } };
    expect(customerSchema.safeParse(later).success).toBe(true);
  });

  it('provisioned_with_errors: the failed packages come from resourceDetails, with Webex numeric codes', () => {
    const customer = customerSchema.parse(published.LIST_WHOLESALE_CUSTOMERS_200.items[0]);
    expect(failedPackagesOf(customer)).toEqual([
      {
        name: 'webex_calling',
        status: 'error',
        problems: [
          expect.stringMatching(/^One or more Webex Calling services are unavailable.*\(errorCode 2560\)$/),
        ],
      },
    ]);
  });

  it('our list of Calling packages is the published one', () => {
    expect([...CALLING_PACKAGES].sort()).toEqual([...published.CALLING_PACKAGES_PUBLISHED].sort());
  });
});

describe('each request the workflow sends carries the published required fields', () => {
  const org = organization({ orgId: 'org-contract', name: 'Contract SRL' });

  it('Provision a Wholesale Customer (a new org)', () => {
    const body = customerRequest(org, 'admin@contract.example');
    expect(missing(body, published.REQUIRED.provision)).toEqual([]);
    expect(missing(body.address, published.REQUIRED.wholesaleAddress)).toEqual([]);
    expect(missing(body.customerInfo, published.REQUIRED.customerInfo)).toEqual([]);
    // No Calling package without its location: the customer starts with Meetings only.
    expect(body.packages.filter((p) => published.CALLING_PACKAGES_PUBLISHED.includes(p))).toEqual([]);
    expect(provisionCustomerRequestSchema.safeParse(body).success).toBe(true);
  });

  it('an org with no postal address on file is not sent at all: the error says what to do', () => {
    const { address: _address, ...bare } = org;
    expect(() => customerRequest(bare, 'admin@contract.example')).toThrow(
      /has no postal address on file, and Webex requires one \(street, city, country\)/,
    );
  });

  it('Update a Wholesale Customer (adding Calling): packages, and the Calling location with them', () => {
    const body = addCallingRequest(['webex_meetings'], hq);
    expect(missing(body, published.REQUIRED.update)).toEqual([]);
    expect(body.packages).toEqual(['webex_meetings', 'common_area_calling', 'webex_calling']);
    const location = body.provisioningParameters?.calling?.location;
    expect(missing(location, published.REQUIRED.callingLocation)).toEqual([]);
    expect(missing(location?.address, published.REQUIRED.wholesaleAddress)).toEqual([]);
    expect(updateCustomerRequestSchema.safeParse(body).success).toBe(true);
    // And the schema refuses Calling without it, as Webex does.
    expect(updateCustomerRequestSchema.safeParse({ packages: ['webex_calling'] }).success).toBe(false);
  });

  it('Precheck a Wholesale Customer Provisioning: the address, and the location with Calling', () => {
    const body = callingPrecheck('ORG', customerAddress(org), hq);
    expect(missing(body, published.REQUIRED.precheck)).toEqual([]);
    expect(missing(body.address, published.REQUIRED.wholesaleAddress)).toEqual([]);
    expect(
      missing(body.provisioningParameters?.calling?.location, published.REQUIRED.callingLocation),
    ).toEqual([]);
    expect(precheckRequestSchema.safeParse(body).success).toBe(true);
  });

  it('Create a Location and Enable a Location for Webex Calling', () => {
    const body = callingLocationRequest(hq);
    expect(missing(body, published.REQUIRED.createLocation)).toEqual([]);
    expect(missing(body.address, published.REQUIRED.locationAddress)).toEqual([]);
    const enable = { ...body, id: 'LOC' };
    expect(missing(enable, published.REQUIRED.enableCalling)).toEqual([]);
    expect(enableCallingRequestSchema.safeParse(enable).success).toBe(true);
  });
});

describe('the local Webex answers every listed call in the published shapes', () => {
  let webex: TestWebex;
  let token: string;
  let customerOrgId: string;
  let customerId: string;
  beforeAll(async () => {
    webex = await startTestWebex();
    const grant = await fetch(`${webex.apiUrl}/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: webex.credentials.clientId,
        client_secret: webex.credentials.clientSecret,
        refresh_token: webex.credentials.refreshToken,
      }).toString(),
    });
    token = ((await grant.json()) as { access_token: string }).access_token;
    const customer = await ensureCustomer(
      customerRequest(organization({ orgId: 'org-contract-local' }), 'a@b.example'),
    );
    customerId = customer.id;
    customerOrgId = customer.orgId ?? '';
  });
  afterAll(async () => {
    await webex.stop();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${webex.apiUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        TrackingID: 'CONTRACT_1',
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
  };
  const expectError = (res: Awaited<ReturnType<typeof call>>, status: number) => {
    expect(res.status).toBe(status);
    expect(webexErrorBodySchema.parse(res.body)).toMatchObject({
      message: expect.any(String),
      errors: [expect.objectContaining({ description: expect.any(String) })],
      trackingId: 'CONTRACT_1',
    });
    expect(res.headers.get('trackingid')).toBe('CONTRACT_1');
  };

  it('POST /wholesale/customers: 202 {url} and Location; the published body without an address is 400', async () => {
    const body = customerRequest(organization({ orgId: 'org-contract-post' }), 'a@b.example');
    const res = await call('POST', '/wholesale/customers', body);
    expect(res.status).toBe(202);
    expect(acceptedSchema.parse(res.body).url).toBe(res.headers.get('location'));
    const { address: _a, ...noAddress } = body;
    expectError(await call('POST', '/wholesale/customers', noAddress), 400);
    expectError(await call('POST', '/wholesale/customers', body), 409);
  });

  it('GET /wholesale/customers and /{id}: 200 in the published shape; an unknown id is 404', async () => {
    const list = await call('GET', '/wholesale/customers?externalId=org-contract-local');
    expect(list.status).toBe(200);
    expect(listSchema(customerSchema).parse(list.body).items).toHaveLength(1);
    const one = await call('GET', `/wholesale/customers/${customerId}`);
    expect(customerSchema.parse(one.body)).toMatchObject({
      status: 'provisioned',
      packages: ['webex_meetings'],
      resourceDetails: { packages: [{ name: 'webex_meetings', status: 'provisioned' }] },
    });
    expectError(await call('GET', '/wholesale/customers/NOPE'), 404);
  });

  it('PUT /wholesale/customers/{id}: 202; Calling without its location is 400', async () => {
    expectError(
      await call('PUT', `/wholesale/customers/${customerId}`, { packages: ['webex_calling'] }),
      400,
    );
    const res = await call(
      'PUT',
      `/wholesale/customers/${customerId}`,
      addCallingRequest(['webex_meetings'], hq),
    );
    expect(res.status).toBe(202);
    acceptedSchema.parse(res.body);
  });

  it('DELETE /wholesale/customers/{id}: 204, then the customer is gone', async () => {
    const doomed = await ensureCustomer(
      customerRequest(organization({ orgId: 'org-contract-del' }), 'a@b.example'),
    );
    const res = await call('DELETE', `/wholesale/customers/${doomed.id}`);
    expect(res.status).toBe(204);
    expectError(await call('GET', `/wholesale/customers/${doomed.id}`), 404);
  });

  it('POST /wholesale/customers/validate: the published body is 200 {message, info}; without address 400', async () => {
    const body = callingPrecheck(customerOrgId, customerAddress(organization()), {
      ...hq,
      locationName: 'Other',
    });
    const ok = await call('POST', '/wholesale/customers/validate', body);
    expect(ok.status).toBe(200);
    expect(precheckResponseSchema.parse(ok.body)).toMatchObject({ info: { infoCode: 100 } });
    const { address: _a, ...noAddress } = body;
    expectError(await call('POST', '/wholesale/customers/validate', noAddress), 400);
  });

  it('GET /organizations (the token org first) and /{orgId}: 200; unknown 404', async () => {
    const list = organizationListSchema.parse((await call('GET', '/organizations')).body);
    expect(list.items.map((o) => o.id)).toEqual(expect.arrayContaining([customerOrgId]));
    expect(organizationSchema.parse((await call('GET', `/organizations/${customerOrgId}`)).body).id).toBe(
      customerOrgId,
    );
    expectError(await call('GET', '/organizations/NOPE'), 404);
  });

  it('locations: POST 201, GET list (orgId defaults to the token org; name contains, any case), GET 200, PUT 204', async () => {
    const made = await call(
      'POST',
      `/locations?orgId=${customerOrgId}`,
      callingLocationRequest({ ...hq, locationName: 'Cluj Office' }),
    );
    expect(made.status).toBe(201);
    const id = createdSchema.parse(made.body).id;
    const found = listSchema(locationSchema).parse(
      (await call('GET', `/locations?orgId=${customerOrgId}&name=cluj`)).body,
    );
    expect(found.items.map((l) => l.name)).toEqual(['Cluj Office']);
    const own = listSchema(locationSchema).parse((await call('GET', '/locations')).body);
    expect(own.items.every((l) => l.orgId !== customerOrgId)).toBe(true);
    expect(
      locationSchema.parse((await call('GET', `/locations/${id}?orgId=${customerOrgId}`)).body).name,
    ).toBe('Cluj Office');
    const put = await call('PUT', `/locations/${id}?orgId=${customerOrgId}`, { name: 'Cluj HQ' });
    expect(put.status).toBe(204);
    expect(
      locationSchema.parse((await call('GET', `/locations/${id}?orgId=${customerOrgId}`)).body).name,
    ).toBe('Cluj HQ');
    expectError(await call('GET', `/locations/NOPE?orgId=${customerOrgId}`), 404);
  });

  it('Calling: POST /telephony/config/locations 201; GET list under `locations` and GET {id} with Calling fields; not enabled 404', async () => {
    const made = createdSchema.parse(
      (
        await call(
          'POST',
          `/locations?orgId=${customerOrgId}`,
          callingLocationRequest({ ...hq, locationName: 'Iasi' }),
        )
      ).body,
    );
    expectError(await call('GET', `/telephony/config/locations/${made.id}?orgId=${customerOrgId}`), 404);
    const enable = await call('POST', `/telephony/config/locations?orgId=${customerOrgId}`, {
      ...callingLocationRequest({ ...hq, locationName: 'Iasi' }),
      id: made.id,
    });
    expect(enable.status).toBe(201);
    const calling = callingLocationSchema.parse(
      (await call('GET', `/telephony/config/locations/${made.id}?orgId=${customerOrgId}`)).body,
    );
    expect(calling).toMatchObject({
      id: made.id,
      name: 'Iasi',
      userLimit: expect.any(Number),
      defaultDomain: expect.any(String),
    });
    const list = callingLocationListSchema.parse(
      (await call('GET', `/telephony/config/locations?orgId=${customerOrgId}`)).body,
    );
    expect(list.locations.map((l) => l.id)).toContain(made.id);
  });

  it('lists page with max and Link rel="next"; the client follows them to the end', async () => {
    for (const n of [1, 2, 3, 4, 5])
      await call(
        'POST',
        `/locations?orgId=${customerOrgId}`,
        callingLocationRequest({ ...hq, locationName: `Paged ${n}` }),
      );
    const first = await call('GET', `/locations?orgId=${customerOrgId}&name=paged&max=2`);
    expect(listSchema(locationSchema).parse(first.body).items).toHaveLength(2);
    expect(first.headers.get('link')).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/v1\/locations\?.*start=2.*>; rel="next"$/,
    );
    const before = webex.stats.calls['GET /v1/locations'] ?? 0;

    const all = await webexList({
      path: '/locations',
      query: { orgId: customerOrgId, name: 'paged', max: '2' },
      item: locationSchema,
    });

    expect(all.map((l) => l.name)).toEqual(['Paged 1', 'Paged 2', 'Paged 3', 'Paged 4', 'Paged 5']);
    expect((webex.stats.calls['GET /v1/locations'] ?? 0) - before).toBe(3);
  });

  it('errors are JSON with trackingId everywhere: unknown path 404, wrong method 405, no token 401', async () => {
    expectError(await call('GET', '/no/such/api'), 404);
    expectError(await call('PATCH', '/locations'), 405);
    const anonymous = await fetch(`${webex.apiUrl}/locations`, { headers: { TrackingID: 'CONTRACT_1' } });
    expect(anonymous.status).toBe(401);
    expect(webexErrorBodySchema.parse(await anonymous.json()).trackingId).toBe('CONTRACT_1');
    const outside = await fetch(`${webex.url}/nowhere`);
    expect(outside.status).toBe(404);
    expect(webexErrorBodySchema.parse(await outside.json()).trackingId).toMatch(/^ROUTER_/);
  });
});
