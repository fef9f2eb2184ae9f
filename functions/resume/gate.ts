import {
  countLinkRequest,
  findLinkWithOrder,
  linkState,
  REVOKED_BY_HAND_OFF,
  type LinkRecord,
  type LinkWithOrder,
} from '../shared/adapters/link-store';
import type { WaitingStep } from '../shared/adapters/step-store';
import { getConfig } from '../shared/config';
import type { OrderRecord } from '../shared/domain/order-record.schema';
import { logger } from '../shared/observability';
import type { WebRequest, WebResponse } from './http.types';
import type { PageContext } from './layout';
import {
  closedOrderPage,
  donePage,
  messagePage,
  newLinkForm,
  standsPage,
  type StatusPage,
} from './pages/status.page';
import { forbidden } from './error-pages';
import { field, parseForm, type FormData } from './forms';
import { csrfToken, foreignPost, verifyCsrf } from './security';
import {
  progressFor,
  routeSelf,
  linkPath,
  pageContext,
  type RequestContext,
  respond,
} from './request-context';

// The gate: what a link may see before any step is shown. One read (the link with its order and
// steps), then the order's and the link's state decide: a step, or a page that says where things
// stand. Form posts pass two more gates: the per-link limit and the cross-site check.

/** A link with its order and the order's steps: one Query (link-store.ts `findLinkWithOrder`). */
export type Loaded = LinkWithOrder;

type Gate =
  | {
      kind: 'ok';
      link: LinkRecord;
      order: OrderRecord;
      steps: WaitingStep[];
      audited: ReadonlySet<string>;
      heldSites: readonly string[];
    }
  | { kind: 'page'; ctx: PageContext; page: StatusPage; link?: LinkRecord; order?: OrderRecord };

export const loadLink = (linkId: string): Promise<Loaded | undefined> => findLinkWithOrder(linkId);

export function invalidLinkPage(rc: RequestContext): Extract<Gate, { kind: 'page' }> {
  const ctx = pageContext(rc, routeSelf(rc));
  return { kind: 'page', ctx, page: messagePage(ctx, 'page.invalidTitle', 'page.invalidBody', 404) };
}

export function isAssignee(link: LinkRecord, order: OrderRecord): boolean {
  return link.recipient === order.assignee.email;
}

export async function gate(
  rc: RequestContext,
  linkId: string,
  found: Loaded | undefined,
  /**
   * Right after this link's holder handed the order on: `asked` while the link is still active
   * (the hand-off writes the new person, then revokes the old links); `proven` when the request
   * carries the hand-off's signed receipt, which also holds once the link is revoked.
   */
  afterHandOff: false | 'asked' | 'proven' = false,
): Promise<Gate> {
  if (!found) return invalidLinkPage(rc);
  const { link, order, steps } = found;
  const self = linkPath(rc, linkId);
  const ctx = pageContext(rc, self, order);
  const state = linkState(link);
  const offer = () => newLinkForm(ctx, `${self}/new-link`, csrfToken(rc.key, link.linkHash, 'new-link'));
  // A link revoked because the order went to someone else says only that, even once the order
  // has closed since; the links a cancellation or an expiry revoked say why the order closed.
  const handedAway = state === 'revoked' && link.revokedReason === REVOKED_BY_HAND_OFF;
  if (
    !handedAway &&
    (order.status === 'cancelled' || order.status === 'expired' || order.status === 'failed')
  ) {
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
  // who has it now, whatever the address asks (`?after=order-for`), unless the browser shows the
  // receipt of the hand-off it made itself (signed, minutes old).
  const handedOn =
    afterHandOff !== false && (state === 'active' || (state === 'revoked' && afterHandOff === 'proven'));
  if (handedOn && !isAssignee(link, order) && order.assignee.role === 'delegate') {
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
  return { kind: 'ok', link, order, steps, audited: found.audited, heldSites: found.heldSites };
}

/**
 * Counts a form post or a `/next` wait against the link's per-minute limit (link-store.ts), and
 * answers 429 with Retry-After over it. The page names no order: it may be a revoked link.
 */
export async function overLimit(
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
export function crossSite(request: WebRequest): boolean {
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

/**
 * What every form post through a link checks first, in this order: the link and its order (one
 * read; an unknown or tampered link gets the invalid-link page), the per-link limit (unless
 * `counted` says the post only shows its form again), then the origin and the CSRF token made for
 * `csrfAction` (the forbidden page). Either the post's link, order and form, or the refusal.
 */
export async function checkFormPost(
  rc: RequestContext,
  linkId: string,
  csrfAction: string,
  counted: (form: FormData) => boolean = () => true,
): Promise<{ loaded: Loaded; form: FormData; refused?: undefined } | { refused: WebResponse }> {
  const loaded = await loadLink(linkId);
  if (!loaded) {
    const g = invalidLinkPage(rc);
    return { refused: respond(rc, g.ctx, g.page) };
  }
  const form = parseForm(rc.request.body);
  const limited = counted(form) ? await overLimit(rc, linkId, loaded) : undefined;
  if (limited) return { refused: limited };
  if (crossSite(rc.request) || !verifyCsrf(rc.key, loaded.link.linkHash, csrfAction, field(form, 'csrf'))) {
    return { refused: forbidden(rc, pageContext(rc, linkPath(rc, linkId), loaded.order), linkId) };
  }
  return { loaded, form };
}
