import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { onCancelEvent } from '../../../functions/cancel-order/handler';
import { intake } from '../../../functions/intake/handler';
import { logger } from '../../../functions/shared/observability';
import { loadRun } from '../../../infra/local/ops/ops-queries';
import { formatRunDetail } from '../../../infra/local/ops/ops-text';
import { cancelledEvent, placedEvent, uniqueOrderId } from '../../fixtures/orders';
import { mockMailbox, type Mailbox } from '../support/mailbox';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { itemsOf } from '../support/table-items';

// EventBridge does not guarantee order, and a failed intake is retried later: a cancellation can
// arrive before its order (issue 13, hole 3). It is recorded (a tombstone that expires), and the
// order that comes after it never starts a run.

let table: LocalTable;
let mailbox: Mailbox;
const sfn = mockClient(SFNClient);
beforeAll(async () => {
  table = await startLocalTable();
  mailbox = mockMailbox();
});
afterEach(() => {
  mailbox.clear();
  sfn.reset();
  vi.restoreAllMocks();
});
afterAll(async () => {
  sfn.restore();
  mailbox.ses.restore();
  await table.stop();
});

describe('a cancellation that arrives before its order', () => {
  it('is recorded with a retention time and logged as a warning naming the order', async () => {
    const orderId = uniqueOrderId();
    const warn = vi.spyOn(logger, 'warn');
    const before = Math.floor(Date.now() / 1000);

    const result = await onCancelEvent(cancelledEvent(orderId, 'Customer withdrew'));

    expect(result).toEqual({ status: 'cancelled-before-order', orderId });
    const [tombstone, ...others] = (await itemsOf(`ORDER#${orderId}`)).filter((i) => i.sk === 'CANCELLED');
    expect(others).toEqual([]);
    expect(tombstone).toMatchObject({
      type: 'early-cancellation',
      orderId,
      reason: 'Customer withdrew',
      cancelledAt: '2026-11-26T10:00:00Z',
    });
    // DynamoDB's TTL attribute (epoch seconds): kept 30 days, then removed by DynamoDB.
    expect(Number(tombstone?.ttl) - before).toBeGreaterThanOrEqual(30 * 24 * 3600);
    expect(Number(tombstone?.ttl) - before).toBeLessThan(31 * 24 * 3600);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('Cancellation for an unknown order'),
      expect.objectContaining({ orderId }),
    );
    expect(sfn.commandCalls(StopExecutionCommand)).toEqual([]);
    expect(mailbox.sent()).toEqual([]);
  });

  it('makes the intake refuse the order: no run, a warning, and the refusal kept for the ops view', async () => {
    const orderId = uniqueOrderId();
    await onCancelEvent(cancelledEvent(orderId, 'Customer withdrew'));
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));
    const warn = vi.spyOn(logger, 'warn');

    const result = await intake(placedEvent({ orderId }));
    const again = await intake(placedEvent({ orderId }));

    expect(result).toEqual({ status: 'refused', orderId, reason: 'cancelled before it arrived' });
    expect(again.status).toBe('refused');
    expect(sfn.commandCalls(StartExecutionCommand)).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('refused'),
      expect.objectContaining({ orderId }),
    );
    const run = await loadRun(orderId);
    expect(run?.summary).toMatchObject({ orderId, status: 'cancelled', hasOrder: false });
    expect(run?.earlyCancellation).toMatchObject({
      reason: 'Customer withdrew',
      cancelledAt: '2026-11-26T10:00:00Z',
      refusals: 2,
    });
    expect(run?.earlyCancellation?.refusedAt).toBeDefined();
    const shown = run ? formatRunDetail(run, new Date()) : '';
    expect(shown).toContain('the order was cancelled before it arrived');
    expect(shown).toContain('Its order event was refused 2 times');
  });

  it('a repeated early cancellation keeps the first record', async () => {
    const orderId = uniqueOrderId();
    await onCancelEvent(cancelledEvent(orderId, 'First'));
    const second = await onCancelEvent(cancelledEvent(orderId, 'Second'));

    expect(second).toEqual({ status: 'cancelled-before-order', orderId });
    const tombstones = (await itemsOf(`ORDER#${orderId}`)).filter((i) => i.sk === 'CANCELLED');
    expect(tombstones.map((t) => t.reason)).toEqual(['First']);
  });
});
