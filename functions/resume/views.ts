import { applyChange, type LinkRecord } from '../shared/adapters/link-store';
import { watchOrder } from '../shared/adapters/order-changes';
import type { WaitingStep } from '../shared/adapters/step-store';
import { getConfig } from '../shared/config';
import { presignSummary } from '../shared/documents/document-store';
import { hashLinkId, parseLinkId } from '../shared/domain/links';
import type { OrderRecord } from '../shared/domain/order-record.schema';
import { serviceTypeSchema } from '../shared/domain/order.schema';
import { isServiceStep, serviceOfStep, type StepId } from '../shared/domain/steps.schema';
import { currentSteps } from './claims';
import { serviceName } from './display';
import { markup, type SafeHtml } from './html';
import type { WebResponse } from './http.types';
import type { PageContext } from './layout';
import { callingPage } from './pages/calling.page';
import { meetingsPage } from './pages/meetings.page';
import { orderForPage } from './pages/order-for.page';
import { orgPage } from './pages/org.page';
import { reviewPage } from './pages/review.page';
import { deferredFollowUp, processingPage } from './pages/status.page';
import { verifyHandOffReceipt } from './security';
import type { StepPage } from './step-context';
import {
  stepContext,
  progressFor,
  redirect,
  linkPath,
  pageContext,
  type RequestContext,
  respond,
} from './request-context';
import { overLimit, loadLink, type Loaded, gate } from './gate';

// Which step this link shows now, and the views that show it: a link's page, the wait for the
// next step after a submit (`/next`) and the summary PDF. GET only renders: mail scanners open
// every link.

export const PAGES: Record<StepId, StepPage> = {
  'order-for': orderForPage,
  'partner-org': orgPage,
  'customer-org': orgPage,
  'customer-review': reviewPage,
  'service-meetings': meetingsPage,
  'service-calling': callingPage,
};

/**
 * After a submit, how long the next-step page waits for the run to reach its next step, inside
 * one request (the resume function's timeout is 20 s, the HTTP API's 30 s). Then the "working on
 * it" page refreshes to the same wait after a second: a browser is nearly always inside a wait,
 * so a step that waited on a Webex job shows as soon as it is stored. Works without JavaScript.
 */
export const DEFAULT_NEXT_STEP_WAIT_SECONDS = 15;
const nextStepWaitMs = () => (getConfig().NEXT_STEP_WAIT_SECONDS ?? DEFAULT_NEXT_STEP_WAIT_SECONDS) * 1000;
/** The "working on it" page's refresh back to the wait. */
const PROCESSING_REFRESH_SECONDS = 1;
/** Without a wake (another process wrote: AWS), the first look again; each later one waits twice as long, up to the max. */
const NEXT_STEP_POLL_MS = 150;
const NEXT_STEP_MAX_POLL_MS = 2_000;

type View =
  { kind: 'step'; step: WaitingStep } | { kind: 'deferred'; steps: WaitingStep[] } | { kind: 'processing' };

export function chooseView(link: LinkRecord, order: OrderRecord, steps: WaitingStep[]): View {
  const pending = steps.filter((s) => s.status === 'pending');
  const first = pending.find((s) => !isServiceStep(s.stepId));
  if (first) return link.scope === 'services' ? { kind: 'processing' } : { kind: 'step', step: first };
  // Services wait side by side (a Map state); the wizard shows them one at a time, in the order's
  // line order, and "set up later" ones only when nothing else is left. A service whose waiting
  // step is not stored yet is one the run is still reaching: wait for it rather than skip it.
  const byService = new Map(
    steps.filter((s) => isServiceStep(s.stepId)).map((s) => [serviceOfStep(s.stepId), s]),
  );
  if (byService.size === 0) return { kind: 'processing' };
  const deferred: WaitingStep[] = [];
  for (const service of order.services) {
    if (order.provisioned[service.type]) continue;
    const step = byService.get(service.type);
    if (!step) return { kind: 'processing' };
    if (step.status !== 'pending') continue;
    if (!step.deferred) return { kind: 'step', step };
    deferred.push(step);
  }
  return deferred.length > 0 ? { kind: 'deferred', steps: deferred } : { kind: 'processing' };
}

function deferredPage(
  rc: RequestContext,
  linkId: string,
  link: LinkRecord,
  order: OrderRecord,
  steps: WaitingStep[],
) {
  const ctx = pageContext(rc, linkPath(rc, linkId), order, progressFor(order, link, 'progress.services'));
  const { t } = ctx;
  const body = markup`<h1>${t('deferred.title')}</h1>
    <p class="lead">${t('deferred.intro')}</p>
    <ul class="summary-list">
      ${steps.map((s) => {
        const type = serviceOfStep(s.stepId);
        const sc = stepContext(rc, linkId, link, order, s);
        return markup`<li class="row">
          <span class="grow"><strong>${type ? serviceName(t, type) : ''}</strong>
            <span class="muted"> · ${t('service.licenses')}: ${order.services.find((x) => x.type === type)?.quantity ?? ''}</span></span>
          <form method="post" action="${sc.action}">
            <input type="hidden" name="csrf" value="${sc.csrf}" /><button
              class="btn"
              type="submit"
              name="intent"
              value="start"
            >
              ${t('service.now')}<span class="vh"> – ${type ? serviceName(t, type) : ''}</span>
            </button>
          </form>
        </li>`;
      })}
    </ul>
    ${deferredFollowUp(
      ctx,
      order,
      link.recipient,
      steps.map((s) => serviceOfStep(s.stepId)),
    )}`;
  return respond(rc, ctx, { title: t('deferred.title'), body });
}

function noticeFor(rc: RequestContext, ctx: PageContext): SafeHtml {
  const later = serviceTypeSchema.safeParse(rc.request.query.later);
  return later.success
    ? markup`<div class="notice" role="status">
        ${ctx.t('service.laterNotice', { service: serviceName(ctx.t, later.data) })}
      </div>`
    : markup``;
}

/** Renders what this link shows now; undefined while the run is between steps. */
async function renderCurrent(
  rc: RequestContext,
  linkId: string,
  loaded: Loaded | undefined,
  allowProcessing: boolean,
  afterHandOff: false | 'asked' | 'proven' = false,
  /** Where the "working on it" page refreshes to: the wait (after a submit, keeping `after`). */
  refreshUrl = `${linkPath(rc, linkId)}/next`,
): Promise<WebResponse | undefined> {
  const g = await gate(rc, linkId, loaded, afterHandOff);
  if (g.kind === 'page') return respond(rc, g.ctx, g.page);
  const { link, order } = g;
  const view = chooseView(link, order, await currentSteps(order.orderId, g.steps));
  switch (view.kind) {
    case 'step': {
      const sc = stepContext(rc, linkId, link, order, view.step, g);
      const rendered = await PAGES[view.step.stepId].render(sc);
      return respond(rc, sc.page, { ...rendered, body: markup`${noticeFor(rc, sc.page)}${rendered.body}` });
    }
    case 'deferred':
      return deferredPage(rc, linkId, link, order, view.steps);
    case 'processing': {
      if (!allowProcessing) return undefined;
      const ctx = pageContext(rc, linkPath(rc, linkId), order);
      const page = processingPage(ctx, order, refreshUrl);
      return respond(rc, ctx, { ...page, refresh: { seconds: PROCESSING_REFRESH_SECONDS, url: refreshUrl } });
    }
  }
}

export async function showLink(rc: RequestContext, linkId: string): Promise<WebResponse> {
  return (await renderCurrent(rc, linkId, await loadLink(linkId), true)) as WebResponse;
}

/**
 * After a submit: wait for the run to reach its next step, then show it. One Query first (the
 * link with its order and steps); then each change written in this process is applied to that
 * read as it comes (order-changes.ts), with no read. Without a wake (AWS: another process
 * wrote), a look again with backoff, one Query each. A link revoked meanwhile is seen at once.
 */
export async function showNext(rc: RequestContext, linkId: string): Promise<WebResponse> {
  const deadline = Date.now() + nextStepWaitMs();
  const after = rc.request.query.after;
  const receipt = after === 'order-for' ? rc.request.query.handoff : undefined;
  const again = `${linkPath(rc, linkId)}/next${after ? `?after=${encodeURIComponent(after)}` : ''}${
    receipt ? `&handoff=${encodeURIComponent(receipt)}` : ''
  }`;
  // Checked once: the receipt is signed for this link's hash, which the id itself gives.
  const handOff =
    after !== 'order-for'
      ? false
      : verifyHandOffReceipt(rc.key, hashLinkId(linkId), receipt)
        ? 'proven'
        : 'asked';
  const named = parseLinkId(linkId);
  // Watch before the read, so a write landing meanwhile is not missed (old-format ids: after it).
  let watch = named?.format === 'order' ? watchOrder(named.orderId) : undefined;
  try {
    let loaded = await loadLink(linkId);
    if (!watch && loaded) watch = watchOrder(loaded.order.orderId);
    let interval = NEXT_STEP_POLL_MS;
    let counted = false;
    for (;;) {
      const last = Date.now() >= deadline;
      const response = await renderCurrent(rc, linkId, loaded, last, handOff, again);
      if (response || !loaded || !watch) return response ?? (await showLink(rc, linkId));
      // A wait holds the request (a Lambda on AWS): it counts against the link's limit, once.
      // A next step already there is one read, like opening the link, and does not.
      if (!counted) {
        counted = true;
        const limited = await overLimit(rc, linkId, loaded);
        if (limited) return limited;
      }
      const wait = Math.max(10, Math.min(interval, deadline - Date.now()));
      const change = await watch.next(wait);
      if (typeof change === 'object') {
        loaded = applyChange(loaded, change);
        continue;
      }
      if (change === 'timeout') interval = Math.min(interval * 2, NEXT_STEP_MAX_POLL_MS);
      loaded = await loadLink(linkId);
    }
  } finally {
    watch?.close();
  }
}

export async function summary(rc: RequestContext, linkId: string): Promise<WebResponse> {
  const g = await gate(rc, linkId, await loadLink(linkId));
  if (g.kind === 'ok' || g.order?.status !== 'completed' || !g.order.summaryKey || g.page.status === 410) {
    return g.kind === 'page' ? respond(rc, g.ctx, g.page) : showLink(rc, linkId);
  }
  // A short-lived presigned URL each time: the PDF itself is never public.
  const { url } = await presignSummary(g.order.summaryKey);
  return redirect(rc, url, 302);
}
