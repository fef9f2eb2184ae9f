import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../../functions/shared/clients';
import { findLink } from '../../../functions/shared/adapters/link-store';
import { getOrder } from '../../../functions/shared/adapters/order-repository';
import { countReminder, getStep } from '../../../functions/shared/adapters/step-store';
import { hashToken } from '../../../functions/shared/domain/links';
import { OrderClosedError } from '../../../functions/shared/errors';
import { handler, requestInput } from '../../../functions/request-input/handler';
import { lambdaContext } from '../support/lambda-context';
import { linkIdOf, mockMailbox, type Mailbox } from '../support/mailbox';
import { seedOrder } from '../support/seed';
import { startLocalTable, type LocalTable } from '../support/local-table';

let table: LocalTable;
let mailbox: Mailbox;
beforeAll(async () => {
  table = await startLocalTable();
  mailbox = mockMailbox();
});
afterEach(() => mailbox.clear());
afterAll(async () => {
  mailbox.ses.restore();
  await table.stop();
});

const TOKEN = 'AQDEAAAAKgAAAAMAAAAAAAAAA+secret/token==' + 'z'.repeat(300);

describe('Request input', () => {
  it('stores the task token with the step and moves the order on', async () => {
    const orderId = await seedOrder();

    const result = await requestInput({ orderId, step: 'partner-org', taskToken: TOKEN });

    expect(result).toEqual({ step: 'partner-org', stored: true, emailed: false });
    expect(await getStep(orderId, 'partner-org')).toMatchObject({
      status: 'pending',
      tokenHash: hashToken(TOKEN),
    });
    expect(await getOrder(orderId)).toMatchObject({
      status: 'in-progress',
      currentStep: 'Partner organization',
    });
    expect(mailbox.sent()).toEqual([]);
  });

  it('waits on a step with one conditional write and no read; a new token keeps the step’s history', async () => {
    const fresh = await seedOrder();
    const first = vi.spyOn(dynamodb(), 'send');
    await requestInput({ orderId: fresh, step: 'partner-org', taskToken: TOKEN });
    const firstCommands = first.mock.calls.map(([command]) => command.constructor.name);
    first.mockRestore();
    // One write of the order's item: the order moves on and the step keeps its token.
    expect(firstCommands).toEqual(['UpdateCommand']);
    expect(await getOrder(fresh)).toMatchObject({
      status: 'in-progress',
      currentStep: 'Partner organization',
    });
    expect(await getStep(fresh, 'partner-org')).toMatchObject({
      status: 'pending',
      tokenHash: hashToken(TOKEN),
    });

    const orderId = await seedOrder();
    await requestInput({ orderId, step: 'partner-org', taskToken: TOKEN });
    await countReminder(orderId, 'partner-org', 'timeout-1');
    const before = await getStep(orderId, 'partner-org');
    const spy = vi.spyOn(dynamodb(), 'send');

    const again = await requestInput({ orderId, step: 'partner-org', taskToken: `${TOKEN}-after-reminder` });
    const commands = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();

    expect(again.stored).toBe(true);
    // After a reminder: the fresh write is refused (the step is pending), the token is replaced.
    expect(commands).toEqual(['UpdateCommand', 'UpdateCommand']);
    expect(await getStep(orderId, 'partner-org')).toMatchObject({
      status: 'pending',
      tokenHash: hashToken(`${TOKEN}-after-reminder`),
      reminders: 1,
      since: before?.since,
    });
  });

  it('emails the contact the welcome email with their setup link on the first step', async () => {
    const orderId = await seedOrder();

    const result = await requestInput({ orderId, step: 'order-for', taskToken: TOKEN });

    expect(result.emailed).toBe(true);
    const [email, ...more] = mailbox.sent();
    expect(more).toEqual([]);
    expect(email?.to).toEqual(['ana.popescu@partner.example']);
    expect(email?.kind).toBe('welcome');
    expect(email?.subject).toContain(orderId);
    const [link] = email?.setupLinks ?? [];
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:3000\/setup\/[A-Za-z0-9_-]{34,}$/);
    expect(await findLink(linkIdOf(link ?? ''))).toMatchObject({
      orderId,
      recipient: 'ana.popescu@partner.example',
      role: 'contact',
      status: 'active',
    });
  });

  it('writes the welcome email in the contact’s language', async () => {
    const ro = await seedOrder();
    const en = await seedOrder(
      {},
      { contact: { email: 'john@partner.example', name: 'John', language: 'en' } },
    );

    await requestInput({ orderId: ro, step: 'order-for', taskToken: TOKEN });
    await requestInput({ orderId: en, step: 'order-for', taskToken: TOKEN });

    expect(mailbox.sent().map((e) => e.subject)).toEqual([
      `Sunt necesare informațiile de asigurare a accesului pentru comanda ${ro}`,
      `Provisioning information required for your order ${en}`,
    ]);
  });

  it('sends the welcome email once when the step runs again', async () => {
    const orderId = await seedOrder();
    await requestInput({ orderId, step: 'order-for', taskToken: TOKEN });

    const again = await requestInput({ orderId, step: 'order-for', taskToken: TOKEN });

    expect(again).toEqual({ step: 'order-for', stored: false, emailed: false });
    expect(mailbox.sent()).toHaveLength(1);
  });

  it('never lets the task token out: not in its output, not in the email', async () => {
    const orderId = await seedOrder();

    const result = await handler({ orderId, step: 'order-for', taskToken: TOKEN }, lambdaContext());

    expect(JSON.stringify(result)).not.toContain('secret/token');
    const [email] = mailbox.sent();
    expect(`${email?.subject}${email?.text}${email?.html}`).not.toContain('secret/token');
  });

  it('refuses to wait on a cancelled order', async () => {
    const orderId = await seedOrder({ status: 'cancelled' });

    await expect(requestInput({ orderId, step: 'order-for', taskToken: TOKEN })).rejects.toBeInstanceOf(
      OrderClosedError,
    );
    expect(await getStep(orderId, 'order-for')).toBeUndefined();
    expect(mailbox.sent()).toEqual([]);
  });

  it('the handler rejects an unknown step, naming the field', async () => {
    const orderId = await seedOrder();

    await expect(
      handler({ orderId, step: 'payment', taskToken: TOKEN }, lambdaContext()),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('step'),
    });
  });

  it('the handler says so when the order does not exist', async () => {
    await expect(
      handler({ orderId: 'ORD-MISSING', step: 'order-for', taskToken: TOKEN }, lambdaContext()),
    ).rejects.toMatchObject({ name: 'OrderNotFoundError' });
  });
});
