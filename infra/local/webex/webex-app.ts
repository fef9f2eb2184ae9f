import { createHash, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as z from 'zod';
import {
  callingLocationSchema,
  createLocationRequestSchema,
  createSiteRequestSchema,
  customerSchema,
  enableCallingRequestSchema,
  isCallingPackage,
  locationSchema,
  organizationSchema,
  precheckRequestSchema,
  precheckResponseSchema,
  provisionCustomerRequestSchema,
  siteCheckRequestSchema,
  siteSchema,
  updateCustomerRequestSchema,
  updateLocationRequestSchema,
  type WholesaleAddress,
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

// The local Webex: the HTTP contract Webex publishes (../../../functions/shared/webex/webex.schema.ts
// names the reference of each call), served with Webex's conventions: Bearer tokens from the
// integration's refresh-token grant; a trackingid on every answer; errors as JSON
// {message, errors[{description}], trackingId} on every path, unknown ones and wrong methods
// included; 202 + Location for asynchronous customer jobs; lists paged with `max` and a
// `Link: <…>; rel="next"` header; `orgId` defaulting to the token's own org (the partner's);
// `name` filters matching names that contain it, ignoring case. Its rules: one customer per
// externalId, site names unique across Webex, location names unique within an org, the address
// fields each country needs, Calling packages only with their location. Requests are validated
// and answers shaped with the same schemas the client parses with; an answer that would not
// parse is a bug here, and fails loudly (500) instead of going out.
// The Meetings site calls (/meetings/sites…) are OUR MODEL: Webex publishes no such API.

export interface LocalWebexOptions {
  /** How long a customer or site job runs before it is done. */
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
/** Address rules: the countries whose addresses need a state, and those with no postal code. */
const STATE_REQUIRED = new Set(['US', 'CA', 'AU', 'IN', 'BR', 'MX', 'RO', 'IE']);
const NO_POSTAL_CODE = new Set(['IE', 'HK', 'AE']);
/** Page sizes when `max` is absent ("List Locations": 500 by default). */
const DEFAULT_MAX = 100;
const DEFAULT_LOCATION_MAX = 500;

interface Problem {
  description: string;
  errorCode?: number;
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
      description: i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : `body: ${i.message}`,
    })),
  );
}

/** An answer through the published schema it must satisfy. */
function shaped<S extends z.ZodType>(schema: S, value: z.input<S>): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new Error(`the local Webex shaped an answer the published schema refuses: ${parsed.error.message}`);
}

/** Address fields some countries require, in the Locations API's names or the Wholesale ones. */
export function addressProblems(
  address: { state?: string; postalCode?: string; country: string },
  prefix: string,
  names: { state: string; postalCode: string } = { state: 'state', postalCode: 'postalCode' },
): Problem[] {
  const problems: Problem[] = [];
  const need = (key: 'state' | 'postalCode', why: string) => {
    const value = address[key];
    if (!value || value.trim() === '')
      problems.push({ field: `${prefix}.${names[key]}`, description: `${names[key]} is required ${why}` });
  };
  if (STATE_REQUIRED.has(address.country)) need('state', `for an address in ${address.country}`);
  if (!NO_POSTAL_CODE.has(address.country)) need('postalCode', `for an address in ${address.country}`);
  return problems;
}

const wholesaleAddressProblems = (a: WholesaleAddress, prefix: string) =>
  addressProblems({ state: a.stateOrProvince, postalCode: a.zipOrPostalCode, country: a.country }, prefix, {
    state: 'stateOrProvince',
    postalCode: 'zipOrPostalCode',
  });

function siteNameProblem(siteName: string): string | undefined {
  if (!/^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/.test(siteName) || siteName.includes('--'))
    return `Site name '${siteName}' is not valid: 3-40 lowercase letters, digits and single hyphens`;
  return undefined;
}

const containsIgnoringCase = (name: string, part: string | undefined) =>
  part === undefined || name.toLowerCase().includes(part.toLowerCase());

const stringsOnly = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** The routes this Webex serves: an unmatched method on a known path is 405, anything else 404. */
const ROUTES: [string, RegExp][] = [
  ['POST', /^\/v1\/access_token$/],
  ['GET', /^\/v1\/wholesale\/customers$/],
  ['POST', /^\/v1\/wholesale\/customers$/],
  ['POST', /^\/v1\/wholesale\/customers\/validate$/],
  ['GET', /^\/v1\/wholesale\/customers\/[^/]+$/],
  ['PUT', /^\/v1\/wholesale\/customers\/[^/]+$/],
  ['DELETE', /^\/v1\/wholesale\/customers\/[^/]+$/],
  ['GET', /^\/v1\/organizations$/],
  ['GET', /^\/v1\/organizations\/[^/]+$/],
  ['GET', /^\/v1\/meetings\/sites$/],
  ['POST', /^\/v1\/meetings\/sites$/],
  ['POST', /^\/v1\/meetings\/sites\/validate$/],
  ['GET', /^\/v1\/meetings\/sites\/[^/]+$/],
  ['PUT', /^\/v1\/meetings\/sites\/[^/]+$/],
  ['GET', /^\/v1\/locations$/],
  ['POST', /^\/v1\/locations$/],
  ['GET', /^\/v1\/locations\/[^/]+$/],
  ['PUT', /^\/v1\/locations\/[^/]+$/],
  ['GET', /^\/v1\/telephony\/config\/locations$/],
  ['POST', /^\/v1\/telephony\/config\/locations$/],
  ['GET', /^\/v1\/telephony\/config\/locations\/[^/]+$/],
];

export function createWebexApp(store: WebexStateFile, options: LocalWebexOptions) {
  const state = store.state;
  let faults: WebexFaults = options.faults;
  const random = options.random ?? Math.random;
  const stats: LocalWebexStats = { calls: {}, faultsInjected: 0 };
  const app = new Hono();

  const newJob = (
    kind: JobKind,
    phase: StoredJob['phase'],
    packages: string[],
    previous?: StoredJob,
  ): StoredJob => {
    const failing = phase !== 'deleting' && faults.jobError.includes(kind);
    const failedPackages =
      kind === 'organization' && !failing ? packages.filter((p) => faults.partialPackages.includes(p)) : [];
    return {
      readyAt: Date.now() + options.jobSeconds * 1000,
      phase,
      outcome: failing ? 'error' : failedPackages.length > 0 ? 'provisioned_with_errors' : 'provisioned',
      failedPackages,
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

  /** Applies what finished jobs made: the org presented, a Calling location, a removal. */
  const settle = () => {
    const now = Date.now();
    let changed = false;
    for (const c of [...state.customers]) {
      if (now < c.job.readyAt) continue;
      if (c.job.phase === 'deleting') {
        state.customers = state.customers.filter((x) => x !== c);
        state.locations = state.locations.filter((l) => l.orgId !== c.orgId);
        state.sites = state.sites.filter((s) => s.orgId !== c.orgId);
        changed = true;
        continue;
      }
      if (c.job.outcome !== 'error' && !c.orgPresented) {
        c.orgPresented = true;
        changed = true;
      }
      const pending = c.pendingCallingLocation;
      if (pending) {
        delete c.pendingCallingLocation;
        changed = true;
        const callingOk = c.job.outcome === 'provisioned';
        const existing = state.locations.find((l) => l.orgId === c.orgId && l.name === pending.name);
        if (callingOk && !existing)
          state.locations.push({
            id: webexId('LOCATION'),
            orgId: c.orgId,
            name: pending.name,
            timeZone: pending.timezone,
            preferredLanguage: pending.language,
            announcementLanguage: pending.language,
            address: {
              address1: pending.address.addressLine1 ?? '',
              city: pending.address.city ?? '',
              ...(pending.address.stateOrProvince ? { state: pending.address.stateOrProvince } : {}),
              ...(pending.address.zipOrPostalCode ? { postalCode: pending.address.zipOrPostalCode } : {}),
              country: pending.address.country ?? '',
            },
            callingEnabled: true,
            createdAt: new Date().toISOString(),
          });
      }
    }
    if (changed) store.save();
  };

  const customerView = (c: StoredCustomer) => {
    const status = jobStatus(c.job);
    // A job that ended since this request's settle() (its readyAt fell in between) is settled now:
    // Webex never shows a customer provisioned without presenting its orgId.
    if (status !== c.job.phase && c.job.phase !== 'deleting' && c.job.outcome !== 'error' && !c.orgPresented)
      settle();
    const done = status !== c.job.phase;
    const failed = new Set(done ? c.job.failedPackages : []);
    const packageStatus = (name: string) =>
      failed.has(name) ? 'error' : status === 'provisioned_with_errors' ? 'provisioned' : status;
    return shaped(customerSchema, {
      id: c.id,
      // Webex presents the org only once the customer has been provisioned.
      ...(c.orgPresented ? { orgId: c.orgId } : {}),
      externalId: c.externalId,
      address: stringsOnly(c.address),
      status,
      packages: c.packages,
      resourceDetails: {
        packages: c.packages.map((name) => ({
          name,
          status: packageStatus(name),
          ...(failed.has(name)
            ? {
                warnings: [
                  {
                    errorCode: 2560,
                    description: `One or more ${name} services are unavailable, unable to provision the package. Retry later.`,
                  },
                ],
              }
            : {}),
        })),
      },
      ...(status === 'error' && c.job.errorDescription
        ? { errors: [{ errorCode: 1000, description: c.job.errorDescription }] }
        : {}),
    });
  };
  const siteView = (s: StoredSite) => {
    const status = jobStatus(s.job);
    return shaped(siteSchema, {
      id: s.id,
      orgId: s.orgId,
      siteName: s.siteName,
      siteUrl: s.siteUrl,
      timeZone: s.timeZone,
      earlyRelease: s.earlyRelease,
      licenses: s.licenses,
      status:
        status === 'provisioned_with_errors'
          ? 'provisioned'
          : status === 'error'
            ? 'error'
            : status === 'provisioned'
              ? 'provisioned'
              : 'provisioning',
      ...(status === 'error' && s.job.errorDescription
        ? { errors: [{ errorCode: 2000, description: s.job.errorDescription }] }
        : {}),
    });
  };
  const locationView = (l: StoredLocation) =>
    shaped(locationSchema, {
      id: l.id,
      name: l.name,
      orgId: l.orgId,
      address: l.address,
      timeZone: l.timeZone,
      preferredLanguage: l.preferredLanguage,
    });
  const orgName = (orgId: string) =>
    orgId === state.partnerOrg.id
      ? state.partnerOrg.displayName
      : (state.customers.find((c) => c.orgId === orgId)?.name ?? '');
  /** Calling's own view of a location ("Get Location Webex Calling Details"). */
  const callingView = (l: StoredLocation) =>
    shaped(callingLocationSchema, {
      id: l.id,
      name: l.name,
      announcementLanguage: l.announcementLanguage,
      callingLineId: { name: orgName(l.orgId) },
      externalCallerIdName: `${orgName(l.orgId)}-${l.name}`.slice(0, 30),
      userLimit: 500000,
      enforceOutsideDialDigit: false,
      defaultDomain: `${createHash('sha256').update(l.orgId).digest('hex').slice(0, 8)}.int10.bcld.webex.com`,
    });

  /** The org a request acts on: `?orgId=` (a partner acting on a customer), else the token's own. */
  const actingOrg = (c: Context): string => {
    const orgId = c.req.query('orgId');
    if (orgId === undefined || orgId === state.partnerOrg.id) return state.partnerOrg.id;
    const customer = state.customers.find((x) => x.orgId === orgId && x.orgPresented);
    if (!customer) throw notFound(`Organization ${orgId}`);
    return customer.orgId;
  };

  /** One page of a list: `max` items from the cursor, and a `Link` to the next page when there is one. */
  const page = <T>(c: Context, items: T[], cursor: 'start' | 'offset', defaultMax: number): T[] => {
    const maxRaw = c.req.query('max');
    const max = maxRaw === undefined ? defaultMax : Number(maxRaw);
    if (!Number.isInteger(max) || max < 1)
      throw new WebexHttpError(400, 'Invalid max', [
        { field: 'max', description: 'max must be a positive whole number' },
      ]);
    const from = Number(c.req.query(cursor) ?? 0);
    if (!Number.isInteger(from) || from < 0)
      throw new WebexHttpError(400, `Invalid ${cursor}`, [
        { field: cursor, description: `${cursor} must be a whole number from 0` },
      ]);
    const slice = items.slice(from, from + max);
    if (from + max < items.length) {
      const next = new URL(c.req.url);
      next.searchParams.set('max', String(max));
      next.searchParams.set(cursor, String(from + max));
      c.header('Link', `<${next.toString()}>; rel="next"`);
    }
    return slice;
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
  app.notFound((c) => {
    c.header('trackingid', trackingOf(c));
    const known = ROUTES.filter(([, path]) => path.test(c.req.path));
    if (known.length > 0) {
      c.header('Allow', known.map(([m]) => m).join(', '));
      return fail(
        c,
        new WebexHttpError(405, 'Method Not Allowed', [
          { description: `${c.req.method} is not allowed on ${c.req.path}` },
        ]),
      );
    }
    return fail(
      c,
      new WebexHttpError(404, 'The requested resource could not be found.', [
        { description: `No API at ${c.req.method} ${c.req.path}` },
      ]),
    );
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
    settle();
    await next();
  });

  // ---- Wholesale customers ("Wholesale Provisioning") ----------------------------------------------
  app.get('/v1/wholesale/customers', (c) => {
    const { externalId, orgId, status } = c.req.query();
    const items = state.customers
      .map((x) => ({ stored: x, view: customerView(x) }))
      .filter(
        ({ view }) =>
          (externalId === undefined || view.externalId === externalId) &&
          (orgId === undefined || view.orgId === orgId) &&
          (status === undefined || view.status === status),
      )
      .map(({ view }) => view);
    return c.json({ items: page(c, items, 'offset', DEFAULT_MAX) });
  });

  app.post('/v1/wholesale/customers/validate', async (c) => {
    const body = parseBody(precheckRequestSchema, await c.req.json());
    const problems: Problem[] = wholesaleAddressProblems(body.address, 'address');
    const calling = (body.packages ?? []).filter(isCallingPackage);
    const location = body.provisioningParameters?.calling?.location;
    if (calling.length > 0 && !location)
      problems.push({
        field: 'provisioningParameters.calling',
        description: `provisioningParameters.calling is mandatory with a Calling package (${calling.join(', ')})`,
      });
    if (location) {
      const prefix = 'provisioningParameters.calling.location';
      problems.push(...wholesaleAddressProblems(location.address, `${prefix}.address`));
      if (body.orgId && state.locations.some((l) => l.orgId === body.orgId && l.name === location.name))
        problems.push({
          field: `${prefix}.name`,
          description: `A location named '${location.name}' already exists in this organization`,
        });
    }
    if (body.externalId && !body.orgId && state.customers.some((x) => x.externalId === body.externalId))
      problems.push({
        field: 'externalId',
        description: `A customer with externalId ${body.externalId} already exists`,
      });
    if (problems.length > 0)
      throw new WebexHttpError(
        400,
        'Provisioning Precheck validation failed.',
        problems.map((p) => ({ errorCode: 400, ...p })),
      );
    return c.json(
      shaped(precheckResponseSchema, {
        message: 'success',
        info: { infoCode: 100, description: 'Provisioning Precheck validation successful.' },
      }),
    );
  });

  const accepted = (c: Context, customer: StoredCustomer) => {
    const url = new URL(`/v1/wholesale/customers/${customer.id}`, c.req.url).toString();
    c.header('Location', url);
    return c.json({ url }, 202);
  };

  app.post('/v1/wholesale/customers', async (c) => {
    const body = parseBody(provisionCustomerRequestSchema, await c.req.json());
    const problems = wholesaleAddressProblems(body.address, 'address');
    const location = body.provisioningParameters?.calling?.location;
    if (location)
      problems.push(
        ...wholesaleAddressProblems(location.address, 'provisioningParameters.calling.location.address'),
      );
    if (problems.length > 0) throw new WebexHttpError(400, 'Invalid address', problems);
    if (state.customers.some((x) => x.externalId === body.externalId)) {
      throw new WebexHttpError(409, 'Customer already exists', [
        { field: 'externalId', description: `A customer with externalId ${body.externalId} already exists` },
      ]);
    }
    const existingOrg = body.orgId ? state.customers.find((x) => x.orgId === body.orgId) : undefined;
    if (body.orgId && !existingOrg) throw notFound(`Organization ${body.orgId}`);
    const customer: StoredCustomer = {
      id: webexId('CUSTOMER'),
      orgId: body.orgId ?? webexId('ORGANIZATION'),
      externalId: body.externalId,
      name: body.customerInfo?.name ?? existingOrg?.name ?? body.externalId,
      primaryEmail: body.customerInfo?.primaryEmail ?? existingOrg?.primaryEmail ?? '',
      address: stringsOnly(body.address),
      packages: body.packages,
      createdAt: new Date().toISOString(),
      job: newJob('organization', 'provisioning', body.packages),
      orgPresented: false,
      ...(body.provisioningParameters?.meetings
        ? { meetingsTimezone: body.provisioningParameters.meetings.timezone }
        : {}),
      ...(location
        ? { pendingCallingLocation: { ...location, address: stringsOnly(location.address) } }
        : {}),
    };
    state.customers.push(customer);
    store.save();
    return accepted(c, customer);
  });

  const customerById = (id: string) => {
    const customer = state.customers.find((x) => x.id === id);
    if (!customer) throw notFound(`Customer ${id}`);
    return customer;
  };
  const refuseWhileBusy = (customer: StoredCustomer) => {
    const status = jobStatus(customer.job);
    if (status === 'provisioning' || status === 'updating' || status === 'deleting')
      throw new WebexHttpError(409, `The customer is ${status}`, [
        { description: `Wait until the customer is no longer ${status}` },
      ]);
  };
  app.get('/v1/wholesale/customers/:id', (c) => c.json(customerView(customerById(c.req.param('id')))));
  app.put('/v1/wholesale/customers/:id', async (c) => {
    const customer = customerById(c.req.param('id'));
    const body = parseBody(updateCustomerRequestSchema, await c.req.json());
    refuseWhileBusy(customer);
    const location = body.provisioningParameters?.calling?.location;
    const problems = body.address ? wholesaleAddressProblems(body.address, 'address') : [];
    if (location)
      problems.push(
        ...wholesaleAddressProblems(location.address, 'provisioningParameters.calling.location.address'),
      );
    if (problems.length > 0) throw new WebexHttpError(400, 'Invalid address', problems);
    if (body.externalId !== undefined && body.externalId !== customer.externalId) {
      if (state.customers.some((x) => x !== customer && x.externalId === body.externalId))
        throw new WebexHttpError(409, 'externalId in use', [
          {
            field: 'externalId',
            description: `A customer with externalId ${body.externalId} already exists`,
          },
        ]);
      customer.externalId = body.externalId;
    }
    if (body.address) customer.address = stringsOnly(body.address);
    customer.packages = body.packages;
    if (body.provisioningParameters?.meetings)
      customer.meetingsTimezone = body.provisioningParameters.meetings.timezone;
    if (location) customer.pendingCallingLocation = { ...location, address: stringsOnly(location.address) };
    customer.job = newJob('organization', 'updating', body.packages, customer.job);
    store.save();
    return accepted(c, customer);
  });
  app.delete('/v1/wholesale/customers/:id', (c) => {
    const customer = customerById(c.req.param('id'));
    refuseWhileBusy(customer);
    customer.job = newJob('organization', 'deleting', customer.packages, customer.job);
    store.save();
    return c.body(null, 204);
  });

  // ---- Organizations ("Organizations"; not paginated) ---------------------------------------------
  const organizations = () => [
    state.partnerOrg,
    ...state.customers
      .filter((x) => x.orgPresented)
      .map((x) => ({ id: x.orgId, displayName: x.name, created: x.createdAt })),
  ];
  app.get('/v1/organizations', (c) =>
    c.json({ items: organizations().map((o) => shaped(organizationSchema, o)) }),
  );
  app.get('/v1/organizations/:orgId', (c) => {
    const org = organizations().find((o) => o.id === c.req.param('orgId'));
    if (!org) throw notFound(`Organization ${c.req.param('orgId')}`);
    return c.json(shaped(organizationSchema, org));
  });

  // ---- Meetings sites: OUR MODEL (no published API) --------------------------------------------------
  app.get('/v1/meetings/sites', (c) => {
    const siteName = c.req.query('siteName');
    const orgId = c.req.query('orgId');
    const items = state.sites.filter(
      (s) =>
        (siteName === undefined || s.siteName === siteName) && (orgId === undefined || s.orgId === orgId),
    );
    return c.json({ items: page(c, items.map(siteView), 'start', DEFAULT_MAX) });
  });

  app.post('/v1/meetings/sites/validate', async (c) => {
    const body = parseBody(siteCheckRequestSchema, await c.req.json());
    const problems: Problem[] = [];
    body.sites.forEach((site, i) => {
      const field = `sites[${i}].siteName`;
      const invalid = siteNameProblem(site.siteName);
      if (invalid) problems.push({ field, description: invalid });
      const taken = state.sites.find((s) => s.siteName === site.siteName);
      if (taken && taken.orgId !== body.orgId)
        problems.push({ field, description: `Site name '${site.siteName}' is already in use in Webex` });
    });
    if (problems.length > 0) throw new WebexHttpError(400, 'Site check found problems', problems);
    return c.json({ message: 'success' });
  });

  app.post('/v1/meetings/sites', async (c) => {
    const orgId = actingOrg(c);
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
      orgId,
      siteName: body.siteName,
      siteUrl: `${body.siteName}${SITE_DOMAIN}`,
      timeZone: body.timeZone,
      earlyRelease: body.earlyRelease,
      licenses: body.licenses,
      createdAt: new Date().toISOString(),
      job: newJob('meetings', 'provisioning', []),
    };
    state.sites.push(site);
    store.save();
    const url = new URL(`/v1/meetings/sites/${site.id}`, c.req.url).toString();
    c.header('Location', url);
    return c.json({ url }, 202);
  });

  const siteById = (c: Context) => {
    const orgId = actingOrg(c);
    const site = state.sites.find((s) => s.id === c.req.param('id') && s.orgId === orgId);
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
    site.job = newJob('meetings', 'provisioning', [], site.job);
    store.save();
    const url = new URL(`/v1/meetings/sites/${site.id}`, c.req.url).toString();
    c.header('Location', url);
    return c.json({ url }, 202);
  });

  // ---- Locations ("Locations") ----------------------------------------------------------------------
  app.get('/v1/locations', (c) => {
    const orgId = actingOrg(c);
    const { name, id } = c.req.query();
    const items = state.locations.filter(
      (l) => l.orgId === orgId && containsIgnoringCase(l.name, name) && (id === undefined || l.id === id),
    );
    return c.json({ items: page(c, items.map(locationView), 'start', DEFAULT_LOCATION_MAX) });
  });

  app.post('/v1/locations', async (c) => {
    const orgId = actingOrg(c);
    const body = parseBody(createLocationRequestSchema, await c.req.json());
    const problems = addressProblems(body.address, 'address');
    if (problems.length > 0) throw new WebexHttpError(400, 'Invalid address', problems);
    if (state.locations.some((l) => l.orgId === orgId && l.name === body.name)) {
      throw new WebexHttpError(409, 'Location name is already in use', [
        { field: 'name', description: `A location named '${body.name}' already exists in this organization` },
      ]);
    }
    const location: StoredLocation = {
      id: webexId('LOCATION'),
      orgId,
      name: body.name,
      timeZone: body.timeZone,
      preferredLanguage: body.preferredLanguage,
      announcementLanguage: body.announcementLanguage,
      address: stringsOnly(body.address),
      callingEnabled: false,
      createdAt: new Date().toISOString(),
    };
    state.locations.push(location);
    store.save();
    return c.json({ id: location.id }, 201);
  });

  const locationById = (c: Context) => {
    const orgId = actingOrg(c);
    const location = state.locations.find((l) => l.id === c.req.param('id') && l.orgId === orgId);
    if (!location) throw notFound(`Location ${c.req.param('id') ?? ''}`);
    return location;
  };
  app.get('/v1/locations/:id', (c) => c.json(locationView(locationById(c))));
  app.put('/v1/locations/:id', async (c) => {
    const location = locationById(c);
    const body = parseBody(updateLocationRequestSchema, await c.req.json());
    if (body.address) {
      const problems = addressProblems(body.address, 'address');
      if (problems.length > 0) throw new WebexHttpError(400, 'Invalid address', problems);
    }
    if (
      body.name !== undefined &&
      body.name !== location.name &&
      state.locations.some((l) => l.orgId === location.orgId && l.name === body.name)
    )
      throw new WebexHttpError(409, 'Location name is already in use', [
        { field: 'name', description: `A location named '${body.name}' already exists in this organization` },
      ]);
    if (body.name !== undefined) location.name = body.name;
    if (body.timeZone !== undefined) location.timeZone = body.timeZone;
    if (body.preferredLanguage !== undefined) location.preferredLanguage = body.preferredLanguage;
    if (body.address) location.address = stringsOnly(body.address);
    store.save();
    return c.body(null, 204);
  });

  // ---- Webex Calling ("Location Call Settings") -------------------------------------------------------
  app.get('/v1/telephony/config/locations', (c) => {
    const orgId = actingOrg(c);
    const name = c.req.query('name');
    const items = state.locations.filter(
      (l) => l.orgId === orgId && l.callingEnabled && containsIgnoringCase(l.name, name),
    );
    return c.json({ locations: page(c, items.map(callingView), 'start', DEFAULT_MAX) });
  });

  app.get('/v1/telephony/config/locations/:id', (c) => {
    const location = locationById(c);
    if (!location.callingEnabled) throw notFound(`Calling location ${location.id}`);
    return c.json(callingView(location));
  });

  app.post('/v1/telephony/config/locations', async (c) => {
    const orgId = actingOrg(c);
    const body = parseBody(enableCallingRequestSchema, await c.req.json());
    const location = state.locations.find((l) => l.id === body.id && l.orgId === orgId);
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
  app.get('/_local/state', (c) => {
    settle();
    return c.json({
      partnerOrg: state.partnerOrg,
      customers: state.customers.map((x) => ({
        ...customerView(x),
        name: x.name,
        ...(x.meetingsTimezone ? { meetingsTimezone: x.meetingsTimezone } : {}),
      })),
      sites: state.sites.map((s) => ({ ...siteView(s), submissions: s.job.submissions })),
      locations: state.locations.map((l) => ({ ...locationView(l), callingEnabled: l.callingEnabled })),
    });
  });
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
    settle();
    const externalId = c.req.query('externalId');
    return c.html(
      renderWebexPage({
        customers: state.customers
          .filter((x) => !externalId || x.externalId === externalId)
          .map((x) => ({
            ...customerView(x),
            name: x.name,
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
