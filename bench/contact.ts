import { randomUUID } from 'node:crypto';
import type { OrderPlacedDetail } from '../functions/shared/domain/order.schema';
import { wizardTranslator } from '../functions/shared/i18n/wizard.catalog';
import { Browser, h1Of, parseForms, type Click, type Page } from './browser';
import type { Mailbox, StoredEmail } from './mailbox';
import { setupLinkOf } from './mailbox';

// The scripted contact: reads the welcome email, opens "Set up service", and answers every step
// through the setup pages as a browser would (GET the page, POST its form, follow the redirect to
// the next step). Two scenarios:
// - partner-new: a partner order for a new customer; neither the partner (the contact's own
//   domain) nor the customer (the admin's domain) is in the directory, so both are created
//   through the "no match" path;
// - my-company: "This order is for my company" by it.admin@fabrikam.com, a user of Fabrikam Inc
//   in the demo directory (an exact match), mapped as it is.
// Both buy Webex Meetings (a site name unique to the order) and Webex Calling (a location name
// unique to the order: every my-company order sets up Fabrikam Inc, where a name is taken once).

export type Scenario = 'partner-new' | 'my-company';

const t = wizardTranslator('en');
const TITLES = {
  orderFor: t('orderFor.title'),
  partner: t('partner.title'),
  customer: t('customer.title'),
  review: t('review.title'),
  meetingsIntro: t('service.introTitle', { service: t('service.meetings') }),
  meetingsReview: t('meetings.reviewTitle'),
  callingIntro: t('service.introTitle', { service: t('service.calling') }),
  callingReview: t('calling.reviewTitle'),
  done: t('done.title'),
};

export interface OrderPlan {
  index: number;
  scenario: Scenario;
  detail: OrderPlacedDetail;
  /** Customer admin of a partner order. */
  adminEmail?: string;
  siteName: string;
  /** The Calling location: unique per order, as my-company orders all set up Fabrikam Inc, where a name can be used once. */
  locationName: string;
}

/** The order event's detail and the answers for order number `index` of run `runId`. */
export function planOrder(runId: string, index: number, scenario: Scenario): OrderPlan {
  const orderId = `BENCH-${runId}-${String(index).padStart(5, '0')}`;
  const tag = `${runId}-${index}`.toLowerCase();
  const siteName = `bench-${tag}`
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40)
    .replace(/-+$/, '');
  const locationName = `Headquarters ${runId}-${index}`;
  const services: OrderPlacedDetail['services'] = [
    { type: 'meetings', quantity: 10 },
    { type: 'calling', quantity: 5 },
  ];
  const placedAt = new Date().toISOString();
  if (scenario === 'partner-new') {
    return {
      index,
      scenario,
      siteName,
      locationName,
      adminEmail: `admin@customer-${tag}.example.com`,
      detail: {
        orderId,
        subscriptionId: `Sub-${orderId}`,
        placedAt,
        contact: { email: `buyer@partner-${tag}.example.com`, name: `Bench Buyer ${index}`, language: 'en' },
        partnerName: `Bench Partner ${index}`,
        services,
      },
    };
  }
  return {
    index,
    scenario,
    siteName,
    locationName,
    detail: {
      orderId,
      subscriptionId: `Sub-${orderId}`,
      placedAt,
      contact: { email: 'it.admin@fabrikam.com', name: 'Fabrikam IT', language: 'en' },
      services,
    },
  };
}

export function orderEvent(detail: OrderPlacedDetail): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    source: 'orders.subscriptions',
    'detail-type': 'Subscription Order Placed',
    account: '000000000000',
    region: 'us-east-1',
    time: new Date().toISOString(),
    resources: [],
    detail,
  };
}

export class OrderFailure extends Error {
  override name = 'OrderFailure';
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
  }
}

export interface OrderTimings {
  /** Order placed → welcome email in the mailbox. */
  toEmailMs: number;
  /** Order placed → done page. */
  totalMs: number;
  /** Submit (POST) → the next step's page rendered, by transition (epoch ms of both ends too). */
  transitions: { label: string; ms: number; submittedAt: number; shownAt: number }[];
  /** Posts that only change the form (a stage, a review) and come back with a page. */
  formPosts: number[];
}

function expectTitle(page: Page, title: string, where: string): void {
  const h1 = h1Of(page.body);
  if (h1 !== title) {
    const error = /<span class="error-msg"[^>]*>([\s\S]*?)<\/span>/.exec(page.body)?.[1];
    throw new OrderFailure(
      where,
      `expected the page "${title}", got HTTP ${page.status} "${h1}"${error ? ` (${error.trim()})` : ''}`,
    );
  }
}

/** The first non-empty option of select `name` on the page (what a person picks from the list). */
function firstOption(page: Page, name: string): string {
  for (const form of parseForms(page.body)) {
    const select = form.controls.find((c) => c.tag === 'select' && c.name === name);
    const value = select?.options?.find((o) => o.value)?.value;
    if (value) return value;
  }
  throw new OrderFailure('form', `no option to choose in ${name}`);
}

const intent = (value: string, fill?: Record<string, string>): Click => ({
  button: { name: 'intent', value },
  fill,
});

export class Contact {
  readonly browser: Browser;
  readonly timings: OrderTimings = { toEmailMs: 0, totalMs: 0, transitions: [], formPosts: [] };

  constructor(
    readonly plan: OrderPlan,
    webUrl: string,
    private readonly mailbox: Mailbox,
  ) {
    this.browser = new Browser(webUrl);
  }

  /** A post that stays on the step (a form stage). */
  private async stage(page: Page, click: Click, title: string, where: string): Promise<Page> {
    const started = performance.now();
    const next = await this.browser.click(page, click);
    this.timings.formPosts.push(performance.now() - started);
    expectTitle(next, title, where);
    return next;
  }

  /** A post that submits the step: timed until the next step's page is rendered. */
  private async submit(page: Page, click: Click, label: string, title: string): Promise<Page> {
    const started = performance.now();
    const submittedAt = Date.now();
    const next = await this.browser.click(page, click);
    this.timings.transitions.push({
      label,
      ms: performance.now() - started,
      submittedAt,
      shownAt: Date.now(),
    });
    expectTitle(next, title, label);
    return next;
  }

  private async welcomeEmail(): Promise<StoredEmail> {
    const { orderId } = this.plan.detail;
    const to = this.plan.detail.contact.email;
    try {
      return await this.mailbox.waitFor(
        (e) =>
          e.subject.includes(orderId) &&
          e.destination.to.some((a) => a.toLowerCase() === to) &&
          setupLinkOf(e) !== undefined,
        120_000,
      );
    } catch (error) {
      throw new OrderFailure('welcome email', (error as Error).message);
    }
  }

  /** From the welcome email to the done page; `placedAt` is when the order event was delivered. */
  async run(placedAt: number): Promise<void> {
    const email = await this.welcomeEmail();
    this.timings.toEmailMs = performance.now() - placedAt;
    const link = setupLinkOf(email) ?? '';
    let page = await this.browser.get(link);
    expectTitle(page, TITLES.orderFor, 'open the link');
    if (this.plan.scenario === 'partner-new') page = await this.partnerNew(page);
    else page = await this.myCompany(page);
    page = await this.services(page);
    this.timings.totalMs = performance.now() - placedAt;
    if (!page.body.includes('/summary'))
      throw new OrderFailure('done', 'the done page offers no summary PDF');
  }

  private async createOrg(
    page: Page,
    name: string,
    title: string,
    where: string,
    next: { label: string; title: string },
  ) {
    const fill = {
      name,
      businessVertical: firstOption(page, 'businessVertical'),
      country: 'US',
      street: '771 Alder Drive',
      city: 'Milpitas',
      state: 'CA',
      postalCode: '95035',
    };
    const review = await this.stage(page, intent('review', fill), title, `${where}: review new org`);
    return this.submit(review, intent('confirm'), next.label, next.title);
  }

  private async partnerNew(start: Page): Promise<Page> {
    const { index } = this.plan;
    let page = await this.submit(
      start,
      intent('submit', { choice: 'customer' }),
      'order-for → partner-org',
      TITLES.partner,
    );
    page = await this.createOrg(page, `Bench Partner ${index}`, TITLES.partner, 'partner-org', {
      label: 'partner-org → customer-org',
      title: TITLES.customer,
    });
    page = await this.stage(
      page,
      intent('lookup', { adminEmail: this.plan.adminEmail ?? '' }),
      TITLES.customer,
      'customer-org: admin email',
    );
    page = await this.createOrg(page, `Bench Customer ${index}`, TITLES.customer, 'customer-org', {
      label: 'customer-org → customer-review',
      title: TITLES.review,
    });
    return this.submit(page, intent('submit'), 'customer-review → service-meetings', TITLES.meetingsIntro);
  }

  private async myCompany(start: Page): Promise<Page> {
    let page = await this.submit(
      start,
      intent('submit', { choice: 'my-company' }),
      'order-for → customer-org',
      TITLES.customer,
    );
    page = await this.submit(page, intent('map'), 'customer-org → customer-review', TITLES.review);
    return this.submit(page, intent('submit'), 'customer-review → service-meetings', TITLES.meetingsIntro);
  }

  private async services(start: Page): Promise<Page> {
    let page = await this.stage(start, intent('start'), TITLES.meetingsIntro, 'meetings: set up now');
    page = await this.stage(
      page,
      intent('review', { 'site-0-name': this.plan.siteName, 'site-0-tz': 'Europe/Bucharest' }),
      TITLES.meetingsReview,
      'meetings: review',
    );
    page = await this.submit(
      page,
      intent('confirm'),
      'service-meetings → service-calling',
      TITLES.callingIntro,
    );
    page = await this.stage(page, intent('start'), TITLES.callingIntro, 'calling: set up now');
    page = await this.stage(
      page,
      intent('country', { locationName: this.plan.locationName, country: 'US' }),
      TITLES.callingIntro,
      'calling: country',
    );
    page = await this.stage(
      page,
      intent('review', { street: '1 Market St', city: 'San Francisco', state: 'CA', postalCode: '94105' }),
      TITLES.callingReview,
      'calling: review',
    );
    return this.submit(page, intent('confirm'), 'service-calling → done', TITLES.done);
  }
}
