import { webexResultLines } from '../domain/webex-results';
import PDFDocument from 'pdfkit';
import type { AuditEntry } from '../domain/audit.schema';
import { siteUrl } from '../domain/meetings.schema';
import type { OrderRecord } from '../domain/order-record.schema';
import type { Language, ServiceType } from '../domain/order.schema';
import type { Organization } from '../domain/org.schema';
import { pdfCatalogs, type PdfMessageKey } from '../i18n/pdf.catalog';
import { translator, type Vars } from '../i18n/translate';
import { addressLines } from './address';
import { auditActionText, auditDetailParts } from './audit-text';
import { parsedSummaryFonts } from './fonts';
import {
  countryName,
  formatDate,
  formatDateTime,
  formatNumber,
  formatTimestamp,
  languageName,
} from './format';
import type { SummaryInput } from './summary.types';
import { timeZoneName } from './time-zone-names';

// The order summary PDF: A4, in the contact's language, with DejaVu Sans embedded.
//
// Layout is explicit: every block is measured before it is drawn and starts a new page when it
// does not fit, so pdfkit never breaks a page on its own and no text runs into the footer.
// Tables repeat their header row on each page. Page numbers are written last, over the buffered
// pages. The output is deterministic: the dates in the PDF's metadata come from the order, the
// file id is derived from that metadata, and nothing reads the clock or a random source.
//
// The PDF is tagged (PDF/UA): every block is a structure element (H1–H3, P, L/LI/Lbl/LBody for
// label–value rows, Table/TR/TH/TD) and everything drawn only for looks (rules, fills, the
// running header and footer, a table's repeated header row) is an artifact.

type T = (key: PdfMessageKey, vars?: Vars) => string;
type Struct = PDFKit.PDFStructureElement;
// pdfkit 0.20 writes a header cell's scope; @types/pdfkit does not know the option yet.
const COLUMN_HEADER = { scope: 'Column' } as unknown as PDFKit.Mixins.StructureElementOptions;

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { top: 68, bottom: 62, left: 56, right: 56 };
const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const BOTTOM = A4.height - MARGIN.bottom;

const COLOR = {
  text: '#1f2937',
  muted: '#6b7280',
  brand: '#0b3a63',
  rule: '#d1d5db',
  headerFill: '#e6edf5',
  zebra: '#f6f8fa',
  noteFill: '#fff7e0',
  noteBorder: '#e0b84c',
};

const KV_LABEL_WIDTH = 150;
const KV_VALUE_WIDTH = CONTENT_WIDTH - KV_LABEL_WIDTH - 8;

const SIZE = { body: 10, small: 8.5, table: 9, label: 9.5, h1: 22, h2: 14, h3: 11.5 };

export interface TableColumn {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
  /** The cell's first line is drawn bold, the rest regular and smaller. */
  boldFirstLine?: boolean;
}

class SummaryWriter {
  private y = MARGIN.top;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly t: T,
    /** The document's structure element: every block is tagged under it. */
    private readonly root: Struct,
  ) {}

  // ---- tags ----------------------------------------------------------------------------

  /** Draws `draw`'s content as one structure element of `type` under `parent`. */
  private tag(type: string, draw: () => void, parent: Struct = this.root): void {
    parent.add(this.doc.struct(type, {}, draw));
  }

  /** A structure element that holds others (a list, a table, a row). */
  private container(type: string, parent: Struct = this.root): Struct {
    const element = this.doc.struct(type);
    parent.add(element);
    return element;
  }

  /** Drawn for looks only: readers and assistive technology skip it. */
  private artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout'): void {
    this.doc.markContent('Artifact', { type });
    draw();
    this.doc.endMarkedContent();
  }

  // ---- primitives ----------------------------------------------------------------------

  private use(font: 'regular' | 'bold', size: number): this {
    this.doc.font(font).fontSize(size);
    return this;
  }

  private height(text: string, font: 'regular' | 'bold', size: number, width: number): number {
    this.use(font, size);
    return this.doc.heightOfString(text || ' ', { width, lineGap: 1 });
  }

  private draw(
    text: string,
    x: number,
    y: number,
    width: number,
    font: 'regular' | 'bold',
    size: number,
    color = COLOR.text,
    align: 'left' | 'right' | 'center' = 'left',
  ): void {
    this.use(font, size);
    this.doc.fillColor(color).text(text, x, y, { width, lineGap: 1, align });
  }

  newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  /** Starts a new page unless `needed` points fit above the footer. */
  private ensure(needed: number): void {
    if (this.y + needed > BOTTOM) this.newPage();
  }

  private gap(points: number): void {
    this.y += points;
  }

  // ---- blocks --------------------------------------------------------------------------

  title(orderId: string, asOf: string): void {
    const y = this.y;
    this.tag('P', () =>
      this.draw(this.t('doc.brand'), MARGIN.left, y, CONTENT_WIDTH, 'regular', SIZE.label, COLOR.muted),
    );
    this.gap(16);
    const y1 = this.y;
    this.tag('H1', () =>
      this.draw(this.t('doc.title'), MARGIN.left, y1, CONTENT_WIDTH, 'bold', SIZE.h1, COLOR.brand),
    );
    this.gap(32);
    const y2 = this.y;
    this.tag('P', () => this.draw(orderId, MARGIN.left, y2, CONTENT_WIDTH, 'bold', SIZE.h3));
    this.gap(17);
    const y3 = this.y;
    this.tag('P', () =>
      this.draw(
        this.t('doc.asOf', { date: asOf }),
        MARGIN.left,
        y3,
        CONTENT_WIDTH,
        'regular',
        SIZE.label,
        COLOR.muted,
      ),
    );
    this.gap(18);
    this.rule(COLOR.brand, 1.5);
    this.gap(14);
  }

  private rule(color = COLOR.rule, width = 0.75): void {
    this.artifact(() =>
      this.doc
        .moveTo(MARGIN.left, this.y)
        .lineTo(MARGIN.left + CONTENT_WIDTH, this.y)
        .lineWidth(width)
        .strokeColor(color)
        .stroke(),
    );
  }

  /** A section title, kept on the same page as at least `keepWithNext` points of what follows. */
  section(title: string, keepWithNext = 80): void {
    this.ensure(26 + keepWithNext);
    this.gap(6);
    this.tag('H2', () => this.draw(title, MARGIN.left, this.y, CONTENT_WIDTH, 'bold', SIZE.h2, COLOR.brand));
    this.gap(20);
    this.rule();
    this.gap(8);
  }

  /** A heading kept with `keepWithNext` points of what follows (at most a page's worth). */
  subheading(text: string, keepWithNext = 50): void {
    const h = this.height(text, 'bold', SIZE.h3, CONTENT_WIDTH);
    this.ensure(Math.min(h + 6 + keepWithNext, BOTTOM - MARGIN.top));
    this.gap(4);
    this.tag('H3', () => this.draw(text, MARGIN.left, this.y, CONTENT_WIDTH, 'bold', SIZE.h3));
    this.gap(h + 4);
  }

  paragraph(text: string, size = SIZE.body, color = COLOR.text): void {
    const h = this.height(text, 'regular', size, CONTENT_WIDTH);
    this.ensure(h);
    this.tag('P', () => this.draw(text, MARGIN.left, this.y, CONTENT_WIDTH, 'regular', size, color));
    this.gap(h + 6);
  }

  private keyValueHeight(label: string, value: string): number {
    return Math.max(
      this.height(label, 'regular', SIZE.label, KV_LABEL_WIDTH),
      this.height(value, 'regular', SIZE.body, KV_VALUE_WIDTH),
    );
  }

  /** Height of a keyValues block. */
  keyValuesHeight(rows: [string, string][]): number {
    return rows.reduce((sum, [label, value]) => sum + this.keyValueHeight(label, value) + 5, 4);
  }

  noteHeight(label: string, text: string): number {
    const width = CONTENT_WIDTH - 16;
    return (
      this.height(label, 'bold', SIZE.label, width) + 2 + this.height(text, 'regular', SIZE.label, width) + 26
    );
  }

  /** Starts a new page unless `needed` points fit (a block that must not split). */
  keepTogether(needed: number): void {
    this.ensure(Math.min(needed, BOTTOM - MARGIN.top));
  }

  /** Label / value rows; a row never splits across pages. */
  keyValues(rows: [string, string][], gapAfter = 4): void {
    const labelWidth = KV_LABEL_WIDTH;
    const valueWidth = KV_VALUE_WIDTH;
    const list = this.container('L');
    for (const [label, value] of rows) {
      const h = this.keyValueHeight(label, value);
      this.ensure(h + 5);
      const item = this.container('LI', list);
      this.tag(
        'Lbl',
        () => this.draw(label, MARGIN.left, this.y + 0.5, labelWidth, 'regular', SIZE.label, COLOR.muted),
        item,
      );
      this.tag(
        'LBody',
        () => this.draw(value, MARGIN.left + labelWidth + 8, this.y, valueWidth, 'regular', SIZE.body),
        item,
      );
      this.gap(h + 5);
    }
    this.gap(gapAfter);
  }

  /** A highlighted note (the Provisioning admin explanation). */
  note(label: string, text: string): void {
    const pad = 8;
    const width = CONTENT_WIDTH - 2 * pad;
    const h =
      this.height(label, 'bold', SIZE.label, width) + 2 + this.height(text, 'regular', SIZE.label, width);
    this.ensure(h + 2 * pad + 6);
    this.artifact(() =>
      this.doc
        .rect(MARGIN.left, this.y, CONTENT_WIDTH, h + 2 * pad)
        .lineWidth(0.75)
        .fillAndStroke(COLOR.noteFill, COLOR.noteBorder),
    );
    const labelHeight = this.height(label, 'bold', SIZE.label, width);
    const note = this.container('Note');
    this.tag('P', () => this.draw(label, MARGIN.left + pad, this.y + pad, width, 'bold', SIZE.label), note);
    this.tag(
      'P',
      () => this.draw(text, MARGIN.left + pad, this.y + pad + labelHeight + 2, width, 'regular', SIZE.label),
      note,
    );
    this.gap(h + 2 * pad + 10);
  }

  private cellHeight(column: TableColumn, text: string, inner: number): number {
    if (!column.boldFirstLine) return this.height(text, 'regular', SIZE.table, inner);
    const [first = '', ...rest] = text.split('\n');
    const firstHeight = this.height(first, 'bold', SIZE.table, inner);
    return rest.length
      ? firstHeight + 1 + this.height(rest.join('\n'), 'regular', SIZE.small, inner)
      : firstHeight;
  }

  private drawCell(
    column: TableColumn,
    text: string,
    x: number,
    y: number,
    inner: number,
    bold: boolean,
  ): void {
    const align = column.align ?? 'left';
    if (!column.boldFirstLine) {
      this.draw(text, x, y, inner, bold ? 'bold' : 'regular', SIZE.table, COLOR.text, align);
      return;
    }
    const [first = '', ...rest] = text.split('\n');
    this.draw(first, x, y, inner, 'bold', SIZE.table, COLOR.text, align);
    if (rest.length) {
      const firstHeight = this.height(first, 'bold', SIZE.table, inner);
      this.draw(rest.join('\n'), x, y + firstHeight + 1, inner, 'regular', SIZE.small, COLOR.muted, align);
    }
  }

  /** The header row: tagged TH cells in `table`, or (repeated on a later page) an artifact. */
  private tableHeader(columns: TableColumn[], table?: Struct): void {
    const pad = 5;
    const h =
      Math.max(...columns.map((c) => this.height(c.header, 'bold', SIZE.table, c.width - 2 * pad))) + 2 * 4;
    this.artifact(() => this.doc.rect(MARGIN.left, this.y, CONTENT_WIDTH, h).fill(COLOR.headerFill));
    const row = table ? this.container('TR', table) : undefined;
    let x = MARGIN.left;
    for (const c of columns) {
      const cellX = x;
      const drawCell = () =>
        this.draw(
          c.header,
          cellX + pad,
          this.y + 4,
          c.width - 2 * pad,
          'bold',
          SIZE.table,
          COLOR.brand,
          c.align ?? 'left',
        );
      if (row) row.add(this.doc.struct('TH', COLUMN_HEADER, drawCell));
      else this.artifact(drawCell);
      x += c.width;
    }
    this.gap(h);
  }

  /**
   * A table whose rows never split; when a row does not fit, the table continues on the next
   * page under "<title> (continued)" and its header row again. `boldRows` are drawn bold (totals).
   */
  table(
    title: string,
    columns: TableColumn[],
    rows: string[][],
    boldRows: ReadonlySet<number> = new Set(),
  ): void {
    const pad = 5;
    const vpad = 4;
    const heights = rows.map(
      (row) =>
        Math.max(...columns.map((c, i) => this.cellHeight(c, row[i] ?? '', c.width - 2 * pad))) + 2 * vpad,
    );
    const headerHeight = 22;
    // The header is never left alone at the bottom of a page.
    this.ensure(headerHeight + (heights[0] ?? 0));
    const table = this.container('Table');
    this.tableHeader(columns, table);
    rows.forEach((row, r) => {
      const h = heights[r] ?? 0;
      if (this.y + h > BOTTOM) {
        this.newPage();
        this.artifact(() =>
          this.draw(
            this.t('doc.continued', { title }),
            MARGIN.left,
            this.y,
            CONTENT_WIDTH,
            'regular',
            SIZE.small,
            COLOR.muted,
          ),
        );
        this.gap(14);
        this.tableHeader(columns);
      }
      if (r % 2 === 1)
        this.artifact(() => this.doc.rect(MARGIN.left, this.y, CONTENT_WIDTH, h).fill(COLOR.zebra));
      const tr = this.container('TR', table);
      let x = MARGIN.left;
      columns.forEach((c, i) => {
        const cellX = x;
        this.tag(
          'TD',
          () =>
            this.drawCell(c, row[i] ?? '', cellX + pad, this.y + vpad, c.width - 2 * pad, boldRows.has(r)),
          tr,
        );
        x += c.width;
      });
      this.gap(h);
      this.artifact(() =>
        this.doc
          .moveTo(MARGIN.left, this.y)
          .lineTo(MARGIN.left + CONTENT_WIDTH, this.y)
          .lineWidth(0.5)
          .strokeColor(COLOR.rule)
          .stroke(),
      );
    });
    this.gap(10);
  }

  /** Running header (from page 2) and "Page n of m" footer on every page, written last. */
  decoratePages(orderId: string): void {
    const range = this.doc.bufferedPageRange();
    const total = range.count;
    for (let i = range.start; i < range.start + total; i++) {
      this.doc.switchToPage(i);
      // Writing in the margins must not make pdfkit start a page.
      const saved = this.doc.page.margins;
      this.doc.page.margins = { ...saved, top: 0, bottom: 0 };
      this.doc.markContent('Artifact', { type: 'Pagination' });
      if (i > range.start) {
        this.draw(
          this.t('doc.runningHeader', { orderId }),
          MARGIN.left,
          32,
          CONTENT_WIDTH,
          'regular',
          SIZE.small,
          COLOR.muted,
        );
        this.doc
          .moveTo(MARGIN.left, 46)
          .lineTo(MARGIN.left + CONTENT_WIDTH, 46)
          .lineWidth(0.5)
          .strokeColor(COLOR.rule)
          .stroke();
      }
      const footerY = A4.height - 40;
      this.doc
        .moveTo(MARGIN.left, footerY - 8)
        .lineTo(MARGIN.left + CONTENT_WIDTH, footerY - 8)
        .lineWidth(0.5)
        .strokeColor(COLOR.rule)
        .stroke();
      this.draw(
        this.t('doc.brand'),
        MARGIN.left,
        footerY,
        CONTENT_WIDTH / 2,
        'regular',
        SIZE.small,
        COLOR.muted,
      );
      this.draw(
        this.t('doc.page', { n: i - range.start + 1, m: total }),
        MARGIN.left + CONTENT_WIDTH / 2,
        footerY,
        CONTENT_WIDTH / 2,
        'regular',
        SIZE.small,
        COLOR.muted,
        'right',
      );
      this.doc.endMarkedContent();
      this.doc.page.margins = saved;
    }
  }
}

// ---- content ---------------------------------------------------------------------------

function orderSection(w: SummaryWriter, t: T, order: OrderRecord, language: Language): void {
  w.section(t('section.order'));
  const rows: [string, string][] = [
    [t('order.id'), order.orderId],
    [t('order.placedAt'), formatDateTime(order.placedAt, language)],
    [t('order.subscriptionId'), order.subscriptionId],
  ];
  if (order.partnerName) rows.push([t('order.partnerName'), order.partnerName]);
  rows.push([t('order.contact'), `${order.contact.name}\n${order.contact.email}`]);
  rows.push([t('order.language'), t(`language.${order.contact.language}`)]);
  if (order.orderFor) rows.push([t('order.orderFor'), t(`orderForRow.${order.orderFor}`)]);
  w.keyValues(rows);

  const qty = 110;
  const status = 150;
  w.table(
    t('order.purchased'),
    [
      { header: t('table.service'), width: CONTENT_WIDTH - qty - status },
      { header: t('table.quantity'), width: qty, align: 'right' },
      { header: t('table.status'), width: status },
    ],
    order.services.map((s) => {
      const provisionedAt = order.provisioned[s.type]?.provisionedAt;
      return [
        t(`service.${s.type}`),
        formatNumber(s.quantity, language),
        provisionedAt
          ? t('service.provisionedAt', { date: formatDate(provisionedAt, language) })
          : t('service.notProvisioned'),
      ];
    }),
  );
}

function domainsText(t: T, org: Organization): string {
  if (org.domains.length === 0) return t('org.noDomains');
  return org.domains
    .map((d) => t(d.status === 'verified' ? 'org.domainVerified' : 'org.domainClaimed', { domain: d.domain }))
    .join('\n');
}

function orgRows(t: T, language: Language, name: string, org: Organization | undefined, created: boolean) {
  const rows: [string, string][] = [[t('org.name'), name]];
  if (org) {
    rows.push([t('org.country'), countryName(org.country, language)]);
    rows.push([t('org.vertical'), t(`vertical.${org.businessVertical}`)]);
    rows.push([t('org.domains'), domainsText(t, org)]);
  }
  rows.push([t('org.origin'), t(created ? 'org.created' : 'org.existing')]);
  return rows;
}

function organizationsSection(w: SummaryWriter, t: T, input: SummaryInput, language: Language): void {
  const { order } = input;
  w.section(t('section.organizations'));

  w.subheading(t('org.partner'));
  if (order.partnerOrg) {
    w.keyValues(orgRows(t, language, order.partnerOrg.name, input.partnerOrg, order.partnerOrg.created));
  } else {
    w.paragraph(order.orderFor === 'my-company' ? t('org.noPartner') : t('org.notMapped'));
  }

  const customer = order.customerOrg;
  if (!customer) {
    w.subheading(t('org.customer'));
    w.paragraph(t('org.notMapped'));
    return;
  }
  const rows = orgRows(t, language, customer.name, input.customerOrg, customer.created);
  rows.push([t('org.adminEmail'), customer.adminEmail]);
  if (customer.partnerRole) rows.push([t('org.partnerRole'), t(`role.${customer.partnerRole}`)]);
  if (order.selfSetup) rows.push([t('org.selfSetup'), t('org.selfSetupYes')]);
  const adminNote =
    customer.partnerRole === 'provisioning-admin'
      ? ([t('role.provisioning-admin'), t('role.provisioningAdminNote')] as const)
      : undefined;
  // The heading stays with the organization's first rows; the rows may then run onto the next
  // page (keeping the whole block together left half of the first page empty). The Provisioning
  // admin note explains the role row above it: that row and the note stay on one page.
  const roleRow = adminNote ? rows.findIndex(([label]) => label === t('org.partnerRole')) : -1;
  const before = roleRow >= 0 ? rows.slice(0, roleRow) : rows;
  const after = roleRow >= 0 ? rows.slice(roleRow) : [];
  w.subheading(t('org.customer'), w.keyValuesHeight(rows.slice(0, 3)));
  w.keyValues(before, after.length > 0 ? 0 : 4);
  if (adminNote) {
    w.keepTogether(w.keyValuesHeight(after) + w.noteHeight(...adminNote));
    w.keyValues(after);
    w.note(...adminNote);
  } else if (after.length > 0) {
    w.keyValues(after);
  }
}

function servicesSection(w: SummaryWriter, t: T, order: OrderRecord, language: Language): void {
  w.section(t('section.services'));
  const types: ServiceType[] = [...new Set(order.services.map((s) => s.type))];
  for (const type of types) {
    w.subheading(t(`service.${type}`), 60);
    if (type === 'meetings') meetingsBlock(w, t, order, language);
    else callingBlock(w, t, order, language);
  }
}

function meetingsBlock(w: SummaryWriter, t: T, order: OrderRecord, language: Language): void {
  const meetings = order.provisioned.meetings;
  if (!meetings) {
    w.paragraph(t('service.notProvisionedNote'), SIZE.label, COLOR.muted);
    return;
  }
  w.keyValues([
    [
      t('table.status'),
      t('service.provisionedAt', { date: formatDateTime(meetings.provisionedAt, language) }),
    ],
  ]);
  const rows = meetings.sites.map((site) => [
    siteUrl(site.siteName),
    timeZoneName(site.timeZone, language),
    t(site.earlyRelease ? 'common.yes' : 'common.no'),
    formatNumber(site.licenses, language),
  ]);
  const total = meetings.sites.reduce((sum, s) => sum + s.licenses, 0);
  rows.push([t('meetings.total'), '', '', formatNumber(total, language)]);
  const early = 90;
  const licenses = 70;
  const tz = 140;
  w.table(
    t('meetings.sites'),
    [
      { header: t('meetings.siteUrl'), width: CONTENT_WIDTH - early - licenses - tz },
      { header: t('meetings.timeZone'), width: tz },
      { header: t('meetings.earlyRelease'), width: early },
      { header: t('meetings.licenses'), width: licenses, align: 'right' },
    ],
    rows,
    new Set([rows.length - 1]),
  );
  if (meetings.sites.some((s) => s.earlyRelease))
    w.paragraph(t('meetings.earlyReleaseNote'), SIZE.small, COLOR.muted);
}

function callingBlock(w: SummaryWriter, t: T, order: OrderRecord, language: Language): void {
  const calling = order.provisioned.calling;
  if (!calling) {
    w.paragraph(t('service.notProvisionedNote'), SIZE.label, COLOR.muted);
    return;
  }
  w.keyValues([
    [
      t('table.status'),
      t('service.provisionedAt', { date: formatDateTime(calling.provisionedAt, language) }),
    ],
  ]);
  w.subheading(t('calling.location'), 40);
  const { location } = calling;
  w.keyValues([
    [t('calling.locationName'), location.locationName],
    [t('calling.address'), addressLines(location, language).join('\n')],
    [t('calling.timeZone'), timeZoneName(location.timeZone, language)],
    [t('calling.announcementLanguage'), languageName(location.announcementLanguage, language)],
  ]);
  w.paragraph(t('calling.moreLocations'), SIZE.small, COLOR.muted);
}

function webexBlock(w: SummaryWriter, t: T, order: OrderRecord): void {
  const lines = webexResultLines(order);
  if (lines.length === 0) return;
  w.subheading(t('webex.heading'), 40);
  w.paragraph(lines.join('\n'), SIZE.label);
}

function actorLabel(t: T, actor: string): string {
  if (actor === 'system') return t('actor.system');
  if (actor === 'order-system') return t('actor.order-system');
  if (actor.startsWith('ops:')) return t('actor.ops', { name: actor.slice(4) });
  return actor;
}

function auditText(t: T, entry: AuditEntry, language: Language): string {
  const action = auditActionText(entry.action, language, t);
  const details = auditDetailParts(entry.details, language, t);
  // Details share one wrapped line under the action: a long trail stays compact.
  return details.length ? `${action}\n${details.join(' · ')}` : action;
}

function auditSection(w: SummaryWriter, t: T, audit: AuditEntry[], language: Language): void {
  w.section(t('section.audit'));
  w.paragraph(t('section.auditIntro'), SIZE.label, COLOR.muted);
  if (audit.length === 0) {
    w.paragraph(t('audit.empty'));
    return;
  }
  const when = 112;
  const who = 150;
  w.table(
    t('section.audit'),
    [
      { header: t('audit.when'), width: when },
      { header: t('audit.who'), width: who },
      { header: t('audit.what'), width: CONTENT_WIDTH - when - who, boldFirstLine: true },
    ],
    audit.map((e) => [formatTimestamp(e.at), actorLabel(t, e.actor), auditText(t, e, language)]),
  );
}

/** The summary's date: the latest fact it shows, so the same order always gives the same date. */
export function summaryDate(input: SummaryInput): Date {
  const { order } = input;
  const instants = [
    order.placedAt,
    order.provisioned.meetings?.provisionedAt,
    order.provisioned.calling?.provisionedAt,
    ...input.audit.map((a) => a.at),
  ]
    .filter((v): v is string => Boolean(v))
    .map((v) => Date.parse(v))
    .filter((v) => !Number.isNaN(v));
  return new Date(instants.length ? Math.max(...instants) : 0);
}

/** Renders the order summary PDF in the language of the order's contact. Same input → same bytes. */
export async function renderOrderSummary(input: SummaryInput): Promise<Buffer> {
  const { order } = input;
  const language = order.contact.language;
  const t: T = translator(pdfCatalogs, language);
  const fonts = parsedSummaryFonts();
  const date = summaryDate(input);

  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    // Never load a standard font: they cannot draw ș/ț, and a Lambda bundle does not ship them.
    // No default font here: the parsed DejaVu fonts are registered below.
    font: null as unknown as string,
    lang: language,
    displayTitle: true,
    pdfVersion: '1.7',
    tagged: true,
    // pdfkit 0.20 writes the PDF/UA identification; @types/pdfkit lists only the PDF/A subsets.
    subset: 'PDF/UA' as unknown as PDFKit.Mixins.PDFSubsets,
    info: {
      Title: `${t('doc.title')} ${order.orderId}`,
      Subject: t('doc.subject', { orderId: order.orderId }),
      Author: t('doc.brand'),
      Creator: t('doc.brand'),
      Producer: 'PDFKit',
      // Fixed dates also fix the file id, which pdfkit derives from this dictionary.
      CreationDate: date,
      ModDate: date,
    },
  });

  // By name, so pdfkit embeds each once per document (a font object itself is no cache key).
  // pdfkit takes fontkit fonts; @types/pdfkit lists only paths and buffers.
  doc.registerFont('regular', fonts.regular as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont('bold', fonts.bold as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font('regular');

  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const w = new SummaryWriter(doc, t, root);
  w.title(order.orderId, formatDateTime(date.toISOString(), language));
  orderSection(w, t, order, language);
  organizationsSection(w, t, input, language);
  servicesSection(w, t, order, language);
  webexBlock(w, t, order);
  auditSection(w, t, input.audit, language);
  w.decoratePages(order.orderId);
  root.end();
  doc.end();
  return finished;
}
