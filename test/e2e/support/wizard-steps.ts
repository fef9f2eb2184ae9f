import { wizardEn } from '../../../functions/shared/i18n/wizard.en';
import { wizardRo } from '../../../functions/shared/i18n/wizard.ro';
import type { Visitor } from './browser';

// The contact's moves through the wizard, by the labels a person reads (from the catalogs, so
// the same steps drive the English and the Romanian pages).

export type T = Record<keyof typeof wizardEn, string>;
export const EN: T = wizardEn;
export const RO: T = wizardRo;

const exact = { exact: true } as const;

export async function clickButton(v: Visitor, name: string): Promise<void> {
  await v.page.getByRole('button', { name, exact: true }).first().click();
  await v.page.waitForLoadState('load');
}

/**
 * Waits for the page's h1. The limit grows with the machine's load (vitest.config.mts); when it
 * runs out, the error names the address and what the page says instead, so a failed run in CI
 * shows where the person was.
 */
export async function expectHeading(v: Visitor, name: string, timeout = 20_000): Promise<void> {
  const scaled = timeout * (Number(process.env.TEST_TIME_SCALE) || 1);
  try {
    await v.page.getByRole('heading', { level: 1, name, exact: true }).waitFor({ timeout: scaled });
  } catch (error) {
    const text = await v.page
      .locator('body')
      .innerText({ timeout: 2_000 })
      .catch(() => '(no page text)');
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(
      `Expected the heading "${name}" within ${scaled} ms (${message}); the page at ${v.page.url()} says:\n` +
        text.replace(/\n{2,}/g, '\n').slice(0, 1500),
    );
  }
}

export async function orderFor(
  v: Visitor,
  t: T,
  choice: 'customer' | 'my-company' | 'someone-else',
  email?: string,
) {
  await expectHeading(v, t['orderFor.title']);
  await v.check('order-for');
  const label = {
    customer: t['orderFor.customer'],
    'my-company': t['orderFor.myCompany'],
    'someone-else': t['orderFor.someoneElse'],
  }[choice];
  await v.page.getByLabel(label, exact).check();
  if (email) await v.page.getByLabel(t['orderFor.email'], exact).fill(email);
  await clickButton(v, t['common.next']);
}

const ORG_ADDRESSES: Record<string, { street: string; city: string; state?: string; postalCode?: string }> = {
  DE: { street: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117' },
  AT: { street: 'Stephansplatz 1', city: 'Wien', postalCode: '1010' },
  IE: { street: '1 Grafton Street', city: 'Dublin', state: 'Dublin' },
  RO: { street: 'Strada Lipscani 1', city: 'București', state: 'București', postalCode: '030031' },
};

export async function createOrg(v: Visitor, t: T, name: string, vertical: string, country: string) {
  await v.page.getByLabel(t['org.name'], exact).fill(name);
  await v.page.getByLabel(t['org.vertical'], exact).selectOption(vertical);
  await v.page.getByLabel(t['org.country'], exact).selectOption(country);
  // Webex needs the org's postal address (street and city; county or postal code where the country has them).
  const address = ORG_ADDRESSES[country] ?? { street: '1 Main Street', city: 'Capital', postalCode: '1010' };
  await v.page.getByLabel(t['calling.street'], exact).fill(address.street);
  await v.page.getByLabel(t['calling.city'], exact).fill(address.city);
  if (address.state)
    await v.page.getByLabel(`${t['calling.state']} / ${t['calling.county']}`, exact).fill(address.state);
  if (address.postalCode) await v.page.getByLabel(t['calling.postalCode'], exact).fill(address.postalCode);
  await clickButton(v, t['common.next']);
  await v.page.getByRole('heading', { name: t['org.reviewTitle'] }).waitFor();
  await v.check('org-review');
  await clickButton(v, t['common.next']);
}

export async function customerAdminEmail(v: Visitor, t: T, email: string) {
  await v.page.getByLabel(t['customer.adminEmail'], exact).waitFor();
  await v.check('customer-admin-email');
  await v.page.getByLabel(t['customer.adminEmail'], exact).fill(email);
  await clickButton(v, t['customer.findOrg']);
}

export async function pickOrg(v: Visitor, t: T, name: string) {
  await v.page.getByText(t['org.matched']).waitFor();
  await v.check('org-matches');
  await v.page.getByLabel(name, exact).check();
  await clickButton(v, t['common.next']);
}

export async function review(
  v: Visitor,
  t: T,
  opts: {
    provisioningAdmin?: boolean;
    selfSetup?: boolean;
    /** Whether the review page offers the self-setup box (only a partner order does). */
    selfSetupOffered?: boolean;
  } = {},
) {
  await expectHeading(v, t['review.title']);
  await v.check('review');
  if (opts.provisioningAdmin !== undefined) {
    const shown = await v.page.getByText(t['review.provisioningAdmin'], exact).count();
    if (shown > 0 !== opts.provisioningAdmin) throw new Error(`Provisioning admin label shown: ${shown > 0}`);
  }
  if (opts.selfSetupOffered !== undefined) {
    // On the review page itself, before it is left.
    const offered = await v.page.getByLabel(t['review.selfSetup'], exact).count();
    if (offered > 0 !== opts.selfSetupOffered) throw new Error(`Self-setup box offered: ${offered > 0}`);
  }
  if (opts.selfSetup) await v.page.getByLabel(t['review.selfSetup'], exact).check();
  await clickButton(v, t['common.next']);
}

export interface SiteInput {
  name: string;
  timeZone: string;
  earlyRelease?: boolean;
  licenses?: number;
}

export async function meetings(v: Visitor, t: T, sites: SiteInput[]) {
  await expectHeading(v, t['service.introTitle'].replace('{service}', t['service.meetings']));
  await v.check('meetings-intro');
  await clickButton(v, t['service.now']);
  await expectHeading(v, t['meetings.title']);
  for (let i = 1; i < sites.length; i++) await clickButton(v, `+ ${t['meetings.addSite']}`);
  for (const [i, site] of sites.entries()) {
    await v.page.locator(`#f-site-${i}-name`).fill(site.name);
    await v.page.locator(`#f-site-${i}-tz`).selectOption(site.timeZone);
    if (site.earlyRelease) await v.page.locator(`#f-site-${i}-early`).check();
    if (sites.length > 1) await v.page.locator(`#f-site-${i}-licenses`).fill(String(site.licenses ?? 1));
  }
  await v.check('meetings-form');
  await clickButton(v, t['common.next']);
  await expectHeading(v, t['meetings.reviewTitle']);
  await v.check('meetings-review');
  await clickButton(v, t['common.close']);
}

export interface LocationInput {
  name: string;
  country: string;
  street: string;
  city: string;
  postalCode?: string;
  state?: string;
  timeZone?: string;
  announcementLanguage?: string;
}

export async function calling(v: Visitor, t: T, loc: LocationInput) {
  await expectHeading(v, t['service.introTitle'].replace('{service}', t['service.calling']));
  await v.check('calling-intro');
  await clickButton(v, t['service.now']);
  await expectHeading(v, t['calling.title']);
  await v.check('calling-country');
  await v.page.getByLabel(t['calling.locationName'], exact).fill(loc.name);
  // With JavaScript, choosing the country brings up its address fields; without, Continue does.
  await v.page.getByLabel(t['calling.country'], exact).selectOption(loc.country);
  if (!v.javaScript) await clickButton(v, t['common.continue']);
  await v.page.locator('#f-street').waitFor();
  await v.page.locator('#f-street').fill(loc.street);
  await v.page.locator('#f-city').fill(loc.city);
  if (loc.state !== undefined) await v.page.locator('#f-state').fill(loc.state);
  if (loc.postalCode !== undefined) await v.page.locator('#f-postalCode').fill(loc.postalCode);
  if (loc.timeZone) await v.page.locator('#f-timeZone').selectOption(loc.timeZone);
  if (loc.announcementLanguage)
    await v.page.locator('#f-announcementLanguage').selectOption(loc.announcementLanguage);
  await v.check('calling-form');
  await clickButton(v, t['common.next']);
  await expectHeading(v, t['calling.reviewTitle']);
  await v.check('calling-review');
  await clickButton(v, t['common.close']);
}

/** Waits for Done (the run provisions and renders the PDF), then downloads the summary. */
export async function downloadSummary(v: Visitor, t: T): Promise<string> {
  await expectHeading(v, t['done.title'], 60_000);
  await v.page.getByRole('link', { name: t['done.download'], exact: true }).waitFor({ timeout: 30_000 });
  await v.check('done');
  const [download] = await Promise.all([
    v.page.waitForEvent('download'),
    v.page.getByRole('link', { name: t['done.download'], exact: true }).click(),
  ]);
  const path = await download.path();
  if (!path) throw new Error('The summary download failed');
  return path;
}
