import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reserveSiteName } from '../../../functions/shared/adapters/org-directory';
import { addAudit, findOrderWithAudit, listAudit } from '../../../functions/shared/adapters/order-repository';
import { dynamodb } from '../../../functions/shared/clients';
import { PutCommand } from '../../../functions/shared/clients/dynamodb';
import { findLinkWithOrder, issueLink } from '../../../functions/shared/adapters/link-store';
import { seedOrder } from '../support/seed';
import {
  claimStep,
  confirmClaim,
  countReminder,
  findOrderWithSteps,
  getStep,
  isStaleClaim,
  listPendingSteps,
  releaseStep,
  setDeferred,
  storeTaskToken,
  takeStaleClaim,
} from '../../../functions/shared/adapters/step-store';
import { resetConfig } from '../../../functions/shared/config';
import { hashToken } from '../../../functions/shared/domain/links';
import { uniqueOrderId } from '../../fixtures/orders';
import { startLocalTable, type LocalTable } from '../support/local-table';

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(async () => {
  await table.stop();
});

/** Task tokens look like this: long, with + / = in them. */
const token = (n: number) => `AQCEAAAAKgAAAA${n}+abc/def==`.padEnd(600, 'x');

describe('storeTaskToken', () => {
  it('stores a pending step with the token hash, never the token, in what it returns', async () => {
    const orderId = await seedOrder();

    const stored = await storeTaskToken(orderId, 'order-for', token(1));

    const step = await getStep(orderId, 'order-for');
    expect(stored).toBe(true);
    expect(step).toMatchObject({ status: 'pending', tokenHash: hashToken(token(1)), reminders: 0 });
    expect(JSON.stringify(step)).not.toContain(token(1));
  });

  it('changes nothing when the same token is stored again (a retried invocation)', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'order-for', token(1));
    const first = await getStep(orderId, 'order-for');

    const stored = await storeTaskToken(orderId, 'order-for', token(1));

    expect(stored).toBe(false);
    expect(await getStep(orderId, 'order-for')).toEqual(first);
  });

  it('replaces the token after a reminder, keeping since, reminders and deferral', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'service-meetings', token(1));
    await countReminder(orderId, 'service-meetings', hashToken(token(1)));
    await setDeferred(orderId, 'service-meetings', true);
    const before = await getStep(orderId, 'service-meetings');

    const stored = await storeTaskToken(orderId, 'service-meetings', token(2));

    const after = await getStep(orderId, 'service-meetings');
    expect(stored).toBe(true);
    expect(after).toMatchObject({
      tokenHash: hashToken(token(2)),
      since: before?.since,
      reminders: 1,
      deferred: true,
      status: 'pending',
    });
  });

  it('starts afresh when a submitted step is entered again', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'order-for', token(1));
    await countReminder(orderId, 'order-for', 'k1');
    await claimStep(orderId, 'order-for', hashToken(token(1)), 'ana@partner.example');

    await storeTaskToken(orderId, 'order-for', token(2));

    expect(await getStep(orderId, 'order-for')).toMatchObject({ status: 'pending', reminders: 0 });
  });
});

describe('claimStep', () => {
  it('moves a pending step to submitted exactly once and hands back the token', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'partner-org', token(3));
    const hash = hashToken(token(3));

    const [first, second] = await Promise.all([
      claimStep(orderId, 'partner-org', hash, 'ana@partner.example'),
      claimStep(orderId, 'partner-org', hash, 'ana@partner.example'),
    ]);

    expect([first, second].filter((t) => t === token(3))).toHaveLength(1);
    expect([first, second].filter((t) => t === undefined)).toHaveLength(1);
    expect(await getStep(orderId, 'partner-org')).toMatchObject({
      status: 'submitted',
      submittedBy: 'ana@partner.example',
    });
    expect(await listPendingSteps(orderId)).toEqual([]);
  });

  it('refuses a claim with the hash of an older token (a late submit)', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'partner-org', token(1));
    await storeTaskToken(orderId, 'partner-org', token(2));

    expect(
      await claimStep(orderId, 'partner-org', hashToken(token(1)), 'ana@partner.example'),
    ).toBeUndefined();
    expect((await getStep(orderId, 'partner-org'))?.status).toBe('pending');
  });

  it('refuses a step that was never stored', async () => {
    expect(await claimStep(uniqueOrderId(), 'order-for', 'whatever', 'x@y.example')).toBeUndefined();
  });
});

describe('a claim with the decision', () => {
  it('writes the order’s fields and the audit entry with the claim, in one request; the audit trail reads it in one', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'order-for', token(9));
    await addAudit(orderId, { actor: 'system', action: 'Order received', at: '2026-01-01T00:00:00.000Z' });
    const hash = hashToken(token(9));
    const spy = vi.spyOn(dynamodb(), 'send');

    const claimed = await claimStep(orderId, 'order-for', hash, 'ana@partner.example', {
      orderPatch: { orderFor: 'customer' },
      audit: {
        entry: {
          actor: 'ana@partner.example',
          action: 'order-for submitted',
          details: { choice: 'customer' },
        },
        dedupeKey: `submit#order-for#${hash}`,
      },
    });
    const claimCommands = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockClear();
    const found = await findOrderWithAudit(orderId);
    const readCommands = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();

    expect(claimed).toBe(token(9));
    expect(claimCommands).toEqual(['UpdateCommand']);
    expect(readCommands).toEqual(['QueryCommand']);
    expect(found?.order.orderFor).toBe('customer');
    expect(found?.audit.map((e) => [e.actor, e.action, e.details])).toEqual([
      ['system', 'Order received', {}],
      ['ana@partner.example', 'order-for submitted', { choice: 'customer' }],
    ]);
    expect(await listAudit(orderId)).toEqual(found?.audit);
    expect(JSON.stringify(found)).not.toContain(token(9));
  });

  it('keeps one audit entry when the step is claimed again after its release, with the decision sent last', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'partner-org', token(10));
    const hash = hashToken(token(10));
    const claim = (choice: string) =>
      claimStep(orderId, 'partner-org', hash, 'ana@partner.example', {
        audit: {
          entry: { actor: 'ana@partner.example', action: 'partner-org submitted', details: { choice } },
          dedupeKey: `submit#partner-org#${hash}`,
        },
      });

    await claim('first');
    await releaseStep(orderId, 'partner-org', hash);
    await claim('second');

    const submitted = (await listAudit(orderId)).filter((e) => e.action === 'partner-org submitted');
    expect(submitted.map((e) => e.details)).toEqual([{ choice: 'second' }]);
  });
});

describe('the claim lease', () => {
  it('a claim carries a lease until confirmed; confirming keeps the step submitted', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'partner-org', token(6));
    const hash = hashToken(token(6));
    const before = Date.now();

    await claimStep(orderId, 'partner-org', hash, 'ana@partner.example');
    const claimed = await getStep(orderId, 'partner-org');
    await confirmClaim(orderId, 'partner-org', hash);
    const confirmed = await getStep(orderId, 'partner-org');

    // The default lease (60 s) is longer than the resume function's timeout (20 s).
    expect(Date.parse(claimed?.claimedUntil ?? '') - before).toBeGreaterThanOrEqual(59_000);
    expect(isStaleClaim(claimed!, new Date(before + 61_000))).toBe(true);
    expect(isStaleClaim(claimed!, new Date(before))).toBe(false);
    expect(confirmed).toMatchObject({ status: 'submitted', submittedBy: 'ana@partner.example' });
    expect(confirmed?.claimedUntil).toBeUndefined();
    expect(isStaleClaim(confirmed!, new Date(before + 3_600_000))).toBe(false);
  });

  it('a lapsed claim is taken over by one reader only, and an unexpired one by none', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'customer-org', token(7));
    const hash = hashToken(token(7));
    // A short lease that grows with the machine's load (TEST_TIME_SCALE, vitest.config.mts), so a
    // stalled process does not see it lapse before the "unexpired" check.
    const leaseSeconds = 0.2 * (Number(process.env.TEST_TIME_SCALE) || 1);
    process.env.CLAIM_LEASE_SECONDS = String(leaseSeconds);
    resetConfig();
    try {
      await claimStep(orderId, 'customer-org', hash, 'ana@partner.example');
      expect(await takeStaleClaim(orderId, 'customer-org', hash)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, leaseSeconds * 1500));

      const takers = await Promise.all([1, 2, 3].map(() => takeStaleClaim(orderId, 'customer-org', hash)));

      expect(takers.filter((t) => t === token(7))).toHaveLength(1);
      expect(takers.filter((t) => t === undefined)).toHaveLength(2);
      expect(await takeStaleClaim(orderId, 'customer-org', hashToken(token(8)))).toBeUndefined();
    } finally {
      delete process.env.CLAIM_LEASE_SECONDS;
      resetConfig();
    }
  });
});

describe('releaseStep', () => {
  it('makes a claimed step pending again so the person can submit again', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'customer-review', token(4));
    const hash = hashToken(token(4));
    await claimStep(orderId, 'customer-review', hash, 'ana@partner.example');

    await releaseStep(orderId, 'customer-review', hash);

    const step = await getStep(orderId, 'customer-review');
    expect(step?.status).toBe('pending');
    expect(step?.submittedBy).toBeUndefined();
    expect(step?.claimedUntil).toBeUndefined();
    expect(await claimStep(orderId, 'customer-review', hash, 'ana@partner.example')).toBe(token(4));
  });

  it('does not touch a step whose token changed meanwhile', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'customer-review', token(4));
    await claimStep(orderId, 'customer-review', hashToken(token(4)), 'ana@partner.example');

    await releaseStep(orderId, 'customer-review', hashToken(token(5)));

    expect((await getStep(orderId, 'customer-review'))?.status).toBe('submitted');
  });
});

describe('countReminder', () => {
  it('counts each timeout once, however often the reminder step runs', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'order-for', token(1));

    const first = await countReminder(orderId, 'order-for', 'timeout-1');
    const retried = await countReminder(orderId, 'order-for', 'timeout-1');
    const next = await countReminder(orderId, 'order-for', 'timeout-2');

    expect([first, retried, next]).toEqual([1, 1, 2]);
    expect((await getStep(orderId, 'order-for'))?.reminders).toBe(2);
  });

  it('counts nothing for a step that does not exist', async () => {
    const orderId = await seedOrder();

    expect(await countReminder(orderId, 'order-for', 'timeout-1')).toBe(0);
    expect(await getStep(orderId, 'order-for')).toBeUndefined();
  });
});

describe('setDeferred', () => {
  it('marks a pending step as set up later, and refuses a submitted one', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'service-calling', token(6));

    expect(await setDeferred(orderId, 'service-calling', true)).toBe(true);
    await claimStep(orderId, 'service-calling', hashToken(token(6)), 'ana@partner.example');
    expect(await setDeferred(orderId, 'service-calling', false)).toBe(false);
    expect((await getStep(orderId, 'service-calling'))?.deferred).toBe(true);
  });
});

describe('findOrderWithSteps', () => {
  it('reads the order and its steps in one request (the steps are on the order’s item), without their tokens', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'order-for', token(1));
    await storeTaskToken(orderId, 'partner-org', token(2));
    await addAudit(orderId, { actor: 'system', action: 'noise' });
    await reserveSiteName(`site-${orderId.slice(-6).toLowerCase()}`, orderId);
    const spy = vi.spyOn(dynamodb(), 'send');

    const found = await findOrderWithSteps(orderId);
    const commands = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();

    expect(commands).toEqual(['QueryCommand']);
    expect(found?.order.orderId).toBe(orderId);
    expect(found?.steps.map((s) => s.stepId).sort()).toEqual(['order-for', 'partner-org']);
    expect(JSON.stringify(found)).not.toContain(token(1));
  });

  it('answers undefined for an order that does not exist', async () => {
    expect(await findOrderWithSteps(uniqueOrderId())).toBeUndefined();
  });
});

describe('steps stored before they moved onto the order’s item', () => {
  /** A step as the previous layout stored it: an item of its own, `STEP#<stepId>`. */
  async function legacyStep(orderId: string, stepId: string, taskToken: string) {
    await dynamodb().send(
      new PutCommand({
        TableName: process.env.TABLE_NAME,
        Item: {
          pk: `ORDER#${orderId}`,
          sk: `STEP#${stepId}`,
          type: 'step',
          orderId,
          stepId,
          status: 'pending',
          taskToken,
          tokenHash: hashToken(taskToken),
          since: '2026-11-01T00:00:00.000Z',
          updatedAt: '2026-11-01T00:00:00.000Z',
          reminders: 1,
          deferred: false,
        },
      }),
    );
  }

  it('an order waiting since then keeps waiting where it was: its step moves onto the order, once, and can be submitted', async () => {
    const orderId = await seedOrder();
    await legacyStep(orderId, 'partner-org', token(11));
    const { linkId } = await issueLink({ orderId, recipient: 'ana@partner.example', role: 'contact' });

    const page = await findLinkWithOrder(linkId);
    const spy = vi.spyOn(dynamodb(), 'send');
    const again = await findOrderWithSteps(orderId);
    const commands = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();

    expect(page?.steps).toEqual([
      expect.objectContaining({
        stepId: 'partner-org',
        status: 'pending',
        reminders: 1,
        since: '2026-11-01T00:00:00.000Z',
      }),
    ]);
    expect(JSON.stringify(page)).not.toContain(token(11));
    // Moved: the next read is one request, and finds no old item.
    expect(commands).toEqual(['QueryCommand']);
    expect(again?.steps.map((s) => s.stepId)).toEqual(['partner-org']);
    expect(await claimStep(orderId, 'partner-org', hashToken(token(11)), 'ana@partner.example')).toBe(
      token(11),
    );
  });

  it('a guessed link id moves nothing', async () => {
    const orderId = await seedOrder();
    await legacyStep(orderId, 'order-for', token(12));

    expect(await findLinkWithOrder(`${orderId}_${'A'.repeat(32)}`)).toBeUndefined();
    expect(await getStep(orderId, 'order-for')).toBeUndefined();
  });
});
