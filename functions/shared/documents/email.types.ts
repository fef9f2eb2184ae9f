import type { Language, PurchasedService } from '../domain/order.schema';

// What each email of the flow needs. Templates (en, ro) render these; the mailer sends them.

interface Base {
  orderId: string;
  to: string;
  language: Language;
  /** Greeting name when known. */
  recipientName?: string;
}

/** The setup link's expiry, shown in the email when the sender knows it (ISO 8601). */
interface SetupLink {
  setupUrl: string;
  linkExpiresAt?: string;
}

export type EmailRequest =
  /** Provisioning information required for your order: the first email, with the Set up service button. */
  | (Base & SetupLink & { kind: 'welcome'; services: PurchasedService[]; partnerName?: string })
  /** The order was handed to this person by `fromEmail`. */
  | (Base & SetupLink & { kind: 'handoff'; fromEmail: string; services: PurchasedService[] })
  /** A partner let the customer admin set up the services themselves. */
  | (Base &
      SetupLink & {
        kind: 'self-setup';
        partnerOrgName: string;
        customerOrgName: string;
        services: PurchasedService[];
      })
  /**
   * A waiting step timed out; a fresh link. `remaining` reminders are left before the order expires.
   * `stepLabel` is a step id (StepId, translated by the template) or a label to show as is.
   */
  | (Base & SetupLink & { kind: 'reminder'; stepLabel: string; remaining: number })
  | (Base & { kind: 'expired' })
  | (Base & { kind: 'cancelled'; reason?: string })
  /**
   * Everything is provisioned. The download goes through the setup link's own summary address
   * (`<setupUrl>/summary`), which presigns a fresh URL on every click, as the done page does.
   */
  | (Base &
      SetupLink & {
        kind: 'complete';
        services: PurchasedService[];
        /** What the order made in Webex, one line each (name — Webex id). */
        webex?: string[];
      })
  /** To the ops address: a run failed. Always sent to OPS_EMAIL, in English (`to` and `language` are ignored). */
  | (Base & { kind: 'ops-failure'; step: string; error: string; cause: string });

export type EmailKind = EmailRequest['kind'];

export interface SentMessage {
  messageId: string;
  subject: string;
}
