import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../functions/shared/clients';
import { issueLink } from '../../functions/shared/adapters/link-store';
import { listAudit } from '../../functions/shared/adapters/order-repository';
import {
  batchPut,
  createOrganization,
  DIRECTORY_AUDIT_ACTIONS,
  organizationItems,
} from '../../functions/shared/adapters/org-directory';
import { storeTaskToken } from '../../functions/shared/adapters/step-store';
import { ACME_ADDRESS, importLine } from '../fixtures/organizations';
import { mockMailbox, type Mailbox } from '../unit/support/mailbox';
import { seedOrder } from '../unit/support/seed';
import { startLocalTable, type LocalTable } from '../unit/support/local-table';
import { formTo, h1, WebClient } from './support/web-client';

// "Create organization" must not poison the directory: an org a contact created matches nothing
// until Webex says otherwise; the domain search shows what the source document names and no
// more; every lookup is in the order's audit trail with its query. Over HTTP, on a real DynamoDB.

let table: LocalTable;
let mailbox: Mailbox;
const sfn = mockClient(SFNClient);

beforeAll(async () => {
  table = await startLocalTable();
  await batchPut(
    organizationItems(
      importLine({
        orgId: 'p-known-dir',
        kind: 'partner',
        name: 'Known Partner SRL',
        businessVertical: 'telecommunications',
        country: 'DE',
        domains: [{ domain: 'knownpartner.example', status: 'verified' }],
        users: [
          { email: 'ana@knownpartner.example', active: true, lastActivityAt: new Date().toISOString() },
        ],
      }),
      new Date().toISOString(),
    ),
  );
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

/** A "my company" order waiting on its organization step, and the contact's link to it. */
async function orgStep(email: string, step: 'customer-org' | 'partner-org' = 'customer-org') {
  const orderId = await seedOrder(
    { status: 'in-progress', orderFor: step === 'customer-org' ? 'my-company' : 'customer' },
    { contact: { email, name: 'Contact', language: 'en' } },
  );
  await storeTaskToken(orderId, step, `AQCEAAAAKgAAAA+${orderId}/token==`.padEnd(700, 'z'));
  const { linkId } = await issueLink({ orderId, recipient: email, role: 'contact' });
  return { orderId, url: `/setup/${linkId}` };
}

describe('an organization created in the wizard', () => {
  it('is not associated by its admin’s email, nor offered for its domain, until Webex verifies it', async () => {
    // An earlier order created "Initech" with this admin: its domain is only claimed.
    const creator = await seedOrder();
    const created = await createOrganization({
      orderId: creator,
      kind: 'customer',
      organization: {
        name: 'Initech Claimed',
        businessVertical: 'technology',
        country: 'RO',
        address: ACME_ADDRESS,
      },
      adminEmail: 'boss@initech.example',
    });
    expect(created).toMatchObject({
      activeUsers: 0,
      domains: [{ domain: 'initech.example', status: 'claimed' }],
    });

    const client = new WebClient();
    const sameAdmin = await orgStep('boss@initech.example');
    const byEmail = await client.get(sameAdmin.url);
    expect(byEmail.body).toContain('No matching organization found.');
    expect(byEmail.body).not.toContain('Initech Claimed');

    const colleague = await orgStep('someone@initech.example');
    const page = await client.get(colleague.url);
    expect(page.body).toContain('No matching organization found.');
    const form = formTo(page.body, '/steps/customer-org');
    const search = await client.post(form.action, {
      ...form.hidden,
      intent: 'search',
      domain: 'initech.example',
    });
    expect(search.body).toContain('Organizations using initech.example');
    expect(search.body).not.toContain('Initech Claimed');

    // Webex verified the domain; the directory import says so: now it matches.
    await batchPut(
      organizationItems(
        importLine({
          orgId: created.orgId,
          kind: 'customer',
          name: 'Initech Claimed',
          domains: [{ domain: 'initech.example', status: 'verified' }],
          users: [{ email: 'boss@initech.example', active: true, lastActivityAt: new Date().toISOString() }],
        }),
        new Date().toISOString(),
      ),
    );
    const later = await orgStep('boss@initech.example');
    const associated = await client.get(later.url);
    expect(associated.body).toContain('we’ve associated your order with your organization');
    expect(associated.body).toContain('Initech Claimed');
  });
});

describe('the domain search', () => {
  it('shows domains, active users and last activity, not the country or the business vertical', async () => {
    const s = await orgStep('x@nowhere-dir.example', 'partner-org');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/partner-org');

    const results = await client.post(form.action, {
      ...form.hidden,
      intent: 'search',
      domain: 'knownpartner.example',
    });

    const section = results.body.slice(results.body.indexOf('Organizations using knownpartner.example'));
    expect(section).toContain('Known Partner SRL');
    expect(section).toContain('knownpartner.example · verified');
    expect(section).toContain('<dt>Active users</dt>');
    expect(section).toContain('<dt>Last user activity</dt>');
    expect(section).not.toContain('<dt>Country or region</dt>');
    expect(section).not.toContain('Germany');
    expect(section).not.toContain('<dt>Business vertical</dt>');
  });

  it('writes a lookup asked again nowhere: the page’s read of the order shows it is on the trail', async () => {
    const s = await orgStep('x@nowhere-again.example', 'partner-org');
    const client = new WebClient();
    const first = await client.get(s.url);
    const form = formTo(first.body, '/steps/partner-org');
    await client.post(form.action, { ...form.hidden, intent: 'search', domain: 'knownpartner.example' });
    const spy = vi.spyOn(dynamodb(), 'send');

    const again = await client.get(s.url);
    await client.post(form.action, { ...form.hidden, intent: 'search', domain: 'KnownPartner.example' });
    const writes = spy.mock.calls
      .map(([command]) => command.constructor.name)
      .filter((name) => name !== 'GetCommand' && name !== 'QueryCommand');
    spy.mockRestore();

    expect(h1(again.body)).toBe(h1(first.body));
    // The search post counts against the link's limit: that is its only write.
    expect(writes).toEqual(['UpdateCommand']);
    const lookups = (await listAudit(s.orderId)).filter((e) =>
      Object.values(DIRECTORY_AUDIT_ACTIONS).includes(e.action as never),
    );
    expect(lookups.map((e) => e.details.query).sort()).toEqual([
      'knownpartner.example',
      'nowhere-again.example',
      'x@nowhere-again.example',
    ]);
  });

  it('writes every lookup and search to the order’s audit trail, with its query, once per query', async () => {
    // The page's own match looks the contact up by email and by domain; then three searches, two the same.
    const s = await orgStep('x@nowhere-audit.example', 'partner-org');
    const client = new WebClient();
    const page = await client.get(s.url);
    expect(h1(page.body)).toBeTruthy();
    const form = formTo(page.body, '/steps/partner-org');
    await client.post(form.action, { ...form.hidden, intent: 'search', domain: 'knownpartner.example' });
    await client.post(form.action, { ...form.hidden, intent: 'search', domain: 'KnownPartner.example' });
    await client.post(form.action, { ...form.hidden, intent: 'search', domain: 'other-dir.example' });

    const lookups = (await listAudit(s.orderId)).filter((e) =>
      Object.values(DIRECTORY_AUDIT_ACTIONS).includes(e.action as never),
    );
    expect(
      lookups
        .map((e): Record<string, unknown> => ({ actor: e.actor, action: e.action, ...e.details }))
        .sort((a, b) => String(a.query).localeCompare(String(b.query))),
    ).toEqual([
      {
        actor: 'x@nowhere-audit.example',
        action: 'Directory searched by domain',
        query: 'knownpartner.example',
        results: 1,
      },
      {
        actor: 'x@nowhere-audit.example',
        action: 'Directory searched by domain',
        query: 'nowhere-audit.example',
        results: 0,
      },
      {
        actor: 'x@nowhere-audit.example',
        action: 'Directory searched by domain',
        query: 'other-dir.example',
        results: 0,
      },
      {
        actor: 'x@nowhere-audit.example',
        action: 'Directory searched by email',
        query: 'x@nowhere-audit.example',
        results: 0,
      },
    ]);
  });
});
