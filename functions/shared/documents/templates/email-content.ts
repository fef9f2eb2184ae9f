import type { Language, PurchasedService } from '../../domain/order.schema';
import type { EmailMessageKey } from '../../i18n/emails.catalog';
import type { Vars } from '../../i18n/translate';
import type { EmailKind, EmailRequest } from '../email.types';

// What a template produces: the words of one email, as plain text. The layout (email-layout.ts)
// turns it into the HTML and text parts and does all escaping, so templates never build markup.

export interface EmailFact {
  label: string;
  value: string;
}

export interface EmailAction {
  label: string;
  /** Absolute http(s) URL; checked by the layout. */
  url: string;
}

export interface EmailContent {
  subject: string;
  /** The preview line mail clients show after the subject. */
  preheader: string;
  heading: string;
  /** Greeting name; absent → an anonymous greeting. */
  greetingName?: string;
  /** Paragraphs before the button. */
  intro: string[];
  facts: EmailFact[];
  action?: EmailAction;
  /** Paragraphs after the button. */
  outro: string[];
  /** The order the email is about, named in the footer. */
  orderId: string;
}

export interface TemplateContext {
  language: Language;
  t: (key: EmailMessageKey, vars?: Vars) => string;
  /** "Webex Meetings: 20 licenses" per service. */
  serviceLines: (services: PurchasedService[]) => string[];
  dateTime: (iso: string) => string;
}

export type EmailTemplate<K extends EmailKind> = (
  request: Extract<EmailRequest, { kind: K }>,
  ctx: TemplateContext,
) => EmailContent;
