import * as z from 'zod';
import { COUNTRY_RULES } from './calling.schema';
import { emailSchema } from './order.schema';
import { singleLineText } from './text.schema';

export const orgKindSchema = z.enum(['partner', 'customer']);
export type OrgKind = z.infer<typeof orgKindSchema>;

/** The business verticals offered when an organization is created (a fixed list, as in Control Hub). */
export const BUSINESS_VERTICALS = [
  'education',
  'energy',
  'financial-services',
  'government',
  'healthcare',
  'hospitality',
  'manufacturing',
  'media',
  'professional-services',
  'retail',
  'technology',
  'telecommunications',
  'transportation',
  'other',
] as const;
export const businessVerticalSchema = z.enum(BUSINESS_VERTICALS);

export const domainNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a domain name such as example.com',
  );

export const orgDomainSchema = z.object({
  domain: domainNameSchema,
  status: z.enum(['verified', 'claimed']),
});
export type OrgDomain = z.infer<typeof orgDomainSchema>;

export const countryCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code');

/**
 * The organization's postal address (the country is the org's own `country`). Webex requires
 * one to provision a customer (addressLine1, city and country: "Webex for Wholesale", "Wholesale
 * Customer Address Requirement"), so a new org is asked for it, as Control Hub does.
 */
export const orgAddressSchema = z.object({
  street: singleLineText().min(1, 'is required').max(200),
  city: singleLineText().min(1, 'is required').max(100),
  state: singleLineText().max(100).optional(),
  postalCode: singleLineText().max(20).optional(),
});
export type OrgAddress = z.infer<typeof orgAddressSchema>;

export const organizationSchema = z.object({
  orgId: z.string().min(1).max(64),
  kind: orgKindSchema,
  name: z.string().trim().min(1).max(200),
  businessVertical: businessVerticalSchema,
  country: countryCodeSchema,
  /** Postal address; absent on orgs imported without one (Webex then cannot provision them). */
  address: orgAddressSchema.optional(),
  domains: z.array(orgDomainSchema),
  activeUsers: z.number().int().min(0),
  /** Most recent activity of any user; absent when nobody was ever active. */
  lastActivityAt: z.iso.datetime({ offset: true }).optional(),
  createdAt: z.iso.datetime({ offset: true }),
  /** Set on organizations created by the wizard. */
  createdByOrder: z.string().optional(),
});
export type Organization = z.infer<typeof organizationSchema>;

export const orgUserSchema = z.object({
  email: emailSchema,
  lastActivityAt: z.iso.datetime({ offset: true }).optional(),
  active: z.boolean(),
});
export type OrgUser = z.infer<typeof orgUserSchema>;

/** One line of `npm run orgs -- import`: an organization with its users. */
export const orgImportLineSchema = organizationSchema
  .omit({ activeUsers: true, lastActivityAt: true, createdAt: true })
  .extend({
    // Checked here, where names come in; stored organizations are read as they are.
    name: singleLineText().min(1).max(200),
    createdAt: z.iso.datetime({ offset: true }).optional(),
    users: z.array(orgUserSchema).default([]),
  });
export type OrgImportLine = z.infer<typeof orgImportLineSchema>;

/** What the wizard collects to create an organization (its address as Webex needs it for the country). */
export const newOrganizationSchema = z
  .object({
    name: singleLineText().min(2, 'must be at least 2 characters').max(200),
    businessVertical: businessVerticalSchema,
    country: countryCodeSchema,
    address: orgAddressSchema,
  })
  .superRefine((org, ctx) => {
    const rule = COUNTRY_RULES[org.country];
    if (!rule) return;
    const { postalCode, state } = org.address;
    if (rule.postalCode && !postalCode)
      ctx.addIssue({ code: 'custom', path: ['address', 'postalCode'], message: 'is required' });
    else if (rule.postalCode && postalCode && !rule.postalCode.test(postalCode))
      ctx.addIssue({
        code: 'custom',
        path: ['address', 'postalCode'],
        message: 'is not a valid postal code for this country',
      });
    if (rule.state && !state)
      ctx.addIssue({ code: 'custom', path: ['address', 'state'], message: 'is required' });
  });
export type NewOrganization = z.infer<typeof newOrganizationSchema>;
