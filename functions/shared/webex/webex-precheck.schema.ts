import * as z from 'zod';
import { callingLocationSchema } from '../domain/calling.schema';
import { orderIdSchema } from '../domain/order.schema';

// What the setup pages ask the WebexPrecheck function before Close, and what it answers. The
// pages (the public Resume function) hold no Webex credential: this function does the Webex call.

/**
 * The order's customer organization as the page read it (null: the order has none yet), so the
 * function needs no read of the order. Without it, the function reads the order itself.
 */
const customerOrgSchema = z
  .object({ orgId: z.string().min(1), webexOrgId: z.string().min(1).optional() })
  .nullable()
  .optional();

export const webexPrecheckRequestSchema = z.discriminatedUnion('service', [
  z.object({
    service: z.literal('meetings'),
    orderId: orderIdSchema,
    customerOrg: customerOrgSchema,
    sites: z.array(z.object({ siteName: z.string().min(1), timeZone: z.string().min(1) })).min(1),
  }),
  z.object({
    service: z.literal('calling'),
    orderId: orderIdSchema,
    customerOrg: customerOrgSchema,
    location: callingLocationSchema,
  }),
]);
export type WebexPrecheckRequest = z.infer<typeof webexPrecheckRequestSchema>;

export const webexPrecheckResultSchema = z.object({
  issues: z.array(z.object({ field: z.string().optional(), message: z.string() })),
});
export type WebexPrecheckResult = z.infer<typeof webexPrecheckResultSchema>;
