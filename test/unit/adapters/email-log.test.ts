import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listSent, sendOnce, wasSent } from '../../../functions/shared/adapters/email-log';
import { dynamodb, resetClients } from '../../../functions/shared/clients';
import { startFaultFront } from '../../../infra/local/faults';
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

    const spy = vi.spyOn(dynamodb(), 'send');
    const results = [await sendOnce(orderId, 'welcome', send), await sendOnce(orderId, 'welcome', send)];
    const commands = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();

    expect(results).toEqual([true, false]);
    expect(send).toHaveBeenCalledTimes(1);
    // The claim and the record; then the claim again, refused: no read before a claim.
    expect(commands).toEqual(['PutCommand', 'PutCommand', 'PutCommand']);
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

  it('never sends twice when recording the send fails (DynamoDB down right after SES took it), whatever the retries', async () => {
    // Why one duplicate got through at 30 % DynamoDB faults: the send happened, the record of it
    // failed (three throttled attempts), the step was retried, found no record, and sent again.
    const orderId = uniqueOrderId();
    const front = await startFaultFront({
      service: 'dynamodb',
      target: table.endpoint,
      host: '127.0.0.1',
      port: 0,
    });
    process.env.DYNAMODB_ENDPOINT = front.url;
    resetClients();
    try {
      const send = vi.fn(async () => {
        front.outageFor(60_000);
        return welcome;
      });

      // SES has it: the step goes on (the claim stands in for the lost record).
      expect(await sendOnce(orderId, 'welcome', send)).toBe(true);
      front.endOutage();
      const again = await sendOnce(orderId, 'welcome', send);
      const third = await sendOnce(orderId, 'welcome', send);

      expect(send).toHaveBeenCalledTimes(1);
      expect([again, third]).toEqual([false, false]);
      expect(await wasSent(orderId, 'welcome')).toBe(true);
    } finally {
      await front.close();
      process.env.DYNAMODB_ENDPOINT = table.endpoint;
      resetClients();
    }
  });

  it('does not send again after a send whose outcome is unknown (a timeout): at most once', async () => {
    const orderId = uniqueOrderId();
    const timedOut = vi.fn(async (): Promise<typeof welcome> => {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    });
    const send = vi.fn(async () => welcome);

    await expect(sendOnce(orderId, 'welcome', timedOut)).rejects.toThrow('socket hang up');
    expect(await sendOnce(orderId, 'welcome', send)).toBe(false);

    expect(send).not.toHaveBeenCalled();
    expect(await listSent(orderId)).toEqual([
      expect.objectContaining({ purpose: 'welcome', subject: expect.stringMatching(/unconfirmed/i) }),
    ]);
  });

  it('sends once when two attempts race for the same purpose', async () => {
    const orderId = uniqueOrderId();
    const send = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return welcome;
    });

    const results = await Promise.all([1, 2, 3].map(() => sendOnce(orderId, 'welcome', send)));

    expect(send).toHaveBeenCalledTimes(1);
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
