import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as z from 'zod';
import {
  createLocationRequestSchema,
  createSiteRequestSchema,
  enableCallingRequestSchema,
  precheckRequestSchema,
  provisionCustomerRequestSchema,
} from '../../../functions/shared/webex/webex.schema';
import { NO_FAULTS, webexFaultsSchema, type JobKind, type WebexFaults } from './webex-faults';
import { renderWebexPage } from './webex-page';
import {
  jobStatus,
  secret,
  webexId,
  type StoredCustomer,
  type StoredJob,
  type StoredLocation,
  type StoredSite,
  type WebexStateFile,
} from './webex-state';

// The local Webex: the HTTP contract of ../../../functions/shared/webex/webex.schema.ts, served
// with Webex's conventions (Bearer tokens from the integration's refresh-token grant, a trackingid
// on every answer, errors as {message, errors[{description}], trackingId}, 202 + Location for
// asynchronous jobs) and Webex's rules (one customer per externalId, site names unique across
// Webex, location names unique within an org, the address fields each country needs).

export interface LocalWebexOptions {
  /** How long an org or site job runs before it is provisioned. */
  jobSeconds: number;
  /** How long an access token lives (Webex: 14 days). Short in tests to exercise the renewal. */
  tokenTtlSeconds: number;
  faults: WebexFaults;
  /** Where the fault draws come from. Default Math.random. */
  random?: () => number;
}

export interface LocalWebexStats {
  /** API calls answered (every attempt, faults included), by route. */
  calls: Record<string, number>;
  faultsInjected: number;
}

const SITE_DOMAIN = '.webex.com';
/** Address rules of Calling locations: the countries whose addresses need a state, and those with no postal code. */
const STATE_REQUIRED = new Set(['US', 'CA', 'AU', 'IN', 'BR', 'MX', 'RO', 'IE']);
const NO_POSTAL_CODE = new Set(['IE', 'HK', 'AE']);

interface Problem {
  description: string;
  field?: string;
}

class WebexHttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly errors: Problem[] = [],
  ) {
    super(message);
  }
}

const notFound = (what: string) =>
  new WebexHttpError(404, `${what} not found`, [{ description: `${what} not found` }]);

function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new WebexHttpError(
    400,
    'Invalid request',
    parsed.error.issues.map((i) => ({
      field: i.path.join('.'),
      description: i.path.length > 0 ? i.message : `body: ${i.message}`,
    })),
  );
}

export function addressProblems(
  address: { address1?: string; city?: string; state?: string; postalCode?: string; country: string },
  prefix: string,
): Problem[] {
  const problems: Problem[] = [];
  const need = (field: 'state' | 'postalCode', why: string) => {
    const value = address[field];
    if (!value || value.trim() === '')
      problems.push({ field: `${prefix}.${field}`, description: `${field} is required ${why}` });
  };
  if (STATE_REQUIRED.has(address.country)) need('state', `for an address in ${address.country}`);
  if (!NO_POSTAL_CODE.has(address.country)) need('postalCode', `for an address in ${address.country}`);
  return problems;
}

function siteNameProblem(siteName: string): string | undefined {
  if (!/^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/.test(siteName) || siteName.includes('--'))
    return `Site name '${siteName}' is not valid: 3-40 lowercase letters, digits and single hyphens`;
  return undefined;
}

export function createWebexApp(store: WebexStateFile, options: LocalWebexOptions) {
  const state = store.state;
  let faults: WebexFaults = options.faults;
  const random = options.random ?? Math.random;
  const stats: LocalWebexStats = { calls: {}, faultsInjected: 0 };
  const app = new Hono();

  const newJob = (kind: JobKind, previous?: StoredJob): StoredJob => {
    const failing = faults.jobError.includes(kind);
    return {
      readyAt: Date.now() + options.jobSeconds * 1000,
      outcome: failing ? 'error' : 'provisioned',
      submissions: (previous?.submissions ?? 0) + 1,
      ...(failing
        ? {
            errorDescription:
              kind === 'organization'
                ? 'Provisioning of the customer organization failed in Webex Common Identity'
                : 'Meetings site provisioning failed: the site could not be allocated on a cluster',
          }
        : {}),
    };
  };

  const customerView = (c: StoredCustomer) => {
    const status = jobStatus(c.job);
    return {
      id: c.id,
      orgId: c.orgId,
      externalId: c.externalId,
      name: c.name,
      address: c.address,
      status,
      packages: c.packages.map((name) => ({ name, status })),
      ...(status === 'error' && c.job.errorDescription
        ? { errors: [{ errorCode: 'PROVISIONING_FAILED', description: c.job.errorDescription }] }
        : {}),
    };
  };
  const siteView = (s: StoredSite) => {
    const status = jobStatus(s.job);
    return {
      id: s.id,
      orgId: s.orgId,
      siteName: s.siteName,
      siteUrl: s.siteUrl,
      timeZone: s.timeZone,
      earlyRelease: s.earlyRelease,
      licenses: s.licenses,
      status,
      ...(status === 'error' && s.job.errorDescription
        ? { errors: [{ errorCode: 'SITE_PROVISIONING_FAILED', description: s.job.errorDescription }] }
        : {}),
    };
  };
  const locationView = (l: StoredLocation) => ({
    id: l.id,
    orgId: l.orgId,
    name: l.name,
    timeZone: l.timeZone,
    preferredLanguage: l.preferredLanguage,
    announcementLanguage: l.announcementLanguage,
    address: l.address,
  });

  /** The customer org an `orgId` names, provisioned (a partner acts on a customer org with ?orgId=). */
  const readyOrg = (orgId: string | undefined): StoredCustomer => {
    const customer = state.customers.find((c) => c.orgId === orgId);
    if (!orgId || !customer) throw notFound(`Organization ${orgId ?? '(none given)'}`);
    if (jobStatus(customer.job) !== 'provisioned') {
      throw new WebexHttpError(400, `Organization ${orgId} is not provisioned`, [
        {
          field: 'orgId',
          description: `Organization ${orgId} is ${jobStatus(customer.job)}, not provisioned`,
        },
      ]);
    }
    return customer;
  };

  const trackingOf = (c: Context) => c.req.header('trackingid') ?? `ROUTER_${randomUUID()}`;
  const fail = (c: Context, error: WebexHttpError) =>
    c.json(
      {
        message: error.message,
        errors: error.errors,
        trackingId: c.res.headers.get('trackingid') ?? trackingOf(c),
      },
      error.status,
    );

  app.onError((error, c) => {
    if (error instanceof WebexHttpError) return fail(c, error);
    if (error instanceof SyntaxError) return fail(c, new WebexHttpError(400, 'The request body is not JSON'));
    return fail(c, new WebexHttpError(500, `Internal error: ${error.message}`));
  });

  // Every API answer carries the trackingid (Webex echoes the caller's TrackingID).
  app.use('/v1/*', async (c, next) => {
    c.header('trackingid', trackingOf(c));
    await next();
  });

  // The integration's OAuth token grant.
  app.post('/v1/access_token', async (c) => {
    const form = await c.req.parseBody();
    const { integration } = state;
    if (
      form.grant_type !== 'refresh_token' ||
      form.client_id !== integration.clientId ||
      form.client_secret !== integration.clientSecret ||
      form.refresh_token !== integration.refreshToken
    ) {
      return fail(
        c,
        new WebexHttpError(400, 'invalid_grant', [
          { description: 'The refresh token or client credentials are not valid' },
        ]),
      );
    }
    const token = secret();
    const now = Date.now();
    for (const [t, expires] of Object.entries(state.tokens)) if (expires < now) delete state.tokens[t];
    state.tokens[token] = now + options.tokenTtlSeconds * 1000;
    store.save();
    return c.json({
      access_token: token,
      expires_in: options.tokenTtlSeconds,
      refresh_token: integration.refreshToken,
      refresh_token_expires_in: 90 * 24 * 3600,
    });
  });

  // Counting, faults and the Bearer token, for every other API call.
  app.use('/v1/*', async (c, next) => {
    const route = `${c.req.method} ${c.req.path.replace(/\/v1\/(.*?)\/[A-Za-z0-9_=-]{20,}$/, '/v1/$1/{id}')}`;
    stats.calls[route] = (stats.calls[route] ?? 0) + 1;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const roll = random();
    if (roll < faults.rate429) {
      stats.faultsInjected++;
      c.header('Retry-After', String(faults.retryAfterSeconds));
      return fail(
        c,
        new WebexHttpError(429, 'Too Many Requests', [
          { description: 'Rate limit exceeded; retry after the time in Retry-After' },
        ]),
      );
    }
    if (roll < faults.rate429 + faults.rate5xx) {
      stats.faultsInjected++;
      const status = ([500, 502, 503] as const)[Math.floor(random() * 3)] ?? 503;
      return fail(
        c,
        new WebexHttpError(status, 'Service Unavailable', [
          { description: 'The service is temporarily unavailable' },
        ]),
      );
    }
    const auth = c.req.header('authorization') ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const expires = state.tokens[token];
    if (!expires || expires < Date.now()) {
      return fail(
        c,
        new WebexHttpError(
          401,
          'The request requires a valid access token set in the Authorization request header.',
        ),
      );
    }
    await next();
  });

  // ---- Wholesale customers -----------------------------------------------------------------------
  app.get('/v1/wholesale/customers', (c) => {
    const externalId = c.req.query('externalId');
    const items = state.customers.filter((x) => externalId === undefined || x.externalId === externalId);
    return c.json({ items: items.map(customerView) });
  });

  app.post('/v1/wholesale/customers/validate', async (c) => {
    const body = parseBody(precheckRequestSchema, await c.req.json());
    const problems: Problem[] = [];
    const meetings = body.provisioningParameters.meetings;
    meetings?.sites.forEach((site, i) => {
      const field = `provisioningParameters.meetings.sites[${i}].siteName`;
      const invalid = siteNameProblem(site.siteName);
      if (invalid) problems.push({ field, description: invalid });
      const taken = state.sites.find((s) => s.siteName === site.siteName);
      if (taken && taken.orgId !== body.orgId)
        problems.push({ field, description: `Site name '${site.siteName}' is already in use in Webex` });
    });
    const location = body.provisioningParameters.calling?.location;
    if (location) {
      problems.push(...addressProblems(location.address, 'provisioningParameters.calling.location.address'));
      const org = state.customers.find((x) => x.orgId === body.orgId);
      if (org && state.locations.some((l) => l.orgId === org.orgId && l.name === location.name))
        problems.push({
          field: 'provisioningParameters.calling.location.name',
          description: `A location named '${location.name}' already exists in this organization`,
        });
    }
    if (problems.length > 0) throw new WebexHttpError(400, 'Precheck found problems', problems);
    return c.json({
      message: 'success',
      info: { infoCode: 100, description: 'The setup can be provisioned' },
    });
  });

  app.post('/v1/wholesale/customers', async (c) => {
    const body = parseBody(provisionCustomerRequestSchema, await c.req.json());
    if (state.customers.some((x) => x.externalId === body.externalId)) {
      throw new WebexHttpError(409, 'Customer already exists', [
        { field: 'externalId', description: `A customer with externalId ${body.externalId} already exists` },
      ]);
    }
    const customer: StoredCustomer = {
      id: webexId('CUSTOMER'),
      orgId: webexId('ORGANIZATION'),
      externalId: body.externalId,
      name: body.customerInfo.name,
      primaryEmail: body.customerInfo.primaryEmail,
      address: Object.fromEntries(
        Object.entries(body.address).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
      packages: body.packages,
      createdAt: new Date().toISOString(),
      job: newJob('organization'),
    };
    state.customers.push(customer);
    store.save();
    const url = new URL(`/v1/wholesale/customers/${customer.id}`, c.req.url).toString();
    c.header('Location', url);
    return c.json({ url }, 202);
  });

  const customerById = (id: string) => {
    const customer = state.customers.find((x) => x.id === id);
    if (!customer) throw notFound(`Customer ${id}`);
    return customer;
  };
  app.get('/v1/wholesale/customers/:id', (c) => c.json(customerView(customerById(c.req.param('id')))));
  app.put('/v1/wholesale/customers/:id', async (c) => {
    const customer = customerById(c.req.param('id'));
    const body = parseBody(provisionCustomerRequestSchema, await c.req.json());
    if (jobStatus(customer.job) === 'provisioning')
      throw new WebexHttpError(409, 'The customer is being provisioned', [
        { description: 'Wait for the current provisioning to finish' },
      ]);
    customer.name = body.customerInfo.name;
    customer.job = newJob('organization', customer.job);
    store.save();
    const url = new URL(`/v1/wholesale/customers/${customer.id}`, c.req.url).toString();
    c.header('Location', url);
    return c.json({ url }, 202);
  });

  app.get('/v1/organizations/:orgId', (c) => {
    const customer = state.customers.find((x) => x.orgId === c.req.param('orgId'));
    if (!customer) throw notFound(`Organization ${c.req.param('orgId')}`);
    return c.json({ id: customer.orgId, displayName: customer.name, created: customer.createdAt });
  });

  // ---- Meetings sites ------------------------------------------------------------------------------
  app.get('/v1/meetings/sites', (c) => {
    const siteName = c.req.query('siteName');
    const orgId = c.req.query('orgId');
    const items = state.sites.filter(
      (s) =>
        (siteName === undefined || s.siteName === siteName) && (orgId === undefined || s.orgId === orgId),
    );
    return c.json({ items: items.map(siteView) });
  });

  app.post('/v1/meetings/sites', async (c) => {
    const org = readyOrg(c.req.query('orgId'));
    const body = parseBody(createSiteRequestSchema, await c.req.json());
    const invalid = siteNameProblem(body.siteName);
    if (invalid)
      throw new WebexHttpError(400, 'Invalid site name', [{ field: 'siteName', description: invalid }]);
    if (state.sites.some((s) => s.siteName === body.siteName)) {
      throw new WebexHttpError(409, 'Site name is already in use', [
        { field: 'siteName', description: `Site name '${body.siteName}' is already in use in Webex` },
      ]);
    }
    const site: StoredSite = {
      id: webexId('SITE'),
      orgId: org.orgId,
      siteName: body.siteName,
      siteUrl: `${body.siteName}${SITE_DOMAIN}`,
      timeZone: body.timeZone,
      earlyRelease: body.earlyRelease,
      licenses: body.licenses,
      createdAt: new Date().toISOString(),
      job: newJob('meetings'),
    };
    state.sites.push(site);
    store.save();
    const url = new URL(`/v1/meetings/sites/${site.id}`, c.req.url).toString();
    c.header('Location', url);
    return c.json({ url }, 202);
  });

  const siteById = (c: Context) => {
    const site = state.sites.find((s) => s.id === c.req.param('id') && s.orgId === c.req.query('orgId'));
    if (!site) throw notFound(`Site ${c.req.param('id') ?? ''}`);
    return site;
  };
  app.get('/v1/meetings/sites/:id', (c) => c.json(siteView(siteById(c))));
  app.put('/v1/meetings/sites/:id', async (c) => {
    const site = siteById(c);
    const body = parseBody(createSiteRequestSchema, await c.req.json());
    if (body.siteName !== site.siteName)
      throw new WebexHttpError(400, 'A site cannot be renamed', [
        { field: 'siteName', description: 'A site cannot be renamed' },
      ]);
    if (jobStatus(site.job) === 'provisioning')
      throw new WebexHttpError(409, 'The site is being provisioned', [
        { description: 'Wait for the current provisioning to finish' },
      ]);
    Object.assign(site, {
      timeZone: body.timeZone,
      earlyRelease: body.earlyRelease,
      licenses: body.licenses,
    });
    site.job = newJob('meetings', site.job);
    store.save();
    const url = new URL(`/v1/meetings/sites/${site.id}`, c.req.url).toString();
    c.header('Location', url);
    return c.json({ url }, 202);
  });

  // ---- Locations and Webex Calling -----------------------------------------------------------------
  app.get('/v1/locations', (c) => {
    const org = readyOrg(c.req.query('orgId'));
    const name = c.req.query('name');
    const items = state.locations.filter(
      (l) => l.orgId === org.orgId && (name === undefined || l.name === name),
    );
    return c.json({ items: items.map(locationView) });
  });

  app.post('/v1/locations', async (c) => {
    const org = readyOrg(c.req.query('orgId'));
    const body = parseBody(createLocationRequestSchema, await c.req.json());
    const problems = addressProblems(body.address, 'address');
    if (problems.length > 0) throw new WebexHttpError(400, 'Invalid address', problems);
    if (state.locations.some((l) => l.orgId === org.orgId && l.name === body.name)) {
      throw new WebexHttpError(409, 'Location name is already in use', [
        { field: 'name', description: `A location named '${body.name}' already exists in this organization` },
      ]);
    }
    const location: StoredLocation = {
      id: webexId('LOCATION'),
      orgId: org.orgId,
      name: body.name,
      timeZone: body.timeZone,
      preferredLanguage: body.preferredLanguage,
      announcementLanguage: body.announcementLanguage,
      address: Object.fromEntries(
        Object.entries(body.address).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
      callingEnabled: false,
      createdAt: new Date().toISOString(),
    };
    state.locations.push(location);
    store.save();
    return c.json({ id: location.id }, 201);
  });

  const locationById = (c: Context) => {
    const org = readyOrg(c.req.query('orgId'));
    const location = state.locations.find((l) => l.id === c.req.param('id') && l.orgId === org.orgId);
    if (!location) throw notFound(`Location ${c.req.param('id') ?? ''}`);
    return location;
  };
  app.get('/v1/locations/:id', (c) => c.json(locationView(locationById(c))));

  app.get('/v1/telephony/config/locations/:id', (c) => {
    const location = locationById(c);
    if (!location.callingEnabled) throw notFound(`Calling location ${location.id}`);
    return c.json({ ...locationView(location), callingEnabled: true });
  });

  app.post('/v1/telephony/config/locations', async (c) => {
    const org = readyOrg(c.req.query('orgId'));
    const body = parseBody(enableCallingRequestSchema, await c.req.json());
    const location = state.locations.find((l) => l.id === body.id && l.orgId === org.orgId);
    if (!location)
      throw new WebexHttpError(404, 'Location not found', [
        { field: 'id', description: `Location ${body.id} not found` },
      ]);
    if (location.callingEnabled)
      throw new WebexHttpError(409, 'Location is already enabled for Calling', [
        { field: 'id', description: 'Location is already enabled for Calling' },
      ]);
    const problems = addressProblems(body.address, 'address');
    if (problems.length > 0) throw new WebexHttpError(400, 'Invalid address', problems);
    location.callingEnabled = true;
    store.save();
    return c.json({ id: location.id }, 201);
  });

  // ---- Local only: what exists (tests, the page), counters, fault switch --------------------------
  app.get('/_local/state', (c) =>
    c.json({
      customers: state.customers.map(customerView),
      sites: state.sites.map((s) => ({ ...siteView(s), submissions: s.job.submissions })),
      locations: state.locations.map((l) => ({ ...locationView(l), callingEnabled: l.callingEnabled })),
    }),
  );
  app.get('/_local/stats', (c) => c.json(stats));
  app.get('/_local/faults', (c) => c.json(faults));
  app.post('/_local/faults', async (c) => {
    const parsed = webexFaultsSchema.safeParse(await c.req.json());
    if (!parsed.success)
      return c.json(
        {
          message: 'Invalid faults',
          errors: parsed.error.issues.map((i) => ({ description: `${i.path.join('.')} ${i.message}` })),
        },
        400,
      );
    faults = parsed.data;
    return c.json(faults);
  });
  app.delete('/_local/faults', (c) => {
    faults = NO_FAULTS;
    return c.json(faults);
  });

  app.get('/', (c) => {
    const externalId = c.req.query('externalId');
    return c.html(
      renderWebexPage({
        customers: state.customers
          .filter((x) => !externalId || x.externalId === externalId)
          .map((x) => ({
            ...customerView(x),
            sites: state.sites.filter((s) => s.orgId === x.orgId).map(siteView),
            locations: state.locations.filter((l) => l.orgId === x.orgId),
          })),
        filtered: externalId,
        faults,
      }),
    );
  });

  return {
    app,
    stats,
    setFaults(next: WebexFaults) {
      faults = next;
    },
  };
}
