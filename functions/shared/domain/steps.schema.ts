import * as z from 'zod';
import { emailSchema, serviceTypeSchema, type ServiceType } from './order.schema';
import { callingSettingsSchema } from './calling.schema';
import { meetingsSettingsSchema } from './meetings.schema';
import { domainNameSchema, newOrganizationSchema } from './org.schema';

// The waiting (callback) steps and what each resumes the run with. The resume handler sends
// these objects with SendTaskSuccess; the state machine's Choice states read them. Keep the
// field names in step with statemachines/provisioning.asl.json.

export const STEP_IDS = [
  'order-for',
  'partner-org',
  'customer-org',
  'customer-review',
  'service-meetings',
  'service-calling',
] as const;
export const stepIdSchema = z.enum(STEP_IDS);
export type StepId = z.infer<typeof stepIdSchema>;

export function serviceStep(type: ServiceType): StepId {
  return `service-${type}` as StepId;
}
export function serviceOfStep(step: StepId): ServiceType | undefined {
  const parsed = serviceTypeSchema.safeParse(step.replace(/^service-/, ''));
  return step.startsWith('service-') && parsed.success ? parsed.data : undefined;
}

/** The state machine's state for each waiting step: what ops read in the console. */
export const STEP_STATE_NAMES: Record<StepId, string> = {
  'order-for': 'Who is this order for',
  'partner-org': 'Partner organization',
  'customer-org': 'Customer organization',
  'customer-review': 'Review organizations',
  'service-meetings': 'Wait for service setup',
  'service-calling': 'Wait for service setup',
};

/** Steps the customer admin's (self-setup) link may reach. */
export function isServiceStep(step: StepId): boolean {
  return step.startsWith('service-');
}

export const orderForResultSchema = z.discriminatedUnion('choice', [
  z.object({ choice: z.literal('customer') }),
  z.object({ choice: z.literal('my-company') }),
  z.object({ choice: z.literal('someone-else'), email: emailSchema, submissionId: z.string().min(1) }),
]);
export type OrderForResult = z.infer<typeof orderForResultSchema>;

/** Partner or customer organization: map an existing one or create a new one. */
export const orgChoiceResultSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('map'),
    orgId: z.string().min(1),
    /** Which outcome the contact saw: associated by user email, picked from domain matches, or from a global search. */
    outcome: z.enum(['associated', 'matched', 'searched']),
    searchedDomain: domainNameSchema.optional(),
  }),
  z.object({ action: z.literal('create'), organization: newOrganizationSchema }),
]);
export type OrgChoiceResult = z.infer<typeof orgChoiceResultSchema>;

export const partnerOrgResultSchema = orgChoiceResultSchema;
/** The customer step also carries the email matched against: the customer admin's (partner order) or the contact's own. */
export const customerOrgResultSchema = z.intersection(
  orgChoiceResultSchema,
  z.object({ adminEmail: emailSchema }),
);
export type CustomerOrgResult = z.infer<typeof customerOrgResultSchema>;

export const customerReviewResultSchema = z.object({
  selfSetup: z.boolean(),
});
export type CustomerReviewResult = z.infer<typeof customerReviewResultSchema>;

export const serviceSetupResultSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('meetings'), settings: meetingsSettingsSchema }),
  z.object({ type: z.literal('calling'), settings: callingSettingsSchema }),
]);
export type ServiceSetupResult = z.infer<typeof serviceSetupResultSchema>;

export const stepResultSchemas = {
  'order-for': orderForResultSchema,
  'partner-org': partnerOrgResultSchema,
  'customer-org': customerOrgResultSchema,
  'customer-review': customerReviewResultSchema,
  'service-meetings': serviceSetupResultSchema,
  'service-calling': serviceSetupResultSchema,
} as const satisfies Record<StepId, z.ZodType>;

/** State of one waiting step, as stored with the order (the task token itself is never shown). */
export const stepStatusSchema = z.enum(['pending', 'submitted']);
export type StepStatus = z.infer<typeof stepStatusSchema>;
