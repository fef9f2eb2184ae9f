import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { OrderPlacedDetail } from '../../functions/shared/domain/order.schema';
import { useSharedRuntime, type SharedRuntime } from '../helpers/shared-runtime';
import { uniqueOrderId } from '../fixtures/orders';
import {
  audit,
  Visitor,
  browserAvailable,
  CHROMIUM,
  isPdf,
  launchBrowser,
  newVisitor,
  openEmailAndClick,
  placeOrder,
  showEmail,
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

// The scenarios' time limit grows with the machine's load, like every other limit (vitest.config.mts).
const timeout = 180_000 * (Number(process.env.TEST_TIME_SCALE) || 1);

describe.runIf(available)('the partner wizard in a browser', { timeout, concurrent: true }, () => {
  let rt: SharedRuntime;
  let browser: Browser;
  const started = Date.now();

  beforeAll(async () => {
    rt = await useSharedRuntime();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    rt?.close();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const minor = audit.findings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
    console.log(
      `[e2e] ${audit.pages} pages checked with axe, ${audit.screenshots} screenshots in test-results/screenshots, ` +
        `${audit.findings.length - minor.length} serious/critical findings, ${minor.length} minor/moderate` +
        `${minor.length ? ` (${[...new Set(minor.map((f) => `${f.id}:${f.impact}`))].join(', ')})` : ''}; browser suite took ${seconds} s`,
    );
  });

  it('partner order for a new customer: no matches, both organizations created (JavaScript off)', async () => {
    const { context, visitor: v } = await newVisitor(browser, 'new-customer-no-js', { javaScript: false });
    const o = order({
      contact: { email: 'robin@fresh-reseller.example', name: 'Robin Fischer', language: 'en' },
      partnerName: 'Fresh Reseller GmbH',
      services: [
        { type: 'meetings', quantity: 10 },
        { type: 'calling', quantity: 4 },
      ],
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
      { name: `fresh-${o.orderId.slice(-6).toLowerCase()}`, timeZone: 'Europe/Berlin', licenses: 6 },
      { name: `fresh-at-${o.orderId.slice(-6).toLowerCase()}`, timeZone: 'Europe/Vienna', licenses: 4 },
    ]);
    await calling(v, EN, {
      name: 'Boston office',
      country: 'US',
      street: '1 Main Street',
      city: 'Boston',
      state: 'MA',
      postalCode: '02108',
      timeZone: 'America/New_York',
      announcementLanguage: 'en_us',
    });
    expect(isPdf(await downloadSummary(v, EN))).toBe(true);
    // Both organizations, two sites and a location were made in Webex: their ids (80-odd
    // characters without a break) wrap inside the done page's card instead of running past it.
    const ids = v.page.locator('.summary-list code');
    expect(await ids.count()).toBeGreaterThanOrEqual(4);
    for (const card of await v.page.locator('.org').all()) {
      expect(await card.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    }
    await v.check('done-long-webex-ids');
    // The completion email keeps its 600 px card with the same ids in it.
    await showEmail(rt, v, o.contact.email, 'is set up');
    await v.page
      .getByText(/Y2lzY29zcGFyazovL/)
      .first()
      .waitFor();
    const card = v.page.locator('table[width="600"]');
    expect((await card.boundingBox())?.width).toBeLessThanOrEqual(600);
    await v.check('email-complete-long-webex-ids');
    await context.close();
  });

  it('partner order for an existing customer: domain matches, pick one, Provisioning admin, Calling in the US', async () => {
    const { context, visitor: v } = await newVisitor(browser, 'existing-customer');
    const o = order({
      contact: { email: 'jo.new@contoso-it.com', name: 'Jo New', language: 'en' },
      partnerName: 'Contoso IT Services',
      services: [{ type: 'calling', quantity: 25 }],
    });
    await placeOrder(rt, o);
    await openEmailAndClick(rt, v, o.contact.email, o.orderId, 'Set up service');
    // A second tab on the same link, to send the same step twice.
    const stale = await context.newPage();
    await stale.goto(v.page.url());

    await orderFor(v, EN, 'customer');
    await stale.getByLabel(EN['orderFor.myCompany'], { exact: true }).check();
    await stale.getByRole('button', { name: EN['common.next'], exact: true }).click();
    await stale.getByRole('heading', { level: 1, name: EN['page.alreadyDoneTitle'] }).waitFor();
    await new Visitor(stale, 'existing-customer-stale-tab').check('already-done');
    await stale.close();

    await pickOrg(v, EN, 'Contoso IT Services');
    await customerAdminEmail(v, EN, 'new.buyer@adventure-works.com');
    expect(await v.page.getByText(EN['org.unlikely']).count()).toBe(1);
    await pickOrg(v, EN, 'Adventure Works');
    await review(v, EN, { provisioningAdmin: true, selfSetupOffered: true });
    await calling(v, EN, {
      name: 'Seattle HQ',
      country: 'US',
      street: '500 Pine Street',
      city: 'Seattle',
      state: 'WA',
      postalCode: '98101',
      timeZone: 'America/Los_Angeles',
    });
    expect(isPdf(await downloadSummary(v, EN))).toBe(true);
    await context.close();
  });

  it('my company (exact match) with three Meetings sites and a license split; the language switch', async () => {
    const { context, visitor: v } = await newVisitor(browser, 'my-company');
    const o = order({
      contact: { email: 'it.admin@fabrikam.com', name: 'Pat Admin', language: 'en' },
      services: [{ type: 'meetings', quantity: 30 }],
    });
    await placeOrder(rt, o);
    await openEmailAndClick(rt, v, o.contact.email, o.orderId, 'Set up service');
    await v.page.getByRole('link', { name: 'Română' }).click();
    await expectHeading(v, RO['orderFor.title']);
    await v.check('order-for-ro');
    await v.page.getByRole('link', { name: 'English' }).click();

    await orderFor(v, EN, 'my-company');
    await v.page.getByText(EN['org.associated']).waitFor();
    await v.check('customer-associated');
    await clickButton(v, EN['common.next']);
    // A company's own order: no self-setup box to hand the services on (checked on the review page).
    await review(v, EN, { provisioningAdmin: false, selfSetupOffered: false });

    const suffix = o.orderId.slice(-6).toLowerCase();
    // First a split that does not add up: the form comes back with the error and the values.
    await expectHeading(v, EN['service.introTitle'].replace('{service}', EN['service.meetings']));
    await clickButton(v, EN['service.now']);
    await clickButton(v, `+ ${EN['meetings.addSite']}`);
    await clickButton(v, `+ ${EN['meetings.addSite']}`);
    const sites = [`fab-${suffix}`, `fab-eu-${suffix}`, `fab-asia-${suffix}`];
    const zones = ['America/Chicago', 'Europe/Berlin', 'Asia/Singapore'];
    for (const [i, name] of sites.entries()) {
      await v.page.locator(`#f-site-${i}-name`).fill(name);
      await v.page.locator(`#f-site-${i}-tz`).selectOption(zones[i] ?? 'UTC');
      await v.page.locator(`#f-site-${i}-licenses`).fill('5');
    }
    // The running total (JavaScript) follows the typing.
    await v.page.getByText('Total: 15 of 30 licenses').waitFor();
    await clickButton(v, EN['common.next']);
    await v.page.getByText('The licenses must add up to 30 (now 15).').first().waitFor();
    await v.check('meetings-split-error');
    expect(await v.page.locator('#f-site-2-name').inputValue()).toBe(sites[2]);
    await v.page.locator('#f-site-0-licenses').fill('15');
    await v.page.locator('#f-site-1-licenses').fill('10');
    await v.page.locator('#f-site-0-early').check();
    await v.page.getByText('Total: 30 of 30 licenses').waitFor();
    await v.check('meetings-split');
    await clickButton(v, EN['common.next']);
    await expectHeading(v, EN['meetings.reviewTitle']);
    await v.check('meetings-review');
    await clickButton(v, EN['common.close']);
    expect(isPdf(await downloadSummary(v, EN))).toBe(true);
    expect(await v.page.getByText(`${sites[2]}.webex.com`, { exact: true }).count()).toBe(1);
    await context.close();
  });

  it('hand-off: the order goes to another person, the old link stops working, the new person completes it', async () => {
    const { context, visitor: v } = await newVisitor(browser, 'hand-off');
    const o = order({ contact: { email: 'alex@northwind-partners.com', name: 'Alex', language: 'en' } });
    await placeOrder(rt, o);
    await openEmailAndClick(rt, v, o.contact.email, o.orderId, 'Set up service');
    const oldLink = v.page.url();

    // A first try without an email address: the error is beside the field and at the top.
    await v.page.getByLabel(EN['orderFor.someoneElse'], { exact: true }).check();
    await clickButton(v, EN['common.next']);
    await v.page.locator('#error-summary').waitFor();
    // The email box keeps its width inside the chosen card (it was drawn as a 1 rem square).
    const emailBox = await v.page.getByLabel(EN['orderFor.email'], { exact: true }).boundingBox();
    expect(emailBox?.width ?? 0).toBeGreaterThan(200);
    await v.check('order-for-error');
    await orderFor(v, EN, 'someone-else', 'morgan@fresh-delegate.example');
    // The hand-off runs a step (new link, email) before this page: room for one Lambda retry.
    await expectHeading(v, EN['page.handedOffTitle'], 60_000);
    await v.page.getByText('morgan@fresh-delegate.example').first().waitFor();
    await v.check('after-hand-off');

    await v.page.goto(oldLink);
    await expectHeading(v, EN['page.revokedTitle']);
    await v.check('old-link-revoked');
    await clickButton(v, EN['page.newLink']);
    await expectHeading(v, EN['page.newLinkSentTitle']);
    await v.check('new-link-sent');
    await v.page.goto(`${rt.urls.web}/setup/${'x'.repeat(32)}`);
    await expectHeading(v, EN['page.invalidTitle']);
    await v.check('invalid-link');

    const { context: c2, visitor: morgan } = await newVisitor(browser, 'hand-off-new-person');
    await openEmailAndClick(rt, morgan, 'morgan@fresh-delegate.example', o.orderId, 'Set up service');
    await orderFor(morgan, EN, 'my-company');
    await morgan.page.getByText(EN['org.none']).waitFor();
    await morgan.check('customer-none');
    await createOrg(morgan, EN, 'Fresh Delegate Ltd', 'education', 'IE');
    await review(morgan, EN);
    await meetings(morgan, EN, [
      {
        name: `delegate-${o.orderId.slice(-6).toLowerCase()}`,
        timeZone: 'Europe/Dublin',
        earlyRelease: true,
      },
    ]);
    expect(isPdf(await downloadSummary(morgan, EN))).toBe(true);
    await c2.close();
    await context.close();
  });

  it('customer self-setup: the partner hands the services to the customer admin, who finishes them', async () => {
    const { context, visitor: v } = await newVisitor(browser, 'self-setup-partner');
    const o = order({
      contact: { email: 'sam@contoso-it.com', name: 'Sam', language: 'en' },
      partnerName: 'Contoso IT Services',
    });
    await placeOrder(rt, o);
    await openEmailAndClick(rt, v, o.contact.email, o.orderId, 'Set up service');
    await orderFor(v, EN, 'customer');
    await v.page.getByText(EN['org.associated']).waitFor();
    await v.check('partner-associated');
    await clickButton(v, EN['common.next']);
    await customerAdminEmail(v, EN, 'admin@tailspin-toys.com');
    await v.page.getByText(EN['org.associatedAdmin']).waitFor();
    await v.check('customer-associated');
    await clickButton(v, EN['common.next']);
    await review(v, EN, { provisioningAdmin: true, selfSetup: true });
    await expectHeading(v, EN['page.selfSetupTitle']);
    await v.check('partner-after-self-setup');

    const { context: c2, visitor: admin } = await newVisitor(browser, 'self-setup-customer-phone', {
      viewport: { width: 390, height: 844 },
    });
    await openEmailAndClick(rt, admin, 'admin@tailspin-toys.com', o.orderId, /Continue setup|Set up service/);
    await meetings(admin, EN, [
      { name: `tailspin-${o.orderId.slice(-6).toLowerCase()}`, timeZone: 'America/Toronto' },
    ]);
    expect(isPdf(await downloadSummary(admin, EN))).toBe(true);
    await c2.close();
    await context.close();
  });

  it('one whole path in Romanian: set up later, Calling in Romania, then Meetings from the deferred list', async () => {
    const { context, visitor: v } = await newVisitor(browser, 'romanian');
    const o = order({
      contact: { email: 'ioana@contoso-it.ro', name: 'Ioana Ionescu', language: 'ro' },
      partnerName: 'Contoso IT România',
      services: [
        { type: 'meetings', quantity: 20 },
        { type: 'calling', quantity: 10 },
      ],
    });
    await placeOrder(rt, o);
    await openEmailAndClick(rt, v, o.contact.email, o.orderId, 'Configurare serviciu');
    expect(await v.page.locator('html').getAttribute('lang')).toBe('ro');
    // At desktop width the Romanian step bar is one line: "Gata" does not wrap onto a second.
    const tops = await v.page
      .locator('ol.progress li')
      .evaluateAll((items) => items.map((li) => Math.round(li.getBoundingClientRect().top)));
    expect(tops.length).toBe(6);
    expect(new Set(tops).size).toBe(1);
    await orderFor(v, RO, 'customer');
    await v.page.getByText(RO['org.associated']).waitFor();
    await v.check('partener-asociat');
    await clickButton(v, RO['common.next']);
    await customerAdminEmail(v, RO, 'helpdesk@adventure-works.com');
    await v.page.getByText(RO['org.associatedAdmin']).waitFor();
    await v.check('client-asociat');
    await clickButton(v, RO['common.next']);
    await review(v, RO, { provisioningAdmin: true });

    await expectHeading(v, RO['service.introTitle'].replace('{service}', RO['service.meetings']));
    await v.check('meetings-intro');
    await clickButton(v, RO['service.later']);
    await v.page.getByText(RO['service.laterNotice'].replace('{service}', RO['service.meetings'])).waitFor();
    await calling(v, RO, {
      name: 'Sediul București',
      country: 'RO',
      street: 'Strada Ștefan cel Mare 12',
      city: 'București',
      state: 'Ilfov',
      postalCode: '010101',
      announcementLanguage: 'ro_ro',
    });
    await expectHeading(v, RO['deferred.title']);
    // What is set up already (Calling, just closed), and how to come back: the same link, by email.
    await v.page.getByRole('heading', { name: RO['deferred.doneTitle'] }).waitFor();
    expect(await v.page.locator('#already-set-up').innerText()).toContain(RO['service.calling']);
    expect(await v.page.locator('#come-back').innerText()).toContain(o.contact.email);
    await v.check('amanate');
    await clickButton(v, `${RO['service.now']} – ${RO['service.meetings']}`);
    await expectHeading(v, RO['meetings.title']);
    await v.page.locator('#f-site-0-name').fill(`contoso-ro-${o.orderId.slice(-6).toLowerCase()}`);
    await v.page.locator('#f-site-0-tz').selectOption('Europe/Bucharest');
    // The time zone select is wide enough for every label it lists: none is cut.
    const cut = await v.page.locator('#f-site-0-tz').evaluate((el) => {
      const select = el as unknown as {
        clientWidth: number;
        options: ArrayLike<{ text: string }>;
      };
      const style = el.ownerDocument.defaultView?.getComputedStyle(el);
      const canvas = el.ownerDocument.createElement('canvas') as unknown as {
        getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } };
      };
      const pen = canvas.getContext('2d');
      pen.font = `${style?.fontWeight ?? ''} ${style?.fontSize ?? ''} ${style?.fontFamily ?? ''}`;
      // Room for text: the select's inside less its padding and the arrow.
      const room =
        select.clientWidth -
        Number.parseFloat(style?.paddingLeft ?? '0') -
        Number.parseFloat(style?.paddingRight ?? '0') -
        24;
      return Array.from(select.options)
        .map((o) => o.text)
        .filter((text) => pen.measureText(text).width > room);
    });
    expect(cut).toEqual([]);
    await v.check('meetings-form');
    await clickButton(v, RO['common.next']);
    await expectHeading(v, RO['meetings.reviewTitle']);
    await v.check('meetings-review');
    await clickButton(v, RO['common.close']);
    expect(isPdf(await downloadSummary(v, RO))).toBe(true);
    expect(await v.page.getByText('Strada Ștefan cel Mare 12', { exact: false }).count()).toBeGreaterThan(0);
    await context.close();
  });
});
