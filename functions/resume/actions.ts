import { deferredDetails } from '../shared/domain/audit-details';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { addAudit, findOrder, isFinal } from '../shared/adapters/order-repository';
import { claimStep, confirmClaim, setDeferred, type WaitingStep } from '../shared/adapters/step-store';
import { sfn } from '../shared/clients/sfn';
import type { OrderRecord } from '../shared/domain/order-record.schema';
import { isServiceStep, serviceOfStep, stepIdSchema, stepResultSchemas } from '../shared/domain/steps.schema';
import { OrderClosedError } from '../shared/errors';
import { isTransient } from '../shared/middleware';
import { logger, metrics } from '../shared/observability';
import { currentSteps, DEAD_TOKEN_ERRORS, settleClaim } from './claims';
import { field } from './forms';
import { markup } from './html';
import type { WebResponse } from './http.types';
import type { PageContext } from './layout';
import { closedOrderPage, messagePage, standsPage } from './pages/status.page';
import { handOffReceipt } from './security';
import {
  stepContext,
  redirect,
  linkPath,
  pageContext,
  type RequestContext,
  respond,
} from './request-context';
import { checkFormPost, gate } from './gate';
import { PAGES } from './views';
import { notFound } from './error-pages';

// Form posts on a step: "set up later", and a step's own stages, whose decision claims the step
// once (a conditional write) and resumes the run with SendTaskSuccess.

/**
 * The stages of a step's form that only show it again (a country's address fields, one more
 * site, the review before a confirm): one read and a render, like opening the link, so they do
 * not count against the link's limit. Every other intent, or none, counts: those that decide,
 * look up, reserve or ask Webex.
 */
const SHOW_ONLY_INTENTS = new Set([
  'start',
  'add-site',
  'review',
  'edit',
  'country',
  'create',
  'change-email',
]);
const showsOnly = (intent: string | undefined) =>
  intent !== undefined && (SHOW_ONLY_INTENTS.has(intent) || /^remove-\d{1,2}$/.test(intent));

export async function act(rc: RequestContext, linkId: string, rawStep: string): Promise<WebResponse> {
  const parsedStep = stepIdSchema.safeParse(rawStep);
  const csrfAction = parsedStep.success ? parsedStep.data : `invalid:${rawStep}`;
  const post = await checkFormPost(rc, linkId, csrfAction, (form) => !showsOnly(field(form, 'intent')));
  if (post.refused) return post.refused;
  const { loaded, form } = post;
  const g = await gate(rc, linkId, loaded);
  if (g.kind === 'page')
    return respond(rc, g.ctx, { ...g.page, status: g.page.status === 200 ? 409 : g.page.status });
  const { link, order } = g;
  const stepId = parsedStep.success ? parsedStep.data : undefined;
  if (!stepId) return notFound(rc);
  const ctxFor = () => pageContext(rc, linkPath(rc, linkId), order);
  if (link.scope === 'services' && !isServiceStep(stepId)) {
    const ctx = ctxFor();
    return respond(rc, ctx, messagePage(ctx, 'page.notAllowedTitle', 'page.notAllowedBody', 403));
  }
  const step = (await currentSteps(order.orderId, g.steps)).find(
    (s) => s.stepId === stepId && s.status === 'pending',
  );
  if (!step) return alreadyDone(rc, ctxFor(), order);

  const sc = stepContext(rc, linkId, link, order, step, g);
  const result = await PAGES[stepId].act(sc, form);
  if (result.kind === 'render') return respond(rc, sc.page, result);

  const output = stepResultSchemas[stepId].parse(result.output);
  // The claim, the decision's fields of the order (result.orderPatch) and its audit entry are one
  // write of the order's item (the step is part of it).
  const token = await claimStep(order.orderId, stepId, step.tokenHash, link.recipient, {
    orderPatch: result.orderPatch,
    audit: {
      entry: { actor: link.recipient, action: `${stepId} submitted`, details: result.details },
      dedupeKey: `submit#${stepId}#${step.tokenHash}`,
    },
  });
  if (!token) {
    const fresh = (await findOrder(order.orderId)) ?? order;
    // Closed meanwhile (a claim with the order's fields needs it open): nothing was sent.
    if (result.orderPatch && isFinal(fresh)) {
      const ctx = ctxFor();
      return respond(rc, ctx, closedOrderPage(ctx, fresh));
    }
    return alreadyDone(rc, ctxFor(), fresh);
  }
  try {
    await sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
  } catch (error) {
    return submitFailed(rc, ctxFor(), linkId, order, step, token, error);
  }
  // The run has the answer. If this write fails the claim's lease runs out, and the next reader
  // finds the run no longer waits on the token and keeps the step submitted (claims.ts).
  await confirmClaim(order.orderId, stepId, step.tokenHash).catch((error: unknown) =>
    logger.warn('Could not confirm a claimed step; its lease will settle it', {
      orderId: order.orderId,
      step: stepId,
      error,
    }),
  );
  recordWaitingTime(step);
  logger.info('Step submitted', { orderId: order.orderId, step: stepId, tokenHash: step.tokenHash });
  // Handing the order on revokes this link: the redirect carries the receipt that still lets
  // this browser see where the order went (security.ts).
  const handedOn = stepId === 'order-for' && (output as { choice?: string }).choice === 'someone-else';
  const receipt = handedOn ? `&handoff=${handOffReceipt(rc.key, link.linkHash)}` : '';
  return redirect(rc, `${linkPath(rc, linkId)}/next?after=${stepId}${receipt}`);
}

function recordWaitingTime(step: WaitingStep): void {
  const waited = Date.now() - Date.parse(step.since);
  if (!Number.isFinite(waited) || waited < 0) return;
  const metric = metrics.singleMetric();
  metric.addDimension('step', step.stepId);
  metric.addMetric('TimeWaitingForPeople', MetricUnit.Milliseconds, waited);
}

async function submitFailed(
  rc: RequestContext,
  ctx: PageContext,
  linkId: string,
  order: OrderRecord,
  step: WaitingStep,
  token: string,
  error: unknown,
): Promise<WebResponse> {
  const name = error instanceof Error ? error.name : 'Error';
  if (DEAD_TOKEN_ERRORS.has(name)) {
    logger.warn('Submit arrived after the step ended', {
      orderId: order.orderId,
      step: step.stepId,
      error: name,
    });
    return respond(rc, ctx, messagePage(ctx, 'page.stepExpiredTitle', 'page.stepExpiredBody', 410));
  }
  // The answer may not have reached the run: open the step again if the run still waits on it,
  // so the person can send it again. If that fails too (an outage), the claim's lease runs out
  // and the next visit settles it: the step never stays claimed with nobody able to act.
  const settled = await settleClaim(step, token).catch((e: unknown) => {
    logger.error('Could not settle a claimed step; its lease will', {
      orderId: order.orderId,
      step: step.stepId,
      error: e,
    });
    return 'unknown' as const;
  });
  if (settled === 'resumed' && !(error instanceof OrderClosedError)) {
    // The run took the answer after all (the error came after it got there).
    logger.info('Submit reached the run despite an error', { orderId: order.orderId, step: step.stepId });
    return redirect(rc, `${linkPath(rc, linkId)}/next?after=${step.stepId}`);
  }
  if (error instanceof OrderClosedError) {
    const fresh = (await findOrder(order.orderId)) ?? order;
    return respond(rc, ctx, closedOrderPage(ctx, fresh));
  }
  logger.error('Submit failed', {
    orderId: order.orderId,
    step: step.stepId,
    transient: isTransient(error),
    error,
  });
  return respond(
    rc,
    ctx,
    messagePage(ctx, 'page.errorTitle', 'page.errorBody', isTransient(error) ? 503 : 500),
  );
}

function alreadyDone(rc: RequestContext, ctx: PageContext, order: OrderRecord): WebResponse {
  const { t } = ctx;
  const page = standsPage(ctx, order, 'page.alreadyDoneTitle', 'page.alreadyDoneBody', 409);
  return respond(rc, ctx, {
    ...page,
    body: markup`${page.body}
      <div class="actions"><a class="btn" href="${ctx.selfPath}">${t('page.goToSetup')}</a></div>`,
  });
}

export async function later(rc: RequestContext, linkId: string, rawStep: string): Promise<WebResponse> {
  const post = await checkFormPost(rc, linkId, `later:${rawStep}`);
  if (post.refused) return post.refused;
  const { loaded } = post;
  const parsedStep = stepIdSchema.safeParse(rawStep);
  const g = await gate(rc, linkId, loaded);
  if (g.kind === 'page')
    return respond(rc, g.ctx, { ...g.page, status: g.page.status === 200 ? 409 : g.page.status });
  if (!parsedStep.success || !isServiceStep(parsedStep.data)) return notFound(rc);
  const stepId = parsedStep.data;
  const { link, order } = g;
  // "Set up later" keeps the run waiting (reminders continue); only the wizard moves on.
  if (!(await setDeferred(order.orderId, stepId, true)))
    return alreadyDone(rc, pageContext(rc, linkPath(rc, linkId), order), order);
  const type = serviceOfStep(stepId);
  await addAudit(order.orderId, {
    actor: link.recipient,
    action: `${stepId} deferred`,
    details: type ? deferredDetails(type) : {},
  });
  return redirect(rc, `${linkPath(rc, linkId)}?later=${type ?? ''}`);
}
