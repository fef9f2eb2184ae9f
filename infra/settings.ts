import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as z from 'zod';
import { runSettingsSchema } from '../functions/shared/domain/order.schema';

// Deploy-time settings, read once from CDK context (`-c key=value` or cdk.json "context").
// Every value has a default that suits production; tests and demos override with short ones.
// Email addresses are CloudFormation parameters of the workflow stack (see workflow.stack.ts):
// the context keys `senderEmail` and `opsEmail` only pre-fill their defaults.
const DAY = 24 * 60 * 60;

const contextNumber = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const settingsSchema = z.object({
  // These two reach every run through the intake, whose schema (runSettingsSchema) caps them:
  // checked against the same bounds here, a value the intake would refuse fails `cdk synth`
  // instead of every order after the deploy.
  /** How long a waiting step waits for a person before a reminder (TimeoutSecondsPath of each callback task); at most a year. */
  stepTimeoutSeconds: z.coerce
    .number()
    .pipe(runSettingsSchema.shape.stepTimeoutSeconds)
    .default(3 * DAY),
  /** Reminders sent for a waiting step before the order expires; at most 10. */
  maxReminders: z.coerce.number().pipe(runSettingsSchema.shape.maxReminders).default(3),
  /** Lifetime of a setup link. It must outlive the reminders: each reminder issues a fresh one. */
  linkTtlSeconds: contextNumber(14 * DAY),
  /** Lifetime of the presigned URL of the order summary PDF. */
  summaryUrlTtlSeconds: contextNumber(15 * 60),
  /** Retention of every log group the app creates (Lambda, state machine, API access logs). */
  logRetentionDays: contextNumber(RetentionDays.ONE_MONTH).refine(
    (days): days is RetentionDays => Object.values(RetentionDays).includes(days),
    'one of the retention periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)',
  ),
  /** Default of the SenderEmail parameter. */
  senderEmail: z.string().email().optional(),
  /** Default of the OpsEmail parameter. */
  opsEmail: z.string().email().optional(),
  /** Prefix of the two stack names, so several copies can live in one account. */
  stackPrefix: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/)
    .default('SubscriptionProvisioning'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** The settings from the app's context; throws naming every bad key. */
export function readSettings(node: Node): Settings {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const bad = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid CDK context: ${bad}`);
  }
  return parsed.data;
}
