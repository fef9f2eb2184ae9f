import * as z from 'zod';

// The Webex HTTP contract the provisioning adapter speaks and the local Webex serves
// (../../../../shared/spec/webex-backend.md). Shapes follow Webex's public admin APIs: Wholesale
// customers (asynchronous: 202 + Location, then a status), Locations and "Enable a Location for
// Webex Calling", Organizations. Webex publishes no API for creating a Meetings site (Cisco's
// ordering flow does it), so the site calls are modelled on the Wholesale ones: same conventions,
// same job statuses, behind the same port.

export const JOB_STATUSES = ['provisioning', 'provisioned', 'error'] as const;
export const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** Webex's error body: `message`, `errors[]` with a `description` each, and the `trackingId` support asks for. */
export const webexErrorBodySchema = z.object({
  message: z.string().optional(),
  errors: z
    .array(
      z.object({
        description: z.string(),
        errorCode: z.union([z.string(), z.number()]).optional(),
        /** The request field the problem is about (the local Webex names it; Webex says it in the description). */
        field: z.string().optional(),
      }),
    )
    .optional(),
  trackingId: z.string().optional(),
});
export type WebexErrorBody = z.infer<typeof webexErrorBodySchema>;

/** The integration's OAuth grant: `POST /access_token` with `grant_type=refresh_token`. */
export const accessTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().int().positive().optional(),
});

/** What the secret holds: the integration's client credentials and its refresh token (and the last access token). */
export const webexCredentialsSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  refreshToken: z.string().min(1),
  accessToken: z.string().min(1).optional(),
});
export type WebexCredentials = z.infer<typeof webexCredentialsSchema>;

// ---- Wholesale customers (the customer organization) --------------------------------------------

export const wholesaleAddressSchema = z.object({
  addressLine1: z.string().min(1).optional(),
  addressLine2: z.string().optional(),
  city: z.string().optional(),
  stateOrProvince: z.string().optional(),
  zipOrPostalCode: z.string().optional(),
  country: z.string().length(2),
});

export const provisionCustomerRequestSchema = z.object({
  provisioningId: z.string().min(1),
  packages: z.array(z.string().min(1)).min(1),
  /** Our own key for the org: our org id. A second create with the same externalId is refused. */
  externalId: z.string().min(1).max(64),
  address: wholesaleAddressSchema,
  customerInfo: z.object({
    name: z.string().min(1).max(200),
    primaryEmail: z.string().email(),
    language: z.string().optional(),
  }),
});
export type ProvisionCustomerRequest = z.infer<typeof provisionCustomerRequestSchema>;

export const customerSchema = z.object({
  id: z.string().min(1),
  orgId: z.string().min(1),
  externalId: z.string(),
  name: z.string().optional(),
  address: wholesaleAddressSchema.partial().optional(),
  status: jobStatusSchema,
  packages: z.array(z.object({ name: z.string(), status: z.string() })).optional(),
  /** Errors of the last provisioning attempt (asynchronous failures, after the 202). */
  errors: z
    .array(z.object({ errorCode: z.union([z.string(), z.number()]).optional(), description: z.string() }))
    .optional(),
});
export type Customer = z.infer<typeof customerSchema>;

export const acceptedSchema = z.object({ url: z.string().url() });

export const listSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

// ---- Meetings sites (modelled) --------------------------------------------------------------------

export const createSiteRequestSchema = z.object({
  siteName: z.string().min(1),
  timeZone: z.string().min(1),
  earlyRelease: z.boolean(),
  licenses: z.number().int().min(1),
});
export type CreateSiteRequest = z.infer<typeof createSiteRequestSchema>;

export const siteSchema = createSiteRequestSchema.extend({
  id: z.string().min(1),
  orgId: z.string().min(1),
  siteUrl: z.string().min(1),
  status: jobStatusSchema,
  errors: z
    .array(z.object({ errorCode: z.union([z.string(), z.number()]).optional(), description: z.string() }))
    .optional(),
});
export type Site = z.infer<typeof siteSchema>;

// ---- Locations and Webex Calling --------------------------------------------------------------------

export const locationAddressSchema = z.object({
  address1: z.string().min(1),
  address2: z.string().optional(),
  city: z.string().min(1),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().length(2),
});

export const createLocationRequestSchema = z.object({
  name: z.string().min(1).max(80),
  timeZone: z.string().min(1),
  preferredLanguage: z.string().min(1),
  announcementLanguage: z.string().min(1),
  address: locationAddressSchema,
});
export type CreateLocationRequest = z.infer<typeof createLocationRequestSchema>;

export const locationSchema = createLocationRequestSchema.partial({ announcementLanguage: true }).extend({
  id: z.string().min(1),
  orgId: z.string().min(1),
});
export type Location = z.infer<typeof locationSchema>;

export const createdSchema = z.object({ id: z.string().min(1) });

/** `POST /telephony/config/locations`: the location's id and the same fields. */
export const enableCallingRequestSchema = createLocationRequestSchema.extend({ id: z.string().min(1) });

// ---- Precheck --------------------------------------------------------------------------------------

/** `POST /wholesale/customers/validate`: the setup that would be submitted; only the parts present are checked. */
export const precheckRequestSchema = z.object({
  orgId: z.string().optional(),
  externalId: z.string().optional(),
  provisioningParameters: z.object({
    meetings: z
      .object({ sites: z.array(z.object({ siteName: z.string(), timeZone: z.string() })) })
      .optional(),
    calling: z.object({ location: createLocationRequestSchema }).optional(),
  }),
});
export type PrecheckRequest = z.infer<typeof precheckRequestSchema>;

export const precheckResponseSchema = z.object({
  message: z.string(),
  info: z.object({ infoCode: z.union([z.string(), z.number()]), description: z.string() }).optional(),
});

export const organizationSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  created: z.string(),
});
