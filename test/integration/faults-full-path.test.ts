import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contact, planOrder, type OrderPlan } from '../../bench/contact';
import { Mailbox } from '../../bench/mailbox';
import { emailsEn } from '../../functions/shared/i18n/emails.en';
import { format } from '../../functions/shared/i18n/translate';
import { faultCount, parseFaults, type FaultStats } from '../../infra/local/faults';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { waitFor } from '../helpers/wait';
import {
  mailbox,
  orderPlacedEvent,
  orderRecord,
  placeOrder,
  summaryPdf,
  waitForRunStatus,
} from '../helpers/workflow';

// Issue 13: the whole path at 10 % faults in every service. Each order is placed with PutEvents
// and answered step by step through the setup pages over HTTP by the bench's scripted contact
// (bench/contact.ts), while a share of the requests to DynamoDB, S3, SES and the local Webex is
// answered with that service's retryable errors (infra/local/faults.ts). Both orders buy Webex
// Meetings and Webex Calling, so each service's provisioning path runs; one creates the partner and
// customer organizations (Webex org jobs), the other maps an existing one. Every order must
// complete, with its summary PDF stored and exactly one email of each kind. Where the setup pages
// answer 503 "try again in a moment" (DynamoDB failed on every SDK attempt), the contact tries
// again, as a person would (bench/browser.ts).

const FAULTS = 'dynamodb=0.1,ses=0.1,s3=0.1,webex=0.1';
/**
 * A seeded draw, so the run is repeatable: with seed 33 each service's first injected error falls
 * within its first 4 API requests (DynamoDB the 1st, S3 the 2nd, SES and Webex the 4th), and two
 * orders make more than that in each (SES: two emails each; S3: a PDF each, read back below).
 */
const SEED = 33;

let rt: TestRuntime;
let box: Mailbox;

beforeAll(async () => {
  rt = await startTestRuntime({
    faults: { ...parseFaults(FAULTS), seed: SEED },
    // No reminder during the run: only the emails of the path itself.
    stepTimeoutSeconds: 600,
    maxReminders: 1,
  });
  box = new Mailbox(rt.urls.ses, Date.now());
});
afterAll(async () => {
  box?.close();
  await rt?.stop();
});

/** Places the order (PutEvents → intake) and has its contact answer every step through the setup pages. */
async function drive(plan: OrderPlan): Promise<void> {
  const placed = await placeOrder(orderPlacedEvent(plan.detail));
  expect(placed.status, JSON.stringify(placed)).toBe('started');
  await new Contact(plan, rt.urls.web, box).run(performance.now());
}

async function webexFaultsInjected(): Promise<number> {
  const res = await fetch(`${rt.urls.webex}/_local/stats`);
  return ((await res.json()) as { faultsInjected: number }).faultsInjected;
}

describe('the full path at 10 % faults in every service', () => {
  it(
    'completes every order with its summary PDF and one email of each kind',
    async () => {
      const runId = `FAULTS${Date.now().toString(36).toUpperCase()}`;
      const plans = [planOrder(runId, 1, 'partner-new'), planOrder(runId, 2, 'my-company')];
      // The two contacts at the same time, as customers would.
      await Promise.all(plans.map((plan) => drive(plan)));

      for (const plan of plans) {
        const { orderId } = plan.detail;
        await waitForRunStatus(rt, orderId, 'SUCCEEDED');
        const order = await waitFor(`order ${orderId} to be completed`, async () => {
          const o = await orderRecord(orderId);
          return o?.status === 'completed' ? o : undefined;
        });
        expect(order.provisioned.meetings?.sites[0]?.siteName).toBe(plan.siteName);
        expect(order.provisioned.calling?.location).toMatchObject({
          locationName: plan.locationName,
          city: 'San Francisco',
        });
        expect(order.summaryKey).toBeTruthy();
        const pdf = await summaryPdf(rt, orderId);
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

        // One welcome (with the setup link) and one completion email, to the contact, and nothing else.
        const emails = (await mailbox(rt)).filter((e) => e.subject.includes(orderId));
        expect(emails.map((e) => e.subject).sort()).toEqual(
          [
            format(emailsEn['welcome.subject'], { orderId }),
            format(emailsEn['complete.subject'], { orderId }),
          ].sort(),
        );
        for (const e of emails) expect(e.destination.to).toEqual([plan.detail.contact.email]);
      }

      // The faults were there: every front answered some requests with an injected error.
      const fronts = rt.faultFronts;
      const injected = (stats: FaultStats | undefined) => (stats ? faultCount(stats) : 0);
      const counts = {
        dynamodb: injected(fronts.dynamodb?.stats()),
        s3: injected(fronts.s3?.stats()),
        ses: injected(fronts.ses?.stats()),
        webex: await webexFaultsInjected(),
      };
      for (const [service, n] of Object.entries(counts)) expect(n, `${service} faults`).toBeGreaterThan(0);
    },
    Math.round(300_000 * (Number(process.env.TEST_TIME_SCALE) || 1)),
  );
});
