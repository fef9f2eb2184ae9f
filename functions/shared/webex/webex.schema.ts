import * as z from 'zod';

// The Webex HTTP contract the provisioning adapter speaks and the local Webex serves, written
// from what Webex PUBLISHES (../../../../shared/spec/webex-backend.md lists the sources), field
// by field. Each schema names the reference it follows:
// - developer.webex.com "Webex for Wholesale" guide and the "Wholesale Provisioning" API
//   reference (Provision / List / Get / Update / Delete a Wholesale Customer, Precheck a
//   Wholesale Customer Provisioning);
// - "Locations" (List / Create / Get / Update a Location) and "Location Call Settings"
//   (Enable a Location for Webex Calling, List / Get Location Webex Calling Details), also in
//   webex/PartnerAdministrationRefApp webex-calling-api/api/openapi.yaml;
// - "Organizations" (List Organizations, Get Organization Details), also in
//   webex/PartnerAdministrationRefApp webex-admin-api/api/openapi.yaml.
// Requests are strict about what Webex requires; responses are read with `z.looseObject`, so a
// field Webex adds later never breaks a read. The client builds its requests from these schemas
// and parses every answer with them; the local Webex validates requests and shapes its answers
// with the same ones (test/unit/webex/webex-contract.test.ts holds the published examples).
//
// Webex publishes no API to create a Meetings site with a chosen URL, early release and a
// license split (Control Hub's setup assistant does that; Wholesale provisions Meetings as a
// package with only a time zone). The site calls below are OUR MODEL of that step, on the same
// conventions, behind the same port (docs/webex.md).

/**
 * A Wholesale customer's `status` ("Get a Wholesale Customer"): the complete published enum.
 * `updating` and `deleting` follow a PUT or DELETE; `pending_rpl_review` waits on Cisco's
 * restricted-party review; `provisioned_with_errors` is provisioned with some packages failed.
 */
export const CUSTOMER_STATUSES = [
  'provisioned',
  'provisioned_with_errors',
  'provisioning',
  'updating',
  'deleting',
  'error',
  'pending_rpl_review',
] as const;
export const customerStatusSchema = z.enum(CUSTOMER_STATUSES);
export type CustomerStatus = z.infer<typeof customerStatusSchema>;

/** The statuses of our modelled Meetings site job (no published reference: our model). */
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

// ---- Wholesale customers ("Wholesale Provisioning" reference) -----------------------------------

/**
 * The customer's billing address ("Webex for Wholesale" guide, "Wholesale Customer Address
 * Requirement"): addressLine1, city and country are mandatory; stateOrProvince and
 * zipOrPostalCode are mandatory in some geographies.
 */
export const wholesaleAddressSchema = z.object({
  addressLine1: z.string().min(1),
  addressLine2: z.string().optional(),
  city: z.string().min(1),
  stateOrProvince: z.string().optional(),
  zipOrPostalCode: z.string().optional(),
  country: z.string().length(2),
});
export type WholesaleAddress = z.infer<typeof wholesaleAddressSchema>;

/** Packages are published as strings: `webex_calling`, `webex_meetings`, `common_area_calling`, `webex_suite`… */
export const packageNameSchema = z.string().min(1);
/** Packages that provision Webex Calling: `provisioningParameters.calling` is mandatory with any of them. */
export const CALLING_PACKAGES = [
  'common_area_calling',
  'webex_calling',
  'webex_suite',
  'webex_voice',
  'cx_essentials',
  'webex_calling_standard',
] as const;
export const isCallingPackage = (name: string) => (CALLING_PACKAGES as readonly string[]).includes(name);

/** `provisioningParameters.calling.location` ("Provision a Wholesale Customer"). */
export const wholesaleCallingLocationSchema = z.object({
  name: z.string().min(1),
  address: wholesaleAddressSchema,
  timezone: z.string().min(1),
  language: z.string().min(1),
  emergencyLocationIdentifier: z.string().optional(),
});
export const provisioningParametersSchema = z.object({
  calling: z.object({ location: wholesaleCallingLocationSchema }).optional(),
  meetings: z.object({ timezone: z.string().min(1) }).optional(),
});
export type ProvisioningParameters = z.infer<typeof provisioningParametersSchema>;

const callingNeedsParameters = (
  body: { packages?: string[]; provisioningParameters?: ProvisioningParameters },
  ctx: z.RefinementCtx,
) => {
  const calling = (body.packages ?? []).filter(isCallingPackage);
  if (calling.length > 0 && !body.provisioningParameters?.calling) {
    ctx.addIssue({
      code: 'custom',
      path: ['provisioningParameters', 'calling'],
      message: `provisioningParameters.calling is mandatory with a Calling package (${calling.join(', ')})`,
    });
  }
};

/** `POST /wholesale/customers` ("Provision a Wholesale Customer"). */
export const provisionCustomerRequestSchema = z
  .object({
    provisioningId: z.string().min(1),
    packages: z.array(packageNameSchema).min(1),
    /** An existing org; mandatory for existing customers. */
    orgId: z.string().min(1).optional(),
    /** Our own key for the org: our org id. A second create with the same externalId is refused. */
    externalId: z.string().min(1).max(64),
    address: wholesaleAddressSchema,
    /** Mandatory for a new customer; optional when `orgId` is given. */
    customerInfo: z
      .object({
        name: z.string().min(1).max(200),
        primaryEmail: z.email(),
        language: z.string().optional(),
      })
      .optional(),
    provisioningParameters: provisioningParametersSchema.optional(),
    subPartnerAdminEmail: z.email().optional(),
  })
  .superRefine((body, ctx) => {
    if (!body.orgId && !body.customerInfo)
      ctx.addIssue({
        code: 'custom',
        path: ['customerInfo'],
        message: 'customerInfo is mandatory for a new customer (no orgId)',
      });
    callingNeedsParameters(body, ctx);
  });
export type ProvisionCustomerRequest = z.infer<typeof provisionCustomerRequestSchema>;

/** `PUT /wholesale/customers/{customerId}` ("Update a Wholesale Customer"): the complete package list. */
export const updateCustomerRequestSchema = z
  .object({
    externalId: z.string().min(1).max(64).optional(),
    packages: z.array(packageNameSchema).min(1),
    address: wholesaleAddressSchema.optional(),
    provisioningParameters: provisioningParametersSchema.optional(),
    subPartnerAdminEmail: z.email().optional(),
  })
  .superRefine(callingNeedsParameters);
export type UpdateCustomerRequest = z.infer<typeof updateCustomerRequestSchema>;

/** One problem of a customer or package (`errors[]`, `resourceDetails.packages[].warnings[]`): the code is a number. */
export const wholesaleProblemSchema = z.looseObject({
  errorCode: z.number(),
  description: z.string(),
});

/** A customer as Webex shows it ("Get a Wholesale Customer", "List Wholesale Customers"). */
export const customerSchema = z.looseObject({
  id: z.string().min(1),
  /** Presented only once the customer is `provisioned` (or provisioned_with_errors). */
  orgId: z.string().min(1).optional(),
  externalId: z.string(),
  address: wholesaleAddressSchema.partial().optional(),
  status: customerStatusSchema,
  packages: z.array(packageNameSchema).optional(),
  resourceDetails: z
    .looseObject({
      packages: z
        .array(
          z.looseObject({
            name: packageNameSchema,
            status: z.string(),
            warnings: z.array(wholesaleProblemSchema).optional(),
            licenseIds: z.array(z.string()).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  errors: z.array(wholesaleProblemSchema).optional(),
});
export type Customer = z.infer<typeof customerSchema>;

/** The 202 of a provision or update: `{url}`, the "Get a Wholesale Customer" URL (also in `Location`). */
export const acceptedSchema = z.looseObject({ url: z.string().url() });

/** Every published list is `{items: [...]}`, paged with `max` and a `Link: <…>; rel="next"` header. */
export const listSchema = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item) });

// ---- Precheck ("Precheck a Wholesale Customer Provisioning") --------------------------------------

/** `POST /wholesale/customers/validate`: the address is required; the rest is what would be provisioned. */
export const precheckRequestSchema = z.object({
  provisioningId: z.string().min(1).optional(),
  packages: z.array(packageNameSchema).optional(),
  orgId: z.string().min(1).optional(),
  externalId: z.string().min(1).optional(),
  address: wholesaleAddressSchema,
  customerInfo: z.object({ primaryEmail: z.email(), name: z.string().optional() }).optional(),
  provisioningParameters: provisioningParametersSchema.optional(),
});
export type PrecheckRequest = z.infer<typeof precheckRequestSchema>;

/** 200: `{message, info{infoCode, description}}` (infoCode a number, e.g. 100). */
export const precheckResponseSchema = z.looseObject({
  message: z.string(),
  info: z
    .union([
      z.looseObject({ infoCode: z.number(), description: z.string() }),
      z.array(z.looseObject({ infoCode: z.number(), description: z.string() })),
    ])
    .optional(),
});

// ---- Meetings sites (OUR MODEL: Webex publishes no such API) ----------------------------------------

/** Modelled `POST /meetings/sites?orgId=`: a site with a chosen name, time zone, early release and licenses. */
export const createSiteRequestSchema = z.object({
  siteName: z.string().min(1),
  timeZone: z.string().min(1),
  earlyRelease: z.boolean(),
  licenses: z.number().int().min(1),
});
export type CreateSiteRequest = z.infer<typeof createSiteRequestSchema>;

export const siteSchema = z.looseObject({
  ...createSiteRequestSchema.shape,
  id: z.string().min(1),
  orgId: z.string().min(1),
  siteUrl: z.string().min(1),
  status: jobStatusSchema,
  errors: z.array(wholesaleProblemSchema).optional(),
});
export type Site = z.infer<typeof siteSchema>;

/**
 * Modelled `POST /meetings/sites/validate`: would these site names be accepted (valid, free in
 * Webex)? The check before Close belongs to the modelled site call, not to the published precheck.
 */
export const siteCheckRequestSchema = z.object({
  orgId: z.string().min(1).optional(),
  sites: z.array(z.object({ siteName: z.string().min(1), timeZone: z.string().min(1) })).min(1),
});
export type SiteCheckRequest = z.infer<typeof siteCheckRequestSchema>;
export const siteCheckResponseSchema = z.looseObject({ message: z.string() });

// ---- Locations ("Locations": Create / List / Get / Update a Location) ----------------------------

export const locationAddressSchema = z.object({
  address1: z.string().min(1),
  address2: z.string().optional(),
  city: z.string().min(1),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().length(2),
});

/** `POST /locations`: name, timeZone, preferredLanguage, announcementLanguage and address are required. */
export const createLocationRequestSchema = z.object({
  name: z.string().min(1).max(80),
  timeZone: z.string().min(1),
  preferredLanguage: z.string().min(1),
  announcementLanguage: z.string().min(1),
  address: locationAddressSchema,
  latitude: z.string().optional(),
  longitude: z.string().optional(),
  notes: z.string().optional(),
});
export type CreateLocationRequest = z.infer<typeof createLocationRequestSchema>;

/** `PUT /locations/{locationId}` (204): the fields to change. */
export const updateLocationRequestSchema = createLocationRequestSchema
  .omit({ announcementLanguage: true })
  .partial();

/** A location as "List Locations" / "Get Location Details" show it. */
export const locationSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  orgId: z.string().min(1),
  address: locationAddressSchema.partial().optional(),
  timeZone: z.string().optional(),
  preferredLanguage: z.string().optional(),
  latitude: z.string().optional(),
  longitude: z.string().optional(),
  notes: z.string().optional(),
});
export type Location = z.infer<typeof locationSchema>;

export const createdSchema = z.looseObject({ id: z.string().min(1) });

// ---- Webex Calling ("Location Call Settings") ------------------------------------------------------

/** `POST /telephony/config/locations` ("Enable a Location for Webex Calling"): the location's id and fields. */
export const enableCallingRequestSchema = createLocationRequestSchema.extend({ id: z.string().min(1) });

/** Calling's own view of a location ("Get Location Webex Calling Details"). */
export const callingLocationSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  announcementLanguage: z.string().optional(),
  routingPrefix: z.string().optional(),
  callingLineId: z
    .looseObject({ name: z.string().optional(), phoneNumber: z.string().nullable().optional() })
    .optional(),
  connection: z.looseObject({ type: z.string(), id: z.string().optional() }).optional(),
  subscriptionId: z.string().optional(),
  externalCallerIdName: z.string().optional(),
  userLimit: z.number().optional(),
  outsideDialDigit: z.string().optional(),
  enforceOutsideDialDigit: z.boolean().optional(),
  pAccessNetworkInfo: z.string().optional(),
  defaultDomain: z.string().optional(),
  chargeNumber: z.string().optional(),
  useChargeNumberForPChargeInfo: z.boolean().optional(),
  e911SetupRequired: z.boolean().optional(),
});
export type CallingLocation = z.infer<typeof callingLocationSchema>;

/** "List Locations Webex Calling Details": the list is under `locations`, not `items`. */
export const callingLocationListSchema = z.looseObject({ locations: z.array(callingLocationSchema) });

// ---- Organizations ("Organizations"; webex-admin-api openapi.yaml) ---------------------------------

export const organizationSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  created: z.string(),
});
export const organizationListSchema = listSchema(organizationSchema);
