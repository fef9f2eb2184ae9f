import type * as z from 'zod';
import { SiteNameTakenError, ValidationError, WebexCustomerBusyError, WebexRequestError } from '../errors';
import { webexCall, webexList, webexRequire } from './webex-client';
import {
  acceptedSchema,
  callingLocationSchema,
  createdSchema,
  createLocationRequestSchema,
  createSiteRequestSchema,
  customerSchema,
  enableCallingRequestSchema,
  locationSchema,
  organizationSchema,
  precheckRequestSchema,
  precheckResponseSchema,
  provisionCustomerRequestSchema,
  siteCheckRequestSchema,
  siteCheckResponseSchema,
  siteSchema,
  updateCustomerRequestSchema,
  type CallingLocation,
  type CreateLocationRequest,
  type CreateSiteRequest,
  type Customer,
  type Location,
  type PrecheckRequest,
  type ProvisionCustomerRequest,
  type Site,
  type SiteCheckRequest,
  type UpdateCustomerRequest,
} from './webex.schema';

// What the workflow needs from Webex, named in its own terms. Every create first looks up by a
// key we own (the org's externalId = our org id; the site name; the location name within the
// org), so a retried step, a redrive or a duplicate delivery finds what the first attempt made
// instead of making a second one. A create that loses a race (409: someone made it meanwhile)
// looks up again. Every request body is built through its published schema (webex.schema.ts)
// before it is sent: a body Webex would refuse never leaves.

/**
 * The package a customer org is created with. Calling packages need their location in
 * `provisioningParameters.calling` (published rule), which the order only knows at its Calling
 * setup: "Provision Webex Calling" adds them later with `PUT` and the location.
 */
export const INITIAL_PACKAGES = ['webex_meetings'];
/** The Calling packages "Provision Webex Calling" adds to the customer. */
export const CALLING_PACKAGES_ADDED = ['common_area_calling', 'webex_calling'];
/** The Customer Template's provisioning id (Control Hub shows it); the local Webex accepts any. */
export const PROVISIONING_ID = 'subscription-provisioning';

/** A request body through its published schema: a field Webex requires and we lack is our bug, said plainly. */
function body<S extends z.ZodType>(schema: S, value: z.input<S>, call: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    `The ${call} body lacks what Webex requires: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ')}`,
  );
}

// ---- Wholesale customers ----------------------------------------------------------------------------

/** The customer whose externalId is our org id, if Webex has one (the list is read to its end). */
export async function findCustomer(externalId: string): Promise<Customer | undefined> {
  const items = await webexList({
    path: '/wholesale/customers',
    query: { externalId },
    item: customerSchema,
  });
  return items.find((c) => c.externalId === externalId);
}

export async function getCustomer(id: string): Promise<{ customer: Customer; trackingId: string }> {
  const res = await webexRequire({
    method: 'GET',
    path: `/wholesale/customers/${encodeURIComponent(id)}`,
    schema: customerSchema,
  });
  return { customer: res.data, trackingId: res.trackingId };
}

function idFromUrl(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
}

/** Finds the customer org by our org id, or submits it (202: Webex provisions it asynchronously). */
export async function ensureCustomer(request: ProvisionCustomerRequest): Promise<Customer> {
  const found = await findCustomer(request.externalId);
  if (found) return found;
  try {
    const res = await webexRequire({
      method: 'POST',
      path: '/wholesale/customers',
      body: body(provisionCustomerRequestSchema, request, 'POST /wholesale/customers'),
      schema: acceptedSchema,
    });
    return (await getCustomer(idFromUrl(res.location ?? res.data.url))).customer;
  } catch (error) {
    if (!(error instanceof WebexRequestError && error.status === 409)) throw error;
    const raced = await findCustomer(request.externalId);
    if (!raced) throw error;
    return raced;
  }
}

/** The statuses in which Webex refuses an update (409) until the customer's current job is done. */
const BUSY: readonly Customer['status'][] = ['provisioning', 'updating', 'pending_rpl_review'];

/**
 * `PUT /wholesale/customers/{id}`: the complete package list (and parameters); 202, Webex updates it
 * asynchronously. Webex refuses it with 409 while the customer is still busy with another job (another
 * order's update of the same customer, sent between our read and our PUT): that is a wait, not a
 * refusal, so it is raised as WebexCustomerBusyError and the state's Retry submits again after a backoff
 * (the step reads the customer again first, so it sends the packages as Webex has them by then).
 */
export async function updateCustomer(id: string, request: UpdateCustomerRequest): Promise<void> {
  try {
    await webexRequire({
      method: 'PUT',
      path: `/wholesale/customers/${encodeURIComponent(id)}`,
      body: body(updateCustomerRequestSchema, request, 'PUT /wholesale/customers/{id}'),
      schema: acceptedSchema,
    });
  } catch (error) {
    if (!(error instanceof WebexRequestError && error.status === 409)) throw error;
    // A 409 may also be a conflict for good (an externalId in use): only a busy customer is waited on.
    const { customer } = await getCustomer(id);
    if (!BUSY.includes(customer.status)) throw error;
    throw new WebexCustomerBusyError(
      `Webex customer ${id} is ${customer.status} (another update is under way); the update is sent again once it is done: ${error.message}`,
    );
  }
}

/** `DELETE /wholesale/customers/{id}` (204). Not used by the workflow; here so the port covers the published calls. */
export async function removeCustomer(id: string): Promise<void> {
  await webexRequire({ method: 'DELETE', path: `/wholesale/customers/${encodeURIComponent(id)}` });
}

// ---- Meetings sites: OUR MODEL (Webex publishes no API to create a site with a chosen URL) -----------

async function lookupSite(siteName: string): Promise<Site | undefined> {
  const items = await webexList({ path: '/meetings/sites', query: { siteName }, item: siteSchema });
  return items.find((s) => s.siteName === siteName);
}

export async function getSite(id: string, orgId: string): Promise<{ site: Site; trackingId: string }> {
  const res = await webexRequire({
    method: 'GET',
    path: `/meetings/sites/${encodeURIComponent(id)}`,
    query: { orgId },
    schema: siteSchema,
  });
  return { site: res.data, trackingId: res.trackingId };
}

function ownSite(site: Site, orgId: string): Site {
  if (site.orgId !== orgId)
    throw new SiteNameTakenError(`${site.siteUrl} belongs to another Webex organization`);
  return site;
}

/** Finds the Meetings site by its name (names are global), or submits it in the customer org. */
export async function ensureSite(orgId: string, request: CreateSiteRequest): Promise<Site> {
  const found = await lookupSite(request.siteName);
  if (found) return ownSite(found, orgId);
  try {
    const res = await webexRequire({
      method: 'POST',
      path: '/meetings/sites',
      query: { orgId },
      body: body(createSiteRequestSchema, request, 'POST /meetings/sites'),
      schema: acceptedSchema,
    });
    return (await getSite(idFromUrl(res.location ?? res.data.url), orgId)).site;
  } catch (error) {
    if (!(error instanceof WebexRequestError && error.status === 409)) throw error;
    const raced = await lookupSite(request.siteName);
    if (!raced) throw new SiteNameTakenError(error.message);
    return ownSite(raced, orgId);
  }
}

export async function resubmitSite(site: Site): Promise<void> {
  await webexRequire({
    method: 'PUT',
    path: `/meetings/sites/${encodeURIComponent(site.id)}`,
    query: { orgId: site.orgId },
    body: body(
      createSiteRequestSchema,
      {
        siteName: site.siteName,
        timeZone: site.timeZone,
        earlyRelease: site.earlyRelease,
        licenses: site.licenses,
      },
      'PUT /meetings/sites/{id}',
    ),
    schema: acceptedSchema,
  });
}

// ---- Locations and Webex Calling ----------------------------------------------------------------------

/** The location with exactly this name in the org (Webex's `name` filter matches names that contain it). */
export async function findLocation(orgId: string, name: string): Promise<Location | undefined> {
  const items = await webexList({ path: '/locations', query: { orgId, name }, item: locationSchema });
  return items.find((l) => l.name === name);
}

/** Calling's view of a location; undefined when the location is not enabled for Calling (404). */
export async function getCallingLocation(orgId: string, id: string): Promise<CallingLocation | undefined> {
  const res = await webexCall({
    method: 'GET',
    path: `/telephony/config/locations/${encodeURIComponent(id)}`,
    query: { orgId },
    schema: callingLocationSchema,
    absentOn: [404],
  });
  return res?.data;
}

/** Finds the location by name within the org, or creates it (201); then enables it for Calling once. */
export async function ensureCallingLocation(
  orgId: string,
  request: CreateLocationRequest,
): Promise<{ location: Location; created: boolean; callingEnabled: boolean }> {
  let location = await findLocation(orgId, request.name);
  let created = false;
  if (!location) {
    try {
      const res = await webexRequire({
        method: 'POST',
        path: '/locations',
        query: { orgId },
        body: body(createLocationRequestSchema, request, 'POST /locations'),
        schema: createdSchema,
      });
      location = { ...request, id: res.data.id, orgId };
      created = true;
    } catch (error) {
      if (!(error instanceof WebexRequestError && error.status === 409)) throw error;
      location = await findLocation(orgId, request.name);
      if (!location) throw error;
    }
  }
  let callingEnabled = false;
  if (!(await getCallingLocation(orgId, location.id))) {
    try {
      await webexRequire({
        method: 'POST',
        path: '/telephony/config/locations',
        query: { orgId },
        body: body(
          enableCallingRequestSchema,
          { ...request, id: location.id },
          'POST /telephony/config/locations',
        ),
        schema: createdSchema,
      });
      callingEnabled = true;
    } catch (error) {
      // Enabled by a concurrent attempt: the location is what we wanted.
      if (!(error instanceof WebexRequestError && error.status === 409)) throw error;
    }
  }
  return { location, created, callingEnabled };
}

// ---- Organizations ---------------------------------------------------------------------------------------

export async function getOrganization(orgId: string) {
  const res = await webexRequire({
    method: 'GET',
    path: `/organizations/${encodeURIComponent(orgId)}`,
    schema: organizationSchema,
  });
  return res.data;
}

// ---- Checks before Close ----------------------------------------------------------------------------------

export interface PrecheckIssue {
  /** The request field Webex named (e.g. `provisioningParameters.calling.location.address.city`), when it did. */
  field?: string;
  message: string;
}

async function issuesOf(run: () => Promise<unknown>): Promise<PrecheckIssue[]> {
  try {
    await run();
    return [];
  } catch (error) {
    if (!(error instanceof WebexRequestError && error.status === 400)) throw error;
    const issues = error.details.map((d) => ({ field: d.field, message: d.description }));
    return issues.length > 0 ? issues : [{ message: error.message }];
  }
}

/** Published precheck: would Webex provision this customer setup? No problems: an empty list. */
export async function precheck(request: PrecheckRequest): Promise<PrecheckIssue[]> {
  return issuesOf(() =>
    webexRequire({
      method: 'POST',
      path: '/wholesale/customers/validate',
      body: body(precheckRequestSchema, request, 'POST /wholesale/customers/validate'),
      schema: precheckResponseSchema,
    }),
  );
}

/** Modelled site-name check (part of OUR site model, not the published precheck): free and valid names. */
export async function checkSiteNames(request: SiteCheckRequest): Promise<PrecheckIssue[]> {
  return issuesOf(() =>
    webexRequire({
      method: 'POST',
      path: '/meetings/sites/validate',
      body: body(siteCheckRequestSchema, request, 'POST /meetings/sites/validate'),
      schema: siteCheckResponseSchema,
    }),
  );
}
