import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { OrderPlacedDetail } from '../../functions/shared/domain/order.schema';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { uniqueOrderId } from '../fixtures/orders';
import {
  audit,
  browserAvailable,
  CHROMIUM,
  isPdf,
  launchBrowser,
  newVisitor,
  openEmailAndClick,
  placeOrder,
} from './support/browser';
import {
  calling,
  clickButton,
  createOrg,
  customerAdminEmail,
  downloadSummary,
  EN,
  expectHeading,
  meetings,
  orderFor,
  pickOrg,
  review,
  RO,
} from './support/wizard-steps';

// The wizard in a real browser (Debian's Chromium through playwright-core) against the embedded
// runtime: each scenario starts from the email in the local mailbox, clicks Set up service and
// walks to the PDF download. axe runs on every page; every page is photographed.

const required = process.env.REQUIRE_BROWSER !== undefined && process.env.REQUIRE_BROWSER !== '';
const available = browserAvailable();
if (!available) {
  console.warn(
    `\n[e2e] ${CHROMIUM} is missing: the browser suite is ${required ? 'REQUIRED (REQUIRE_BROWSER is set) and fails' : 'skipped'}. Install Debian's chromium (apt-get install chromium) to run it.\n`,
  );
}

describe.runIf(!available && required)('browser', () => {
  it('is installed', () => {
    throw new Error(`REQUIRE_BROWSER is set but ${CHROMIUM} does not exist`);
  });
});

function order(
  overrides: Partial<OrderPlacedDetail> & { contact: OrderPlacedDetail['contact'] },
): OrderPlacedDetail {
  return {
    orderId: uniqueOrderId('E2E'),
    subscriptionId: 'Sub-E2E',
    placedAt: new Date().toISOString(),
    services: [{ type: 'meetings', quantity: 10 }],
    ...overrides,
  };
}

describe.runIf(available)('the partner wizard in a browser', () => {
  let rt: TestRuntime;
  let browser: Browser;
  const started = Date.now();

  beforeAll(async () => {
    rt = await startTestRuntime({ stepTimeoutSeconds: 3600, maxReminders: 2 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await rt?.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const minor = audit.findings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
    console.log(
      `[e2e] ${audit.pages} pages checked with axe, ${audit.screenshots} screenshots in test-results/screenshots, ` +
        `${audit.findings.length - minor.length} serious/critical findings, ${minor.length} minor/moderate` +
        `${minor.length ? ` (${[...new Set(minor.map((f) => `${f.id}:${f.impact}`))].join(', ')})` : ''}; browser suite took ${seconds} s`,
    );
  });

  it('partner order for a new customer: no matches, both organizations created', async () => {
    const { context, visitor: v } = await newVisitor(browser, 'new-customer');
    const o = order({
      contact: { email: 'robin@fresh-reseller.example', name: 'Robin Fischer', language: 'en' },
      partnerName: 'Fresh Reseller GmbH',
    });
    await placeOrder(rt, o);
    await openEmailAndClick(rt, v, o.contact.email, o.orderId, 'Set up service');

    await orderFor(v, EN, 'customer');
    await v.page.getByText(EN['org.none']).waitFor();
    await v.check('partner-none');
    await createOrg(v, EN, 'Fresh Reseller GmbH', 'technology', 'DE');
    await customerAdminEmail(v, EN, 'it@brand-new-customer.example');
    await v.page.getByText(EN['org.none']).waitFor();
    await v.check('customer-none');
    await createOrg(v, EN, 'Brand New Customer AG', 'retail', 'AT');
    await review(v, EN, { provisioningAdmin: false });
    await meetings(v, EN, [
      { name: `fresh-${o.orderId.slice(-6).toLowerCase()}`, timeZone: 'Europe/Berlin' },
    ]);
    expect(isPdf(await downloadSummary(v, EN))).toBe(true);
    await context.close();
  });
});
