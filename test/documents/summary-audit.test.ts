import { describe, expect, it } from 'vitest';
import { auditDetailParts } from '../../functions/shared/documents/audit-text';
import { renderOrderSummary } from '../../functions/shared/documents/order-summary';
import { formatDetails } from '../../infra/local/ops/ops-labels';
import { pdfEn } from '../../functions/shared/i18n/pdf.en';
import { pdfInfo, pdfText, pdfToolsRequired, SKIP_MESSAGE } from './pdf-tools';
import { auditTrail, summaryInput } from './summary-fixtures';

// The audit trail is stored as codes and values and put into words when it is shown: the PDF in
// the reader's language, with the pages' labels and display values; the ops view in English.
// The PDF is tagged (structure tree, language, title, PDF/UA).

const oneLine = (text: string) => text.replace(/\s+/g, ' ');
const describePdf = pdfToolsRequired() ? describe : describe.skip;
if (!pdfToolsRequired()) console.warn(SKIP_MESSAGE);

/** The audit table's text: from its (first) title to the end of the document. */
const auditPart = (text: string, title: string) => text.slice(text.indexOf(title));

describe('audit entries in words', () => {
  const entry = (action: string) => auditTrail().find((e) => e.action === action)?.details ?? {};

  it('shows the pages’ labels and display values, not codes or field names', () => {
    const created = auditDetailParts(entry('partner-org submitted'), 'en').join(' · ');
    expect(created).toBe(
      'organization: Parteneri Digitali SRL · business vertical: Technology · country: Romania',
    );
    const calling = auditDetailParts(entry('service-calling submitted'), 'en').join(' · ');
    expect(calling).toContain('address: 350 Fifth Avenue, New York, NY 10118, United States');
    expect(calling).toContain('announcement language: American English');
    expect(calling).not.toMatch(/en_us|\bUS\b|street:|postalCode/);
    const meetings = auditDetailParts(entry('service-meetings submitted'), 'en');
    expect(meetings).toEqual([
      'site 1: stiinta-tehnica-01.webex.com · Bucharest, Iași, Constanța · Romania · 25 licenses · early release',
      'site 2: stiinta-tehnica-02.webex.com · London, Birmingham, Glasgow · United Kingdom · 25 licenses',
    ]);
    expect(auditDetailParts({ adminEmail: 'it@acme.example' }, 'en')).toEqual([
      'admin email: it@acme.example',
    ]);
  });

  it('renders the same entry in Romanian at render time', () => {
    expect(auditDetailParts(entry('order-for submitted'), 'ro')).toEqual([
      'alegere: Această comandă este pentru un client',
    ]);
    expect(auditDetailParts(entry('customer-review submitted'), 'ro')).toEqual([
      'clientul configurează serviciile: Nu',
    ]);
    expect(auditDetailParts(entry('service-meetings submitted'), 'ro')[1]).toBe(
      'site-ul 2: stiinta-tehnica-02.webex.com · London, Birmingham, Glasgow · Regatul Unit · 25 de licențe',
    );
  });

  it('the ops view uses the same words, in English', () => {
    expect(formatDetails(entry('order-for submitted'))).toBe('choice: This order is for a customer');
    expect(formatDetails(entry('partner-org submitted'))).toContain('business vertical: Technology');
  });
});

describePdf('the order summary PDF', () => {
  it('in Romanian has no English decision text in its audit trail', async () => {
    const text = oneLine(pdfText(await renderOrderSummary(summaryInput(1, 'ro'))));
    const audit = auditPart(text, 'Istoricul deciziilor');
    expect(audit).toContain('Această comandă este pentru un client');
    expect(audit).toContain('25 de licențe');
    expect(audit).toContain('Statele Unite');
    expect(audit).toContain('Organizația clientului furnizată în Webex');
    expect(audit).toContain('Site-uri Meetings trimise către Webex');
    expect(audit).toContain('ID-ul locației Webex');
    for (const english of [
      pdfEn['orderFor.customer'],
      'licenses',
      'early release',
      'business vertical',
      'Technology',
      'adminEmail',
      'en_us',
      'United States',
      'Set up',
      ': No',
      ': Yes',
      'provisioned in Webex',
      'submitted to Webex',
      'webexOrgId',
      'webexLocationId',
    ]) {
      expect(audit).not.toContain(english);
    }
  });

  it('is tagged, with its language and title', async () => {
    for (const language of ['ro', 'en'] as const) {
      const pdf = await renderOrderSummary(summaryInput(2, language));
      const info = pdfInfo(pdf);
      expect(info.Tagged).toBe('yes');
      expect(info.Title).toContain('ORD-2026-0042');
      const catalog = pdf.toString('latin1');
      expect(catalog).toContain(`/Lang (${language})`);
      expect(catalog).toContain('/StructTreeRoot');
      expect(catalog).toContain('pdfuaid:part');
      for (const tag of [
        '/H1',
        '/H2',
        '/H3',
        '/Table',
        '/TR',
        '/TH',
        '/TD',
        '/L',
        '/LI',
        '/Lbl',
        '/LBody',
        '/P',
      ])
        expect(catalog, tag).toContain(`/S ${tag}`);
    }
  });
});
