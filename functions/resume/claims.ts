import { SendTaskHeartbeatCommand } from '@aws-sdk/client-sfn';
import {
  confirmClaim,
  isStaleClaim,
  listSteps,
  releaseStep,
  takeStaleClaim,
  type WaitingStep,
} from '../shared/adapters/step-store';
import { sfn } from '../shared/clients/sfn';
import { logger } from '../shared/observability';

// A claimed step whose answer never reached the run opens again by itself. A submit claims the
// step with a lease (claimedUntil), then resumes the run, then confirms the claim. When anything
// fails in between (a DynamoDB outage right after the claim, a lost answer from SendTaskSuccess)
// the claim may be left behind; whoever next reads the order's steps after the lease settles it
// by asking the run whether it still waits on the token (SendTaskHeartbeat): it does → the step
// is pending again (the form shows); it does not → the answer got there (or the step ended).

/** SendTaskSuccess / SendTaskHeartbeat errors that mean the run no longer waits on the token. */
export const DEAD_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export type Settled = 'reopened' | 'resumed' | 'unknown';

/**
 * Settles a claim this caller holds (`token` from the claim): reopens the step if the run still
 * waits on the token, confirms it if not. 'unknown' when the run could not be asked (the lease
 * settles it later). DynamoDB errors propagate.
 */
export async function settleClaim(step: WaitingStep, token: string): Promise<Settled> {
  const where = { orderId: step.orderId, step: step.stepId, tokenHash: step.tokenHash };
  try {
    await sfn().send(new SendTaskHeartbeatCommand({ taskToken: token }));
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    if (DEAD_TOKEN_ERRORS.has(name)) {
      await confirmClaim(step.orderId, step.stepId, step.tokenHash);
      logger.info('Claimed step: the run no longer waits on it; kept as submitted', {
        ...where,
        error: name,
      });
      return 'resumed';
    }
    logger.warn('Claimed step: could not ask the run whether it still waits; the lease settles it later', {
      ...where,
      error,
    });
    return 'unknown';
  }
  await releaseStep(step.orderId, step.stepId, step.tokenHash);
  logger.warn('Claimed step opened again: its answer never reached the run', where);
  return 'reopened';
}

/**
 * Every step of the order as a person should see it: claims whose lease ran out are settled
 * first (one caller settles each; the others see the result on their next read). `read`: the
 * steps as just read with the order (no second read unless a claim had to be settled).
 */
export async function currentSteps(orderId: string, read?: WaitingStep[]): Promise<WaitingStep[]> {
  const steps = read ?? (await listSteps(orderId));
  const now = new Date();
  const stale = steps.filter((s) => isStaleClaim(s, now));
  if (stale.length === 0) return steps;
  await Promise.all(
    stale.map(async (step) => {
      const token = await takeStaleClaim(step.orderId, step.stepId, step.tokenHash);
      if (token) await settleClaim(step, token);
    }),
  );
  return listSteps(orderId);
}
