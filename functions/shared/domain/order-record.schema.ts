import * as z from 'zod';
import { callingSettingsSchema } from './calling.schema';
import { meetingsSettingsSchema } from './meetings.schema';
import {
  assigneeSchema,
  contactSchema,
  customerOrgRefSchema,
  orderIdSchema,
  orderStatusSchema,
  orgRefSchema,
  purchasedServiceSchema,
} from './order.schema';

/** The order as stored in DynamoDB: the event's facts plus where the run stands. */
export const orderRecordSchema = z.object({
  orderId: orderIdSchema,
  subscriptionId: z.string(),
  placedAt: z.string(),
  // Read as stored: orders taken before control characters were refused may have them in the name.
  contact: contactSchema.extend({ name: z.string().trim().min(1).max(200) }),
  partnerName: z.string().optional(),
  services: z.array(purchasedServiceSchema),
  status: orderStatusSchema,
  /** The person the run waits on now; their link is the only one that acts. */
  assignee: assigneeSchema,
  orderFor: z.enum(['customer', 'my-company']).optional(),
  partnerOrg: orgRefSchema.optional(),
  customerOrg: customerOrgRefSchema.optional(),
  selfSetup: z.boolean().optional(),
  provisioned: z
    .object({
      meetings: meetingsSettingsSchema
        .extend({
          provisionedAt: z.string(),
          /** What Webex made: each site's URL and id. */
          webex: z
            .object({
              sites: z.array(z.object({ siteName: z.string(), siteUrl: z.string(), siteId: z.string() })),
            })
            .optional(),
        })
        .optional(),
      calling: callingSettingsSchema
        .extend({
          provisionedAt: z.string(),
          /** What Webex made: the location, enabled for Calling, in the customer org. */
          webex: z.object({ locationId: z.string(), orgId: z.string() }).optional(),
        })
        .optional(),
    })
    .default({}),
  /** The state the run is in now (kept by each step), for ops and for failure records. */
  currentStep: z.string().optional(),
  failure: z.object({ step: z.string(), error: z.string(), cause: z.string(), at: z.string() }).optional(),
  /** Webex provisioned the customer with errors (`provisioned_with_errors`): the packages that failed. */
  webexPartial: z
    .object({
      job: z.string(),
      packages: z.array(z.object({ name: z.string(), status: z.string(), problems: z.array(z.string()) })),
      at: z.string(),
    })
    .optional(),
  summaryKey: z.string().optional(),
  cancelReason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().optional(),
});
export type OrderRecord = z.infer<typeof orderRecordSchema>;
