import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as fontkit from 'fontkit';
import { FONT_FILES, shareLayouts, summaryFonts } from '../../functions/shared/documents/fonts';
import { renderOrderSummary, summaryDate } from '../../functions/shared/documents/order-summary';
import type { AuditEntry } from '../../functions/shared/domain/audit.schema';
import { ConfigurationError } from '../../functions/shared/errors';
import {
  missingPdfTools,
  pdfFonts,
  pdfInfo,
  pdfText,
  pdfToolsRequired,
  qpdfCheck,
  SKIP_MESSAGE,
  wordBoxes,
} from './pdf-tools';
import { CUSTOMER_NAME, PARTNER_NAME, summaryInput } from './summary-fixtures';

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

describe('order summary PDF: structure and bytes', () => {
  it('is a PDF and the same input gives the same bytes', async () => {
    const [a, b] = await Promise.all([
      renderOrderSummary(summaryInput(20)),
      renderOrderSummary(summaryInput(20)),
    ]);
    expect(a.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(a.equals(b)).toBe(true);
    const again = await renderOrderSummary(summaryInput(1, 'en'));
    expect(again.equals(await renderOrderSummary(summaryInput(1, 'en')))).toBe(true);
    // The parsed fonts are shared by every render of the process: other documents in between
    // change nothing.
    expect((await renderOrderSummary(summaryInput(20))).equals(a)).toBe(true);
  });

  it('words shaped once per process lay out as freshly shaped ones, however pdfkit scales its copy', () => {
    const parse = () => fontkit.create(readFileSync(summaryFonts().regular)) as fontkit.Font;
    const fresh = parse();
    const shared = shareLayouts(parse());
    const plain = (run: fontkit.GlyphRun) => ({
      glyphs: run.glyphs.map((g) => g.id),
      positions: run.positions.map((p) => ({ ...p })),
      advanceWidth: run.advanceWidth,
    });
    for (const word of ['Ștefan', 'Țară', 'office', 'AVAWAY', 'Ștefan']) {
      const first = shared.layout(word);
      expect(plain(first)).toEqual(plain(fresh.layout(word)));
      // pdfkit scales the positions of the run it gets in place: the next caller is not affected.
      for (const p of first.positions) p.xAdvance *= 1000;
      expect(plain(shared.layout(word))).toEqual(plain(fresh.layout(word)));
    }
    // Asked with features, a word is shaped as asked, not taken from the shared runs.
    expect(plain(shared.layout('office', ['liga']))).toEqual(plain(fresh.layout('office', ['liga'])));
  });

  it('a different order gives different bytes, and the date comes from the order', async () => {
    const input = summaryInput(1);
    const changed = summaryInput(1);
    changed.order.placedAt = '2026-11-19T09:30:00Z';
    expect((await renderOrderSummary(input)).equals(await renderOrderSummary(changed))).toBe(false);
    expect(summaryDate(input).toISOString()).toBe('2026-11-21T10:20:00.000Z');
  });

  it('embeds the fonts from FONT_DIR when it is set, and says which file is missing', async () => {
    const { regular, bold } = summaryFonts();
    const dir = mkdtempSync(join(tmpdir(), 'fonts-'));
    const saved = process.env.FONT_DIR;
    try {
      process.env.FONT_DIR = dir;
      expect(() => summaryFonts()).toThrow(ConfigurationError);
      expect(() => summaryFonts()).toThrow(FONT_FILES.regular);
      copyFileSync(regular, join(dir, FONT_FILES.regular));
      copyFileSync(bold, join(dir, FONT_FILES.bold));
      expect(summaryFonts().regular).toBe(join(dir, FONT_FILES.regular));
      const fromDir = await renderOrderSummary(summaryInput(1));
      if (saved === undefined) delete process.env.FONT_DIR;
      else process.env.FONT_DIR = saved;
      expect(fromDir.equals(await renderOrderSummary(summaryInput(1)))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.FONT_DIR;
      else process.env.FONT_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const describePdf = pdfToolsRequired() ? describe : describe.skip;
if (!pdfToolsRequired()) console.warn(SKIP_MESSAGE);

describePdf('order summary PDF: checked with poppler and qpdf', () => {
  beforeAll(() => {
    if (missingPdfTools.length) throw new Error(`CI needs ${missingPdfTools.join(', ')}: ${SKIP_MESSAGE}`);
  });

  it('Romanian: the text has the order, the organizations, the site and every diacritic', async () => {
    const pdf = await renderOrderSummary(summaryInput(1, 'ro'));
    const text = oneLine(pdfText(pdf));
    for (const expected of [
      'Rezumatul comenzii',
      'ORD-2026-0042',
      'SUB-778899',
      PARTNER_NAME,
      CUSTOMER_NAME,
      'stiinta-tehnica.webex.com',
      // The time zone by the name the form showed (with the comma-below ș, ț), not its id.
      'Bucharest, Iași,',
      'Constanța · România',
      'Lansare timpurie',
      'Organizația parteneră',
      'Țara sau regiunea',
      'Verticală de afaceri',
      'Administrație publică',
      'Administrator de asigurare a accesului',
      'Organizație existentă',
      'Locația sediului principal',
      'Strada Ștefan cel Mare 12',
      '540001 Târgu Mureș',
      'Limba anunțurilor',
      'Istoricul deciziilor',
      'Organizație parteneră mapată',
      'A ales pentru cine este comanda',
      'alegere: Această comandă este pentru un client',
      'Webex Meetings furnizat',
      'Sistemul de comenzi',
      'ana.popescu@parteneri-digitali.example',
      'Pagina 1 din',
    ]) {
      expect(text).toContain(expected);
    }
    for (const letter of ['ă', 'â', 'î', 'ș', 'ț', 'Ș', 'Ț']) expect(text).toContain(letter);
    // Diacritics come out as the comma-below letters, not as the look-alike cedilla forms or boxes.
    expect(text).not.toMatch(/[şţ\uFFFD]/);
  });

  it('English: labels, the Provisioning admin note and page numbers', async () => {
    const pdf = await renderOrderSummary(summaryInput(1, 'en'));
    const text = oneLine(pdfText(pdf));
    for (const expected of [
      'Order summary',
      'Date placed 20 November 2026, 09:30 UTC',
      'Subscription ID SUB-778899',
      'Webex Meetings',
      'Webex Calling',
      'Provisioning admin',
      'request them from the customer’s administrator',
      'Site URL',
      'Early release',
      'Main (headquarters) location',
      'Audit trail',
      'Order received',
      'Page 1 of',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it.each(['en', 'ro'] as const)(
    '%s: the first page is filled before its page break, and "Order for" does not repeat itself',
    async (language) => {
      const pdf = await renderOrderSummary(summaryInput(1, language));
      const { pageHeight, words } = wordBoxes(pdf);
      const first = words.filter((w) => w.page === 1);
      const footerTop = Math.min(...first.filter((w) => /^(Page|Pagina)$/.test(w.text)).map((w) => w.yMin));
      const lowest = Math.max(...first.filter((w) => w.yMax < footerTop - 4).map((w) => w.yMax));
      // The body's last line sits in the page's last sixth above the footer, not half way down.
      expect(lowest).toBeGreaterThan(footerTop - pageHeight / 6);
      const text = oneLine(pdfText(pdf));
      if (language === 'en') {
        expect(text).toContain('Order for A customer');
        expect(text).not.toContain('Order for This order is for');
      } else {
        expect(text).toContain('Comandă pentru Un client');
        expect(text).not.toContain('Comandă pentru Această comandă');
      }
    },
  );

  it('the note appears only for a Provisioning admin; an order for the contact’s company has no partner', async () => {
    const input = summaryInput(1, 'en');
    input.order.orderFor = 'my-company';
    delete input.order.partnerOrg;
    delete input.partnerOrg;
    if (input.order.customerOrg) input.order.customerOrg.partnerRole = undefined;
    const text = oneLine(pdfText(await renderOrderSummary(input)));
    expect(text).not.toContain('Provisioning admin');
    expect(text).toContain('None: this order is for the contact’s own company.');
  });

  it('passes qpdf --check and embeds DejaVu Sans (no standard font)', async () => {
    for (const pdf of [
      await renderOrderSummary(summaryInput(1, 'ro')),
      await renderOrderSummary(summaryInput(20)),
    ]) {
      const check = qpdfCheck(pdf);
      expect(check.output).toContain('No syntax or stream encoding errors found');
      expect(check.status).toBe(0);
      const fonts = pdfFonts(pdf);
      expect(fonts).toMatch(/DejaVuSans\s.*\byes\b/);
      expect(fonts).not.toMatch(/Helvetica|Times|Courier/);
    }
    const info = pdfInfo(await renderOrderSummary(summaryInput(1, 'ro')));
    expect(info['Page size']).toMatch(/^595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(info.CreationDate).toMatch(/^2026-11-21T10:20:00/);
  });

  it('a 20-site order with a long audit trail paginates cleanly', async () => {
    const input = summaryInput(20, 'en');
    const reminders: AuditEntry[] = Array.from({ length: 30 }, (_, i) => ({
      at: `2026-11-20T12:${String(i).padStart(2, '0')}:00Z`,
      actor: 'system',
      action: 'Reminder sent',
      details: {
        step: 'Set up Webex Meetings',
        to: 'ana.popescu@parteneri-digitali.example',
        reminder: i + 1,
        of: 30,
      },
    }));
    input.audit = [...input.audit, ...reminders].sort((a, b) => a.at.localeCompare(b.at));
    const pdf = await renderOrderSummary(input);

    const info = pdfInfo(pdf);
    const pages = Number(info.Pages);
    expect(pages).toBeGreaterThan(1);
    const text = oneLine(pdfText(pdf));
    expect(text).toContain('Page 2 of');
    expect(text).toContain(`Page ${pages} of ${pages}`);
    for (let i = 1; i <= 20; i++)
      expect(text).toContain(`stiinta-tehnica-${String(i).padStart(2, '0')}.webex.com`);
    // A table that breaks continues under "(continued)" with its header row again.
    expect(text).toContain('Audit trail (continued) When Who What');

    // Nothing is drawn into the footer band except the footer itself, on every page.
    const { pageHeight, words } = wordBoxes(pdf);
    const contentBottom = pageHeight - 62;
    const footerTop = pageHeight - 45;
    const intruders = words.filter((w) => w.yMax > contentBottom + 0.5 && w.yMin < footerTop);
    expect(intruders).toEqual([]);
    const footerWords = words.filter((w) => w.yMin >= footerTop);
    expect(new Set(footerWords.filter((w) => w.text === 'Page').map((w) => w.page)).size).toBe(pages);
  });
});
