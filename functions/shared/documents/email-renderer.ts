import type { Language, PurchasedService } from '../domain/order.schema';
import { emailCatalogs } from '../i18n/emails.catalog';
import { translator } from '../i18n/translate';
import type { EmailKind, EmailRequest } from './email.types';
import { formatDateTime } from './format';
import { cancelledTemplate } from './templates/cancelled.template';
import { completeTemplate } from './templates/complete.template';
import type { EmailContent, EmailTemplate, TemplateContext } from './templates/email-content';
import { renderHtml, renderText } from './templates/email-layout';
import { expiredTemplate } from './templates/expired.template';
import { handoffTemplate } from './templates/handoff.template';
import { opsFailureTemplate } from './templates/ops-failure.template';
import { reminderTemplate } from './templates/reminder.template';
import { selfSetupTemplate } from './templates/self-setup.template';
import { welcomeTemplate } from './templates/welcome.template';

// Email request → subject, HTML part and text part, in the recipient's language. Pure: no AWS,
// no clock, so the tests render every kind in every language.

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  language: Language;
}

const TEMPLATES: { [K in EmailKind]: EmailTemplate<K> } = {
  welcome: welcomeTemplate,
  handoff: handoffTemplate,
  'self-setup': selfSetupTemplate,
  reminder: reminderTemplate,
  expired: expiredTemplate,
  cancelled: cancelledTemplate,
  complete: completeTemplate,
  'ops-failure': opsFailureTemplate,
};

export const EMAIL_KINDS = Object.keys(TEMPLATES) as EmailKind[];

/** Ops read English; everyone else reads the language of the order's contact. */
export function emailLanguage(request: EmailRequest): Language {
  return request.kind === 'ops-failure' ? 'en' : request.language;
}

export function templateContext(language: Language): TemplateContext {
  const t = translator(emailCatalogs, language);
  return {
    language,
    t,
    dateTime: (iso) => formatDateTime(iso, language),
    serviceLines: (services: PurchasedService[]) =>
      services.map((s) =>
        t('service.withLicenses', {
          service: t(`service.${s.type}`),
          licenses: t('licenses', { count: s.quantity }),
        }),
      ),
  };
}

export function emailContent(request: EmailRequest): EmailContent {
  const ctx = templateContext(emailLanguage(request));
  // The map is keyed by kind, so the template matches the request; TS cannot correlate the two.
  const template = TEMPLATES[request.kind] as EmailTemplate<EmailKind>;
  return template(request as never, ctx);
}

export function renderEmail(request: EmailRequest): RenderedEmail {
  const language = emailLanguage(request);
  const { t } = templateContext(language);
  const content = emailContent(request);
  const strings = {
    brand: t('layout.brand'),
    greeting: content.greetingName
      ? t('layout.greeting', { name: content.greetingName })
      : t('layout.greetingAnonymous'),
    linkFallback: t('layout.linkFallback'),
    signature: t('layout.signature'),
    footer: t('layout.footer', { orderId: content.orderId }),
    automated: t('layout.automated'),
  };
  return {
    subject: content.subject,
    html: renderHtml(content, strings, language),
    text: renderText(content, strings),
    language,
  };
}
