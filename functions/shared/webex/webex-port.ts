import * as z from 'zod';
import { SiteNameTakenError, WebexRequestError } from '../errors';
import { webexCall, webexRequire } from './webex-client';
import {
  acceptedSchema,
  createdSchema,
  customerSchema,
  listSchema,
  locationSchema,
  precheckResponseSchema,
  siteSchema,
  type CreateLocationRequest,
  type CreateSiteRequest,
  type Customer,
  type Location,
  type PrecheckRequest,
  type ProvisionCustomerRequest,
  type Site,
} from './webex.schema';

// What the workflow needs from Webex, named in its own terms. Every create first looks up by a
// key we own (the org's externalId = our org id; the site name; the location name within the
// org), so a retried step, a redrive or a duplicate delivery finds what the first attempt made
// instead of making a second one. A create that loses a race (409: someone made it meanwhile)
// looks up again.

/** Packages a customer org is provisioned with; Webex's provisioning template names them. */
export const CUSTOMER_PACKAGES = ['common_area_calling', 'webex_calling', 'webex_meetings'];
/** The Customer Template's provisioning id (Control Hub shows it); the local Webex accepts any. */
export const PROVISIONING_ID = 'subscription-provisioning';

async function lookupCustomer(externalId: string): Promise<Customer | undefined> {
  const res = await webexRequire({
    method: 'GET',
    path: '/wholesale/customers',
    query: { externalId },
    schema: listSchema(customerSchema),
  });
  return res.data.items.find((c) => c.externalId === externalId);
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
  const found = await lookupCustomer(request.externalId);
  if (found) return found;
  try {
    const res = await webexRequire({
      method: 'POST',
      path: '/wholesale/customers',
      body: request,
      schema: acceptedSchema,
    });
    return (await getCustomer(idFromUrl(res.location ?? res.data.url))).customer;
  } catch (error) {
    if (!(error instanceof WebexRequestError && error.status === 409)) throw error;
    const raced = await lookupCustomer(request.externalId);
    if (!raced) throw error;
    return raced;
  }
}

/** Submits an errored customer again (Webex: update the customer with the same body). */
export async function resubmitCustomer(id: string, request: ProvisionCustomerRequest): Promise<void> {
  await webexRequire({
    method: 'PUT',
    path: `/wholesale/customers/${encodeURIComponent(id)}`,
    body: request,
    schema: acceptedSchema,
  });
}

async function lookupSite(siteName: string): Promise<Site | undefined> {
  const res = await webexRequire({
    method: 'GET',
    path: '/meetings/sites',
    query: { siteName },
    schema: listSchema(siteSchema),
  });
  return res.data.items.find((s) => s.siteName === siteName);
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
      body: request,
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
    body: {
      siteName: site.siteName,
      timeZone: site.timeZone,
      earlyRelease: site.earlyRelease,
      licenses: site.licenses,
    },
    schema: acceptedSchema,
  });
}

async function lookupLocation(orgId: string, name: string): Promise<Location | undefined> {
  const res = await webexRequire({
    method: 'GET',
    path: '/locations',
    query: { orgId, name },
    schema: listSchema(locationSchema),
  });
  return res.data.items.find((l) => l.name === name);
}

/** Finds the location by name within the org, or creates it (201); then enables it for Calling once. */
export async function ensureCallingLocation(
  orgId: string,
  request: CreateLocationRequest,
): Promise<{ location: Location; created: boolean; callingEnabled: boolean }> {
  let location = await lookupLocation(orgId, request.name);
  let created = false;
  if (!location) {
    try {
      const res = await webexRequire({
        method: 'POST',
        path: '/locations',
        query: { orgId },
        body: request,
        schema: createdSchema,
      });
      location = { ...request, id: res.data.id, orgId };
      created = true;
    } catch (error) {
      if (!(error instanceof WebexRequestError && error.status === 409)) throw error;
      location = await lookupLocation(orgId, request.name);
      if (!location) throw error;
    }
  }
  const calling = await webexCall({
    method: 'GET',
    path: `/telephony/config/locations/${encodeURIComponent(location.id)}`,
    query: { orgId },
    schema: z.object({ id: z.string() }),
    absentOn: [404],
  });
  let callingEnabled = false;
  if (!calling) {
    try {
      await webexRequire({
        method: 'POST',
        path: '/telephony/config/locations',
        query: { orgId },
        body: { ...request, id: location.id },
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

export interface PrecheckIssue {
  /** The request field Webex named (e.g. `provisioningParameters.meetings.sites[0].siteName`), when it did. */
  field?: string;
  message: string;
}

/** Asks Webex whether a setup would go through. No problems: an empty list. */
export async function precheck(request: PrecheckRequest): Promise<PrecheckIssue[]> {
  try {
    await webexRequire({
      method: 'POST',
      path: '/wholesale/customers/validate',
      body: request,
      schema: precheckResponseSchema,
    });
    return [];
  } catch (error) {
    if (!(error instanceof WebexRequestError && error.status === 400)) throw error;
    const issues = error.details.map((d) => ({ field: d.field, message: d.description }));
    return issues.length > 0 ? issues : [{ message: error.message }];
  }
}
