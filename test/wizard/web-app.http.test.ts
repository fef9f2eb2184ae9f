import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../functions/shared/clients';
import { resetConfig } from '../../functions/shared/config';
import {
  issueLink,
  listLinks,
  revokeLinks,
  REVOKED_BY_HAND_OFF,
} from '../../functions/shared/adapters/link-store';
import { findOrder, listAudit, updateOrder } from '../../functions/shared/adapters/order-repository';
import {
  batchPut,
  organizationItems,
  reserveSiteName,
  siteNameHolder,
} from '../../functions/shared/adapters/org-directory';
import { claimStep, getStep, setDeferred, storeTaskToken } from '../../functions/shared/adapters/step-store';
import { hashToken } from '../../functions/shared/domain/links';
import type { StepId } from '../../functions/shared/domain/steps.schema';
import type { AssigneeRole, OrderPlacedDetail } from '../../functions/shared/domain/order.schema';
import type { OrderRecord } from '../../functions/shared/domain/order-record.schema';
import { importLine } from '../fixtures/organizations';
import { mockMailbox, type Mailbox } from '../unit/support/mailbox';
import { seedOrder } from '../unit/support/seed';
import { startLocalTable, type LocalTable } from '../unit/support/local-table';
import { decode, formTo, h1, WebClient } from './support/web-client';
import { handleWebRequest } from '../../functions/resume/web-app';
import { PAGES } from '../../functions/resume/views';
import { ensureCustomer, ensureSite } from '../../functions/shared/webex/webex-port';
import { startTestWebex, type TestWebex } from '../unit/support/local-webex';
import { useLocalPrecheckInvoker } from '../../functions/shared/adapters/webex-precheck-invoker';
import { webexPrecheck } from '../../functions/webex-precheck/handler';
import type { WebexPrecheckRequest } from '../../functions/shared/webex/webex-precheck.schema';

// The setup pages over HTTP shapes against a real DynamoDB (dynalite): each error page with its
// status code, and each step's form posting the decision the state machine expects.

let table: LocalTable;
let mailbox: Mailbox;
let webex: TestWebex;
const sfn = mockClient(SFNClient);
/** What the pages asked the WebexPrecheck function. */
const prechecks: WebexPrecheckRequest[] = [];

beforeAll(async () => {
  // The pages invoke the WebexPrecheck function before Close; here it runs in this process.
  useLocalPrecheckInvoker((request) => {
    prechecks.push(request);
    return webexPrecheck(request);
  });
  table = await startLocalTable();
  webex = await startTestWebex();
  await batchPut([
    ...organizationItems(
      importLine({
        orgId: 'p-known',
        kind: 'partner',
        name: 'Known Partner SRL',
        domains: [{ domain: 'partner.example', status: 'verified' }],
        users: [{ email: 'ana@partner.example', active: true, lastActivityAt: new Date().toISOString() }],
      }),
      new Date().toISOString(),
    ),
    ...organizationItems(
      importLine({
        orgId: 'c-acme',
        kind: 'customer',
        name: 'Acme <Industries>',
        domains: [{ domain: 'acme.example', status: 'verified' }],
        users: [],
      }),
      new Date().toISOString(),
    ),
    ...organizationItems(
      importLine({
        orgId: 'c-acme-old',
        kind: 'customer',
        name: 'Acme Old',
        domains: [{ domain: 'acme.example', status: 'claimed' }],
        users: [],
      }),
      new Date().toISOString(),
    ),
  ]);
});
afterAll(async () => {
  sfn.restore();
  mailbox.ses.restore();
  await webex.stop();
  await table.stop();
});
beforeEach(() => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
  mailbox?.ses.restore();
  mailbox = mockMailbox();
});

const token = (n = 1) => `AQCEAAAAKgAAAA${n}+task/token==`.padEnd(700, 'z');

interface Started {
  orderId: string;
  linkId: string;
  url: string;
  token: string;
}

async function started(
  step: StepId,
  opts: {
    patch?: Partial<OrderRecord>;
    detail?: Partial<OrderPlacedDetail>;
    ttlSeconds?: number;
    role?: AssigneeRole;
    recipient?: string;
    extraSteps?: StepId[];
  } = {},
): Promise<Started> {
  const detail = {
    contact: { email: 'ana@partner.example', name: 'Ana Popescu', language: 'en' as const },
    ...opts.detail,
  };
  const orderId = await seedOrder({ status: 'in-progress', ...opts.patch }, detail);
  const t = token(Math.floor(Math.random() * 1e9));
  await storeTaskToken(orderId, step, t);
  for (const extra of opts.extraSteps ?? []) await storeTaskToken(orderId, extra, `${t}-${extra}`);
  const recipient = opts.recipient ?? opts.patch?.assignee?.email ?? detail.contact.email;
  const { linkId } = await issueLink({
    orderId,
    recipient,
    role: opts.role ?? 'contact',
    ttlSeconds: opts.ttlSeconds,
  });
  return { orderId, linkId, url: `/setup/${linkId}`, token: t };
}

function sentOutputs(): unknown[] {
  return sfn.commandCalls(SendTaskSuccessCommand).map((c) => JSON.parse(c.args[0].input.output ?? 'null'));
}

describe('links', () => {
  it('answers an unknown link and a malformed one with the same "link not valid" page (404)', async () => {
    const client = new WebClient();
    const unknown = await client.get('/setup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const malformed = await client.get('/setup/not-a-link');
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(h1(unknown.body)).toBe('This link is not valid');
    expect(malformed.body.replace(/\/setup\/[^"?]+/g, '')).toBe(unknown.body.replace(/\/setup\/[^"?]+/g, ''));
  });

  it('answers a tampered link (one character changed) with 404', async () => {
    const { linkId } = await started('order-for');
    const tampered = `${linkId.slice(0, -1)}${linkId.endsWith('A') ? 'B' : 'A'}`;
    const page = await new WebClient().get(`/setup/${tampered}`);
    expect(page.status).toBe(404);
  });

  it('answers an expired link with 410 and offers a new link, sent only to the address on file', async () => {
    const s = await started('order-for', { ttlSeconds: -60 });
    const client = new WebClient();

    const page = await client.get(s.url);
    expect(page.status).toBe(410);
    expect(h1(page.body)).toBe('This link has expired');
    const form = formTo(page.body, '/new-link');
    const sent = await client.post(form.action, form.hidden);

    expect(sent.status).toBe(200);
    expect(h1(sent.body)).toBe('Check your email');
    const emails = mailbox.sent();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.to).toEqual(['ana@partner.example']);
    expect(await listLinks(s.orderId)).toHaveLength(2);
    // A second request for the same old link sends nothing more.
    await client.post(form.action, form.hidden);
    expect(mailbox.sent()).toHaveLength(1);
  });

  it('answers a link revoked by a hand-off with 410, and a new link goes to the current assignee only', async () => {
    const s = await started('order-for');
    await updateOrder(s.orderId, { assignee: { email: 'bob@other.example', role: 'delegate' } });
    await revokeLinks(s.orderId, 'handed off', 'bob@other.example');
    const client = new WebClient();

    const page = await client.get(s.url);
    expect(page.status).toBe(410);
    expect(h1(page.body)).toBe('This link no longer works');
    const form = formTo(page.body, '/new-link');
    await client.post(form.action, form.hidden);

    expect(mailbox.sent().map((m) => m.to)).toEqual([['bob@other.example']]);
  });

  it('shows where the order stands to a link whose recipient is no longer the assignee', async () => {
    const s = await started('order-for');
    await updateOrder(s.orderId, { assignee: { email: 'bob@other.example', role: 'delegate' } });
    const page = await new WebClient().get(s.url);
    expect(page.status).toBe(200);
    expect(h1(page.body)).toBe('This order is with someone else now');
    expect(page.body).toContain('Where the order stands');
  });

  it('shows a cancelled order as cancelled', async () => {
    const s = await started('order-for', { patch: { status: 'cancelled' } });
    const page = await new WebClient().get(s.url);
    expect(h1(page.body)).toBe('This order was cancelled');
  });

  it('keeps a customer admin (services) link away from the other steps (403)', async () => {
    const s = await started('order-for', {
      role: 'customer-admin',
      patch: { assignee: { email: 'admin@acme.example', role: 'customer-admin' } },
    });
    const client = new WebClient();
    const page = await client.get(s.url);
    expect(h1(page.body)).toBe('We’re working on your order');
    const posted = await client.post(`${s.url}/steps/order-for`, { csrf: 'x', choice: 'customer' });
    expect(posted.status).toBe(403);
    expect(sentOutputs()).toEqual([]);
  });
});

describe('language', () => {
  it('defaults to the contact’s language, switches with ?lang= and keeps the choice in a cookie', async () => {
    const s = await started('order-for', {
      detail: { contact: { email: 'ana@partner.example', name: 'Ana', language: 'ro' } },
    });
    const client = new WebClient();

    const ro = await client.get(s.url);
    expect(ro.body).toContain('<html lang="ro">');
    expect(h1(ro.body)).toBe('Pentru cine este această comandă?');
    expect(ro.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(ro.body).toMatch(/<meta charset="utf-8"\s*\/?>/);

    const en = await client.get(`${s.url}?lang=en`);
    expect(h1(en.body)).toBe('Who is this order for?');
    expect(en.cookies[0]).toMatch(/^wz_session=.+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    const again = await client.get(s.url);
    expect(again.body).toContain('<html lang="en">');
  });
});

describe('order-for', () => {
  it('refuses a post without the CSRF token, or with another step’s token (403), and changes nothing', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const page = await client.get(s.url);
    const form = formTo(page.body, '/steps/order-for');

    const none = await client.post(form.action, { choice: 'customer' });
    const wrong = await client.post(form.action, { csrf: `${form.hidden.csrf}x`, choice: 'customer' });
    const otherStep = await client.post(`${s.url}/steps/partner-org`, {
      csrf: form.hidden.csrf ?? '',
      choice: 'customer',
    });
    const crossSite = await client.post(
      form.action,
      { ...form.hidden, choice: 'customer' },
      { 'sec-fetch-site': 'cross-site' },
    );

    expect([none.status, wrong.status, otherStep.status, crossSite.status]).toEqual([403, 403, 403, 403]);
    expect(h1(none.body)).toBe('This form could not be accepted');
    expect(sentOutputs()).toEqual([]);
    expect((await getStep(s.orderId, 'order-for'))?.status).toBe('pending');
  });

  it('refuses a post with a valid CSRF token from another site (403): foreign or null Origin, or no Origin unless same-origin', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    const post = (headers: Record<string, string | undefined>) =>
      client.post(form.action, { ...form.hidden, choice: 'customer' }, headers);

    const refused = [
      await post({ origin: 'https://evil.example', 'sec-fetch-site': undefined }),
      await post({ origin: 'https://evil.example' }),
      await post({ origin: 'null', 'sec-fetch-site': undefined }),
      // Same host, other port or scheme: another origin.
      await post({ origin: 'http://127.0.0.1:3001' }),
      await post({ origin: 'https://127.0.0.1:3000' }),
      await post({ origin: undefined, 'sec-fetch-site': 'cross-site' }),
      await post({ origin: undefined, 'sec-fetch-site': 'same-site' }),
      await post({ origin: undefined, 'sec-fetch-site': undefined }),
    ];

    expect(refused.map((p) => p.status)).toEqual(refused.map(() => 403));
    expect(h1(refused[0]?.body ?? '')).toBe('This form could not be accepted');
    expect(sentOutputs()).toEqual([]);
    expect((await getStep(s.orderId, 'order-for'))?.status).toBe('pending');
    expect((await findOrder(s.orderId))?.orderFor).toBeUndefined();

    // The same post from the setup pages' own origin (Origin stripped by a proxy, Sec-Fetch-Site
    // same-origin, also counts) goes through.
    const ok = await post({ origin: undefined });
    expect(ok.status).toBe(303);
    expect(sentOutputs()).toEqual([{ choice: 'customer' }]);
  });

  it('a decision posted as the order is cancelled: the closed page, nothing sent, the step still pending and the choice not written', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    // The cancellation lands after the page read the order, before the claim writes the choice.
    const act = PAGES['order-for'].act.bind(PAGES['order-for']);
    const raced = vi.spyOn(PAGES['order-for'], 'act').mockImplementation(async (ctx, posted) => {
      await updateOrder(s.orderId, { status: 'cancelled' }, { allowClosed: true });
      return act(ctx, posted);
    });
    try {
      const page = await client.post(form.action, { ...form.hidden, choice: 'customer' });

      expect(h1(page.body)).toBe('This order was cancelled');
      expect(sentOutputs()).toEqual([]);
      expect((await getStep(s.orderId, 'order-for'))?.status).toBe('pending');
      const order = await findOrder(s.orderId);
      expect(order?.status).toBe('cancelled');
      expect(order?.orderFor).toBeUndefined();
    } finally {
      raced.mockRestore();
    }
  });

  it('refuses "set up later" and "new link" posts from another site too', async () => {
    const s = await started('service-meetings');
    const client = new WebClient();
    const page = await client.get(s.url);
    const later = formTo(page.body, '/later/service-meetings');
    const evil = { origin: 'https://evil.example', 'sec-fetch-site': undefined };

    const deferred = await client.post(later.action, later.hidden, evil);
    const expired = await started('order-for', { ttlSeconds: -60 });
    const offer = formTo((await client.get(expired.url)).body, '/new-link');
    const sent = await client.post(offer.action, offer.hidden, evil);

    expect([deferred.status, sent.status]).toEqual([403, 403]);
    expect((await getStep(s.orderId, 'service-meetings'))?.deferred).toBe(false);
    expect(mailbox.sent()).toEqual([]);
  });

  it('returns a bad hand-off email with 422, the value kept and the error beside the field and at the top', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');

    const page = await client.post(form.action, {
      ...form.hidden,
      choice: 'someone-else',
      email: 'bob@<script>',
    });

    expect(page.status).toBe(422);
    expect(page.body).toContain('value="bob@&lt;script&gt;"');
    expect(page.body).not.toContain('bob@<script>');
    expect(page.body).toMatch(/aria-invalid="true" aria-describedby="f-email-hint f-email-error"/);
    expect(page.body).toContain('<span class="error-msg" id="f-email-error">Enter a valid email address');
    expect(page.body).toContain('<a href="#f-email">');
    expect(page.body).toMatch(/id="choice-someone-else"\s+value="someone-else"\s+checked/);
    expect(sentOutputs()).toEqual([]);
  });

  it('asks for a choice (422) when none is made', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    const page = await client.post(form.action, form.hidden);
    expect(page.status).toBe(422);
    expect(page.body).toContain('Choose one of the options.');
  });

  it('resumes the run once with the choice, records who decided, and says "already done" on a repeat', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');

    const done = await client.post(form.action, { ...form.hidden, choice: 'customer' });
    const repeat = await client.post(form.action, { ...form.hidden, choice: 'customer' });

    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${s.url}/next?after=order-for`);
    expect(sentOutputs()).toEqual([{ choice: 'customer' }]);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.taskToken).toBe(s.token);
    expect((await findOrder(s.orderId))?.orderFor).toBe('customer');
    const audit = await listAudit(s.orderId);
    expect(audit).toContainEqual(
      expect.objectContaining({ actor: 'ana@partner.example', action: 'order-for submitted' }),
    );
    expect(JSON.stringify(audit)).not.toContain(s.token);
    expect(repeat.status).toBe(409);
    expect(h1(repeat.body)).toBe('This step is already done');
  });

  it('keeps waiting for the next step after a submit: the "working on it" page refreshes back to the wait', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    await client.post(form.action, { ...form.hidden, choice: 'someone-else', email: 'bob@other.example' });

    // The run has not moved on yet (Step Functions is mocked here): after its wait the page says
    // it is working, and soon refreshes to the same wait, so a hand-off still gets its confirmation.
    process.env.NEXT_STEP_WAIT_SECONDS = '0.5';
    resetConfig();
    try {
      const waiting = await client.get(`${s.url}/next?after=order-for`);

      expect(waiting.status).toBe(200);
      expect(h1(waiting.body)).toBe('We’re working on your order');
      expect(waiting.body).toMatch(/http-equiv="refresh" content="1;\s*url=[^"]*\/next\?after=order-for"/);
      // Opened again meanwhile, the link itself shows the same page, refreshing to the wait.
      const opened = await client.get(s.url);
      expect(opened.body).toMatch(/http-equiv="refresh" content="1;\s*url=[^"]*\/next"/);
    } finally {
      delete process.env.NEXT_STEP_WAIT_SECONDS;
      resetConfig();
    }
  });

  it('is woken by the step it waits for and shows it from what was written, with no read after the wake', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    await client.post(form.action, { ...form.hidden, choice: 'customer' });
    const spy = vi.spyOn(dynamodb(), 'send');

    const waiting = client.get(`${s.url}/next?after=order-for`);
    // Stored once the page waits (its one read, then its count against the link's limit).
    while (spy.mock.calls.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const first = spy.mock.calls.slice(0, 2).map(([command]) => command.constructor.name);
    await storeTaskToken(s.orderId, 'customer-org', token(535353));
    const stored = spy.mock.calls.length;
    const page = await waiting;
    const afterStore = spy.mock.calls.slice(stored).map(([command]) => command.constructor.name);
    spy.mockRestore();

    expect(first).toEqual(['QueryCommand', 'UpdateCommand']);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`action="${s.url}/steps/customer-org"`);
    // Woken by the store, the page applied the written step: no request after it.
    expect(afterStore).toEqual([]);
  });

  it('confirms the hand-off while the step is between writing the new person and revoking the old links', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    await client.post(form.action, { ...form.hidden, choice: 'someone-else', email: 'bob@other.example' });
    // The hand-off step's first write: the order names the new person; the old link is still active.
    await updateOrder(s.orderId, { assignee: { email: 'bob@other.example', role: 'delegate' } });

    const page = await client.get(`${s.url}/next?after=order-for`);

    expect(page.status).toBe(200);
    expect(h1(page.body)).toBe('The order is on its way to someone else');
    expect(decode(page.body)).toContain('bob@other.example');
  });

  it('waits for the next step with few reads: woken when the step is stored, else a backoff', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    await client.post(form.action, { ...form.hidden, choice: 'customer' });
    const spy = vi.spyOn(dynamodb(), 'send');

    const waiting = client.get(`${s.url}/next?after=order-for`);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const readsWhileWaiting = spy.mock.calls.length;
    await storeTaskToken(s.orderId, 'partner-org', token(424242));
    const page = await waiting;
    spy.mockRestore();

    expect(page.status).toBe(200);
    expect(page.body).toContain(`action="${s.url}/steps/partner-org"`);
    // Polling every 150 ms read about 10 times in 1.2 s (24 before reads were merged). Now the link once, then one Query per
    // look at 150, 450, 1050 ms… (a loaded machine stretches the wait, hence the margin).
    expect(readsWhileWaiting).toBeLessThanOrEqual(7);
  });

  it('hands off with a fresh submission id', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    await client.post(form.action, { ...form.hidden, choice: 'someone-else', email: ' Bob@Other.Example ' });
    expect(sentOutputs()).toEqual([
      { choice: 'someone-else', email: 'bob@other.example', submissionId: expect.any(String) },
    ]);
  });

  it('says the step timed out (410) when the run no longer waits for the token, and never shows the token', async () => {
    const s = await started('order-for');
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' }));
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');

    const page = await client.post(form.action, { ...form.hidden, choice: 'my-company' });

    expect(page.status).toBe(410);
    expect(h1(page.body)).toBe('This step timed out');
    expect(page.body).not.toContain(s.token);
    expect(page.body).not.toContain(hashToken(s.token));
    expect(page.body).not.toMatch(/at .+\.ts:\d+/);
  });

  it('frees the step again when resuming the run fails for a passing reason (503)', async () => {
    const s = await started('order-for');
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: {} }));
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');

    const page = await client.post(form.action, { ...form.hidden, choice: 'my-company' });

    expect(page.status).toBe(503);
    expect(h1(page.body)).toBe('Something went wrong');
    expect((await getStep(s.orderId, 'order-for'))?.status).toBe('pending');
  });
});

describe('organizations', () => {
  it('partner: associated by email, Next maps it', async () => {
    const s = await started('partner-org', { patch: { orderFor: 'customer' } });
    const client = new WebClient();
    const page = await client.get(s.url);
    expect(page.body).toContain(
      'Based on your email address, we’ve associated your order with your organization.',
    );
    expect(page.body).toContain('Known Partner SRL');
    // Directory ids stay off the page; the form carries a keyed reference instead.
    expect(page.body).not.toContain('p-known');
    const form = formTo(page.body, '/steps/partner-org');
    await client.post(form.action, { ...form.hidden, intent: 'map' });
    expect(sentOutputs()).toEqual([{ action: 'map', orgId: 'p-known', outcome: 'associated' }]);
  });

  it('partner: no match → create → review (changes nothing) → confirm', async () => {
    const s = await started('partner-org', {
      detail: { contact: { email: 'new@nowhere.example', name: 'N', language: 'en' } },
      patch: { orderFor: 'customer' },
    });
    const client = new WebClient();
    const page = await client.get(s.url);
    expect(page.body).toContain('No matching organization found.');
    const form = formTo(page.body, '/steps/partner-org');

    const bad = await client.post(form.action, {
      ...form.hidden,
      intent: 'review',
      name: 'X',
      businessVertical: 'nope',
      country: '',
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('value="X"');
    expect(bad.body).toContain('id="f-businessVertical-error"');
    // Webex needs the org's postal address to provision it: asked here, as Control Hub does.
    const noAddress = await client.post(form.action, {
      ...form.hidden,
      intent: 'review',
      name: 'Nowhere Partners',
      businessVertical: 'technology',
      country: 'RO',
    });
    expect(noAddress.status).toBe(422);
    for (const f of ['street', 'city', 'state', 'postalCode'])
      expect(noAddress.body).toContain(`id="f-${f}-error"`);

    const review = await client.post(form.action, {
      ...form.hidden,
      intent: 'review',
      name: 'Nowhere Partners',
      businessVertical: 'technology',
      country: 'RO',
      street: 'Strada Lipscani 1',
      city: 'București',
      state: 'București',
      postalCode: '030031',
    });
    expect(review.status).toBe(200);
    expect(review.body).toContain('Check the new organization');
    expect(sentOutputs()).toEqual([]);
    const confirm = formTo(review.body, '/steps/partner-org');
    const done = await client.post(confirm.action, { ...confirm.hidden, intent: 'confirm' });
    expect(done.status).toBe(303);
    expect(sentOutputs()).toEqual([
      {
        action: 'create',
        organization: {
          name: 'Nowhere Partners',
          businessVertical: 'technology',
          country: 'RO',
          address: {
            street: 'Strada Lipscani 1',
            city: 'București',
            state: 'București',
            postalCode: '030031',
          },
        },
      },
    ]);
  });

  it('refuses an organization name with a line break or NUL (422, the message beside the field) and does not resume the run', async () => {
    const s = await started('partner-org', {
      detail: { contact: { email: 'new@nowhere.example', name: 'N', language: 'en' } },
      patch: { orderFor: 'customer' },
    });
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/partner-org');

    for (const [intent, name] of [
      ['review', 'Acme\r\nBcc: x@evil.example'],
      ['confirm', 'Acme\u0000Corp'],
      ['confirm', 'Acme\tCorp'],
    ] as const) {
      const page = await client.post(form.action, {
        ...form.hidden,
        intent,
        name,
        businessVertical: 'technology',
        country: 'RO',
      });
      expect(page.status).toBe(422);
      expect(page.body).toMatch(
        /<span class="error-msg" id="f-name-error">Remove the line breaks, tabs and other control characters.<\/span>/,
      );
      expect(page.body).toContain('aria-invalid="true"');
      expect(page.body).toContain('<a href="#f-name">');
      expect(page.body).not.toContain('id="f-businessVertical-error"');
    }
    expect(sentOutputs()).toEqual([]);
    expect((await getStep(s.orderId, 'partner-org'))?.status).toBe('pending');
  });

  it('customer (partner order): admin email first, candidates ranked with the unlikely flagged, escaped names', async () => {
    const s = await started('customer-org', { patch: { orderFor: 'customer' } });
    const client = new WebClient();
    const first = await client.get(s.url);
    expect(first.body).toContain('Customer administrator’s email address');
    const form = formTo(first.body, '/steps/customer-org');
    const bad = await client.post(form.action, { ...form.hidden, intent: 'lookup', adminEmail: 'nope' });
    expect(bad.status).toBe(422);

    const outcome = await client.post(form.action, {
      ...form.hidden,
      intent: 'lookup',
      adminEmail: 'it@acme.example',
    });
    expect(outcome.body).toContain('We found matching organizations based on email address.');
    expect(outcome.body).toContain('Acme &lt;Industries&gt;');
    expect(outcome.body.indexOf('Acme &lt;Industries&gt;')).toBeLessThan(outcome.body.indexOf('Acme Old'));
    expect(outcome.body).toContain('Probably not the right organization');

    const pick =
      formsOf2(outcome.body).find(
        (f) => f.hidden.adminEmail && !('orgId' in f.hidden) && f.hidden.searchedDomain === undefined,
      ) ?? formTo(outcome.body, '/steps/customer-org');
    expect(outcome.body).not.toContain('c-acme');
    const forged = await client.post(pick.action, { ...pick.hidden, intent: 'map', orgId: 'p-known' });
    expect(forged.status).toBe(422);
    await client.post(pick.action, {
      ...pick.hidden,
      intent: 'map',
      orgId: radioFor(outcome.body, 'Acme <Industries>'),
    });
    expect(sentOutputs()).toEqual([
      { action: 'map', orgId: 'c-acme', outcome: 'matched', adminEmail: 'it@acme.example' },
    ]);
  });

  it('search by domain renders results (no state change) and maps with outcome "searched"', async () => {
    const s = await started('partner-org', {
      detail: { contact: { email: 'x@nowhere.example', name: 'N', language: 'en' } },
      patch: { orderFor: 'customer' },
    });
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/partner-org');
    const results = await client.post(form.action, {
      ...form.hidden,
      intent: 'search',
      domain: 'partner.example',
    });
    expect(results.body).toContain('Organizations using partner.example');
    const pick = formsOf2(results.body).find((f) => f.hidden.searchedDomain === 'partner.example');
    await client.post(pick?.action ?? '', {
      ...pick?.hidden,
      intent: 'map',
      orgId: radioFor(results.body, 'Known Partner SRL'),
    });
    expect(sentOutputs()).toEqual([
      { action: 'map', orgId: 'p-known', outcome: 'searched', searchedDomain: 'partner.example' },
    ]);
  });

  it('review: Provisioning admin for an existing customer, and the self-setup box for partner orders', async () => {
    const s = await started('customer-review', {
      patch: {
        orderFor: 'customer',
        partnerOrg: { orgId: 'p-known', name: 'Known Partner SRL', created: false },
        customerOrg: {
          orgId: 'c-acme',
          name: 'Acme <Industries>',
          created: false,
          adminEmail: 'it@acme.example',
          partnerRole: 'provisioning-admin',
        },
      },
    });
    const client = new WebClient();
    const spy = vi.spyOn(dynamodb(), 'send');
    const page = await client.get(s.url);
    const reads = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();
    expect(page.body).toContain('Provisioning admin');
    expect(page.body).toContain('My customer will set up their own services');
    // Both organizations' facts shown, read together: the page's Query, then one BatchGetItem.
    expect(page.body).toContain('Acme &lt;Industries&gt;');
    expect(page.body).toContain('Known Partner SRL');
    expect(reads).toEqual(['QueryCommand', 'BatchGetCommand']);
    const form = formTo(page.body, '/steps/customer-review');
    await client.post(form.action, { ...form.hidden, selfSetup: 'yes' });
    expect(sentOutputs()).toEqual([{ selfSetup: true }]);
  });
});

/** The value of the organization radio whose label reads `label` (values are keyed references, not ids). */
function radioFor(body: string, label: string): string {
  for (const m of body.matchAll(/<label for="org-([^"]+)">([^<]*)<\/label>/g)) {
    if (decode(m[2] ?? '') === label) return m[1] ?? '';
  }
  throw new Error(`No organization labelled ${label}`);
}

function formsOf2(body: string) {
  return [...body.matchAll(/<form\s+method="post"\s+action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].map((m) => ({
    action: m[1] ?? '',
    hidden: Object.fromEntries(
      [...(m[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)].map((i) => [
        i[1] ?? '',
        i[2] ?? '',
      ]),
    ),
  }));
}

describe('services', () => {
  const servicesPatch = {
    orderFor: 'my-company' as const,
    customerOrg: { orgId: 'c-acme', name: 'Acme', created: false, adminEmail: 'ana@partner.example' },
  };

  it('Meetings: three sites, the license split checked (422 keeps values), a taken name beside its field, then Close', async () => {
    const s = await started('service-meetings', {
      patch: servicesPatch,
      detail: { services: [{ type: 'meetings', quantity: 30 }] },
    });
    await reserveSiteName('taken-site', 'ANOTHER-ORDER');
    const client = new WebClient();
    const intro = await client.get(s.url);
    expect(intro.body).toContain('Set up now');
    expect(intro.body).toContain('Set up later');
    const start = formTo(intro.body, '/steps/service-meetings');
    let page = await client.post(start.action, { ...start.hidden, intent: 'start' });
    expect(page.body).toContain('.webex.com');
    const csrf = start.hidden.csrf ?? '';
    page = await client.post(start.action, {
      csrf,
      intent: 'add-site',
      siteCount: '1',
      'site-0-name': 'acme',
      'site-0-tz': 'Europe/Bucharest',
    });
    page = await client.post(start.action, {
      csrf,
      intent: 'add-site',
      siteCount: '2',
      'site-0-name': 'acme',
      'site-0-tz': 'Europe/Bucharest',
    });
    expect(page.body).toContain('Site 3');
    expect(page.body).toContain('Distribute the licenses');

    const sites = {
      csrf,
      siteCount: '3',
      'site-0-name': 'acme',
      'site-0-tz': 'Europe/Bucharest',
      'site-0-licenses': '10',
      'site-0-early': 'yes',
      'site-1-name': 'acme-us',
      'site-1-tz': 'America/New_York',
      'site-1-licenses': '10',
      'site-2-name': 'taken-site',
      'site-2-tz': 'Asia/Tokyo',
      'site-2-licenses': '5',
    };
    const wrongSum = await client.post(start.action, { ...sites, intent: 'review' });
    expect(wrongSum.status).toBe(422);
    expect(wrongSum.body).toContain('The licenses must add up to 30 (now 25).');
    expect(wrongSum.body).toContain('value="acme-us"');

    const taken = await client.post(start.action, { ...sites, 'site-2-licenses': '10', intent: 'review' });
    expect(taken.status).toBe(422);
    expect(taken.body).toContain(
      '<span class="error-msg" id="f-site-2-name-error">This site name is already taken.',
    );

    const review = await client.post(start.action, {
      ...sites,
      'site-2-name': 'acme-asia',
      'site-2-licenses': '10',
      intent: 'review',
    });
    expect(review.status).toBe(200);
    expect(review.body).toContain('acme-asia.webex.com');
    const close = formTo(review.body, '/steps/service-meetings');
    const done = await client.post(close.action, { ...close.hidden, intent: 'confirm' });
    expect(done.status).toBe(303);
    expect(sentOutputs()).toEqual([
      {
        type: 'meetings',
        settings: {
          sites: [
            { siteName: 'acme', timeZone: 'Europe/Bucharest', earlyRelease: true, licenses: 10 },
            { siteName: 'acme-us', timeZone: 'America/New_York', earlyRelease: false, licenses: 10 },
            { siteName: 'acme-asia', timeZone: 'Asia/Tokyo', earlyRelease: false, licenses: 10 },
          ],
        },
      },
    ]);
  });

  it('Meetings precheck before Close: a site name Webex already has in another org is refused beside its field, the values kept', async () => {
    const other = await ensureCustomer({
      provisioningId: 'test',
      packages: ['webex_meetings'],
      externalId: 'someone-else',
      address: {
        addressLine1: '771 Alder Drive',
        city: 'Milpitas',
        stateOrProvince: 'CA',
        zipOrPostalCode: '95035',
        country: 'US',
      },
      customerInfo: { name: 'Someone Else', primaryEmail: 'admin@else.example' },
    });
    await ensureSite(other.orgId ?? '', {
      siteName: 'in-webex',
      timeZone: 'UTC',
      earlyRelease: false,
      licenses: 1,
    });
    const s = await started('service-meetings', {
      patch: servicesPatch,
      detail: { services: [{ type: 'meetings', quantity: 5 }] },
    });
    const client = new WebClient();
    const intro = await client.get(s.url);
    const start = formTo(intro.body, '/steps/service-meetings');
    const typed = {
      csrf: start.hidden.csrf ?? '',
      siteCount: '1',
      'site-0-name': 'in-webex',
      'site-0-tz': 'Europe/Bucharest',
      'site-0-licenses': '5',
    };
    // Our own directory does not know the name: the review shows it.
    const review = await client.post(start.action, { ...typed, intent: 'review' });
    expect(review.status).toBe(200);
    const close = formTo(review.body, '/steps/service-meetings');

    const refused = await client.post(close.action, { ...close.hidden, intent: 'confirm' });

    expect(refused.status).toBe(422);
    expect(decode(refused.body)).toContain("Webex: Site name 'in-webex' is already in use in Webex");
    // The page sends the customer organization it read: the function reads no order again.
    expect(prechecks.at(-1)).toMatchObject({ service: 'meetings', customerOrg: { orgId: 'c-acme' } });
    // The name the Close reserved before asking Webex is given back: a refused Close holds none.
    expect(await siteNameHolder('in-webex')).toBeUndefined();
    expect(refused.body).toContain('id="f-site-0-name-error"');
    expect(refused.body).toContain('value="in-webex"');
    expect(sentOutputs()).toEqual([]);
  });

  it('Meetings Close: a name another order holds is refused without asking Webex, and reserves none of the other names', async () => {
    await reserveSiteName('held-elsewhere', 'ORD-someone-else');
    const s = await started('service-meetings', {
      patch: servicesPatch,
      detail: { services: [{ type: 'meetings', quantity: 10 }] },
    });
    const client = new WebClient();
    const start = formTo((await client.get(s.url)).body, '/steps/service-meetings');
    const typed = {
      csrf: start.hidden.csrf ?? '',
      siteCount: '2',
      'site-0-name': 'free-first-name',
      'site-0-tz': 'Europe/Bucharest',
      'site-0-licenses': '5',
      'site-1-name': 'held-elsewhere',
      'site-1-tz': 'Europe/Bucharest',
      'site-1-licenses': '5',
    };
    const checksBefore = webex.stats.calls['POST /v1/meetings/sites/validate'] ?? 0;

    const refused = await client.post(start.action, { ...typed, intent: 'confirm' });

    expect(refused.status).toBe(422);
    expect(refused.body).toContain('id="f-site-1-name-error"');
    // Neither Webex quota spent nor the free name taken by a Close that did not go through.
    expect(webex.stats.calls['POST /v1/meetings/sites/validate'] ?? 0).toBe(checksBefore);
    expect(await siteNameHolder('free-first-name')).toBeUndefined();
    expect(sentOutputs()).toEqual([]);

    const closed = await client.post(start.action, {
      ...typed,
      'site-1-name': 'free-second-name',
      intent: 'confirm',
    });
    expect(closed.status).toBe(303);
    expect(await siteNameHolder('free-first-name')).toBe(s.orderId);
    expect(await siteNameHolder('free-second-name')).toBe(s.orderId);
  });

  it('Meetings Close reads no name: the reservation’s conditional write is the check, and which names the order held already, its page’s read says', async () => {
    const s = await started('service-meetings', {
      patch: servicesPatch,
      detail: { services: [{ type: 'meetings', quantity: 10 }] },
    });
    // Held by this order already (a Close that was sent again after a failure, say).
    await reserveSiteName('held-by-this-order', s.orderId);
    const client = new WebClient();
    const start = formTo((await client.get(s.url)).body, '/steps/service-meetings');
    const spy = vi.spyOn(dynamodb(), 'send');

    const closed = await client.post(start.action, {
      csrf: start.hidden.csrf ?? '',
      siteCount: '2',
      'site-0-name': 'held-by-this-order',
      'site-0-tz': 'Europe/Bucharest',
      'site-0-licenses': '5',
      'site-1-name': 'new-for-this-order',
      'site-1-tz': 'Europe/Bucharest',
      'site-1-licenses': '5',
      intent: 'confirm',
    });
    const siteReads = spy.mock.calls
      .filter(([command]) => command.constructor.name === 'GetCommand')
      .map(([command]) => String((command.input as { Key?: { pk?: string } }).Key?.pk))
      .filter((pk) => pk.startsWith('SITE#'));
    spy.mockRestore();

    expect(closed.status).toBe(303);
    expect(siteReads).toEqual([]);
    expect(await siteNameHolder('held-by-this-order')).toBe(s.orderId);
    expect(await siteNameHolder('new-for-this-order')).toBe(s.orderId);
  });

  it('Set up later defers the service, moves on to the next one, and lists deferred ones with Set up now', async () => {
    const s = await started('service-meetings', { patch: servicesPatch, extraSteps: ['service-calling'] });
    const client = new WebClient();
    const intro = await client.get(s.url);
    const later = formTo(intro.body, '/later/service-meetings');
    const moved = await client.post(later.action, later.hidden);
    expect(moved.status).toBe(303);
    const next = await client.get(moved.headers.location ?? '');
    expect(next.body).toContain('Webex Meetings will be set up later.');
    expect(h1(next.body)).toBe('Set up Webex Calling');
    expect(sentOutputs()).toEqual([]);
    await setDeferred(s.orderId, 'service-calling', true);
    const list = await client.get(s.url);
    expect(h1(list.body)).toBe('Services to set up later');
    expect(list.body.match(/value="start"/g)).toHaveLength(2);
  });

  it('after Set up later, the page says what is set up already and how the person comes back', async () => {
    const s = await started('service-calling', {
      patch: {
        ...servicesPatch,
        provisioned: {
          meetings: {
            sites: [{ siteName: 'acme', timeZone: 'Europe/Bucharest', earlyRelease: false, licenses: 10 }],
            provisionedAt: '2026-12-01T10:00:00.000Z',
          },
        },
      },
    });
    await setDeferred(s.orderId, 'service-calling', true);
    const client = new WebClient();
    const list = await client.get(s.url);
    expect(h1(list.body)).toBe('Services to set up later');
    const body = decode(list.body).replace(/\s+/g, ' ');
    expect(body).toContain('Already set up');
    expect(body).toContain('Webex Meetings: provisioned in Webex on 1 December 2026');
    expect(body).toContain('How to come back');
    expect(body).toContain(
      'Open this same link again when you are ready: it is in the email we sent to ana@partner.example.',
    );
    // Only the service put off is offered to set up.
    expect(list.body.match(/value="start"/g)).toHaveLength(1);
  });

  it('Calling: the country first, then its address fields (US: state and ZIP; RO: county), validated', async () => {
    const s = await started('service-calling', {
      patch: servicesPatch,
      detail: { services: [{ type: 'calling', quantity: 5 }] },
    });
    const client = new WebClient();
    const start = formTo((await client.get(s.url)).body, '/steps/service-calling');
    const csrf = start.hidden.csrf ?? '';
    const first = await client.post(start.action, { csrf, intent: 'start' });
    expect(first.body).toContain('Country or region where most users are');
    expect(first.body).not.toContain('Street address');
    const us = await client.post(start.action, {
      csrf,
      intent: 'country',
      locationName: 'HQ',
      country: 'US',
    });
    expect(us.body).toContain('>State<');
    expect(us.body).toContain('Postal code');
    expect(us.body).toContain('value="America/New_York"');
    const ro = await client.post(start.action, {
      csrf,
      intent: 'country',
      locationName: 'HQ',
      country: 'RO',
    });
    expect(ro.body).toContain('>County<');

    const bad = await client.post(start.action, {
      csrf,
      intent: 'review',
      locationName: 'HQ',
      country: 'RO',
      street: 'Str. Ștefan cel Mare 1',
      city: 'Iași',
      postalCode: '12',
      state: '',
      timeZone: 'Europe/Bucharest',
      announcementLanguage: 'ro_ro',
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('value="Str. Ștefan cel Mare 1"');
    expect(bad.body).toContain('Enter a valid postal code for this country or region.');
    expect(bad.body).toContain('id="f-state-error"');

    const review = await client.post(start.action, {
      csrf,
      intent: 'review',
      locationName: 'HQ',
      country: 'RO',
      street: 'Str. Ștefan cel Mare 1',
      city: 'Iași',
      postalCode: '700001',
      state: 'Iași',
      timeZone: 'Europe/Bucharest',
      announcementLanguage: 'ro_ro',
    });
    const close = formTo(review.body, '/steps/service-calling');
    await client.post(close.action, { ...close.hidden, intent: 'confirm' });
    expect(sentOutputs()).toEqual([
      {
        type: 'calling',
        settings: {
          location: {
            locationName: 'HQ',
            country: 'RO',
            street: 'Str. Ștefan cel Mare 1',
            city: 'Iași',
            postalCode: '700001',
            state: 'Iași',
            timeZone: 'Europe/Bucharest',
            announcementLanguage: 'ro_ro',
          },
        },
      },
    ]);
  });
});

describe('done', () => {
  it('shows what was set up and a download that redirects to a short-lived presigned URL', async () => {
    const s = await started('order-for', {
      patch: {
        status: 'completed',
        orderFor: 'my-company',
        customerOrg: { orgId: 'c-acme', name: 'Acme', created: false, adminEmail: 'ana@partner.example' },
        summaryKey: 'summaries/x.pdf',
        provisioned: {
          meetings: {
            sites: [{ siteName: 'acme', timeZone: 'UTC', earlyRelease: false, licenses: 5 }],
            provisionedAt: new Date().toISOString(),
          },
        },
      },
    });
    const client = new WebClient();
    const page = await client.get(s.url);
    expect(h1(page.body)).toBe('Your order is set up');
    expect(page.body).toContain('acme.webex.com');
    expect(page.body).toContain('Download order summary (PDF)');
    const pdf = await client.get(`${s.url}/summary`);
    expect(pdf.status).toBe(302);
    expect(pdf.headers.location).toContain('summaries/x.pdf');
    expect(pdf.headers.location).toContain('X-Amz-Expires=');
  });

  it('has a health check, a 404 page for unknown paths and 405 for wrong methods', async () => {
    const client = new WebClient();
    expect((await client.get('/health')).status).toBe(200);
    expect((await client.get('/nope')).status).toBe(404);
    const s = await started('order-for');
    expect((await client.post(`${s.url}/next`, {})).status).toBe(405);
  });
});

describe('what a security review asked of the pages (issue 20)', () => {
  it('limits each link: over its requests per minute, form posts answer 429 with Retry-After and change nothing', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    process.env.LINK_RATE_LIMIT_PER_MINUTE = '3';
    resetConfig();
    try {
      // Stages that only show the form again (one read, like opening the link) do not count.
      const shown = [];
      for (let i = 0; i < 5; i++)
        shown.push(await client.post(form.action, { ...form.hidden, intent: 'review' }));
      expect(shown.map((p) => p.status)).toEqual([422, 422, 422, 422, 422]);
      // Eight posts in well under a minute: whatever minute boundary falls among them, one
      // minute holds four or more of them. The first three are always within the limit.
      const pages = [];
      for (let i = 0; i < 8; i++) pages.push(await client.post(form.action, form.hidden));
      const limited = pages.filter((p) => p.status === 429);

      expect(pages.slice(0, 3).map((p) => p.status)).toEqual([422, 422, 422]);
      expect(limited.length).toBeGreaterThan(0);
      for (const page of limited) {
        expect(Number(page.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(Number(page.headers['retry-after'])).toBeLessThanOrEqual(60);
        expect(h1(page.body)).toBe('Too many requests from this link');
        expect(page.body).not.toContain('<form');
      }
      // A wait for the next step counts too (the step is answered: the run is between steps);
      // opening the link (one read, like any unknown id's) does not.
      await claimStep(s.orderId, 'order-for', hashToken(s.token), 'ana@partner.example');
      const next = await client.get(`${s.url}/next?after=order-for`);
      const opened = await client.get(s.url);
      if (pages.at(-1)?.status === 429) expect(next.status).toBe(429);
      expect(opened.status).toBe(200);
      // Another link of another order is not held back by this one.
      const other = await started('order-for');
      expect((await client.post(`${other.url}/steps/order-for`, {})).status).not.toBe(429);
      expect(sentOutputs()).toEqual([]);
    } finally {
      delete process.env.LINK_RATE_LIMIT_PER_MINUTE;
      resetConfig();
    }
  });

  it('sends HSTS with every page', async () => {
    const s = await started('order-for');
    const page = await new WebClient().get(s.url);
    const missing = await new WebClient().get('/setup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');

    expect(page.headers['strict-transport-security']).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(missing.headers['strict-transport-security']).toBe(page.headers['strict-transport-security']);
  });

  it('names the session cookie __Host- on https, where it is host-only, and reads it back', async () => {
    const saved = process.env.PUBLIC_BASE_URL;
    process.env.PUBLIC_BASE_URL = 'https://setup.example.com';
    resetConfig();
    try {
      const s = await started('order-for');
      const client = new WebClient({ 'accept-language': 'ro' });

      const en = await client.get(`${s.url}?lang=en`);
      const again = await client.get(s.url);

      expect(en.cookies).toHaveLength(1);
      expect(en.cookies[0]).toMatch(
        /^__Host-wz_session=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/,
      );
      expect(en.cookies[0]).not.toMatch(/Domain=/i);
      expect(again.body).toContain('<html lang="en">');
    } finally {
      process.env.PUBLIC_BASE_URL = saved;
      resetConfig();
    }
  });

  it('shows a revoked link only that it no longer works, even where a hand-off was confirmed', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    await client.post(form.action, { ...form.hidden, choice: 'someone-else', email: 'bob@other.example' });
    await updateOrder(s.orderId, { assignee: { email: 'bob@other.example', role: 'delegate' } });
    await revokeLinks(s.orderId, 'handed off', 'bob@other.example');

    const page = await client.get(`${s.url}/next?after=order-for`);

    expect(page.status).toBe(410);
    expect(h1(page.body)).toBe('This link no longer works');
    expect(decode(page.body)).not.toContain('bob@other.example');
    expect(page.body).not.toContain('class="facts"');
  });

  it('keeps a link revoked by a hand-off saying only that it no longer works once the order has closed', async () => {
    const s = await started('order-for');
    const kept = await issueLink({ orderId: s.orderId, recipient: 'bob@other.example', role: 'delegate' });
    await updateOrder(s.orderId, { assignee: { email: 'bob@other.example', role: 'delegate' } });
    await revokeLinks(s.orderId, REVOKED_BY_HAND_OFF, 'bob@other.example');
    // Later the order is cancelled: the cancellation revokes the links still active (Bob's).
    await updateOrder(s.orderId, { status: 'cancelled' });
    await revokeLinks(s.orderId, 'order cancelled');
    const client = new WebClient();

    const handedAway = await client.get(s.url);
    const lastHolder = await client.get(`/setup/${kept.linkId}`);

    expect(handedAway.status).toBe(410);
    expect(h1(handedAway.body)).toBe('This link no longer works');
    expect(decode(handedAway.body)).not.toMatch(/cancelled/i);
    // The person who held the order when it was cancelled is told why.
    expect(h1(lastHolder.body)).toMatch(/cancelled/i);
  });

  it('still confirms the hand-off to the browser that made it, by its signed receipt, once the link is revoked', async () => {
    const s = await started('order-for');
    const client = new WebClient();
    const form = formTo((await client.get(s.url)).body, '/steps/order-for');
    const done = await client.post(form.action, {
      ...form.hidden,
      choice: 'someone-else',
      email: 'bob@other.example',
    });
    // The hand-off step has run to its end: the new person is named and the old link revoked.
    await updateOrder(s.orderId, { assignee: { email: 'bob@other.example', role: 'delegate' } });
    await revokeLinks(s.orderId, 'handed off', 'bob@other.example');
    const location = done.headers.location ?? '';
    expect(location).toMatch(new RegExp(`^${s.url}/next\\?after=order-for&handoff=\\d+\\.[\\w-]+$`));

    const page = await client.get(location);
    // A receipt changed by one character, or one from another link, proves nothing.
    const tampered = await client.get(location.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    const other = await started('order-for');
    const elsewhere = await client.get(`${other.url}/next${location.slice(location.indexOf('?'))}`);

    expect(page.status).toBe(200);
    expect(h1(page.body)).toBe('The order is on its way to someone else');
    expect(decode(page.body)).toContain('bob@other.example');
    expect(tampered.status).toBe(410);
    expect(h1(tampered.body)).toBe('This link no longer works');
    expect(decode(tampered.body)).not.toContain('bob@other.example');
    expect(h1(elsewhere.body)).not.toBe('The order is on its way to someone else');
  });

  it('builds the language links of an error page from the route, never from the request path', async () => {
    const pathsAndSelf: [string, string][] = [
      ['//evil.example', '/'],
      ['//evil.example/setup', '/'],
      ['/setup/%2F%2Fevil.example', '/setup/%2F%2Fevil.example'],
    ];
    for (const [path, self] of pathsAndSelf) {
      const page = await handleWebRequest({
        method: 'GET',
        path,
        query: {},
        headers: {},
        cookies: {},
        body: '',
      });
      const body = String(page.body);
      const hrefs = [...body.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');

      expect(page.status).toBe(404);
      expect(hrefs.filter((h) => h.includes('lang='))).toEqual([`${self}?lang=en`, `${self}?lang=ro`]);
      expect(hrefs.some((h) => h.startsWith('//'))).toBe(false);
    }
  });
});
