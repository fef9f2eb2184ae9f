import * as z from 'zod';
import { multiLineText, singleLineText } from './text.schema';

// The order contract. The same schemas validate the EventBridge event at intake, the state
// machine's task inputs and the tests' fixtures; the types are inferred from them.

export const LANGUAGES = ['en', 'ro'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

/** Services that can be purchased. Adding one = a new value here, a settings schema and a provisioning step. */
export const SERVICE_TYPES = ['meetings', 'calling'] as const;
export const serviceTypeSchema = z.enum(SERVICE_TYPES);
export type ServiceType = z.infer<typeof serviceTypeSchema>;

/** Execution names are 1–80 characters from a safe set; the order id is the execution name. */
export const orderIdSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must use letters, digits, "-" and "_" only');

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be a valid email address' }).max(254));

export const contactSchema = z.object({
  email: emailSchema,
  name: singleLineText().min(1).max(200),
  language: languageSchema,
});
export type Contact = z.infer<typeof contactSchema>;

export const purchasedServiceSchema = z.object({
  type: serviceTypeSchema,
  quantity: z.number().int().min(1).max(1_000_000),
});
export type PurchasedService = z.infer<typeof purchasedServiceSchema>;

export const orderPlacedDetailSchema = z.object({
  orderId: orderIdSchema,
  subscriptionId: singleLineText().min(1).max(100),
  placedAt: z.iso.datetime({ offset: true }),
  contact: contactSchema,
  partnerName: singleLineText().min(1).max(200).optional(),
  services: z
    .array(purchasedServiceSchema)
    .min(1)
    .max(SERVICE_TYPES.length)
    .refine((s) => new Set(s.map((x) => x.type)).size === s.length, 'each service may appear once'),
});
export type OrderPlacedDetail = z.infer<typeof orderPlacedDetailSchema>;

export const orderCancelledDetailSchema = z.object({
  orderId: orderIdSchema,
  cancelledAt: z.iso.datetime({ offset: true }),
  /** May span lines (ops type it in a text area too). */
  reason: multiLineText().max(500).optional(),
});
export type OrderCancelledDetail = z.infer<typeof orderCancelledDetailSchema>;

export const ORDER_SOURCE = 'orders.subscriptions';
export const DETAIL_TYPE_PLACED = 'Subscription Order Placed';
export const DETAIL_TYPE_CANCELLED = 'Subscription Order Cancelled';

const envelope = {
  version: z.string().optional(),
  id: z.string().min(1),
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  source: z.literal(ORDER_SOURCE),
};

export const orderPlacedEventSchema = z.object({
  ...envelope,
  'detail-type': z.literal(DETAIL_TYPE_PLACED),
  detail: orderPlacedDetailSchema,
});
export type OrderPlacedEvent = z.infer<typeof orderPlacedEventSchema>;

export const orderCancelledEventSchema = z.object({
  ...envelope,
  'detail-type': z.literal(DETAIL_TYPE_CANCELLED),
  detail: orderCancelledDetailSchema,
});
export type OrderCancelledEvent = z.infer<typeof orderCancelledEventSchema>;

export const orderEventSchema = z.discriminatedUnion('detail-type', [
  orderPlacedEventSchema,
  orderCancelledEventSchema,
]);
export type OrderEvent = z.infer<typeof orderEventSchema>;

/** Per-run settings, shaped into the execution input by the EventBridge rule (or `npm run order`). */
export const runSettingsSchema = z.object({
  /** How long each waiting step waits before a reminder. Seconds in tests, days in production. */
  stepTimeoutSeconds: z.number().int().min(1).max(31_536_000),
  /** Reminders per waiting step; after the last one the order expires. */
  maxReminders: z.number().int().min(0).max(10),
  /** How the run polls Webex jobs (org and Meetings site creation). Seconds in tests. */
  webexPoll: z
    .object({
      /** The first wait after a job is submitted; each later wait doubles, up to maxWaitSeconds. */
      firstWaitSeconds: z.number().int().min(1).max(3600),
      maxWaitSeconds: z.number().int().min(1).max(3600),
      /** Checks before the run fails with WebexJobTimedOutError. */
      maxPolls: z.number().int().min(1).max(100),
    })
    .optional(),
});
export type RunSettings = z.infer<typeof runSettingsSchema>;

/** Webex polling when the run's settings say nothing: first check after 10 s, then 20, 40, … 300 s. */
export const DEFAULT_WEBEX_POLL: NonNullable<RunSettings['webexPoll']> = {
  firstWaitSeconds: 10,
  maxWaitSeconds: 300,
  maxPolls: 12,
};

/** The execution input: what the rule (or `npm run order`) starts each run with. */
export const executionInputSchema = z.object({
  order: orderPlacedDetailSchema,
  settings: runSettingsSchema,
});
export type ExecutionInput = z.infer<typeof executionInputSchema>;

export const ORDER_STATUSES = [
  'received',
  'in-progress',
  'completed',
  'cancelled',
  'expired',
  'failed',
] as const;
export const orderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatusSchema>;
/** Nothing more happens to these orders. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled', 'expired'];
/** Not moving: final, or failed (a failed run can be redriven, which moves it again). */
export const CLOSED_STATUSES: readonly OrderStatus[] = [...FINAL_STATUSES, 'failed'];

/** Who the run waits on now. The contact hands the order on (delegate); a partner may let the customer admin finish. */
export const assigneeRoleSchema = z.enum(['contact', 'delegate', 'customer-admin']);
export type AssigneeRole = z.infer<typeof assigneeRoleSchema>;
export const assigneeSchema = z.object({ email: emailSchema, role: assigneeRoleSchema });
export type Assignee = z.infer<typeof assigneeSchema>;

export const orgRefSchema = z.object({
  orgId: z.string().min(1),
  name: z.string().min(1),
  created: z.boolean(),
  /** The org's id in Webex, once Webex has provisioned it (customer orgs and created partner orgs). */
  webexOrgId: z.string().min(1).optional(),
  /**
   * The org's country (ISO 3166-1 alpha-2) as the directory had it when the order was mapped to it:
   * the service pages' defaults (a time zone, a location's country) without reading the org.
   */
  country: z.string().length(2).optional(),
});
export type OrgRef = z.infer<typeof orgRefSchema>;

export const partnerRoleSchema = z.enum(['provisioning-admin', 'full-admin']);
export type PartnerRole = z.infer<typeof partnerRoleSchema>;

export const customerOrgRefSchema = orgRefSchema.extend({
  adminEmail: emailSchema,
  /** Set when a partner maps the customer: provisioning admin for an existing org, full admin for one it created. */
  partnerRole: partnerRoleSchema.optional(),
});
export type CustomerOrgRef = z.infer<typeof customerOrgRefSchema>;
