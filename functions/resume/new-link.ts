import { issueLink } from '../shared/adapters/link-store';
import { addAudit } from '../shared/adapters/order-repository';
import { listPendingSteps } from '../shared/adapters/step-store';
import { sendOnce } from '../shared/adapters/email-log';
import { getConfig } from '../shared/config';
import { sendEmail } from '../shared/documents/mailer';
import { setupUrl } from '../shared/domain/links';
import { isServiceStep } from '../shared/domain/steps.schema';
import { parseForm, field } from './forms';
import type { WebResponse } from './http.types';
import { closedOrderPage, messagePage } from './pages/status.page';
import { verifyCsrf } from './security';
import { linkPath, pageContext, type RequestContext, respond } from './request-context';
import { invalidLinkPage, overLimit, crossSite, loadLink, isAssignee } from './gate';
import { forbidden } from './error-pages';

// "Send me a new link": a fresh link, only ever to the address on file.

export async function newLink(rc: RequestContext, linkId: string): Promise<WebResponse> {
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
