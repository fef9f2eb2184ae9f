import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveSiteName } from '../../functions/shared/adapters/org-directory';
import { listPendingSteps, setDeferred } from '../../functions/shared/adapters/step-store';
import { TransientError } from '../../functions/shared/errors';
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
let rt: TestRuntime;
let calls = 0;
let failNextCalling = 0;

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
  const emails = await waitForEmails(rt, contact, 1, { match: (e) => /order-summary|summary|complete/i.test(`${e.subject} ${e.body.text ?? ''}`) });
  expect(emails.length).toBeGreaterThanOrEqual(1);
}

describe('provisioning workflow on the embedded runtime', () => {
  it('partner order: partner associated by email, existing customer by email, two services, summary PDF', async () => {
    const contact = 'alex@northwind-partners.com';
    const orderId = await startOrder({ contact: { email: contact, name: 'Alex Morgan', language: 'en' } });
    const [welcome] = await waitForEmails(rt, contact);
    expect(welcome?.subject).toContain(orderId);
    expect(setupLinkIn(welcome!)).toMatch(new RegExp(`^${rt.urls.web}/setup/`));

    await submitStep(rt, orderId, 'order-for', { choice: 'customer' });
    await submitStep(rt, orderId, 'partner-org', { action: 'map', orgId: 'org-partner-northwind', outcome: 'associated' });
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
    expect(statesEntered(events)).toEqual(expect.arrayContaining(['Provision Webex Meetings', 'Provision Webex Calling']));
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(2);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });
});

