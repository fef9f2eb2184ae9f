import * as z from 'zod';

/** One decision or event in an order's life: who did what, when. */
export const auditEntrySchema = z.object({
  at: z.iso.datetime({ offset: true }),
  /** An email address for a person, or `system` / `ops:<name>` / `order-system`. */
  actor: z.string().min(1),
  action: z.string().min(1),
  /** Human-readable facts of the decision (no tokens, no link ids). */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
