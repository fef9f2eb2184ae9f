import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getOrder, listAudit } from '../../../functions/shared/adapters/order-repository';
import { handler, receiveOrder } from '../../../functions/receive-order/handler';
import { executionInput, uniqueOrderId } from '../../fixtures/orders';
import { lambdaContext } from '../support/lambda-context';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { captureDomainEvents } from '../support/domain-events';

// The workflow's bus: the steps publish their domain events on it.
const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());
afterEach(() => domainEvents.reset());

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(async () => {
  await table.stop();
});

describe('Receive order', () => {
  it('stores the order as received and records who placed it', async () => {
    const input = executionInput({ orderId: uniqueOrderId() });

    const result = await receiveOrder(input);

    expect(result).toEqual({ orderId: input.order.orderId, created: true });
    expect(await getOrder(input.order.orderId)).toMatchObject({
      status: 'received',
      contact: input.order.contact,
      services: input.order.services,
    });
    expect(await listAudit(input.order.orderId)).toEqual([
      expect.objectContaining({
        actor: 'order-system',
        action: 'Order received',
        details: expect.objectContaining({ services: 'meetings × 50, calling × 20' }),
      }),
    ]);
    expect(domainEvents.published()).toEqual([
      {
        bus: 'provisioning-test-bus',
        detailType: 'Order Received',
        detail: expect.objectContaining({ orderId: input.order.orderId }),
      },
    ]);
  });

  it('changes nothing for the same order received twice', async () => {
    const input = executionInput({ orderId: uniqueOrderId() });
    await receiveOrder(input);
    const stored = await getOrder(input.order.orderId);

    const again = await receiveOrder(input);

    expect(again.created).toBe(false);
    expect(await getOrder(input.order.orderId)).toEqual(stored);
    expect(await listAudit(input.order.orderId)).toHaveLength(1);
    // The retry publishes the fact again with the same event id, so a consumer keeps one.
    const received = domainEvents.published();
    expect(received.map((e) => e.detailType)).toEqual(['Order Received', 'Order Received']);
    expect(received[0]?.detail.eventId).toBe(received[1]?.detail.eventId);
  });

  it('the handler rejects an input without a contact email, naming the field', async () => {
    const input = executionInput({ orderId: uniqueOrderId() });
    const bad = { ...input, order: { ...input.order, contact: { name: 'Ana', language: 'ro' } } };

    await expect(handler(bad, lambdaContext())).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('order.contact.email'),
    });
  });

  it('the handler stores a valid input', async () => {
    const input = executionInput({ orderId: uniqueOrderId() });

    await expect(handler(input, lambdaContext())).resolves.toEqual({
      orderId: input.order.orderId,
      created: true,
    });
  });
});
