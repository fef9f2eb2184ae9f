import { issueLink } from '../shared/adapters/link-store';
import { addAudit } from '../shared/adapters/order-repository';
import { listPendingSteps } from '../shared/adapters/step-store';
import { sendOnce } from '../shared/adapters/email-log';
import { getConfig } from '../shared/config';
import { sendEmail } from '../shared/documents/mailer';
import { setupUrl } from '../shared/domain/links';
import { isServiceStep } from '../shared/domain/steps.schema';
import type { WebResponse } from './http.types';
import { closedOrderPage, messagePage } from './pages/status.page';
import { linkPath, pageContext, type RequestContext, respond } from './request-context';
import { checkFormPost, isAssignee } from './gate';

// "Send me a new link": a fresh link, only ever to the address on file.

export async function newLink(rc: RequestContext, linkId: string): Promise<WebResponse> {
  const post = await checkFormPost(rc, linkId, 'new-link');
  if (post.refused) return post.refused;
  const { link, order } = post.loaded;
  const ctx = pageContext(rc, linkPath(rc, linkId), order);
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
