import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../../functions/shared/clients';
import {
  addAudit,
  createOrder,
  findOrder,
  getOrder,
  listAudit,
  newOrderRecord,
  setProvisioned,
  updateOrder,
} from '../../../functions/shared/adapters/order-repository';
import { OrderClosedError, OrderNotFoundError } from '../../../functions/shared/errors';
import { placedDetail, uniqueOrderId } from '../../fixtures/orders';
import { startLocalTable, type LocalTable } from '../support/local-table';

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(async () => {
  await table.stop();
});

async function storedOrder(status?: 'completed' | 'cancelled' | 'expired' | 'failed') {
  const orderId = uniqueOrderId();
  await createOrder(newOrderRecord(placedDetail({ orderId }), new Date().toISOString()));
  if (status) await updateOrder(orderId, { status }, { allowClosed: true });
  return orderId;
}

describe('createOrder', () => {
  it('stores a new order as received, assigned to the contact', async () => {
    const orderId = uniqueOrderId();

    const created = await createOrder(newOrderRecord(placedDetail({ orderId }), '2026-11-25T10:00:00.000Z'));

    expect(created).toBe(true);
    expect(await getOrder(orderId)).toMatchObject({
      orderId,
      status: 'received',
      assignee: { email: 'ana.popescu@partner.example', role: 'contact' },
      provisioned: {},
      createdAt: '2026-11-25T10:00:00.000Z',
    });
  });

  it('returns false for a duplicate and keeps the first order as it was', async () => {
    const orderId = uniqueOrderId();
    await createOrder(newOrderRecord(placedDetail({ orderId }), '2026-11-25T10:00:00.000Z'));
    await updateOrder(orderId, { status: 'in-progress' });

    const again = await createOrder(
      newOrderRecord(placedDetail({ orderId, subscriptionId: 'SUB-OTHER' }), '2026-11-25T11:00:00.000Z'),
    );

    expect(again).toBe(false);
    expect(await getOrder(orderId)).toMatchObject({ status: 'in-progress', subscriptionId: 'SUB-778899' });
  });
});

describe('finding orders', () => {
  it('finds nothing for an unknown id, and getOrder says it does not exist', async () => {
    expect(await findOrder('NOPE-1')).toBeUndefined();
    await expect(getOrder('NOPE-1')).rejects.toBeInstanceOf(OrderNotFoundError);
  });
});

describe('updateOrder', () => {
  it('sets the given fields and the update time, leaving the rest', async () => {
    const orderId = await storedOrder();

    await updateOrder(orderId, { status: 'in-progress', currentStep: 'Who is this order for' });

    const order = await getOrder(orderId);
    expect(order).toMatchObject({ status: 'in-progress', currentStep: 'Who is this order for' });
    expect(order.updatedAt > order.createdAt || order.updatedAt === order.createdAt).toBe(true);
    expect(order.contact.name).toBe('Ana Popescu');
  });

  it.each(['completed', 'cancelled', 'expired'] as const)('refuses to change a %s order', async (status) => {
    const orderId = await storedOrder(status);

    await expect(updateOrder(orderId, { currentStep: 'Late step' })).rejects.toBeInstanceOf(OrderClosedError);
    expect((await getOrder(orderId)).currentStep).not.toBe('Late step');
  });

  it('lets a redriven run move a failed order on', async () => {
    const orderId = await storedOrder('failed');

    await updateOrder(orderId, { status: 'in-progress' });

    expect((await getOrder(orderId)).status).toBe('in-progress');
  });

  it('lets the closing steps write a final order when asked', async () => {
    const orderId = await storedOrder('cancelled');

    await updateOrder(orderId, { cancelReason: 'duplicate purchase' }, { allowClosed: true });

    expect((await getOrder(orderId)).cancelReason).toBe('duplicate purchase');
  });

  it('says an unknown order does not exist rather than creating it', async () => {
    await expect(updateOrder('NOPE-2', { status: 'in-progress' })).rejects.toBeInstanceOf(OrderNotFoundError);
    expect(await findOrder('NOPE-2')).toBeUndefined();
  });
});

describe('setProvisioned', () => {
  it('records each service without overwriting the other', async () => {
    const orderId = await storedOrder();
    const meetings = {
      sites: [{ siteName: 'acme', timeZone: 'UTC', earlyRelease: false, licenses: 50 }],
      provisionedAt: '2026-11-25T10:00:00.000Z',
    };
    const calling = {
      location: {
        locationName: 'HQ',
        country: 'HK',
        street: '1 Queen’s Road',
        city: 'Hong Kong',
        timeZone: 'Asia/Hong_Kong',
        announcementLanguage: 'en_gb',
      },
      provisionedAt: '2026-11-25T10:00:01.000Z',
    };

    await Promise.all([
      setProvisioned(orderId, 'meetings', meetings),
      setProvisioned(orderId, 'calling', calling),
    ]);

    expect((await getOrder(orderId)).provisioned).toEqual({ meetings, calling });
  });

  it('refuses a cancelled order', async () => {
    const orderId = await storedOrder('cancelled');

    await expect(setProvisioned(orderId, 'meetings', { sites: [] })).rejects.toBeInstanceOf(OrderClosedError);
  });
});

describe('audit trail', () => {
  it('lists entries oldest first', async () => {
    const orderId = await storedOrder();
    await addAudit(orderId, { actor: 'system', action: 'Second', at: '2026-11-25T10:00:02.000Z' });
    await addAudit(orderId, {
      actor: 'ana.popescu@partner.example',
      action: 'First',
      at: '2026-11-25T10:00:01.000Z',
      details: { choice: 'customer' },
    });

    const audit = await listAudit(orderId);

    expect(audit).toEqual([
      {
        actor: 'ana.popescu@partner.example',
        action: 'First',
        at: '2026-11-25T10:00:01.000Z',
        details: { choice: 'customer' },
      },
      { actor: 'system', action: 'Second', at: '2026-11-25T10:00:02.000Z', details: {} },
    ]);
  });

  it('writes an entry with a dedupe key once, however often the step runs', async () => {
    const orderId = await storedOrder();

    await addAudit(orderId, { actor: 'system', action: 'Order received' }, 'received');
    await addAudit(orderId, { actor: 'system', action: 'Order received' }, 'received');

    expect((await listAudit(orderId)).map((e) => e.action)).toEqual(['Order received']);
  });

  it('writes entries without a dedupe key every time', async () => {
    const orderId = await storedOrder();

    await addAudit(orderId, { actor: 'system', action: 'Provisioning failed' });
    await addAudit(orderId, { actor: 'system', action: 'Provisioning failed' });

    expect(await listAudit(orderId)).toHaveLength(2);
  });
});

describe('audit entries written with the order', () => {
  const entry = (action: string, n: number) => ({ actor: 'system', action, details: { n } });

  it('the order’s creation carries its first entry: one request; a duplicate event writes none', async () => {
    const orderId = uniqueOrderId();
    const record = newOrderRecord(placedDetail({ orderId }), new Date().toISOString());
    const spy = vi.spyOn(dynamodb(), 'send');

    const created = await createOrder(record, { entry: entry('Order received', 1), dedupeKey: 'received' });
    const commands = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();
    const again = await createOrder(record, { entry: entry('Order received', 2), dedupeKey: 'received' });

    expect([created, again]).toEqual([true, false]);
    expect(commands).toEqual(['PutCommand']);
    expect((await listAudit(orderId)).map((e) => [e.action, e.details])).toEqual([
      ['Order received', { n: 1 }],
    ]);
  });

  it('a change of the order carries its entry: one request; a retried change keeps the first entry', async () => {
    const orderId = await storedOrder();
    const spy = vi.spyOn(dynamodb(), 'send');

    await updateOrder(
      orderId,
      { currentStep: 'Map customer organization' },
      { audit: { entry: entry('Mapped', 1), dedupeKey: 'map' } },
    );
    const commands = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();
    await updateOrder(
      orderId,
      { currentStep: 'Map customer organization' },
      { audit: { entry: entry('Mapped', 2), dedupeKey: 'map' } },
    );
    await addAudit(orderId, { actor: 'system', action: 'Apart' });

    expect(commands).toEqual(['UpdateCommand']);
    expect((await listAudit(orderId)).map((e) => [e.action, e.details])).toEqual([
      ['Mapped', { n: 1 }],
      ['Apart', {}],
    ]);
    expect((await getOrder(orderId)).currentStep).toBe('Map customer organization');
  });

  it('a refused change writes no entry', async () => {
    const orderId = await storedOrder('cancelled');

    await expect(
      updateOrder(orderId, { currentStep: 'x' }, { audit: { entry: entry('Never', 1), dedupeKey: 'never' } }),
    ).rejects.toBeInstanceOf(OrderClosedError);
    expect((await listAudit(orderId)).map((e) => e.action)).not.toContain('Never');
  });
});
