import { ListExecutionsCommand, RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { DeleteCommand } from '../../functions/shared/clients/dynamodb';
import { keys } from '../../functions/shared/adapters/keys';
import { dynamodb } from '../../functions/shared/clients/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveSiteName } from '../../functions/shared/adapters/org-directory';
import { listPendingSteps, setDeferred } from '../../functions/shared/adapters/step-store';
import { TransientError } from '../../functions/shared/errors';
import { emailsEn } from '../../functions/shared/i18n/emails.en';
import { emailsRo } from '../../functions/shared/i18n/emails.ro';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { waitFor } from '../helpers/wait';
import {
  callingSetup,
  cancelOrder,
  describeRun,
  executionHistory,
  mailbox,
  meetingsSetup,
  orderDetail,
  orderPlacedEvent,
  orderRecord,
  placeOrder,
  setRunSettings,
  setupLinkIn,
  startOrder,
  statesEntered,
  submitStep,
  summaryPdf,
  waitForEmails,
  waitForPendingStep,
  waitForRunStatus,
} from '../helpers/workflow';

// Every path of statemachines/provisioning.asl.json, run by the embedded runtime with the real
// handlers, driven the way the order system and the setup pages drive it, and checked where a
// person or ops would look: the execution history, the order record, the mailbox, the PDF.

const LONG = { stepTimeoutSeconds: 600, maxReminders: 1 };
/** Where the runtime sends failure notices (the OpsEmail of the stack). */
const OPS_EMAIL = 'ops@example.com';
let rt: TestRuntime;
let calls = 0;
let failNextCalling = 0;
/** A site name another order takes between the submit and its provisioning (order id → site name). */
const stealSiteBeforeProvisioning = new Map<string, string>();

beforeAll(async () => {
  rt = await startTestRuntime({
    ...LONG,
    intercept: {
      // A passing fault, as a throttled dependency would raise it: the state machine retries it.
      ProvisionCalling: async (event, context, real) => {
        calls++;
        if (failNextCalling > 0) {
          failNextCalling--;
          throw new TransientError('Calling provisioning is throttled, try again');
        }
        return real(event, context);
      },
      // Someone else's order takes the site name after this order's Close reserved it (ops freed
      // it, say): the provisioning task finds the name held by another order.
      ProvisionMeetings: async (event, context, real) => {
        const orderId = (event as { orderId?: string }).orderId ?? '';
        const siteName = stealSiteBeforeProvisioning.get(orderId);
        if (siteName !== undefined) {
          stealSiteBeforeProvisioning.delete(orderId);
          await dynamodb().send(
            new DeleteCommand({ TableName: rt.env.TABLE_NAME, Key: keys.site(siteName) }),
          );
          if (!(await reserveSiteName(siteName, 'ORD-SOMEONE-ELSE')))
            throw new Error(`could not give ${siteName} to another order`);
        }
        return real(event, context);
      },
    },
  });
});
afterAll(async () => {
  await rt?.stop();
});

/** `expected` appear in `actual` in this order (other entries may come between). */
function expectInOrder(actual: string[], expected: string[]): void {
  let at = 0;
  for (const item of actual) if (item === expected[at]) at++;
  expect(expected.slice(at), `states not entered in order; entered: ${actual.join(' → ')}`).toEqual([]);
}

async function setUpServices(orderId: string, meetings = 10, calling = true): Promise<void> {
  await submitStep(rt, orderId, 'service-meetings', meetingsSetup(orderId, meetings));
  if (calling) await submitStep(rt, orderId, 'service-calling', callingSetup());
}

async function expectCompleted(orderId: string, contact: string): Promise<void> {
  await waitForRunStatus(rt, orderId, 'SUCCEEDED');
  const order = await orderRecord(orderId);
  expect(order?.status).toBe('completed');
  const pdf = await summaryPdf(rt, orderId);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(order?.summaryKey).toBeTruthy();
  // This order's completion email, by its subject in the contact's language: another order's
  // completion email, or this order's welcome, does not count.
  const subjects = [emailsEn, emailsRo].map((c) => c['complete.subject'].replace('{orderId}', orderId));
  const emails = await waitForEmails(rt, contact, 1, { match: (e) => subjects.includes(e.subject) });
  expect(emails).toHaveLength(1);
}

// The paths run side by side (each its own order; links, emails and checks are by order id),
// except those that change what the whole runtime does: the injected Calling fault counts every
// Calling call, and the run settings apply to every order started meanwhile. Those run alone.
describe('provisioning workflow on the embedded runtime', { concurrent: true }, () => {
  it('partner order: partner associated by email, existing customer by email, two services, summary PDF', async () => {
    const contact = 'alex@northwind-partners.com';
    const orderId = await startOrder({ contact: { email: contact, name: 'Alex Morgan', language: 'en' } });
    // Other paths run side by side, some with the same contact: this order's welcome email.
    const [welcome] = await waitForEmails(rt, contact, 1, { match: (e) => e.subject.includes(orderId) });
    expect(welcome?.subject).toContain(orderId);
    const link = setupLinkIn(welcome!);
    expect(link).toMatch(new RegExp(`^${rt.urls.web}/setup/`));
    // The link opens the setup pages on the runtime's web server (a GET changes nothing).
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(orderId);

    await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
    await submitStep(rt, orderId, 'partner-org', {
      action: 'map',
      orgId: 'org-partner-northwind',
      outcome: 'associated',
    });
    await submitStep(rt, orderId, 'customer-org', {
      action: 'map',
      orgId: 'org-customer-fabrikam',
      outcome: 'associated',
      adminEmail: 'it.admin@fabrikam.com',
    });
    await submitStep(rt, orderId, 'customer-review', { selfSetup: false });
    await setUpServices(orderId);
    await expectCompleted(orderId, contact);

    const order = await orderRecord(orderId);
    expect(order?.partnerOrg).toMatchObject({ orgId: 'org-partner-northwind', created: false });
    expect(order?.customerOrg).toMatchObject({
      orgId: 'org-customer-fabrikam',
      adminEmail: 'it.admin@fabrikam.com',
      partnerRole: 'provisioning-admin',
    });
    expect(order?.provisioned.meetings?.sites[0]?.licenses).toBe(10);
    expect(order?.provisioned.calling?.location.city).toBe('San Francisco');

    const events = await executionHistory(rt, orderId);
    expectInOrder(statesEntered(events), [
      'Receive order',
      'Who is this order for',
      'Order for whom?',
      'Partner organization',
      'Map partner organization',
      'Customer organization',
      'Map customer organization',
      'Review organizations',
      'Set up services',
      'Render order summary',
      'Complete order',
      'Order provisioned',
    ]);
    expect(statesEntered(events)).toEqual(
      expect.arrayContaining(['Provision Webex Meetings', 'Provision Webex Calling']),
    );
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(2);
    // Step Functions bills each state entered: with the Webex job pollers (customer org, Meetings
    // site, and the Calling packages Webex adds asynchronously) a two-service order stays within 34
    // when each job is done at its first check. A job still running at a check costs one more loop
    // (Wait, Check, Choice), which depends on the machine's load, not on the workflow: not counted.
    const entered = statesEntered(events);
    const checks = entered.filter((name) => name.startsWith('Check '));
    const extraLoops = checks.length - new Set(checks).size;
    expect(entered.length - 3 * extraLoops).toBeLessThanOrEqual(34);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });

  it('partner found by domain and customer found by domain: picked from the candidates', async () => {
    const contact = 'new.person@contoso-it.com';
    const orderId = await startOrder({ contact: { email: contact, name: 'Jordan Lee', language: 'en' } });
    await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
    await submitStep(rt, orderId, 'partner-org', {
      action: 'map',
      orgId: 'org-partner-contoso-it',
      outcome: 'matched',
    });
    await submitStep(rt, orderId, 'customer-org', {
      action: 'map',
      orgId: 'org-customer-adventure-works',
      outcome: 'matched',
      adminEmail: 'new.admin@adventure-works.com',
    });
    await submitStep(rt, orderId, 'customer-review', { selfSetup: false });
    await setUpServices(orderId);
    await expectCompleted(orderId, contact);
    const order = await orderRecord(orderId);
    expect(order?.partnerOrg?.orgId).toBe('org-partner-contoso-it');
    expect(order?.customerOrg).toMatchObject({
      orgId: 'org-customer-adventure-works',
      partnerRole: 'provisioning-admin',
    });
  });

  it('no partner and no customer found: both organizations are created, the partner is full admin', async () => {
    const contact = 'someone@fresh-reseller.com';
    const orderId = await startOrder({
      contact: { email: contact, name: 'Robin Fischer', language: 'en' },
      services: [{ type: 'meetings', quantity: 3 }],
    });
    await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
    await submitStep(rt, orderId, 'partner-org', {
      action: 'create',
      organization: {
        name: 'Fresh Reseller GmbH',
        businessVertical: 'technology',
        country: 'DE',
        address: { street: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117' },
      },
    });
    await submitStep(rt, orderId, 'customer-org', {
      action: 'create',
      organization: {
        name: 'Brand New Customer SRL',
        businessVertical: 'retail',
        country: 'RO',
        address: { street: 'Strada Lipscani 1', city: 'București', state: 'București', postalCode: '030031' },
      },
      adminEmail: 'admin@brand-new-customer.com',
    });
    await submitStep(rt, orderId, 'customer-review', { selfSetup: false });
    await setUpServices(orderId, 3, false);
    await expectCompleted(orderId, contact);
    const order = await orderRecord(orderId);
    expect(order?.partnerOrg).toMatchObject({ name: 'Fresh Reseller GmbH', created: true });
    expect(order?.customerOrg).toMatchObject({
      name: 'Brand New Customer SRL',
      created: true,
      adminEmail: 'admin@brand-new-customer.com',
      partnerRole: 'full-admin',
    });
    expectInOrder(statesEntered(await executionHistory(rt, orderId)), [
      'Partner: map or create?',
      'Create partner organization',
      'Customer: map or create?',
      'Create customer organization',
    ]);
  });

  it('for my company: the contact’s own organization, associated by email, or created', async () => {
    const byEmail = await startOrder({
      contact: { email: 'procurement@fabrikam.com', name: 'Pat Kim', language: 'en' },
      partnerName: undefined,
      services: [{ type: 'calling', quantity: 30 }],
    });
    await submitStep(rt, byEmail, 'order-for', { choice: 'my-company' });
    await submitStep(rt, byEmail, 'customer-org', {
      action: 'map',
      orgId: 'org-customer-fabrikam',
      outcome: 'associated',
      adminEmail: 'procurement@fabrikam.com',
    });
    await submitStep(rt, byEmail, 'customer-review', { selfSetup: false });
    await submitStep(rt, byEmail, 'service-calling', callingSetup());
    await expectCompleted(byEmail, 'procurement@fabrikam.com');
    const order = await orderRecord(byEmail);
    expect(order?.orderFor).toBe('my-company');
    expect(order?.partnerOrg).toBeUndefined();
    expect(order?.customerOrg?.partnerRole).toBeUndefined();
    const states = statesEntered(await executionHistory(rt, byEmail));
    expect(states).not.toContain('Partner organization');

    const created = await startOrder({
      contact: { email: 'owner@brand-new-customer.com', name: 'Chris Novak', language: 'ro' },
      partnerName: undefined,
      services: [{ type: 'meetings', quantity: 5 }],
    });
    await submitStep(rt, created, 'order-for', { choice: 'my-company' });
    await submitStep(rt, created, 'customer-org', {
      action: 'create',
      organization: {
        name: 'Brand New Customer Ltd',
        businessVertical: 'media',
        country: 'GB',
        address: { street: '10 Downing Street', city: 'London', postalCode: 'SW1A 2AA' },
      },
      adminEmail: 'owner@brand-new-customer.com',
    });
    await submitStep(rt, created, 'customer-review', { selfSetup: false });
    await setUpServices(created, 5, false);
    await expectCompleted(created, 'owner@brand-new-customer.com');
    expect((await orderRecord(created))?.customerOrg).toMatchObject({
      created: true,
      name: 'Brand New Customer Ltd',
    });
  });

  it('hands the order to someone else twice: each gets a link, the run asks again each time', async () => {
    const contact = 'alex@northwind-partners.com';
    const orderId = await startOrder({ services: [{ type: 'meetings', quantity: 2 }] });
    await submitStep(rt, orderId, 'order-for', {
      choice: 'someone-else',
      email: 'kim@contoso-it.com',
      submissionId: 'h1',
    });
    const [toKim] = await waitForEmails(rt, 'kim@contoso-it.com', 1, {
      match: (e) => e.subject.includes(orderId),
    });
    expect(setupLinkIn(toKim!)).toBeTruthy();
    await waitFor(
      'the order to be assigned to Kim',
      async () => (await orderRecord(orderId))?.assignee.email === 'kim@contoso-it.com',
    );
    await submitStep(rt, orderId, 'order-for', {
      choice: 'someone-else',
      email: 'lee@contoso-it.com',
      submissionId: 'h2',
    });
    await waitForEmails(rt, 'lee@contoso-it.com', 1, { match: (e) => e.subject.includes(orderId) });
    await waitFor(
      'the order to be assigned to Lee',
      async () => (await orderRecord(orderId))?.assignee.email === 'lee@contoso-it.com',
    );
    await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
    await submitStep(rt, orderId, 'partner-org', {
      action: 'map',
      orgId: 'org-partner-contoso-it',
      // Lee is one of its users: the page offers it as associated (it never listed it as a match).
      outcome: 'associated',
    });
    await submitStep(rt, orderId, 'customer-org', {
      action: 'map',
      orgId: 'org-customer-tailspin',
      outcome: 'associated',
      adminEmail: 'admin@tailspin-toys.com',
    });
    await submitStep(rt, orderId, 'customer-review', { selfSetup: false });
    await setUpServices(orderId, 2, false);
    await waitForRunStatus(rt, orderId, 'SUCCEEDED');
    const states = statesEntered(await executionHistory(rt, orderId));
    expect(states.filter((s) => s === 'Hand off to another person')).toHaveLength(2);
    expect(states.filter((s) => s === 'Who is this order for')).toHaveLength(3);
    expect(
      (await mailbox(rt, contact)).filter((e) => e.subject.includes(orderId)).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('customer self-setup: the customer admin gets a link and sets up the services', async () => {
    const orderId = await startOrder({ services: [{ type: 'meetings', quantity: 4 }] });
    await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
    await submitStep(rt, orderId, 'partner-org', {
      action: 'map',
      orgId: 'org-partner-northwind',
      outcome: 'associated',
    });
    await submitStep(rt, orderId, 'customer-org', {
      action: 'map',
      orgId: 'org-customer-tailspin',
      outcome: 'associated',
      adminEmail: 'admin@tailspin-toys.com',
    });
    await submitStep(rt, orderId, 'customer-review', { selfSetup: true });
    const [toAdmin] = await waitForEmails(rt, 'admin@tailspin-toys.com', 1, {
      match: (e) => e.subject.includes(orderId),
    });
    expect(setupLinkIn(toAdmin!)).toBeTruthy();
    await waitFor(
      'the customer admin to be the assignee',
      async () => (await orderRecord(orderId))?.assignee.role === 'customer-admin',
    );
    await submitStep(rt, orderId, 'service-meetings', meetingsSetup(orderId, 4), {
      by: 'admin@tailspin-toys.com',
    });
    await waitForRunStatus(rt, orderId, 'SUCCEEDED');
    expect((await orderRecord(orderId))?.selfSetup).toBe(true);
    expect(statesEntered(await executionHistory(rt, orderId))).toContain('Hand services to customer admin');
  });

  it('set up later: one service waits while the other is submitted to Webex, then the contact comes back and both are recorded', async () => {
    const orderId = await startOrder();
    await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
    await submitStep(rt, orderId, 'partner-org', {
      action: 'map',
      orgId: 'org-partner-northwind',
      outcome: 'associated',
    });
    await submitStep(rt, orderId, 'customer-org', {
      action: 'map',
      orgId: 'org-customer-fabrikam',
      outcome: 'associated',
      adminEmail: 'it.admin@fabrikam.com',
    });
    await submitStep(rt, orderId, 'customer-review', { selfSetup: false });
    await waitForPendingStep(orderId, 'service-meetings');
    expect(await setDeferred(orderId, 'service-meetings', true)).toBe(true);
    await submitStep(rt, orderId, 'service-calling', callingSetup());
    // Calling's iteration ends once Webex has its packages; the service jobs are polled (and
    // recorded on the order) together after the Map, once Meetings is set up too.
    await waitFor('Calling submitted to Webex', async () =>
      (await executionHistory(rt, orderId)).some(
        (e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'Provision Webex Calling',
      ),
    );
    const waiting = await listPendingSteps(orderId);
    expect(waiting.map((s) => [s.stepId, s.deferred])).toEqual([['service-meetings', true]]);
    expect((await describeRun(rt, orderId)).status).toBe('RUNNING');
    await submitStep(rt, orderId, 'service-meetings', meetingsSetup(orderId, 10));
    await expectCompleted(orderId, 'alex@northwind-partners.com');
    expect(Object.keys((await orderRecord(orderId))?.provisioned ?? {}).sort()).toEqual([
      'calling',
      'meetings',
    ]);
  });

  it('duplicate order event: one run, one welcome email', async () => {
    const detail = orderDetail({ services: [{ type: 'meetings', quantity: 1 }] });
    const event = orderPlacedEvent(detail);
    const first = await placeOrder(event);
    expect(first.status).toBe('started');
    await waitForPendingStep(detail.orderId, 'order-for');
    await waitForEmails(rt, detail.contact.email, 1, { match: (e) => e.subject.includes(detail.orderId) });
    const second = await placeOrder({ ...event, id: 'redelivered' });
    expect(second.status).toBe('duplicate');
    const runs = await rt.sfnClient.send(
      new ListExecutionsCommand({ stateMachineArn: rt.stateMachineArn, maxResults: 1000 }),
    );
    expect(runs.executions?.filter((e) => e.name === detail.orderId)).toHaveLength(1);
    const welcome = (await mailbox(rt, detail.contact.email)).filter((e) =>
      e.subject.includes(detail.orderId),
    );
    expect(welcome).toHaveLength(1);
  });

  it('a malformed event is rejected naming the field, and starts no run', async () => {
    const detail = orderDetail({ contact: { email: 'not-an-email', name: 'X', language: 'en' } });
    const result = await placeOrder(orderPlacedEvent(detail));
    expect(result.status).toBe('rejected');
    expect(JSON.stringify(result)).toContain('detail.contact.email');
    const runs = await rt.sfnClient.send(
      new ListExecutionsCommand({ stateMachineArn: rt.stateMachineArn, maxResults: 1000 }),
    );
    expect(runs.executions?.some((e) => e.name === detail.orderId)).toBe(false);
  });

  it('cancellation mid-run: the run stops, the order is cancelled, its step no longer waits', async () => {
    const orderId = await startOrder();
    await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
    await waitForPendingStep(orderId, 'partner-org');
    await cancelOrder(orderId, 'The customer withdrew the order');
    const run = await waitForRunStatus(rt, orderId, 'ABORTED');
    expect(run.stopDate).toBeInstanceOf(Date);
    await waitFor(
      'the order to be cancelled',
      async () => (await orderRecord(orderId))?.status === 'cancelled',
    );
    const events = await executionHistory(rt, orderId);
    expect(events.at(-1)?.type).toBe('ExecutionAborted');
  });

  it.sequential('a transient failure is retried with backoff, then the step succeeds', async () => {
    const orderId = await startOrder({ services: [{ type: 'calling', quantity: 2 }] });
    await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
    await submitStep(rt, orderId, 'partner-org', {
      action: 'map',
      orgId: 'org-partner-northwind',
      outcome: 'associated',
    });
    await submitStep(rt, orderId, 'customer-org', {
      action: 'map',
      orgId: 'org-customer-fabrikam',
      outcome: 'associated',
      adminEmail: 'it.admin@fabrikam.com',
    });
    await submitStep(rt, orderId, 'customer-review', { selfSetup: false });
    failNextCalling = 1;
    const before = calls;
    await submitStep(rt, orderId, 'service-calling', callingSetup());
    await waitForRunStatus(rt, orderId, 'SUCCEEDED');
    expect(calls - before).toBe(2);
    const events = await executionHistory(rt, orderId);
    const failed = events.filter((e) => e.type === 'TaskFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.taskFailedEventDetails?.error).toBe('TransientError');
    expect(JSON.parse(failed[0]?.taskFailedEventDetails?.cause ?? '{}').errorMessage).toContain('throttled');
    expect((await orderRecord(orderId))?.status).toBe('completed');
  });

  it('a permanent failure ends the run at the failed task (order failed, ops told once), then a redrive re-runs that task to completion', async () => {
    const orderId = await startOrder({ services: [{ type: 'meetings', quantity: 2 }] });
    stealSiteBeforeProvisioning.set(orderId, 'taken-by-another');
    await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
    await submitStep(rt, orderId, 'partner-org', {
      action: 'map',
      orgId: 'org-partner-northwind',
      outcome: 'associated',
    });
    await submitStep(rt, orderId, 'customer-org', {
      action: 'map',
      orgId: 'org-customer-fabrikam',
      outcome: 'associated',
      adminEmail: 'it.admin@fabrikam.com',
    });
    await submitStep(rt, orderId, 'customer-review', { selfSetup: false });
    await submitStep(rt, orderId, 'service-meetings', meetingsSetup(orderId, 2, 'taken-by-another'));

    // The task's own error and Lambda cause end the run: nothing catches it in the state machine.
    const run = await waitForRunStatus(rt, orderId, 'FAILED');
    expect(run.error).toBe('SiteNameTakenError');
    expect(JSON.parse(run.cause ?? '{}')).toMatchObject({
      errorType: 'SiteNameTakenError',
      errorMessage: expect.stringContaining('belongs to another order'),
    });
    const events = await executionHistory(rt, orderId);
    expect(events.at(-1)?.type).toBe('ExecutionFailed');
    expect(events.at(-1)?.executionFailedEventDetails?.error).toBe('SiteNameTakenError');
    // The failed state is the task: the last state the run entered, and the one whose Lambda failed.
    expect(statesEntered(events).at(-1)).toBe('Provision Webex Meetings');
    expect(events.some((e) => e.taskFailedEventDetails?.error === 'SiteNameTakenError')).toBe(true);

    // The status change reaches RecordFailure (the EventBridge rule on AWS): the order says where
    // and why, and ops get one email.
    const order = await waitFor(`order ${orderId} to be recorded as failed`, async () => {
      const o = await orderRecord(orderId);
      return o?.status === 'failed' ? o : undefined;
    });
    expect(order.failure).toMatchObject({ step: 'Provision Webex Meetings', error: 'SiteNameTakenError' });
    expect(order.failure?.cause).toContain('belongs to another order');
    const opsEmails = await waitForEmails(rt, OPS_EMAIL, 1, { match: (e) => e.subject.includes(orderId) });
    expect(opsEmails).toHaveLength(1);
    expect(opsEmails[0]?.subject).toContain('Provision Webex Meetings');

    // Ops frees the site name and redrives the run: exactly the failed task runs again.
    await dynamodb().send(
      new DeleteCommand({ TableName: rt.env.TABLE_NAME, Key: keys.site('taken-by-another') }),
    );
    await rt.sfnClient.send(new RedriveExecutionCommand({ executionArn: run.executionArn }));
    const redriven = await waitForRunStatus(rt, orderId, 'SUCCEEDED');
    expect(redriven.redriveCount).toBe(1);
    expect((await orderRecord(orderId))?.status).toBe('completed');
    const after = await executionHistory(rt, orderId);
    expect(after.slice(0, events.length)).toEqual(events);
    const redrive = after.slice(events.length);
    expect(redrive[0]?.type).toBe('ExecutionRedriven');
    const enteredAgain = statesEntered(redrive);
    expect(enteredAgain[0]).toBe('Provision Webex Meetings');
    expectInOrder(enteredAgain, ['Provision Webex Meetings', 'Render order summary', 'Complete order']);
    // Nothing before it runs again: no new setup request, no new order intake.
    expect(enteredAgain).not.toContain('Wait for service setup');
    expect(enteredAgain).not.toContain('Receive order');
    // A success is not a failure: still the one ops email.
    expect((await mailbox(rt, OPS_EMAIL)).filter((e) => e.subject.includes(orderId))).toHaveLength(1);
  });

  it.sequential(
    'a reminder, then completion: the step times out, the contact is reminded, then answers',
    async () => {
      await setRunSettings(rt, { stepTimeoutSeconds: 2, maxReminders: 3 });
      try {
        const contact = 'ana.popescu@northwind-partners.com';
        const orderId = await startOrder({
          contact: { email: contact, name: 'Ana Popescu', language: 'ro' },
          services: [{ type: 'meetings', quantity: 1 }],
        });
        const first = await waitForPendingStep(orderId, 'order-for');
        await waitForEmails(rt, contact, 2, { match: (e) => e.subject.includes(orderId) });
        const reminded = await waitForPendingStep(orderId, 'order-for', { notTokenHash: first.tokenHash });
        expect(reminded.reminders).toBeGreaterThanOrEqual(1);
        await submitStep(rt, orderId, 'order-for', { choice: 'my-company' }, { retryIfTimedOut: true });
        const events = await executionHistory(rt, orderId);
        expect(events.some((e) => e.type === 'TaskTimedOut')).toBe(true);
        expect(statesEntered(events)).toContain('Remind: who is this order for');
        await waitForPendingStep(orderId, 'customer-org');
        await cancelOrder(orderId);
        await waitForRunStatus(rt, orderId, 'ABORTED');
      } finally {
        await setRunSettings(rt, LONG);
      }
    },
  );

  it.sequential('reminders, then expiry: the order expires and the run fails saying so', async () => {
    await setRunSettings(rt, { stepTimeoutSeconds: 1, maxReminders: 1 });
    try {
      const contact = 'alex@northwind-partners.com';
      const orderId = await startOrder({ services: [{ type: 'meetings', quantity: 1 }] });
      const run = await waitForRunStatus(rt, orderId, 'FAILED');
      expect(run.error).toBe('OrderExpired');
      expect((await orderRecord(orderId))?.status).toBe('expired');
      const events = await executionHistory(rt, orderId);
      expect(events.filter((e) => e.type === 'TaskTimedOut').length).toBeGreaterThanOrEqual(2);
      expect(statesEntered(events)).toEqual(
        expect.arrayContaining(['Remind: who is this order for', 'Expire order', 'Order expired']),
      );
      const emails = (await mailbox(rt, contact)).filter((e) => e.subject.includes(orderId));
      expect(emails.length).toBeGreaterThanOrEqual(3);
    } finally {
      await setRunSettings(rt, LONG);
    }
  });
});
