import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../../functions/shared/clients';
import { handler, intake } from '../../../functions/intake/handler';
import { receiveOrder } from '../../../functions/receive-order/handler';
import { issueLink } from '../../../functions/shared/adapters/link-store';
import { executionInputSchema } from '../../../functions/shared/domain/order.schema';
import { placedEvent, uniqueOrderId } from '../../fixtures/orders';
import { lambdaContext } from '../support/lambda-context';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { allItems } from '../support/table-items';
import { captureDomainEvents } from '../support/domain-events';

// The workflow's bus: the steps publish their domain events on it.
const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:SubscriptionProvisioning';

let table: LocalTable;
const sfn = mockClient(SFNClient);
beforeAll(async () => {
  table = await startLocalTable();
});
afterEach(() => {
  sfn.reset();
});
afterAll(async () => {
  sfn.restore();
  await table.stop();
});

function startsRun() {
  sfn.on(StartExecutionCommand).callsFake(async (input: { name?: string }) => ({
    executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date(),
  }));
}

async function rejectedRecord(rejectionId: string) {
  return (await allItems()).find((i) => i.type === 'rejected-event' && i.id === rejectionId);
}

describe('Intake', () => {
  it('starts one run named by the order id, with the order and the run settings', async () => {
    startsRun();
    const orderId = uniqueOrderId();
    const spy = vi.spyOn(dynamodb(), 'send');

    const result = await intake(placedEvent({ orderId }));
    const commands = spy.mock.calls.map(([command]) => command.constructor.name);
    spy.mockRestore();

    // No cancellation came first and no order is stored: one read says both.
    expect(commands).toEqual(['QueryCommand']);
    expect(result).toEqual({
      status: 'started',
      orderId,
      executionArn: `arn:aws:states:us-east-1:000000000000:execution:SubscriptionProvisioning:${orderId}`,
    });
    const [call, ...more] = sfn.commandCalls(StartExecutionCommand);
    expect(more).toEqual([]);
    expect(call?.args[0].input).toMatchObject({ stateMachineArn: STATE_MACHINE_ARN, name: orderId });
    const input = executionInputSchema.parse(JSON.parse(call?.args[0].input.input ?? ''));
    expect(input.order).toEqual(placedEvent({ orderId }).detail);
    expect(input.settings).toEqual({
      stepTimeoutSeconds: 259_200,
      maxReminders: 3,
      webexPoll: { firstWaitSeconds: 10, maxWaitSeconds: 300, maxPolls: 12 },
    });
  });

  it('rejects a malformed event, records it with the field named, and starts nothing', async () => {
    startsRun();
    const event = placedEvent({ orderId: uniqueOrderId() });
    const bad = {
      ...event,
      detail: { ...event.detail, contact: { ...event.detail.contact, email: 'nope' } },
    };

    const result = await intake(bad);

    expect(result.status).toBe('rejected');
    if (result.status !== 'rejected') return;
    expect(result.issues).toEqual([
      { path: 'detail.contact.email', message: 'must be a valid email address' },
    ]);
    const record = await rejectedRecord(result.rejectionId);
    expect(record).toMatchObject({ reason: 'invalid order event', issues: result.issues });
    expect(String(record?.pk)).toMatch(/^REJECTED#\d{4}-\d{2}-\d{2}$/);
    // What ops need, not the event: its content holds the contact's name and email.
    expect(record).toMatchObject({ orderId: bad.detail.orderId, fields: Object.keys(bad.detail) });
    expect(record?.event).toBeUndefined();
    expect(JSON.stringify(record)).not.toContain(bad.detail.contact.name);
    expect(sfn.commandCalls(StartExecutionCommand)).toEqual([]);
  });

  it('rejects a name with CR/LF or NUL, records why, and starts nothing', async () => {
    startsRun();
    const event = placedEvent({ orderId: uniqueOrderId(), partnerName: 'Partner\u0000SRL' });
    const bad = {
      ...event,
      detail: { ...event.detail, contact: { ...event.detail.contact, name: 'Ana\r\nBcc: x@evil.example' } },
    };

    const result = await intake(bad);

    expect(result.status).toBe('rejected');
    if (result.status !== 'rejected') return;
    const why = 'must not contain control characters (line breaks, tabs, NUL)';
    expect(result.issues).toEqual([
      { path: 'detail.contact.name', message: why },
      { path: 'detail.partnerName', message: why },
    ]);
    const record = await rejectedRecord(result.rejectionId);
    expect(record).toMatchObject({ reason: 'invalid order event', issues: result.issues, issueCount: 2 });
    expect(JSON.stringify(record)).not.toContain('Ana');
    expect(sfn.commandCalls(StartExecutionCommand)).toEqual([]);
  });

  it('rejects an event that is not an order event at all', async () => {
    const result = await intake({ hello: 'world' });

    expect(result.status).toBe('rejected');
    expect(sfn.commandCalls(StartExecutionCommand)).toEqual([]);
  });

  it('starts no second run for an order that is already stored', async () => {
    startsRun();
    const event = placedEvent({ orderId: uniqueOrderId() });
    await receiveOrder({ order: event.detail, settings: { stepTimeoutSeconds: 60, maxReminders: 1 } });
    // The order's partition holds more than the order by then (a link, the welcome email's record).
    await issueLink({ orderId: event.detail.orderId, recipient: 'ana@partner.example', role: 'contact' });

    const result = await intake(event);

    expect(result).toEqual({ status: 'duplicate', orderId: event.detail.orderId });
    expect(sfn.commandCalls(StartExecutionCommand)).toEqual([]);
  });

  it('treats ExecutionAlreadyExists as a duplicate delivery', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const orderId = uniqueOrderId();

    const result = await intake(placedEvent({ orderId }));

    expect(result).toEqual({ status: 'duplicate', orderId });
  });

  it('lets a throttled start be retried as a TransientError (through the handler)', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }));

    await expect(handler(placedEvent({ orderId: uniqueOrderId() }), lambdaContext())).rejects.toMatchObject({
      name: 'TransientError',
    });
  });

  it('the handler answers a malformed event with the rejection, naming the field', async () => {
    const event = placedEvent();
    const bad = { ...event, detail: { ...event.detail, services: [] } };

    const result = await handler(bad, lambdaContext());

    expect(result).toMatchObject({ status: 'rejected', issues: [{ path: 'detail.services' }] });
    expect(sfn.commandCalls(StartExecutionCommand)).toEqual([]);
  });
});
