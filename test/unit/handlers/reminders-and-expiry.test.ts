import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../../functions/shared/clients';
import { expireOrder, handler as expireHandler } from '../../../functions/expire-order/handler';
import { reserveSiteName, siteNameHolder } from '../../../functions/shared/adapters/org-directory';
import { handler as reminderHandler, sendReminder } from '../../../functions/send-reminder/handler';
import { findLink, issueLink, listLinks } from '../../../functions/shared/adapters/link-store';
import { getOrder, listAudit } from '../../../functions/shared/adapters/order-repository';
import { claimStep, getStep, storeTaskToken } from '../../../functions/shared/adapters/step-store';
import { hashToken } from '../../../functions/shared/domain/links';
import { handOff } from '../../../functions/hand-off/handler';
import { OrderExpiredError } from '../../../functions/shared/errors';
import { testSettings } from '../../fixtures/orders';
import { lambdaContext } from '../support/lambda-context';
import { linkIdOf, mockMailbox, type Mailbox } from '../support/mailbox';
import { seedOrder } from '../support/seed';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { captureDomainEvents } from '../support/domain-events';

// The workflow's bus: the steps publish their domain events on it.
const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());

let table: LocalTable;
let mailbox: Mailbox;
beforeAll(async () => {
  table = await startLocalTable();
  mailbox = mockMailbox();
});
afterEach(() => {
  mailbox.clear();
  domainEvents.reset();
});
afterAll(async () => {
  mailbox.ses.restore();
  await table.stop();
});

const settings = { ...testSettings, maxReminders: 2 };

describe('Send reminder', () => {
  it('reminds the person the order waits on, with a fresh working link', async () => {
    const orderId = await seedOrder({ assignee: { email: 'bob@partner.example', role: 'delegate' } });
    await storeTaskToken(orderId, 'partner-org', 'token-1');

    const spy = vi.spyOn(dynamodb(), 'send');
    const result = await sendReminder({ orderId, step: 'partner-org', settings });
    const commands = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();

    expect(result).toEqual({ reminders: 1, emailed: true });
    // The timeout is counted by one write that answers with the order: no read of the step or the order.
    // Then the link, the email's claim, its record and the audit entry: writes only, no read.
    expect(commands[0]).toBe('UpdateCommand');
    expect(commands.filter((c) => c === 'UpdateCommand')).toHaveLength(1);
    expect(commands.filter((c) => c === 'GetCommand' || c === 'QueryCommand')).toEqual([]);
    const [email, ...more] = mailbox.sent();
    expect(more).toEqual([]);
    expect(email).toMatchObject({ to: ['bob@partner.example'], kind: 'reminder' });
    expect(email?.subject).toContain(orderId);
    expect(await findLink(linkIdOf(email?.setupLinks[0] ?? ''))).toMatchObject({
      recipient: 'bob@partner.example',
      status: 'active',
    });
  });

  it('reminds the new person after the order was handed on and the step entered again', async () => {
    // Prepare: the contact was reminded once, then handed the order to Bob; the run waits again.
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'order-for', 'token-1');
    await sendReminder({ orderId, step: 'order-for', settings });
    await storeTaskToken(orderId, 'order-for', 'token-2');
    await claimStep(orderId, 'order-for', hashToken('token-2'), 'ana.popescu@partner.example');
    await handOff({ orderId, role: 'delegate', email: 'bob@partner.example', submissionId: 's-1' });
    await storeTaskToken(orderId, 'order-for', 'token-3');
    mailbox.clear();

    // Act: Bob lets the step time out.
    const result = await sendReminder({ orderId, step: 'order-for', settings });

    // Assess
    expect(result.emailed).toBe(true);
    expect(mailbox.sent().map((e) => [e.kind, e.to[0]])).toEqual([['reminder', 'bob@partner.example']]);
  });

  it('counts a retried invocation once and sends no second email', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'order-for', 'token-1');
    await sendReminder({ orderId, step: 'order-for', settings });

    const again = await sendReminder({ orderId, step: 'order-for', settings });

    expect(again).toEqual({ reminders: 1, emailed: false });
    expect(mailbox.sent()).toHaveLength(1);
    expect((await getStep(orderId, 'order-for'))?.reminders).toBe(1);
    expect((await listAudit(orderId)).filter((e) => e.action === 'Reminder sent')).toHaveLength(1);
  });

  it('expires the order after the last reminder went unanswered', async () => {
    const orderId = await seedOrder();
    for (const token of ['token-1', 'token-2']) {
      await storeTaskToken(orderId, 'order-for', token);
      await sendReminder({ orderId, step: 'order-for', settings });
    }
    await storeTaskToken(orderId, 'order-for', 'token-3');

    const third = sendReminder({ orderId, step: 'order-for', settings });

    await expect(third).rejects.toBeInstanceOf(OrderExpiredError);
    await expect(third).rejects.toThrow('after 2 reminder(s)');
    expect(mailbox.sent()).toHaveLength(2);
  });

  it('expires at the first timeout when no reminders are allowed', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'order-for', 'token-1');

    await expect(
      sendReminder({ orderId, step: 'order-for', settings: { ...settings, maxReminders: 0 } }),
    ).rejects.toMatchObject({ name: 'OrderExpiredError' });
    expect(mailbox.sent()).toEqual([]);
  });

  it('sends no reminder and issues no link for an order cancelled meanwhile', async () => {
    const orderId = await seedOrder({ status: 'cancelled' });
    await storeTaskToken(orderId, 'order-for', 'token-1');

    await expect(sendReminder({ orderId, step: 'order-for', settings })).rejects.toMatchObject({
      name: 'OrderClosedError',
    });
    expect(mailbox.sent()).toEqual([]);
    expect(await listLinks(orderId)).toEqual([]);
  });

  it('the handler rejects settings without maxReminders, naming the field', async () => {
    const orderId = await seedOrder();

    await expect(
      reminderHandler({ orderId, step: 'order-for', settings: { stepTimeoutSeconds: 60 } }, lambdaContext()),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('settings.maxReminders'),
    });
  });
});

describe('Expire order', () => {
  it('marks the order expired, stops its links and tells the contact and the assignee once', async () => {
    const orderId = await seedOrder({
      assignee: { email: 'bob@partner.example', role: 'delegate' },
      currentStep: 'Customer organization',
    });
    const { linkId } = await issueLink({ orderId, recipient: 'bob@partner.example', role: 'delegate' });

    const result = await expireOrder({ orderId });

    expect(result).toEqual({ status: 'expired' });
    expect((await getOrder(orderId)).status).toBe('expired');
    expect((await findLink(linkId))?.status).toBe('revoked');
    const sent = mailbox.sent();
    expect(sent.map((e) => e.to[0]).sort()).toEqual(['ana.popescu@partner.example', 'bob@partner.example']);
    expect(sent.every((e) => e.kind === 'expired' && e.subject.includes(orderId))).toBe(true);
    // Consumers hear of it: one "Order Expired" event, at the step the order waited on.
    expect(domainEvents.published()).toEqual([
      {
        bus: 'provisioning-test-bus',
        detailType: 'Order Expired',
        detail: expect.objectContaining({ orderId, step: 'Customer organization' }),
      },
    ]);
  });

  it('gives back the site names held for sites never provisioned', async () => {
    const orderId = await seedOrder();
    const name = `expiring-${orderId.toLowerCase()}`.slice(0, 40);
    await reserveSiteName(name, orderId);

    await expireOrder({ orderId });

    expect(await siteNameHolder(name)).toBeUndefined();
  });

  it('sends nothing more when the step runs again', async () => {
    const orderId = await seedOrder();
    await expireOrder({ orderId });

    await expireOrder({ orderId });

    expect(mailbox.sent()).toHaveLength(1);
    expect((await listAudit(orderId)).filter((e) => e.action === 'Order expired')).toHaveLength(1);
    // Published again by the retry, with the same event id, so a consumer keeps one.
    const expired = domainEvents.published();
    expect(expired.map((e) => e.detailType)).toEqual(['Order Expired', 'Order Expired']);
    expect(expired[0]?.detail.eventId).toBe(expired[1]?.detail.eventId);
  });

  it('leaves a completed order as it is', async () => {
    const orderId = await seedOrder({ status: 'completed' });

    expect(await expireOrder({ orderId })).toEqual({ status: 'completed' });
    expect((await getOrder(orderId)).status).toBe('completed');
    expect(mailbox.sent()).toEqual([]);
    expect(domainEvents.published()).toEqual([]);
  });

  it('the handler rejects a malformed order id, naming the field', async () => {
    await expect(expireHandler({ orderId: 'bad id/1' }, lambdaContext())).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('orderId'),
    });
  });
});
