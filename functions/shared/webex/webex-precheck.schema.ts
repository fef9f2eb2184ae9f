import * as z from 'zod';
import { callingLocationSchema } from '../domain/calling.schema';
import { orderIdSchema } from '../domain/order.schema';

// What the setup pages ask the WebexPrecheck function before Close, and what it answers. The
// pages (the public Resume function) hold no Webex credential: this function does the Webex call.

export const webexPrecheckRequestSchema = z.discriminatedUnion('service', [
  z.object({
    service: z.literal('meetings'),
    orderId: orderIdSchema,
    sites: z.array(z.object({ siteName: z.string().min(1), timeZone: z.string().min(1) })).min(1),
  }),
  z.object({ service: z.literal('calling'), orderId: orderIdSchema, location: callingLocationSchema }),
]);
export type WebexPrecheckRequest = z.infer<typeof webexPrecheckRequestSchema>;

export const webexPrecheckResultSchema = z.object({
  issues: z.array(z.object({ field: z.string().optional(), message: z.string() })),
});
export type WebexPrecheckResult = z.infer<typeof webexPrecheckResultSchema>;
