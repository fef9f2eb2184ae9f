import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { etag } from 'hono/etag';
import { secureHeaders } from 'hono/secure-headers';
import { deferredDetails } from '../shared/domain/audit-details';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  applyChange,
  countLinkRequest,
  findLinkWithOrder,
  issueLink,
  linkState,
  type LinkRecord,
  type LinkWithOrder,
} from '../shared/adapters/link-store';
import { addAudit, findOrder, updateOrder } from '../shared/adapters/order-repository';
import { watchOrder } from '../shared/adapters/order-changes';
import {
  claimStep,
  confirmClaim,
  listPendingSteps,
  setDeferred,
  type WaitingStep,
} from '../shared/adapters/step-store';
import { sendOnce } from '../shared/adapters/email-log';
import { sfn } from '../shared/clients/sfn';
import { getConfig } from '../shared/config';
import { presignSummary } from '../shared/documents/document-store';
import { sendEmail } from '../shared/documents/mailer';
import { hmac, parseLinkId, setupUrl } from '../shared/domain/links';
import type { OrderRecord } from '../shared/domain/order-record.schema';
import { languageSchema, serviceTypeSchema, type Language } from '../shared/domain/order.schema';
import {
  isServiceStep,
  serviceOfStep,
  stepIdSchema,
  stepResultSchemas,
  type StepId,
} from '../shared/domain/steps.schema';
import { OrderClosedError } from '../shared/errors';
import { wizardTranslator, type WizardKey } from '../shared/i18n/wizard.catalog';
import { isTransient } from '../shared/middleware';
import { logger, metrics } from '../shared/observability';
import { currentSteps, DEAD_TOKEN_ERRORS, settleClaim } from './claims';
import { serviceName } from './display';
import { parseForm, field } from './forms';
import { markup, type SafeHtml } from './html';
import type { WebHandler, WebRequest, WebResponse } from './http.types';
import { CSP_DIRECTIVES, FAVICON_SVG, renderPage, type PageContext, type ProgressStep } from './layout';
import { callingPage } from './pages/calling.page';
import { meetingsPage } from './pages/meetings.page';
import { orderForPage } from './pages/order-for.page';
import { orgPage } from './pages/org.page';
import { reviewPage } from './pages/review.page';
import {
  closedOrderPage,
  donePage,
  messagePage,
  newLinkForm,
  processingPage,
  standsPage,
  type StatusPage,
} from './pages/status.page';
import {
  csrfToken,
  foreignPost,
  isSecureBase,
  readSession,
  sessionCookie,
  sessionCookieName,
  signingKey,
  verifyCsrf,
  type Session,
} from './security';
import { STEP_PROGRESS_KEY, type StepContext, type StepPage } from './step-context';

// The setup pages: one web app behind the HTTP API on AWS and the embedded runtime's local
// server. GET only renders (mail scanners open every link); POST acts, with a CSRF token, and a
// conditional write lets each waiting step be submitted once before SendTaskSuccess resumes the run.

const PAGES: Record<StepId, StepPage> = {
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
const MAX_BODY_BYTES = 64 * 1024;

interface RequestContext {
  request: WebRequest;
  key: string;
  session: Session;
  /** The language asked for in the query (?lang=), which is then kept in the session cookie. */
  askedLang?: Language;
  base: string;
  cookies: string[];
  /** The link id in the route (`/setup/:linkId/…`), when the route has one. */
  linkId?: string;
}

function basePath(): string {
  return new URL(getConfig().PUBLIC_BASE_URL).pathname.replace(/\/+$/, '');
}

function pickLanguage(rc: RequestContext, order?: OrderRecord): Language {
  if (rc.askedLang) return rc.askedLang;
  if (rc.session.lang) return rc.session.lang;
  if (order) return order.contact.language;
  return /^ro\b/i.test(rc.request.headers['accept-language'] ?? '') ? 'ro' : 'en';
}

function pageContext(
  rc: RequestContext,
  selfPath: string,
  order?: OrderRecord,
  progress?: ProgressStep[],
): PageContext {
  const lang = pickLanguage(rc, order);
  return { lang, t: wizardTranslator(lang), selfPath, orderId: order?.orderId, progress };
}

function respond(rc: RequestContext, ctx: PageContext, page: StatusPage): WebResponse {
  const response = renderPage(ctx, page);
  return { ...response, cookies: [...rc.cookies] };
}

function redirect(rc: RequestContext, location: string, status = 303): WebResponse {
  // The CSP and the other security headers: secureHeaders, below.
  return { status, headers: { location, 'cache-control': 'no-store' }, cookies: [...rc.cookies], body: '' };
}

const linkPath = (rc: RequestContext, linkId: string) => `${rc.base}/setup/${linkId}`;

/**
 * Where a page that is not a link's own view (not found, not valid, an error) points its language
 * links: built from the route, never from the request path (`//evil.example` would otherwise
 * become a link to another site). The link's address when the route has one, else the base.
 */
const routeSelf = (rc: RequestContext) =>
  rc.linkId === undefined ? `${rc.base}/` : linkPath(rc, encodeURIComponent(rc.linkId));

// ---------------------------------------------------------------------------------------------
// Link and order gate: what a link may see before any step is shown.

/** A link with its order and the order's steps: one Query (link-store.ts `findLinkWithOrder`). */
type Loaded = LinkWithOrder;

type Gate =
  | { kind: 'ok'; link: LinkRecord; order: OrderRecord; steps: WaitingStep[] }
  | { kind: 'page'; ctx: PageContext; page: StatusPage; link?: LinkRecord; order?: OrderRecord };

const loadLink = (linkId: string): Promise<Loaded | undefined> => findLinkWithOrder(linkId);

function invalidLinkPage(rc: RequestContext): Extract<Gate, { kind: 'page' }> {
  const ctx = pageContext(rc, routeSelf(rc));
  return { kind: 'page', ctx, page: messagePage(ctx, 'page.invalidTitle', 'page.invalidBody', 404) };
}

function isAssignee(link: LinkRecord, order: OrderRecord): boolean {
  return link.recipient === order.assignee.email;
}

async function gate(
  rc: RequestContext,
  linkId: string,
  found: Loaded | undefined,
  /** Right after this link's holder handed the order on: confirm it rather than call the link revoked. */
  afterHandOff = false,
): Promise<Gate> {
  if (!found) return invalidLinkPage(rc);
  const { link, order, steps } = found;
  const self = linkPath(rc, linkId);
  const ctx = pageContext(rc, self, order);
  const state = linkState(link);
  const offer = () => newLinkForm(ctx, `${self}/new-link`, csrfToken(rc.key, link.linkHash, 'new-link'));
  if (order.status === 'cancelled' || order.status === 'expired' || order.status === 'failed') {
    return { kind: 'page', ctx, page: closedOrderPage(ctx, order), link, order };
  }
  if (state === 'expired') {
    return {
      kind: 'page',
      ctx,
      page: messagePage(ctx, 'page.expiredTitle', 'page.expiredBody', 410, offer()),
      link,
      order,
    };
  }
  if (order.status === 'completed' && (state === 'active' || isAssignee(link, order))) {
    const withProgress = pageContext(rc, self, order, progressFor(order, link, 'progress.done'));
    return {
      kind: 'page',
      ctx: withProgress,
      page: donePage(withProgress, order, `${self}/summary`),
      link,
      order,
    };
  }
  // The hand-off step writes the new assignee, then revokes the old links: right after the post,
  // while the link still works, this person handed the order on (not "someone else has it").
  // Once revoked, the link shows only that it no longer works: not where the order stands, not
  // who has it now, whatever the address asks (`?after=order-for`).
  if (afterHandOff && state === 'active' && !isAssignee(link, order) && order.assignee.role === 'delegate') {
    const page = standsPage(ctx, order, 'page.handedOffTitle', 'page.handedOffBody', 200, {
      email: order.assignee.email,
    });
    return { kind: 'page', ctx, page, link, order };
  }
  if (state === 'revoked') {
    const body = isAssignee(link, order) ? 'page.revokedReplacedBody' : 'page.revokedHandedBody';
    return {
      kind: 'page',
      ctx,
      page: messagePage(ctx, 'page.revokedTitle', body, 410, offer()),
      link,
      order,
    };
  }
  if (!isAssignee(link, order)) {
    const selfSetup = order.assignee.role === 'customer-admin';
    return {
      kind: 'page',
      ctx,
      page: standsPage(
        ctx,
        order,
        selfSetup ? 'page.selfSetupTitle' : 'page.handedTitle',
        selfSetup ? 'page.selfSetupBody' : 'page.handedBody',
        200,
      ),
      link,
      order,
    };
  }
  return { kind: 'ok', link, order, steps };
}

// ---------------------------------------------------------------------------------------------
// Which step this link shows now.

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

function progressFor(order: OrderRecord, link: LinkRecord, current: WizardKey): ProgressStep[] {
  const keys: WizardKey[] =
    link.scope === 'services'
      ? ['progress.services', 'progress.done']
      : order.orderFor === 'my-company'
        ? ['progress.orderFor', 'progress.customer', 'progress.review', 'progress.services', 'progress.done']
        : [
            'progress.orderFor',
            'progress.partner',
            'progress.customer',
            'progress.review',
            'progress.services',
            'progress.done',
          ];
  const at = keys.indexOf(current);
  return keys.map((key, i) => ({ key, state: i < at ? 'done' : i === at ? 'current' : 'todo' }));
}

function stepContext(
  rc: RequestContext,
  linkId: string,
  link: LinkRecord,
  order: OrderRecord,
  step: WaitingStep,
): StepContext {
  const self = linkPath(rc, linkId);
  return {
    page: pageContext(rc, self, order, progressFor(order, link, STEP_PROGRESS_KEY[step.stepId])),
    linkId,
    link,
    order,
    step,
    action: `${self}/steps/${step.stepId}`,
    csrf: csrfToken(rc.key, link.linkHash, step.stepId),
    laterAction: `${self}/later/${step.stepId}`,
    laterCsrf: csrfToken(rc.key, link.linkHash, `later:${step.stepId}`),
    now: new Date(),
    sign: (value) => hmac(rc.key, `${link.linkHash}|${value}`),
  };
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
    </ul>`;
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
  afterHandOff = false,
  /** Where the "working on it" page refreshes to: the wait (after a submit, keeping `after`). */
  refreshUrl = `${linkPath(rc, linkId)}/next`,
): Promise<WebResponse | undefined> {
  const g = await gate(rc, linkId, loaded, afterHandOff);
  if (g.kind === 'page') return respond(rc, g.ctx, g.page);
  const { link, order } = g;
  const view = chooseView(link, order, await currentSteps(order.orderId, g.steps));
  switch (view.kind) {
    case 'step': {
      const sc = stepContext(rc, linkId, link, order, view.step);
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

async function showLink(rc: RequestContext, linkId: string): Promise<WebResponse> {
  return (await renderCurrent(rc, linkId, await loadLink(linkId), true)) as WebResponse;
}

/**
 * After a submit: wait for the run to reach its next step, then show it. One Query first (the
 * link with its order and steps); then each change written in this process is applied to that
 * read as it comes (order-changes.ts), with no read. Without a wake (AWS: another process
 * wrote), a look again with backoff, one Query each. A link revoked meanwhile is seen at once.
 */
async function showNext(rc: RequestContext, linkId: string): Promise<WebResponse> {
  const deadline = Date.now() + nextStepWaitMs();
  const after = rc.request.query.after;
  const again = `${linkPath(rc, linkId)}/next${after ? `?after=${encodeURIComponent(after)}` : ''}`;
  const named = parseLinkId(linkId);
  // Watch before the read, so a write landing meanwhile is not missed (old-format ids: after it).
  let watch = named?.format === 'order' ? watchOrder(named.orderId) : undefined;
  try {
    let loaded = await loadLink(linkId);
    const limited = loaded && (await overLimit(rc, linkId, loaded));
    if (limited) return limited;
    if (!watch && loaded) watch = watchOrder(loaded.order.orderId);
    let interval = NEXT_STEP_POLL_MS;
    for (;;) {
      const last = Date.now() >= deadline;
      const response = await renderCurrent(rc, linkId, loaded, last, after === 'order-for', again);
      if (response || !loaded || !watch) return response ?? (await showLink(rc, linkId));
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

async function summary(rc: RequestContext, linkId: string): Promise<WebResponse> {
  const g = await gate(rc, linkId, await loadLink(linkId));
  if (g.kind === 'ok' || g.order?.status !== 'completed' || !g.order.summaryKey || g.page.status === 410) {
    return g.kind === 'page' ? respond(rc, g.ctx, g.page) : showLink(rc, linkId);
  }
  // A short-lived presigned URL each time: the PDF itself is never public.
  const { url } = await presignSummary(g.order.summaryKey);
  return redirect(rc, url, 302);
}

// ---------------------------------------------------------------------------------------------
// Form posts.

function forbidden(rc: RequestContext, ctx: PageContext, linkId: string): WebResponse {
  const { t } = ctx;
  return respond(
    rc,
    ctx,
    messagePage(
      ctx,
      'page.forbiddenTitle',
      'page.forbiddenBody',
      403,
      markup`<div class="actions">
        <a class="btn" href="${linkPath(rc, linkId)}">${t('page.goToSetup')}</a>
      </div>`,
    ),
  );
}

/**
 * Counts a form post or a `/next` wait against the link's per-minute limit (link-store.ts), and
 * answers 429 with Retry-After over it. The page names no order: it may be a revoked link.
 */
async function overLimit(
  rc: RequestContext,
  linkId: string,
  loaded: Loaded,
): Promise<WebResponse | undefined> {
  const { allowed, retryAfterSeconds } = await countLinkRequest(loaded.link);
  if (allowed) return undefined;
  logger.warn('Setup link over its rate limit', { orderId: loaded.order.orderId, retryAfterSeconds });
  const ctx = pageContext(rc, linkPath(rc, linkId));
  const response = respond(rc, ctx, messagePage(ctx, 'page.tooManyTitle', 'page.tooManyBody', 429));
  return { ...response, headers: { ...response.headers, 'retry-after': String(retryAfterSeconds) } };
}

/** A form post from another site is refused before anything else (the CSRF token is checked too). */
function crossSite(request: WebRequest): boolean {
  const reason = foreignPost(request.headers, getConfig().PUBLIC_BASE_URL);
  if (reason) {
    logger.warn('Form post from another site refused', {
      reason,
      origin: request.headers.origin?.slice(0, 200),
      secFetchSite: request.headers['sec-fetch-site']?.slice(0, 50),
      path: request.path.replace(/\/setup\/[^/]+/, '/setup/…'),
    });
  }
  return reason !== undefined;
}

async function act(rc: RequestContext, linkId: string, rawStep: string): Promise<WebResponse> {
  const loaded = await loadLink(linkId);
  if (!loaded) {
    const g = invalidLinkPage(rc);
    return respond(rc, g.ctx, g.page);
  }
  const limited = await overLimit(rc, linkId, loaded);
  if (limited) return limited;
  const form = parseForm(rc.request.body);
  const parsedStep = stepIdSchema.safeParse(rawStep);
  const csrfAction = parsedStep.success ? parsedStep.data : `invalid:${rawStep}`;
  if (crossSite(rc.request) || !verifyCsrf(rc.key, loaded.link.linkHash, csrfAction, field(form, 'csrf'))) {
    return forbidden(rc, pageContext(rc, linkPath(rc, linkId), loaded.order), linkId);
  }
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

  const sc = stepContext(rc, linkId, link, order, step);
  const result = await PAGES[stepId].act(sc, form);
  if (result.kind === 'render') return respond(rc, sc.page, result);

  const output = stepResultSchemas[stepId].parse(result.output);
  const token = await claimStep(order.orderId, stepId, step.tokenHash, link.recipient);
  if (!token) return alreadyDone(rc, ctxFor(), (await findOrder(order.orderId)) ?? order);
  try {
    if (result.orderPatch) await updateOrder(order.orderId, result.orderPatch);
    await addAudit(
      order.orderId,
      { actor: link.recipient, action: `${stepId} submitted`, details: result.details },
      `submit#${stepId}#${step.tokenHash}`,
    );
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
  return redirect(rc, `${linkPath(rc, linkId)}/next?after=${stepId}`);
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

async function later(rc: RequestContext, linkId: string, rawStep: string): Promise<WebResponse> {
  const loaded = await loadLink(linkId);
  if (!loaded) {
    const g = invalidLinkPage(rc);
    return respond(rc, g.ctx, g.page);
  }
  const limited = await overLimit(rc, linkId, loaded);
  if (limited) return limited;
  const form = parseForm(rc.request.body);
  const parsedStep = stepIdSchema.safeParse(rawStep);
  if (
    crossSite(rc.request) ||
    !verifyCsrf(rc.key, loaded.link.linkHash, `later:${rawStep}`, field(form, 'csrf'))
  ) {
    return forbidden(rc, pageContext(rc, linkPath(rc, linkId), loaded.order), linkId);
  }
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

async function newLink(rc: RequestContext, linkId: string): Promise<WebResponse> {
  const loaded = await loadLink(linkId);
  if (!loaded) {
    const g = invalidLinkPage(rc);
    return respond(rc, g.ctx, g.page);
  }
  const limited = await overLimit(rc, linkId, loaded);
  if (limited) return limited;
  const { link, order } = loaded;
  const ctx = pageContext(rc, linkPath(rc, linkId), order);
  const form = parseForm(rc.request.body);
  if (crossSite(rc.request) || !verifyCsrf(rc.key, link.linkHash, 'new-link', field(form, 'csrf'))) {
    return forbidden(rc, ctx, linkId);
  }
  if (order.status === 'cancelled' || order.status === 'expired' || order.status === 'failed') {
    return respond(rc, ctx, closedOrderPage(ctx, order));
  }
  // Only ever to the address on file: this link's recipient while they are still the assignee,
  // otherwise the person the order is with now. The page says the same thing either way.
  const to = isAssignee(link, order) ? link.recipient : order.assignee.email;
  const role = order.assignee.role;
  const language = order.contact.language;
  await sendOnce(order.orderId, `new-link#${link.linkHash}`, async () => {
    if (order.status === 'completed' && order.summaryKey) {
      const issued = await issueLink({ orderId: order.orderId, recipient: to, role });
      const sent = await sendEmail({
        kind: 'complete',
        orderId: order.orderId,
        to,
        language,
        recipientName: to === order.contact.email ? order.contact.name : undefined,
        setupUrl: setupUrl(getConfig().PUBLIC_BASE_URL, issued.linkId),
        linkExpiresAt: issued.link.expiresAt,
        services: order.services,
      });
      return { kind: 'complete', to, ...sent };
    }
    const pending = await listPendingSteps(order.orderId);
    const step = pending.find((s) => !isServiceStep(s.stepId)) ?? pending[0];
    const issued = await issueLink({
      orderId: order.orderId,
      recipient: to,
      role,
      scope: role === 'customer-admin' ? 'services' : 'all',
    });
    const sent = await sendEmail({
      kind: 'reminder',
      orderId: order.orderId,
      to,
      language,
      setupUrl: setupUrl(getConfig().PUBLIC_BASE_URL, issued.linkId),
      linkExpiresAt: issued.link.expiresAt,
      stepLabel: step?.stepId ?? 'order-for',
      remaining: Math.max(0, (getConfig().MAX_REMINDERS ?? 0) - (step?.reminders ?? 0)),
    });
    return { kind: 'reminder', to, ...sent };
  });
  await addAudit(order.orderId, {
    actor: link.recipient,
    action: 'new link requested',
    details: { sentTo: to },
  });
  return respond(rc, ctx, messagePage(ctx, 'page.newLinkSentTitle', 'page.newLinkSentBody', 200));
}

// ---------------------------------------------------------------------------------------------
// Routing: one Hono app, behind the HTTP API (hono/aws-lambda, handler.ts) and on the embedded
// runtime's local server (@hono/node-server, infra/local/web-server.ts).

function notFound(rc: RequestContext): WebResponse {
  const ctx = pageContext(rc, routeSelf(rc));
  return respond(rc, ctx, messagePage(ctx, 'page.notFoundTitle', 'page.notFoundBody', 404));
}

function methodNotAllowed(rc: RequestContext, allow: string): WebResponse {
  const response = notFound(rc);
  return { ...response, status: 405, headers: { ...response.headers, allow } };
}

function send(response: WebResponse): Response {
  const headers = new Headers(response.headers);
  for (const cookie of response.cookies ?? []) headers.append('set-cookie', cookie);
  return new Response(response.body === '' ? null : response.body, { status: response.status, headers });
}

function errorPage(rc: RequestContext, status: number): WebResponse {
  const ctx = pageContext(rc, routeSelf(rc));
  return respond(rc, ctx, messagePage(ctx, 'page.errorTitle', 'page.errorBody', status));
}

type Env = { Variables: { rc: RequestContext } };

/** The path the routes see: without the public base URL's path, when the request has it. */
function routePath(request: Request): string {
  const path = new URL(request.url).pathname;
  const base = basePath();
  return base && path.startsWith(`${base}/`) ? path.slice(base.length) : path;
}

// hono/tiny's router also matches a route with one trailing slash (the setup addresses take one);
// /health and /favicon.ico answer at their exact path only, whatever the method, as they did.
export const webApp = new Hono<Env>({ getPath: routePath });

webApp.all('/health', (c, next) =>
  c.req.path === '/health' ? c.json({ status: 'ok' }, 200, { 'cache-control': 'no-store' }) : next(),
);

webApp.use(
  secureHeaders({
    contentSecurityPolicy: CSP_DIRECTIVES,
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    // Only our own header set (layout.ts SECURITY_HEADERS): none of the framework's other defaults.
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    // Browsers keep to https for the setup pages' host for two years (ignored over plain http).
    strictTransportSecurity: 'max-age=63072000; includeSubDomains',
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  }),
);

webApp.all('/favicon.ico', etag(), (c, next) =>
  c.req.path === '/favicon.ico'
    ? c.body(FAVICON_SVG, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' })
    : next(),
);

// The request context: the signing key, the session (its language) and the language asked for.
webApp.use(async (c, next) => {
  const key = await signingKey();
  const session = readSession(key, getCookie(c, sessionCookieName(isSecureBase())));
  const asked = languageSchema.safeParse(c.req.query('lang'));
  const rc: RequestContext = {
    request: {
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      query: c.req.query(),
      headers: c.req.header(),
      cookies: {},
      body: '',
    },
    key,
    session,
    askedLang: asked.success ? asked.data : undefined,
    base: basePath(),
    cookies: [],
  };
  if (rc.askedLang && rc.askedLang !== session.lang) {
    rc.cookies.push(sessionCookie(key, { ...session, lang: rc.askedLang }, isSecureBase()));
  }
  c.set('rc', rc);
  await next();
});

webApp.use(bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => send(errorPage(c.get('rc'), 413)) }));

type PageHandler = (rc: RequestContext, linkId: string, stepId: string) => Promise<WebResponse> | WebResponse;

/** A route's handler: given the request context and the address's ids, the form body read for a POST. */
const page = (fn: PageHandler) => async (c: Context<Env>) => {
  const rc = c.get('rc');
  rc.linkId = c.req.param('linkId');
  if (c.req.method === 'POST') rc.request.body = await c.req.text();
  return send(await fn(rc, rc.linkId ?? '', c.req.param('stepId') ?? ''));
};

// A language switch or a reload on a posted page: show the page the link shows now.
const toLink = page((rc, linkId) => redirect(rc, linkPath(rc, linkId)));
const notAllowed = (allow: string) => page((rc) => methodNotAllowed(rc, allow));

const forms: [string, PageHandler][] = [
  ['/setup/:linkId/steps/:stepId', act],
  ['/setup/:linkId/later/:stepId', later],
  ['/setup/:linkId/new-link', newLink],
];
for (const [path, post] of forms)
  webApp.post(path, page(post)).get(path, toLink).all(path, notAllowed('GET, POST'));
const views: [string, PageHandler][] = [
  ['/setup/:linkId/next', showNext],
  ['/setup/:linkId/summary', summary],
  ['/setup/:linkId', showLink],
];
for (const [path, get] of views) webApp.get(path, page(get)).all(path, notAllowed('GET'));
webApp.notFound((c) => send(notFound(c.get('rc'))));

webApp.onError((error, c) => {
  const rc = c.get('rc');
  if (!rc) throw error;
  // Never a stack trace on a page: the log has it, the person gets a calm page.
  logger.error('Setup page failed', { path: rc.request.path.replace(/\/setup\/[^/]+/, '/setup/…'), error });
  return send(errorPage(rc, isTransient(error) ? 503 : 500));
});

/** The app in the WebRequest/WebResponse shapes (the tests' browser, test/wizard/support). */
export const handleWebRequest: WebHandler = async (request) => {
  const query = new URLSearchParams(request.query).toString();
  const headers = new Headers(request.headers);
  const cookies = Object.entries(request.cookies).map(([name, value]) => `${name}=${value}`);
  if (cookies.length > 0) headers.set('cookie', cookies.join('; '));
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const response = await webApp.fetch(
    new Request(`http://localhost${request.path}${query ? `?${query}` : ''}`, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
    }),
  );
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  return {
    status: response.status,
    headers: out,
    cookies: response.headers.getSetCookie(),
    body: await response.text(),
  };
};
