import { sendEmail } from './documents/mailer';
import type { EmailRequest } from './documents/email.types';
import { sendOnce } from './adapters/email-log';
import { issueLink } from './adapters/link-store';
import { getConfig } from './config';
import { setupUrl } from './domain/links';
import type { OrderRecord } from './domain/order-record.schema';
import type { Assignee } from './domain/order.schema';

// Emails that carry a setup link: the link is issued in the same call that sends it, because
// only the link's hash is stored and the raw id exists nowhere else.

type LinkEmail = Extract<EmailRequest, { setupUrl: string }>;
type Without<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** The language of whoever receives the email: the contact's own, also for people they hand the order to. */
export function languageOf(order: OrderRecord) {
  return order.contact.language;
}

export async function sendLinkEmail(
  order: OrderRecord,
  purpose: string,
  to: Assignee,
  email: Without<LinkEmail, 'setupUrl' | 'to' | 'orderId' | 'language'>,
): Promise<boolean> {
  return sendOnce(order.orderId, purpose, async () => {
    const { linkId, link } = await issueLink({ orderId: order.orderId, recipient: to.email, role: to.role });
    const request = {
      ...email,
      linkExpiresAt: link.expiresAt,
      orderId: order.orderId,
      to: to.email,
      language: languageOf(order),
      setupUrl: setupUrl(getConfig().PUBLIC_BASE_URL, linkId),
    } as LinkEmail;
    const sent = await sendEmail(request);
    return { kind: request.kind, to: to.email, subject: sent.subject, messageId: sent.messageId };
  });
}

/** An email without a link, once per purpose. */
export async function sendPlainEmail(
  orderId: string,
  purpose: string,
  request: Exclude<EmailRequest, LinkEmail>,
): Promise<boolean> {
  return sendOnce(orderId, purpose, async () => {
    const sent = await sendEmail(request);
    return { kind: request.kind, to: request.to, subject: sent.subject, messageId: sent.messageId };
  });
}

/** The people to tell when an order ends: the contact, and whoever holds it now if that is someone else. */
export function closingRecipients(order: OrderRecord): string[] {
  return [...new Set([order.contact.email, order.assignee.email])];
}

/** The closing recipients with the role a link of theirs carries. */
export function closingAssignees(order: OrderRecord): Assignee[] {
  return closingRecipients(order).map((email) =>
    email === order.assignee.email ? order.assignee : { email, role: 'contact' as const },
  );
}
