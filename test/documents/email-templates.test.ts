import { describe, expect, it } from 'vitest';
import { EMAIL_KINDS, emailContent, renderEmail } from '../../functions/shared/documents/email-renderer';
import { escapeHtml, InvalidLinkError } from '../../functions/shared/documents/format';
import { LANGUAGES } from '../../functions/shared/domain/order.schema';
import { emailCatalogs } from '../../functions/shared/i18n/emails.catalog';
import { pdfCatalogs } from '../../functions/shared/i18n/pdf.catalog';
import { catalogDifferences, MissingMessageError, translator } from '../../functions/shared/i18n/translate';
import { emailRequest, ORDER_ID, SETUP_URL, SUMMARY_URL } from './email-requests';

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
const textUrls = (text: string) => [...text.matchAll(/\bhttps?:\/\/\S+/g)].map((m) => m[0]);
const unescape = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

describe('message catalogs', () => {
  it('have the same keys in English and Romanian (emails and PDF)', () => {
    expect(catalogDifferences(emailCatalogs)).toEqual([]);
    expect(catalogDifferences(pdfCatalogs)).toEqual([]);
  });

  it('have no empty string and no English left in the Romanian subjects', () => {
    for (const catalogs of [emailCatalogs, pdfCatalogs]) {
      for (const lang of LANGUAGES)
        for (const value of Object.values(catalogs[lang])) expect(value.trim()).not.toBe('');
    }
    const subjects = Object.keys(emailCatalogs.en).filter(
      (k) => k.endsWith('.subject') && k !== 'opsFailure.subject',
    );
    for (const key of subjects) {
      expect(emailCatalogs.ro[key as keyof typeof emailCatalogs.ro]).not.toBe(
        emailCatalogs.en[key as keyof typeof emailCatalogs.en],
      );
    }
  });

  it('use the comma-below ș and ț, never the cedilla forms ş and ţ', () => {
    for (const catalogs of [emailCatalogs, pdfCatalogs]) {
      expect(Object.values(catalogs.ro).join('\n')).not.toMatch(/[şţŞŢ]/);
    }
  });

  it('a missing key fails: the difference is reported and the translator throws', () => {
    const { 'welcome.subject': _dropped, ...partial } = emailCatalogs.ro;
    const broken = { en: emailCatalogs.en, ro: partial as typeof emailCatalogs.ro };
    expect(catalogDifferences(broken)).toEqual(['ro: welcome.subject']);
    expect(() => translator(broken, 'ro')('welcome.subject', { orderId: ORDER_ID })).toThrow(
      MissingMessageError,
    );
  });
});

describe.each(LANGUAGES)('every email in %s', (language) => {
  it.each(EMAIL_KINDS)('%s: renders subject, HTML and text with every string and absolute links', (kind) => {
    const email = renderEmail(emailRequest(kind, language));

    expect(email.subject).toContain(ORDER_ID);
    expect(email.html).toMatch(/^<!DOCTYPE html>/);
    expect(email.text.trim().length).toBeGreaterThan(100);
    // No placeholder left unfilled, no key printed instead of its message.
    for (const part of [email.subject, email.html, email.text]) {
      expect(part).not.toMatch(/\{\w+\}/);
      expect(part).not.toMatch(
        /\b(?:layout|fact|welcome|handoff|selfSetup|reminder|complete|opsFailure)\.\w+/,
      );
    }
    for (const href of hrefs(email.html)) expect(new URL(unescape(href)).protocol).toMatch(/^https?:$/);
    for (const url of textUrls(email.text)) expect(() => new URL(url)).not.toThrow();

    const expectedLanguage = kind === 'ops-failure' ? 'en' : language;
    expect(email.language).toBe(expectedLanguage);
    expect(email.html).toContain(`<html lang="${expectedLanguage}"`);
  });

  it('the Set up service button is a real link that is also in the text part', () => {
    for (const kind of ['welcome', 'handoff', 'self-setup', 'reminder'] as const) {
      const email = renderEmail(emailRequest(kind, language));
      expect(hrefs(email.html).map(unescape)).toContain(SETUP_URL);
      expect(textUrls(email.text)).toContain(SETUP_URL);
    }
    const welcome = renderEmail(emailRequest('welcome', language));
    const label = language === 'en' ? 'Set up service' : 'Configurare serviciu';
    expect(welcome.html).toContain(`>${label}</a>`);
    expect(welcome.text).toContain(`${label}:\n${SETUP_URL}`);
  });

  it('the completion email greets by name and links the setup pages’ summary address, not a presigned URL', () => {
    const email = renderEmail(emailRequest('complete', language));
    expect(email.text).toContain(language === 'en' ? 'Hello Ana Popescu,' : 'Bună ziua, Ana Popescu,');
    expect(`${email.html}${email.text}`).not.toMatch(/X-Amz-|amazonaws\.com/);
    expect(hrefs(email.html).map(unescape)).toContain(SUMMARY_URL);
    expect(textUrls(email.text)).toContain(SUMMARY_URL);
    const label = language === 'en' ? 'Download order summary (PDF)' : 'Descărcare rezumat comandă (PDF)';
    expect(email.html).toContain(label);
    expect(email.text).toContain(label);
    expect(email.text).toContain(
      language === 'en' ? '9 December 2026, 13:15 UTC' : '9 decembrie 2026, 13:15 UTC',
    );
  });

  it('the completion email lets long Webex ids break (the HTML part) and keeps them whole (the text part)', () => {
    const id = 'Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzNhN2I5YzFkLTJlNGYtNDZhOC05YjBjLWQxZTJmM2E0YjVjNg';
    const request = emailRequest('complete', language);
    if (request.kind !== 'complete') throw new Error('expected a completion email');
    const email = renderEmail({ ...request, webex: [`Head office — ${id}`] });
    expect(email.text).toContain(`Head office — ${id}`);
    // In the HTML, no run of text without a break opportunity is longer than a short word.
    const runs = email.html
      .replace(/<(?:head|style|title)[\s\S]*?<\/(?:head|style|title)>/g, '')
      .replace(/href="[^"]*"|<a [^>]*>[^<]*<\/a>/g, '')
      .split(/<[^>]+>|\s+/);
    expect(runs.filter((r) => r.length > 24)).toEqual([]);
    expect(email.html.replace(/<wbr>/g, '')).toContain(id);
  });

  it('escapes every variable in the HTML part (and keeps it readable in the text part)', () => {
    for (const kind of EMAIL_KINDS) {
      const email = renderEmail(emailRequest(kind, language, true));
      expect(email.html).not.toMatch(/<script|<b>/);
      expect(email.text).not.toContain('&lt;');
      if (kind !== 'expired' && kind !== 'reminder') expect(email.html).toContain(escapeHtml('<script>'));
    }
  });
});

describe('email content', () => {
  it('welcome: the source document’s subject in both languages', () => {
    expect(renderEmail(emailRequest('welcome', 'en')).subject).toBe(
      `Provisioning information required for your order ${ORDER_ID}`,
    );
    expect(renderEmail(emailRequest('welcome', 'ro')).subject).toBe(
      `Sunt necesare informațiile de asigurare a accesului pentru comanda ${ORDER_ID}`,
    );
  });

  it('names services with their licenses, with Romanian plurals', () => {
    const facts = (lang: 'en' | 'ro') =>
      emailContent(emailRequest('welcome', lang))
        .facts.map((f) => f.value)
        .join('\n');
    expect(facts('en')).toContain('Webex Meetings: 20 licenses\nWebex Calling: 1 license');
    expect(facts('ro')).toContain('Webex Meetings: 20 de licențe\nWebex Calling: 1 licență');
  });

  it('reminder: translates a step id and counts the reminders left', () => {
    const email = renderEmail(emailRequest('reminder', 'ro'));
    expect(email.text).toContain('Organizația parteneră');
    expect(email.text).toContain('Vor mai urma 2 mementouri');
    const last = renderEmail({
      ...emailRequest('reminder', 'en'),
      remaining: 0,
      stepLabel: 'Custom step',
    } as never);
    expect(last.text).toContain('Custom step');
    expect(last.text).toContain('This is the last reminder');
  });

  it('ops-failure is English whatever the contact’s language, and names step and error', () => {
    const email = renderEmail(emailRequest('ops-failure', 'ro'));
    expect(email.subject).toBe(
      `[ops] Provisioning run failed for order ${ORDER_ID} at "Provision Webex Meetings"`,
    );
    expect(email.text).toContain('Error: SiteNameTakenError');
  });

  it('carries no internal id beyond the order id', () => {
    for (const kind of EMAIL_KINDS) {
      const { html, text } = renderEmail(emailRequest(kind, 'en'));
      expect(`${html}${text}`).not.toMatch(/task ?token|executionArn|arn:aws/i);
    }
  });

  it('refuses a relative link', () => {
    const request = { ...emailRequest('welcome', 'en'), setupUrl: '/setup/abc' } as never;
    expect(() => renderEmail(request)).toThrow(InvalidLinkError);
  });
});
