import type { Language, PurchasedService } from '../domain/order.schema';

// What each email of the flow needs. Templates (en, ro) render these; the mailer sends them.

interface Base {
  orderId: string;
  to: string;
  language: Language;
  /** Greeting name when known. */
  recipientName?: string;
}

export type EmailRequest =
  /** Provisioning information required for your order: the first email, with the Set up service button. */
  | (Base & { kind: 'welcome'; setupUrl: string; services: PurchasedService[]; partnerName?: string })
  /** The order was handed to this person by `fromEmail`. */
  | (Base & { kind: 'handoff'; setupUrl: string; fromEmail: string; services: PurchasedService[] })
  /** A partner let the customer admin set up the services themselves. */
  | (Base & { kind: 'self-setup'; setupUrl: string; partnerOrgName: string; customerOrgName: string; services: PurchasedService[] })
  /** A waiting step timed out; a fresh link. `remaining` reminders are left before the order expires. */
  | (Base & { kind: 'reminder'; setupUrl: string; stepLabel: string; remaining: number })
  | (Base & { kind: 'expired' })
  | (Base & { kind: 'cancelled'; reason?: string })
  /** Everything is provisioned: the summary's download link (presigned, expires). */
  | (Base & { kind: 'complete'; summaryUrl: string; summaryUrlExpiresAt: string; services: PurchasedService[] })
  /** To the ops address: a run failed. */
  | (Base & { kind: 'ops-failure'; step: string; error: string; cause: string });

export type EmailKind = EmailRequest['kind'];

export interface SentMessage {
  messageId: string;
  subject: string;
}
