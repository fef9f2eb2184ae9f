import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../functions/shared/clients';
import { issueLink } from '../../functions/shared/adapters/link-store';
import { batchPut, organizationItems } from '../../functions/shared/adapters/org-directory';
import { storeTaskToken } from '../../functions/shared/adapters/step-store';
import type { Language, OrderPlacedDetail } from '../../functions/shared/domain/order.schema';
import type { OrderRecord } from '../../functions/shared/domain/order-record.schema';
import type { StepId } from '../../functions/shared/domain/steps.schema';
import { wizardEn } from '../../functions/shared/i18n/wizard.en';
import { wizardRo } from '../../functions/shared/i18n/wizard.ro';
import { currentOffset } from '../../functions/resume/time-zones';
import { importLine } from '../fixtures/organizations';
import { mockMailbox, type Mailbox } from '../unit/support/mailbox';
import { seedOrder } from '../unit/support/seed';
import { startLocalTable, type LocalTable } from '../unit/support/local-table';
import { formTo, WebClient, type Page } from './support/web-client';

// What a partner trips over on the setup pages, over HTTP: the time zone picker, a second
// Meetings site, error messages that name their site, addresses as their country writes them,
// Romanian plurals, the no-match notice's style, hints that name the buttons on the page, a favicon.

let table: LocalTable;
let mailbox: Mailbox;
const sfn = mockClient(SFNClient);

beforeAll(async () => {
  table = await startLocalTable();
  const now = new Date().toISOString();
  await batchPut([
    // Romania has one time zone; the United States has several.
    ...organizationItems(importLine({ orgId: 'c-ro', name: 'Client RO', country: 'RO' }), now),
    ...organizationItems(
      importLine({ orgId: 'c-us', name: 'Client US', country: 'US', domains: [], users: [] }),
      now,
    ),
  ]);
});
afterAll(async () => {
  sfn.restore();
  mailbox.ses.restore();
  await table.stop();
});
beforeEach(() => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
  mailbox?.ses.restore();
  mailbox = mockMailbox();
});

async function started(
  step: StepId,
  opts: { patch?: Partial<OrderRecord>; detail?: Partial<OrderPlacedDetail>; language?: Language } = {},
) {
  const detail = {
    contact: { email: 'ana@partner.example', name: 'Ana Popescu', language: opts.language ?? 'en' },
    ...opts.detail,
  };
  const orderId = await seedOrder({ status: 'in-progress', ...opts.patch }, detail);
  await storeTaskToken(orderId, step, `AQCEAAAAKgAAAA${Math.random()}+task/token==`.padEnd(700, 'z'));
  const { linkId } = await issueLink({ orderId, recipient: detail.contact.email, role: 'contact' });
  return { orderId, url: `/setup/${linkId}` };
}

const forOrg = (orgId: string) => ({
  orderFor: 'my-company' as const,
  customerOrg: { orgId, name: 'Client', created: false, adminEmail: 'ana@partner.example' },
});

async function meetingsForm(quantity: number, orgId = 'c-us', language: Language = 'en') {
  const s = await started('service-meetings', {
    patch: forOrg(orgId),
    detail: { services: [{ type: 'meetings', quantity }] },
    language,
  });
  const client = new WebClient();
  const start = formTo((await client.get(s.url)).body, '/steps/service-meetings');
  const page = await client.post(start.action, { ...start.hidden, intent: 'start' });
  return { client, action: start.action, csrf: start.hidden.csrf ?? '', page };
}

/** The value of an input, or of the selected option of a select, by the field's id. */
function valueOf(body: string, id: string): string | undefined {
  const input = new RegExp(`<input[^>]*id="${id}"[^>]*value="([^"]*)"`).exec(body);
  if (input) return input[1];
  const select = new RegExp(`<select[^>]*id="${id}"[\\s\\S]*?</select>`).exec(body)?.[0] ?? '';
  return /<option value="([^"]*)"\s+selected/.exec(select)?.[1];
}

const text = (page: Page) => page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the time zone picker', () => {
  it('is a select grouped by region, each zone with its offset now, its cities and its country', async () => {
    const { page } = await meetingsForm(10);
    const select = /<select[^>]*id="f-site-0-tz"[\s\S]*?<\/select>/.exec(page.body)?.[0] ?? '';
    expect(select).toContain('<optgroup label="Europe">');
    expect(select).toContain('<optgroup label="North America">');
    const bucharest = /<option value="Europe\/Bucharest"[^>]*>([^<]*)</.exec(select)?.[1] ?? '';
    expect(bucharest).toContain(`(${currentOffset('Europe/Bucharest')})`);
    expect(bucharest).toContain('Bucharest');
    expect(bucharest).toContain('Romania');
    // The page's script finds a zone by city, country or offset: the words it matches are there.
    expect(select).toMatch(/<option value="Europe\/Bucharest"[^>]*data-search="[^"]*Bucharest[^"]*Romania/);
    expect(page.body).not.toContain('<datalist');
    expect(wizardEn['meetings.timeZoneHint']).not.toMatch(/typing/i);
  });

  it('names countries in the page’s language, and pre-selects the zone of an organization’s country that has only one', async () => {
    const ro = await meetingsForm(10, 'c-ro', 'ro');
    expect(valueOf(ro.page.body, 'f-site-0-tz')).toBe('Europe/Bucharest');
    expect(ro.page.body).toMatch(/<option value="Europe\/Bucharest"[^>]*>[^<]*România/);
    expect(ro.page.body).toContain('<optgroup label="America de Nord">');
    const us = await meetingsForm(10, 'c-us');
    expect(valueOf(us.page.body, 'f-site-0-tz')).toBeUndefined();
  });

  it('takes the country kept on the order when it was mapped, without reading the organization', async () => {
    const s = await started('service-meetings', {
      // An organization the directory does not hold (any more): the order's own record says RO.
      patch: {
        orderFor: 'my-company',
        customerOrg: {
          orgId: 'c-gone',
          name: 'Client',
          created: false,
          adminEmail: 'ana@partner.example',
          country: 'RO',
        },
      },
      detail: { services: [{ type: 'meetings', quantity: 10 }] },
    });
    const client = new WebClient();
    const start = formTo((await client.get(s.url)).body, '/steps/service-meetings');
    const spy = vi.spyOn(dynamodb(), 'send');

    const page = await client.post(start.action, { ...start.hidden, intent: 'start' });
    const reads = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();

    expect(valueOf(page.body, 'f-site-0-tz')).toBe('Europe/Bucharest');
    // The page's own read of its link with the order; no GetItem of the organization.
    expect(reads).toEqual(['QueryCommand']);
  });

  it('the review page names the zone as the form did, and Romanian cities with comma-below ș and ț', async () => {
    const { client, action, csrf, page: form } = await meetingsForm(10, 'c-ro', 'ro');
    const option = /<option value="Europe\/Bucharest"[^>]*>([^<]*)</.exec(form.body)?.[1] ?? '';
    expect(option).toContain('Iași');
    expect(option).toContain('Constanța');
    expect(option).not.toMatch(/[şţŞŢ]/);
    const review = await client.post(action, {
      csrf,
      intent: 'review',
      siteCount: '1',
      'site-0-name': `tz-${Date.now().toString(36)}`,
      'site-0-tz': 'Europe/Bucharest',
      'site-0-licenses': '10',
    });
    expect(review.status).toBe(200);
    expect(review.body).toContain(`<dd>${option}</dd>`);
    expect(review.body).not.toContain('Europe/Bucharest</dd>');
    // The button keeps the source document's word; one line beside it says what it does.
    expect(review.body).toMatch(/value="confirm" aria-describedby="close-hint">\s*Închidere\s*<\/button>/);
    expect(review.body).toMatch(/id="close-hint">\s*Butonul Închidere furnizează serviciul în Webex\.\s*</);
  });

  it('keeps a chosen zone that is not in the list (an alias) selected', async () => {
    const { client, action, csrf } = await meetingsForm(10);
    const page = await client.post(action, {
      csrf,
      intent: 'edit',
      siteCount: '1',
      'site-0-name': 'x',
      'site-0-tz': 'Asia/Calcutta',
    });
    expect(valueOf(page.body, 'f-site-0-tz')).toBe('Asia/Calcutta');
  });
});

describe('a second Meetings site', () => {
  it('keeps the licenses and proposes an even split, with no error on the page', async () => {
    const { client, action, csrf } = await meetingsForm(50);
    const two = await client.post(action, {
      csrf,
      intent: 'add-site',
      siteCount: '1',
      'site-0-name': 'acme',
      'site-0-tz': 'Europe/Bucharest',
    });
    expect(two.status).toBe(200);
    expect(valueOf(two.body, 'f-site-0-licenses')).toBe('25');
    expect(valueOf(two.body, 'f-site-1-licenses')).toBe('25');
    expect(two.body).not.toContain('total bad');
    expect(two.body).not.toMatch(/<div\s+class="error-summary"/);
    expect(text(two)).toContain('Total: 50 of 50 licenses');

    const three = await client.post(action, {
      csrf,
      intent: 'add-site',
      siteCount: '2',
      'site-0-licenses': '25',
      'site-1-licenses': '25',
    });
    expect(
      ['f-site-0-licenses', 'f-site-1-licenses', 'f-site-2-licenses'].map((id) => valueOf(three.body, id)),
    ).toEqual(['17', '17', '16']);
    // A split the person is still working on is theirs: a new site does not overwrite it.
    const kept = await client.post(action, {
      csrf,
      intent: 'add-site',
      siteCount: '2',
      'site-0-licenses': '40',
      'site-1-licenses': '3',
    });
    expect(valueOf(kept.body, 'f-site-0-licenses')).toBe('40');
    expect(valueOf(kept.body, 'f-site-2-licenses')).toBe('');
  });

  it('names the site in every error message and links each one to its field', async () => {
    const { client, action, csrf } = await meetingsForm(10);
    const page = await client.post(action, {
      csrf,
      intent: 'review',
      siteCount: '2',
      'site-0-name': 'acme',
      'site-1-name': 'acme-two',
      'site-0-licenses': '5',
      'site-1-licenses': '5',
    });
    expect(page.status).toBe(422);
    const summary = /<div\s+class="error-summary"[\s\S]*?<\/div>/.exec(page.body)?.[0] ?? '';
    const links = [...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ['f-site-0-tz', expect.stringMatching(/^Site 1 – Time zone: /)],
      ['f-site-1-tz', expect.stringMatching(/^Site 2 – Time zone: /)],
    ]);
    for (const [id] of links) expect(page.body).toContain(`id="${id}"`);
  });

  it('says "de" for Romanian counts from 20', async () => {
    const one = await meetingsForm(50, 'c-ro', 'ro');
    expect(text(one.page)).toContain('Toate cele 50 de licențe sunt alocate acestui site.');
    const two = await one.client.post(one.action, { csrf: one.csrf, intent: 'add-site', siteCount: '1' });
    expect(text(two)).toContain('Total: 50 din 50 de licențe');
    expect(text(two)).toContain('Distribuiți cele 50 de licențe achiziționate');
    expect(text(two)).not.toMatch(/\b50 licențe/);
  });

  it('hints name only buttons the page has', async () => {
    for (const [lang, t] of [
      ['en', wizardEn],
      ['ro', wizardRo],
    ] as const) {
      const { page } = await meetingsForm(10, 'c-us', lang);
      const buttons = [...page.body.matchAll(/<button[^>]*>([\s\S]*?)<\/button>/g)].map((m) =>
        (m[1] ?? '').replace(/\s+/g, ' ').trim(),
      );
      expect(page.body).toContain(t['common.next']);
      expect(buttons).toContain(t['common.next']);
      expect(buttons).not.toContain(t['common.close']);
      expect(text({ ...page, body: page.body })).not.toContain(t['common.close']);
    }
  });
});

describe('addresses', () => {
  it('the Calling location starts in the organization’s country, as Meetings starts in its time zone', async () => {
    for (const [orgId, country] of [
      ['c-ro', 'RO'],
      ['c-us', 'US'],
    ] as const) {
      const s = await started('service-calling', {
        patch: forOrg(orgId),
        detail: { services: [{ type: 'calling', quantity: 5 }] },
      });
      const client = new WebClient();
      const start = formTo((await client.get(s.url)).body, '/steps/service-calling');
      const page = await client.post(start.action, { ...start.hidden, intent: 'start' });
      expect(page.status).toBe(200);
      expect(valueOf(page.body, 'f-country')).toBe(country);
    }
  });

  it('the Calling review writes a US address the US way, the country in the page’s language', async () => {
    const s = await started('service-calling', {
      patch: forOrg('c-us'),
      detail: { services: [{ type: 'calling', quantity: 5 }] },
    });
    const client = new WebClient();
    const start = formTo((await client.get(s.url)).body, '/steps/service-calling');
    const location = {
      csrf: start.hidden.csrf ?? '',
      locationName: 'HQ',
      country: 'US',
      street: '350 Fifth Avenue',
      city: 'New York',
      postalCode: '10118',
      state: 'NY',
      timeZone: 'America/New_York',
      announcementLanguage: 'en_us',
    };
    const en = await client.post(start.action, { ...location, intent: 'review' });
    expect(en.body).toMatch(/350 Fifth Avenue<br \/>New York, NY 10118<br \/>United States/);
    const ro = await client.post(`${start.action}?lang=ro`, { ...location, intent: 'review' });
    expect(ro.body).toMatch(/350 Fifth Avenue<br \/>New York, NY 10118<br \/>Statele Unite/);
  });

  it('the done page writes the address as its country does', async () => {
    const s = await started('order-for', {
      patch: {
        status: 'completed',
        ...forOrg('c-us'),
        summaryKey: 'summaries/x.pdf',
        provisioned: {
          calling: {
            location: {
              locationName: 'HQ',
              country: 'US',
              street: '350 Fifth Avenue',
              city: 'New York',
              postalCode: '10118',
              state: 'NY',
              timeZone: 'America/New_York',
              announcementLanguage: 'en_us',
            },
            provisionedAt: new Date().toISOString(),
          },
        },
      },
      detail: { services: [{ type: 'calling', quantity: 5 }] },
    });
    const page = await new WebClient().get(s.url);
    expect(page.body).toMatch(/350 Fifth Avenue<br \/>New York, NY 10118<br \/>United States/);
    expect(page.body).not.toContain('10118, New York');
  });
});

describe('the frame', () => {
  it('"No matching organization found" is a neutral notice, not the success style', async () => {
    const s = await started('partner-org', {
      detail: { contact: { email: 'robin@nobody-here.example', name: 'Robin', language: 'en' } },
    });
    const page = await new WebClient().get(s.url);
    expect(page.body).toMatch(
      /<div class="notice info" role="status">\s*<strong>No matching organization found\.<\/strong>/,
    );
  });

  it('has a favicon: declared in every page and answered at /favicon.ico', async () => {
    const client = new WebClient();
    const icon = await client.get('/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.body).toContain('<svg');
    const page = await client.get('/setup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(page.body).toContain('<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,');
  });
});
