import { ExecutionDoesNotExist, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cancelOrder, executionArnFor } from '../../../functions/cancel-order/cancel-order';
import { reserveSiteName, siteNameHolder } from '../../../functions/shared/adapters/org-directory';
import { handler, onCancelEvent } from '../../../functions/cancel-order/handler';
import { findLink, issueLink } from '../../../functions/shared/adapters/link-store';
import { getOrder, listAudit } from '../../../functions/shared/adapters/order-repository';
import { cancelledEvent } from '../../fixtures/orders';
import { lambdaContext } from '../support/lambda-context';
import { mockMailbox, type Mailbox } from '../support/mailbox';
import { seedOrder } from '../support/seed';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { allItems } from '../support/table-items';
import { captureDomainEvents } from '../support/domain-events';

// The workflow's bus: the steps publish their domain events on it.
const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());

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
  domainEvents.reset();
});
afterAll(async () => {
  sfn.restore();
  mailbox.ses.restore();
  await table.stop();
});

describe('Cancel order', () => {
  it('marks the order cancelled, revokes its links, stops its run and tells the people', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const orderId = await seedOrder({
      status: 'in-progress',
      assignee: { email: 'bob@partner.example', role: 'delegate' },
    });
    const { linkId } = await issueLink({ orderId, recipient: 'bob@partner.example', role: 'delegate' });

    const result = await cancelOrder({ orderId, reason: 'Customer withdrew', actor: 'order-system' });

    expect(result).toEqual({ status: 'cancelled', orderId });
    expect(await getOrder(orderId)).toMatchObject({ status: 'cancelled', cancelReason: 'Customer withdrew' });
    expect((await findLink(linkId))?.status).toBe('revoked');
    expect(sfn.commandCalls(StopExecutionCommand).map((c) => c.args[0].input)).toEqual([
      {
        executionArn: `arn:aws:states:us-east-1:000000000000:execution:SubscriptionProvisioning:${orderId}`,
        error: 'OrderCancelled',
        cause: 'Customer withdrew',
      },
    ]);
    const sent = mailbox.sent();
    expect(sent.map((e) => e.to[0]).sort()).toEqual(['ana.popescu@partner.example', 'bob@partner.example']);
    expect(sent.every((e) => e.kind === 'cancelled' && e.subject.includes(orderId))).toBe(true);
    expect(await listAudit(orderId)).toEqual([
      expect.objectContaining({
        actor: 'order-system',
        action: 'Order cancelled',
        details: { reason: 'Customer withdrew' },
      }),
    ]);
    expect(domainEvents.published()).toEqual([
      {
        bus: 'provisioning-test-bus',
        detailType: 'Order Cancelled',
        detail: expect.objectContaining({ orderId, reason: 'Customer withdrew' }),
      },
    ]);
  });

  it('gives back the Meetings site names the order held', async () => {
    const orderId = await seedOrder();
    const name = `cancelled-${orderId.toLowerCase()}`.slice(0, 40);
    await reserveSiteName(name, orderId);

    await cancelOrder({ orderId, actor: 'order-system' });

    expect(await siteNameHolder(name)).toBeUndefined();
  });

  it('is safe to repeat: no second email, no second audit entry, a stopped run is fine', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const orderId = await seedOrder();
    await cancelOrder({ orderId, actor: 'order-system' });
    sfn.on(StopExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'gone', $metadata: {} }));

    const again = await cancelOrder({ orderId, actor: 'order-system' });

    expect(again.status).toBe('cancelled');
    expect(mailbox.sent()).toHaveLength(1);
    expect(await listAudit(orderId)).toHaveLength(1);
  });

  it('when StopExecution is throttled, the delivery fails to be retried; the retry stops the run and tells the people once', async () => {
    const orderId = await seedOrder({ status: 'in-progress' });
    sfn
      .on(StopExecutionCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }))
      .resolves({ stopDate: new Date() });

    // EventBridge retries the target: the throttle must fail this delivery, not pass as done.
    await expect(handler(cancelledEvent(orderId), lambdaContext())).rejects.toMatchObject({
      name: 'TransientError',
    });
    // Marked cancelled first (a step running now stops writing); nobody told of a run still going.
    expect((await getOrder(orderId)).status).toBe('cancelled');
    expect(mailbox.sent()).toEqual([]);
    expect(domainEvents.published()).toEqual([]);

    expect(await handler(cancelledEvent(orderId), lambdaContext())).toEqual({ status: 'cancelled', orderId });

    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(2);
    expect(mailbox.sent().map((e) => e.kind)).toEqual(['cancelled']);
    expect((await listAudit(orderId)).map((e) => e.action)).toEqual(['Order cancelled']);
    expect(domainEvents.types()).toEqual(['Order Cancelled']);
  });

  it('leaves a completed order completed', async () => {
    const orderId = await seedOrder({ status: 'completed' });

    const result = await cancelOrder({ orderId, actor: 'order-system' });

    expect(result).toEqual({ status: 'already-final', orderId, orderStatus: 'completed' });
    expect((await getOrder(orderId)).status).toBe('completed');
    expect(sfn.commandCalls(StopExecutionCommand)).toEqual([]);
    expect(mailbox.sent()).toEqual([]);
  });

  it('says not found for an order it does not know', async () => {
    expect(await cancelOrder({ orderId: 'ORD-UNKNOWN', actor: 'order-system' })).toEqual({
      status: 'not-found',
      orderId: 'ORD-UNKNOWN',
    });
  });

  it('derives the execution ARN from the state machine ARN', () => {
    expect(executionArnFor('ORD-7')).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:SubscriptionProvisioning:ORD-7',
    );
  });
});

describe('Cancellation event', () => {
  it('cancels the order named by a valid event', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const orderId = await seedOrder();

    const result = await handler(cancelledEvent(orderId), lambdaContext());

    expect(result).toEqual({ status: 'cancelled', orderId });
    expect((await getOrder(orderId)).cancelReason).toBe('Customer withdrew');
  });

  it('records a malformed event, naming the field, and stops nothing', async () => {
    const event = cancelledEvent('ORD-1');
    const bad = { ...event, detail: { orderId: 'ORD-1', cancelledAt: 'last tuesday' } };

    const result = await onCancelEvent(bad);

    expect(result).toMatchObject({ status: 'rejected', issues: [{ path: 'detail.cancelledAt' }] });
    const rejectionId = result.status === 'rejected' ? result.rejectionId : '';
    expect((await allItems()).find((i) => i.id === rejectionId)).toMatchObject({
      type: 'rejected-event',
      reason: 'invalid cancellation event',
    });
    expect(sfn.commandCalls(StopExecutionCommand)).toEqual([]);
  });

  it('takes a reason over several lines, and rejects one with a NUL, recording why', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const orderId = await seedOrder();

    const nul = await onCancelEvent(cancelledEvent(orderId, 'Customer\u0000withdrew'));

    expect(nul).toMatchObject({
      status: 'rejected',
      issues: [
        {
          path: 'detail.reason',
          message: 'must not contain control characters other than line breaks (tabs, NUL)',
        },
      ],
    });
    const rejectionId = nul.status === 'rejected' ? nul.rejectionId : '';
    expect((await allItems()).find((i) => i.id === rejectionId)).toMatchObject({
      type: 'rejected-event',
      reason: 'invalid cancellation event',
    });
    expect(sfn.commandCalls(StopExecutionCommand)).toEqual([]);

    const lines = await onCancelEvent(cancelledEvent(orderId, 'Customer withdrew.\r\nTicket 42.'));

    expect(lines).toEqual({ status: 'cancelled', orderId });
    expect((await getOrder(orderId)).cancelReason).toBe('Customer withdrew.\r\nTicket 42.');
  });
});
