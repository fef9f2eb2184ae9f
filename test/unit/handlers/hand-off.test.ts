import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handOff, handler } from '../../../functions/hand-off/handler';
import { findLink } from '../../../functions/shared/adapters/link-store';
import { getOrder, listAudit, updateOrder } from '../../../functions/shared/adapters/order-repository';
import { requestInput } from '../../../functions/request-input/handler';
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

/** An order waiting on "who is this order for", the contact holding the welcome link. */
async function orderWithWelcomeLink() {
  const orderId = await seedOrder();
  await requestInput({ orderId, step: 'order-for', taskToken: 'token-1' });
  const welcome = mailbox.sent()[0]?.setupLinks[0] ?? '';
  mailbox.clear();
  return { orderId, welcomeLinkId: linkIdOf(welcome) };
}

describe('Hand off to another person', () => {
  it('makes the new person the assignee, revokes the previous link and emails a fresh one', async () => {
    const { orderId, welcomeLinkId } = await orderWithWelcomeLink();

    const result = await handOff({
      orderId,
      role: 'delegate',
      email: 'bob@partner.example',
      submissionId: 's-1',
    });

    expect(result).toEqual({ assignee: 'bob@partner.example', emailed: true });
    expect((await getOrder(orderId)).assignee).toEqual({ email: 'bob@partner.example', role: 'delegate' });
    expect((await findLink(welcomeLinkId))?.status).toBe('revoked');
    const [email, ...more] = mailbox.sent();
    expect(more).toEqual([]);
    expect(email).toMatchObject({ to: ['bob@partner.example'], kind: 'handoff' });
    expect(email?.subject).toContain(orderId);
    expect(email?.text).toContain('ana.popescu@partner.example');
    const link = await findLink(linkIdOf(email?.setupLinks[0] ?? ''));
    expect(link).toMatchObject({ recipient: 'bob@partner.example', role: 'delegate', status: 'active' });
  });

  it('emails once per submission when the step runs again', async () => {
    const { orderId } = await orderWithWelcomeLink();
    const input = { orderId, role: 'delegate' as const, email: 'bob@partner.example', submissionId: 's-1' };
    await handOff(input);

    const again = await handOff(input);

    expect(again.emailed).toBe(false);
    expect(mailbox.sent()).toHaveLength(1);
    expect(
      (await listAudit(orderId)).filter((e) => e.action === 'Order handed to another person'),
    ).toHaveLength(1);
  });

  it('hands on again: the second person’s link stops, the third gets one', async () => {
    const { orderId } = await orderWithWelcomeLink();
    await handOff({ orderId, role: 'delegate', email: 'bob@partner.example', submissionId: 's-1' });
    const bobLink = linkIdOf(mailbox.sent()[0]?.setupLinks[0] ?? '');
    mailbox.clear();

    await handOff({ orderId, role: 'delegate', email: 'carol@partner.example', submissionId: 's-2' });

    expect((await findLink(bobLink))?.status).toBe('revoked');
    expect(mailbox.sent().map((e) => e.to)).toEqual([['carol@partner.example']]);
    expect((await getOrder(orderId)).assignee.email).toBe('carol@partner.example');
  });
});

describe('Hand services to the customer admin', () => {
  it('lets the customer admin continue with a services-only link; the partner keeps theirs', async () => {
    const { orderId, welcomeLinkId } = await orderWithWelcomeLink();
    const customerOrg = {
      orgId: 'c-1',
      name: 'Globex',
      created: false,
      adminEmail: 'admin@globex.example',
      partnerRole: 'provisioning-admin' as const,
    };
    await updateOrder(orderId, {
      orderFor: 'customer',
      partnerOrg: { orgId: 'p-1', name: 'Partner Solutions', created: false },
      customerOrg,
    });

    const result = await handOff({ orderId, role: 'customer-admin' });

    expect(result).toEqual({ assignee: 'admin@globex.example', emailed: true });
    expect(await getOrder(orderId)).toMatchObject({
      selfSetup: true,
      assignee: { email: 'admin@globex.example', role: 'customer-admin' },
    });
    const [email] = mailbox.sent();
    expect(email).toMatchObject({ to: ['admin@globex.example'], kind: 'self-setup' });
    expect(email?.subject).toContain(orderId);
    expect(await findLink(linkIdOf(email?.setupLinks[0] ?? ''))).toMatchObject({
      role: 'customer-admin',
      scope: 'services',
    });
    expect((await findLink(welcomeLinkId))?.status).toBe('active');
  });

  it('refuses when no customer organization is mapped yet', async () => {
    const orderId = await seedOrder();

    await expect(handOff({ orderId, role: 'customer-admin' })).rejects.toMatchObject({
      name: 'ValidationError',
    });
    expect(mailbox.sent()).toEqual([]);
  });

  it('the handler rejects a delegate without an email, naming the field', async () => {
    const orderId = await seedOrder();

    await expect(
      handler({ orderId, role: 'delegate', email: 'not-an-email', submissionId: 's-1' }, lambdaContext()),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('email') });
  });
});
