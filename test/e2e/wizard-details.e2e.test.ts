import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { OrderPlacedDetail } from '../../functions/shared/domain/order.schema';
import { useSharedRuntime, type SharedRuntime } from '../helpers/shared-runtime';
import { uniqueOrderId } from '../fixtures/orders';
import {
  browserAvailable,
  isPdf,
  launchBrowser,
  newVisitor,
  openEmailAndClick,
  placeOrder,
  type Visitor,
} from './support/browser';
import {
  clickButton,
  downloadSummary,
  EN,
  expectHeading,
  orderFor,
  review,
  RO,
  type T,
} from './support/wizard-steps';

// The details a partner trips over, in a real browser, in English on a desktop and in Romanian on
// a phone-sized screen: the time zone filter, a second site's even split and its Remove button
// lined up with the labels, a draft offered back when the link is opened again, the Calling
// country label on a line of its own, the favicon (no 404 in the console). axe and screenshots
// run on every page, as in the main browser suite.

const available = browserAvailable();

function order(contact: OrderPlacedDetail['contact']): OrderPlacedDetail {
  return {
    orderId: uniqueOrderId('E2D'),
    subscriptionId: 'Sub-E2D',
    placedAt: new Date().toISOString(),
    contact,
    services: [
      { type: 'meetings', quantity: 50 },
      { type: 'calling', quantity: 5 },
    ],
  };
}

async function box(v: Visitor, selector: string) {
  const b = await v.page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not visible`);
  return b;
}

async function walk(v: Visitor, t: T, link: string, suffix: string, phone: boolean) {
  const notFound: string[] = [];
  v.page.on('response', (r) => {
    if (r.status() === 404) notFound.push(r.url());
  });
  await orderFor(v, t, 'my-company');
  await v.page.getByText(t['org.associated']).waitFor();
  await clickButton(v, t['common.next']);
  await review(v, t, { provisioningAdmin: false });

  await expectHeading(v, t['service.introTitle'].replace('{service}', t['service.meetings']));
  await clickButton(v, t['service.now']);
  await expectHeading(v, t['meetings.title']);

  // The filter box finds a zone by city, then by offset.
  const filter = v.page.getByLabel(t['tz.filter']);
  await filter.fill('Bucharest');
  expect(await v.page.locator('#f-site-0-tz').inputValue()).toBe('Europe/Bucharest');
  await filter.fill('+09:00');
  const byOffset = await v.page.locator('#f-site-0-tz').inputValue();
  expect(await v.page.locator(`#f-site-0-tz option[value="${byOffset}"]`).textContent()).toContain(
    'UTC+09:00',
  );
  await filter.fill('Tokyo');
  expect(await v.page.locator('#f-site-0-tz').inputValue()).toBe('Asia/Tokyo');
  await v.page.locator('#f-site-0-name').fill(`det-${suffix}`);
  await v.check('meetings-filtered');

  // Opening the link again shows the step's first screen and offers the draft back.
  await v.page.goto(link);
  await expectHeading(v, t['service.introTitle'].replace('{service}', t['service.meetings']));
  await v.page.getByRole('button', { name: t['draft.restore'] }).waitFor();
  await v.check('meetings-draft-offered');
  await v.page.getByRole('button', { name: t['draft.restore'] }).click();
  await expectHeading(v, t['meetings.title']);
  expect(await v.page.locator('#f-site-0-name').inputValue()).toBe(`det-${suffix}`);
  expect(await v.page.locator('#f-site-0-tz').inputValue()).toBe('Asia/Tokyo');

  // A second site: the 50 licenses split evenly, no error shown.
  await clickButton(v, `+ ${t['meetings.addSite']}`);
  expect(await v.page.locator('#f-site-0-licenses').inputValue()).toBe('25');
  expect(await v.page.locator('#f-site-1-licenses').inputValue()).toBe('25');
  expect(await v.page.locator('.total.bad').count()).toBe(0);
  expect(await v.page.locator('#error-summary').count()).toBe(0);
  // Nothing typed was lost by adding a site: no draft is offered back.
  expect(await v.page.locator('.draft').count()).toBe(0);
  // "Remove site 2" starts where the labels around it start.
  const remove = await box(v, `button[value="remove-1"]`);
  const label = await box(v, 'label[for="f-site-1-name"]');
  expect(Math.abs(remove.x - label.x)).toBeLessThan(1);
  await v.page.locator('#f-site-1-name').fill(`det2-${suffix}`);
  await v.page.locator('#f-site-1-tz').selectOption('Europe/Bucharest');
  await v.check('meetings-two-sites');
  await clickButton(v, t['common.next']);
  await expectHeading(v, t['meetings.reviewTitle']);
  await v.check('meetings-review');
  await clickButton(v, t['common.close']);

  await expectHeading(v, t['service.introTitle'].replace('{service}', t['service.calling']));
  await clickButton(v, t['service.now']);
  await v.page.getByLabel(t['calling.locationName'], { exact: true }).fill('HQ');
  await v.page.getByLabel(t['calling.country'], { exact: true }).selectOption('US');
  await v.page.locator('#f-street').waitFor();
  // Nor by choosing the country (the page came back with the address fields and the name kept).
  expect(await v.page.getByLabel(t['calling.locationName'], { exact: true }).inputValue()).toBe('HQ');
  expect(await v.page.locator('.draft').count()).toBe(0);
  // The country label spans the form: its button sits under it, beside the select.
  const countryField = await box(v, '#f-country');
  const countryLabel = await box(v, 'label[for="f-country"]');
  const form = await box(v, 'form[data-draft]');
  expect(countryLabel.width).toBeGreaterThan(form.width - 2);
  if (!phone) {
    const lineHeight = await v.page
      .locator('label[for="f-country"]')
      .evaluate((el) =>
        Number.parseFloat(el.ownerDocument.defaultView?.getComputedStyle(el).lineHeight ?? '0'),
      );
    expect(countryLabel.height).toBeLessThan(lineHeight * 1.5);
  }
  expect(countryField.y).toBeGreaterThan(countryLabel.y + countryLabel.height - 1);
  await v.check('calling-form');
  await v.page.locator('#f-street').fill('350 Fifth Avenue');
  await v.page.locator('#f-city').fill('New York');
  await v.page.locator('#f-state').fill('NY');
  await v.page.locator('#f-postalCode').fill('10118');
  await clickButton(v, t['common.next']);
  await expectHeading(v, t['calling.reviewTitle']);
  expect(await v.page.locator('dd').filter({ hasText: '350 Fifth Avenue' }).innerText()).toMatch(
    /^350 Fifth Avenue\nNew York, NY 10118\n/,
  );
  await v.check('calling-review');
  await clickButton(v, t['common.close']);
  expect(isPdf(await downloadSummary(v, t))).toBe(true);
  expect(notFound).toEqual([]);
}

// The scenarios' time limit grows with the machine's load, like every other limit (vitest.config.mts).
const timeout = 240_000 * (Number(process.env.TEST_TIME_SCALE) || 1);

describe.runIf(available)('setup page details in a browser', { timeout, concurrent: true }, () => {
  let rt: SharedRuntime;
  let browser: Browser;

  beforeAll(async () => {
    rt = await useSharedRuntime();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    rt?.close();
  });

  it('English, desktop', async () => {
    const { context, visitor: v } = await newVisitor(browser, 'details-en');
    const o = order({ email: 'it.admin@fabrikam.com', name: 'Pat Admin', language: 'en' });
    await placeOrder(rt, o);
    await openEmailAndClick(rt, v, o.contact.email, o.orderId, 'Set up service');
    await walk(v, EN, v.page.url(), o.orderId.slice(-6).toLowerCase(), false);
    await context.close();
  });

  it('Romanian, phone-sized screen', async () => {
    const { context, visitor: v } = await newVisitor(browser, 'details-ro-phone', {
      viewport: { width: 390, height: 844 },
    });
    const o = order({ email: 'magazin@adventure-works.com', name: 'Ioana Ionescu', language: 'ro' });
    await placeOrder(rt, o);
    await openEmailAndClick(rt, v, o.contact.email, o.orderId, 'Configurare serviciu');
    await walk(v, RO, v.page.url(), o.orderId.slice(-6).toLowerCase(), true);
    await context.close();
  });
});
