import { RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { cancelOrder } from '../../../functions/cancel-order/cancel-order';
import { addAudit, updateOrder } from '../../../functions/shared/adapters/order-repository';
import { sfn } from '../../../functions/shared/clients/sfn';
import { getConfig } from '../../../functions/shared/config';
import { runSettingsSchema } from '../../../functions/shared/domain/order.schema';
import { STEP_STATE_NAMES, type StepId } from '../../../functions/shared/domain/steps.schema';
import { stepLabels } from '../../../functions/shared/i18n/steps';
import { translator } from '../../../functions/shared/i18n/translate';
import { languageOf, sendLinkEmail } from '../../../functions/shared/notify';
import { executionArnFor, loadRun } from './ops-queries';

// What ops may do to a run. Each action checks the run is in a state where it makes sense,
// does it through the same adapters the workflow uses, and records who did it in the audit trail.

/** A refused action: the message is shown to ops as it is. */
export class OpsActionError extends Error {
  override name = 'OpsActionError';
}

/** `ops` or `ops:<name>`, as the audit trail names people acting for the business. */
export const actorNameSchema = z
  .string()
  .trim()
  .max(60)
  .regex(/^[\p{L}\p{N} .@_'-]*$/u, "letters, digits, spaces and . @ _ ' - only");

export function opsActor(name: string | undefined): string {
  const clean = (name ?? '').trim();
  return clean ? `ops:${clean}` : 'ops';
}

function remindersLeft(executionInput: string | undefined, reminders: number): number {
  let max = getConfig().MAX_REMINDERS ?? 0;
  try {
    const settings = runSettingsSchema.safeParse(
      (JSON.parse(executionInput ?? '{}') as { settings?: unknown }).settings,
    );
    if (settings.success) max = settings.data.maxReminders;
  } catch {
    // No readable input: the configured default stands.
  }
  return Math.max(0, max - reminders);
}

/** Emails the person the order waits for a fresh link to the step they are on. */
export async function resendLink(orderId: string, actor: string): Promise<{ to: string; step: string }> {
  const run = await loadRun(orderId);
  if (!run?.order) throw new OpsActionError(`Order ${orderId} does not exist.`);
  const { order } = run;
  const step = run.pending.find((p) => !p.deferred) ?? run.pending[0];
  if (!step || !run.summary.waitingFor) {
    throw new OpsActionError(
      `Order ${orderId} is not waiting for anyone (it is ${order.status}); no link to resend.`,
    );
  }
  const t = translator(stepLabels, languageOf(order));
  const at = new Date().toISOString();
  // A purpose of its own, so a resend is sent even when a reminder for this step went out already.
  await sendLinkEmail(order, `ops-resend#${step.stepId}#${at}`, order.assignee, {
    kind: 'reminder',
    stepLabel: t(step.stepId),
    remaining: remindersLeft(run.execution?.input, step.reminders),
  });
  const stepName = STEP_STATE_NAMES[step.stepId as StepId] ?? step.stepId;
  await addAudit(orderId, {
    actor,
    action: 'Setup link resent',
    details: { to: order.assignee.email, role: order.assignee.role, step: stepName },
  });
  return { to: order.assignee.email, step: stepName };
}

export async function cancelRun(orderId: string, reason: string, actor: string): Promise<void> {
  const result = await cancelOrder({ orderId, reason, actor });
  if (result.status === 'not-found') throw new OpsActionError(`Order ${orderId} does not exist.`);
  if (result.status === 'already-final') {
    throw new OpsActionError(`Order ${orderId} is already ${result.orderStatus}; nothing to cancel.`);
  }
}

/**
 * Redrives a failed run from its failed step (Step Functions keeps every step that succeeded).
 * The order is moved back to in-progress first, so the redriven steps may write it and the
 * view shows it moving; if Step Functions refuses, it goes back to failed.
 */
export async function redriveRun(orderId: string, actor: string): Promise<{ step?: string }> {
  const run = await loadRun(orderId);
  if (!run) throw new OpsActionError(`Order ${orderId} does not exist.`);
  if (run.redriveBlocked) throw new OpsActionError(run.redriveBlocked);
  // The failed state, from the history (the order's failure record, written by RecordFailure when
  // the run ended, names the same state; it stands in when the history has none).
  const failed = run.trace?.failedStep;
  const step = failed?.name ?? run.order?.failure?.step;
  const error = failed?.error ?? run.order?.failure?.error;
  if (run.order) {
    await updateOrder(orderId, { status: 'in-progress', currentStep: step ?? run.order.currentStep });
  }
  try {
    await sfn().send(new RedriveExecutionCommand({ executionArn: executionArnFor(orderId) }));
  } catch (e) {
    if (run.order) await updateOrder(orderId, { status: 'failed' });
    if (e instanceof Error && /NotRedrivable|ExecutionDoesNotExist/.test(e.name)) {
      throw new OpsActionError(`Step Functions refused the redrive: ${e.message}`);
    }
    throw e;
  }
  if (run.order) {
    await addAudit(orderId, {
      actor,
      action: 'Run redriven',
      details: {
        ...(step ? { step } : {}),
        ...(error ? { error } : {}),
        redrive: (run.execution?.redriveCount ?? 0) + 1,
      },
    });
  }
  return { step };
}
