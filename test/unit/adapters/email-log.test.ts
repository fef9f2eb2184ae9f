import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listSent, sendOnce, wasSent } from '../../../functions/shared/adapters/email-log';
import { uniqueOrderId } from '../../fixtures/orders';
import { startLocalTable, type LocalTable } from '../support/local-table';

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(async () => {
  await table.stop();
});

const welcome = { kind: 'welcome', to: 'ana@partner.example', subject: 'Welcome', messageId: 'm-1' };

describe('sendOnce', () => {
  it('sends once per order and purpose, however often the step runs', async () => {
    const orderId = uniqueOrderId();
    const send = vi.fn(async () => welcome);

    const results = [await sendOnce(orderId, 'welcome', send), await sendOnce(orderId, 'welcome', send)];

    expect(results).toEqual([true, false]);
    expect(send).toHaveBeenCalledTimes(1);
    expect(await wasSent(orderId, 'welcome')).toBe(true);
    expect(await listSent(orderId)).toEqual([
      expect.objectContaining({ purpose: 'welcome', ...welcome, orderId }),
    ]);
  });

  it('sends again for another purpose or another order', async () => {
    const orderId = uniqueOrderId();
    const send = vi.fn(async () => welcome);

    await sendOnce(orderId, 'reminder#order-for#1', send);
    await sendOnce(orderId, 'reminder#order-for#2', send);
    await sendOnce(uniqueOrderId(), 'reminder#order-for#1', send);

    expect(send).toHaveBeenCalledTimes(3);
  });

  it('records nothing when the send fails, so a retry sends it', async () => {
    const orderId = uniqueOrderId();
    const failing = vi.fn(async () => {
      throw new Error('SES is down');
    });

    await expect(sendOnce(orderId, 'welcome', failing)).rejects.toThrow('SES is down');

    expect(await wasSent(orderId, 'welcome')).toBe(false);
    expect(await sendOnce(orderId, 'welcome', async () => welcome)).toBe(true);
  });
});
