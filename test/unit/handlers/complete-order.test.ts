import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { completeOrder, handler } from '../../../functions/complete-order/handler';
import { getOrder, listAudit, updateOrder } from '../../../functions/shared/adapters/order-repository';
import { findLink } from '../../../functions/shared/adapters/link-store';
import { lambdaContext } from '../support/lambda-context';
import { mockMailbox, type Mailbox } from '../support/mailbox';
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

const summaryKey = (orderId: string) => `orders/${orderId}/order-summary.pdf`;

describe('Complete order', () => {
  it('emails the summary through a setup link of the person’s own (a fresh URL per click), greeting by name, and marks the order completed', async () => {
    const orderId = await seedOrder({ status: 'in-progress' });
    await updateOrder(orderId, { summaryKey: summaryKey(orderId) });

    const result = await completeOrder({ orderId });

    expect(result).toEqual({ status: 'completed' });
    const order = await getOrder(orderId);
    expect(order.status).toBe('completed');
    expect(order.completedAt).toBeDefined();
    const [email, ...more] = mailbox.sent();
    expect(more).toEqual([]);
    expect(email).toMatchObject({ to: ['ana.popescu@partner.example'], kind: 'complete' });
    expect(email?.subject).toContain(orderId);
    expect(email?.text).toContain(`${order.contact.name},`);
    expect(email?.text).not.toMatch(/X-Amz-|amazonaws/);
    const linkId = new RegExp(`${process.env.PUBLIC_BASE_URL}/setup/([A-Za-z0-9_-]{34,})/summary`).exec(
      email?.text ?? '',
    )?.[1];
    const link = await findLink(linkId ?? '');
    expect(link).toMatchObject({ orderId, recipient: 'ana.popescu@partner.example', status: 'active' });
    expect(domainEvents.published()).toEqual([
      {
        bus: 'provisioning-test-bus',
        detailType: 'Order Completed',
        detail: expect.objectContaining({ orderId, summaryKey: summaryKey(orderId) }),
      },
    ]);
  });

  it('lists what the order made in Webex, with the ids Webex gave', async () => {
    const orderId = await seedOrder({
      status: 'in-progress',
      summaryKey: summaryKey('webex'),
      customerOrg: {
        orgId: 'c-1',
        name: 'Fabrikam',
        created: false,
        adminEmail: 'it@fabrikam.example',
        webexOrgId: 'Y2lzY29zcGFyazovL3VzL09SRw',
      },
      provisioned: {
        calling: {
          location: {
            locationName: 'Headquarters',
            country: 'US',
            street: '1 Market St',
            city: 'San Francisco',
            postalCode: '94105',
            state: 'CA',
            timeZone: 'America/Los_Angeles',
            announcementLanguage: 'en_us',
          },
          provisionedAt: '2026-11-25T10:00:00.000Z',
          webex: { locationId: 'Y2lzY29zcGFyazovL3VzL0xPQw', orgId: 'Y2lzY29zcGFyazovL3VzL09SRw' },
        },
      },
    });

    await completeOrder({ orderId });

    const [email] = mailbox.sent();
    expect(email?.text).toContain('Create în Webex');
    expect(email?.text).toContain('Fabrikam — Y2lzY29zcGFyazovL3VzL09SRw');
    expect(email?.text).toContain('Headquarters — Y2lzY29zcGFyazovL3VzL0xPQw');
  });

  it('tells both the contact and the person who finished the order', async () => {
    const orderId = await seedOrder({
      summaryKey: 'orders/x/order-summary.pdf',
      assignee: { email: 'admin@globex.example', role: 'customer-admin' },
    });

    await completeOrder({ orderId });

    expect(
      mailbox
        .sent()
        .map((e) => e.to[0])
        .sort(),
    ).toEqual(['admin@globex.example', 'ana.popescu@partner.example']);
  });

  it('sends nothing more and records completion once when the step runs again', async () => {
    const orderId = await seedOrder({ summaryKey: 'orders/y/order-summary.pdf' });
    await completeOrder({ orderId });
    const completedAt = (await getOrder(orderId)).completedAt;

    await completeOrder({ orderId });

    expect(mailbox.sent()).toHaveLength(1);
    expect((await getOrder(orderId)).completedAt).toBe(completedAt);
    expect((await listAudit(orderId)).filter((e) => e.action === 'Order completed')).toHaveLength(1);
  });

  it('sends no completion email for an order cancelled meanwhile', async () => {
    const orderId = await seedOrder({ status: 'cancelled', summaryKey: 'orders/z/order-summary.pdf' });

    await expect(completeOrder({ orderId })).rejects.toMatchObject({ name: 'OrderClosedError' });
    expect(mailbox.sent()).toEqual([]);
    expect((await getOrder(orderId)).status).toBe('cancelled');
  });

  it('refuses to complete an order that has no summary yet', async () => {
    const orderId = await seedOrder();

    await expect(completeOrder({ orderId })).rejects.toMatchObject({ name: 'ValidationError' });
    expect((await getOrder(orderId)).status).toBe('received');
    expect(mailbox.sent()).toEqual([]);
  });

  it('the handler rejects an input without an order id, naming the field', async () => {
    await expect(handler({}, lambdaContext())).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('orderId'),
    });
  });
});
